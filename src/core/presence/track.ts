import type { ChannelEntry, ChannelRegistry } from '../channels';
import { registryOf, type RealtimeClient } from '../client';
import { failure, messageOf, type RealtimeError } from '../shared';
import { PresenceRoster } from './roster';

/**
 * Keeps the members of every presence channel `client` holds, from now on: `channels.getPresence()`
 * and `lease.onPresence()` read them. `usePresence` calls it; call it yourself for presence outside
 * React. Idempotent. Apps that never use presence never load this code.
 */
export function trackPresence(client: RealtimeClient): void {
  trackMembersOn(registryOf(client), (error) => client.reportError(error));
}

/** {@link trackPresence} on a registry (the socket.io support sets it up when a client is made). */
export function trackMembersOn(registry: ChannelRegistry, reportError: (error: RealtimeError) => void): void {
  const create = (entry: ChannelEntry) =>
    new PresenceRoster(
      () => registry.notify(entry.wire),
      (listener, which, member) => {
        try {
          listener[which]?.(member);
        } catch (cause) {
          reportError(
            failure('handler', process.env.NODE_ENV !== 'production' && `${which} on "${entry.wire}" threw: ${messageOf(cause)}`, {
              channel: entry.wire,
              payload: member,
              cause,
            }),
          );
        }
      },
    );
  // Presence channels held before: pusher-js keeps its member list, read as the roster binds; on
  // other connectors the members come with the next subscription (socket.io never gets here: its
  // support tracks members from the start).
  for (const entry of registry.trackMembers(create)) {
    const tracker = (entry.presence = create(entry));
    const channel = entry.channel;
    if (channel) entry.unbinders.push(...tracker.bind(channel, () => entry.channel === channel, noop, undefined));
  }
}

function noop(): void {}
