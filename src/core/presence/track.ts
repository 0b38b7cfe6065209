import { registryOf, type RealtimeClient } from '../client';
import { failure, messageOf } from '../shared';
import { PresenceRoster } from './roster';

/**
 * Keeps the members of every presence channel `client` holds, from now on: `channels.getPresence()`
 * and `lease.onPresence()` read them. `usePresence` calls it; call it yourself for presence outside
 * React. Idempotent. Apps that never use presence never load this code.
 */
export function trackPresence(client: RealtimeClient): void {
  const registry = registryOf(client);
  registry.trackMembers(
    (entry) =>
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
      ),
  );
}
