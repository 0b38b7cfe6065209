import type { QueryKey } from '@tanstack/query-core';
import type { ChannelRegistry } from '../channels';
import type { SyncingHandler } from '../invalidation';
import type { InspectedChannel } from './types';

/**
 * The channels the registry holds now, as the snapshot shows them, and the keys each channel
 * waiting to be confirmed again after a drop will refetch then (its recovery).
 */
export function heldChannels(
  registry: ChannelRegistry,
  lastEvent: (wire: string) => InspectedChannel['lastEvent'],
): { channels: InspectedChannel[]; recovering: { channel: string; key: QueryKey }[] } {
  const channels: InspectedChannel[] = [];
  const recovering: { channel: string; key: QueryKey }[] = [];
  for (const entry of registry.list()) {
    channels.push({
      channel: entry.wire,
      name: entry.name,
      channelType: entry.type,
      status: entry.snapshot.status,
      error: entry.snapshot.error?.message ?? null,
      holders: entry.refs,
      events: [...entry.events].map(([event, handlers]) => ({ event, handlers: handlers.size })),
      lastEvent: lastEvent(entry.wire),
      members: entry.presence?.snapshot.members ?? null,
    });
    if (!entry.confirmedBefore || entry.snapshot.status !== 'subscribing') continue;
    for (const handlers of entry.events.values()) {
      for (const handler of handlers) {
        try {
          // A look only: a binding's error is reported when the channel is confirmed, not here.
          for (const key of (handler as SyncingHandler).sync?.(true)?.keys ?? []) recovering.push({ channel: entry.wire, key });
        } catch {
          // As above.
        }
      }
    }
  }
  return { channels, recovering };
}
