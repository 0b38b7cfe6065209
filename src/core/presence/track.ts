import { registryOf, type RealtimeClient } from '../client';
import type { ChannelEntry } from '../channels';
import { failure, messageOf } from '../shared';
import { PresenceRoster } from './roster';

/**
 * Keeps the members of every presence channel `client` holds, from now on: `channels.getPresence()`
 * and `lease.onPresence()` read them. `usePresence` calls it; call it yourself for presence outside
 * React. Idempotent. Apps that never use presence never load this code.
 */
export function trackPresence(client: RealtimeClient): void {
  const registry = registryOf(client);
  const create = (entry: ChannelEntry) =>
      new PresenceRoster(
        () => registry.notify(entry.wire),
        (listener, which, member) => {
          try {
            listener[which]?.(member);
          } catch (cause) {
            client.reportError(
              failure('handler', process.env.NODE_ENV !== 'production' && `${which} on "${entry.wire}" threw: ${messageOf(cause)}`, {
                channel: entry.wire,
                payload: member,
                cause,
              }),
            );
          }
        },
      );
  // Presence channels held before: pusher-js keeps its member list (read when bound); elsewhere the
  // list came with a subscription already made, so the channel joins again for it.
  for (const entry of registry.trackMembers(create)) {
    const tracker = (entry.presence = create(entry));
    const channel = entry.channel;
    if (channel?.subscription) entry.unbinders.push(...tracker.bind(channel, () => entry.channel === channel, noop, undefined));
    else registry.rejoin(entry);
  }
}

function noop(): void {}
