import { failure, messageOf, type RealtimeError } from '../shared';
import type { ChannelEntry } from './entry';

/**
 * Sends a client event (`client-<event>`) to the other members of a held channel: what the hooks'
 * `whisper` does. False when it cannot now (not subscribed, or a channel type that cannot whisper);
 * what Echo throws goes to `report`. A function, not a lease method, so apps that never whisper
 * never load it.
 */
export function whisper(entry: ChannelEntry | undefined, event: string, data: Record<string, unknown>, report: (error: RealtimeError) => void): boolean {
  const channel = entry?.channel;
  if (!entry || !channel?.whisper || entry.snapshot.status !== 'subscribed') return false;
  try {
    channel.whisper(event, data);
    return true;
  } catch (cause) {
    report(
      failure('subscription', process.env.NODE_ENV !== 'production' && `Whisper "${event}" on "${entry.wire}" failed: ${messageOf(cause)}`, {
        channel: entry.wire,
        event,
        cause,
      }),
    );
    return false;
  }
}
