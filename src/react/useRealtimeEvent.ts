import { QueryClientContext } from '@tanstack/react-query';
import { useContext } from 'react';
import { createReactionHandler } from '../core/reaction';
import { DEFAULT_CHANNEL_TYPE } from '../core/registry';
import type { ChannelSnapshot, ChannelType, EventPayload, EventReaction } from '../core/types';
import { RealtimeContext } from './context';
import { useActiveChannelId, useChannelSnapshot, useLatest, useLease } from './internal';

/** Options of {@link useRealtimeEvent}. */
export interface UseRealtimeEventOptions<E extends string> extends EventReaction<EventPayload<E>> {
  /** Channel name as in `routes/channels.php` (no `private-` prefix). Nullish or empty: not subscribed. */
  channel: string | null | undefined;
  /**
   * Event name with Echo's rules: `.OrderShipped` for an event with `broadcastAs`, `OrderShipped`
   * for `App\Events\OrderShipped`, `.client-typing` for whispers.
   */
  event: E;
  /** Default `'private'` (see {@link ChannelType}). */
  type?: ChannelType;
  /** Default true. While false nothing is held and no handler runs. */
  enabled?: boolean;
}

/**
 * Reacts to one event on one channel: invalidates query keys (coalesced app-wide), writes payloads
 * into the cache, or calls `onEvent`. Callbacks always see the latest render; new option objects or
 * closures never leave and re-join the channel. Returns the channel's subscription state.
 *
 * ```tsx
 * useRealtimeEvent({ channel: `orders.${id}`, type: 'private', event: '.OrderShipped', invalidate: ['orders', id] });
 * ```
 */
export function useRealtimeEvent<E extends string>(options: UseRealtimeEventOptions<E>): ChannelSnapshot {
  const client = useContext(RealtimeContext);
  const queryClient = useContext(QueryClientContext);
  const { channel, event, type = DEFAULT_CHANNEL_TYPE, enabled = true } = options;
  const id = useActiveChannelId(client, channel, type, enabled && typeof event === 'string' && event.length > 0);
  const latest = useLatest(options as EventReaction<never>);
  useLease(
    client,
    id,
    channel,
    type,
    (lease, c) => {
      lease.listen(event, createReactionHandler(c, queryClient, () => latest.current, { channel: lease.channel, event }));
    },
    [queryClient, event],
  );
  return useChannelSnapshot(client, id);
}
