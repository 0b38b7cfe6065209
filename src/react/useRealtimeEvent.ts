import { QueryClientContext } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/query-core';
import { useContext, useEffect } from 'react';
import { ReactionHandler } from '../core/invalidation';
import { DEFAULT_CHANNEL_TYPE } from '../core/channels';
import type { ChannelType } from '../core/channels';
import type { EventPayload } from '../core/shared';
import type { EventReaction } from '../core/invalidation';
import { useProvidedClient } from './context';
import { acquireLease, activeChannel, useLatest } from './internal';

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
  /** The QueryClient to invalidate and write; default the one from `QueryClientProvider`. */
  queryClient?: QueryClient;
}

/**
 * Reacts to one event on one channel: invalidates query keys (coalesced app-wide), writes payloads
 * into the cache, or calls `onEvent`. Callbacks always see the latest render; new option objects or
 * closures never leave and re-join the channel. It renders nothing by itself (no state): use
 * `useRealtimeChannel` when the component shows the subscription status.
 *
 * ```tsx
 * useRealtimeEvent({ channel: `orders.${id}`, event: '.OrderShipped', invalidate: ['orders', id] });
 * ```
 */
export function useRealtimeEvent<E extends string>(options: UseRealtimeEventOptions<E>): void {
  const client = useProvidedClient('useRealtimeEvent');
  const contextQueryClient = useContext(QueryClientContext);
  const queryClient = options.queryClient ?? contextQueryClient;
  const { channel, event, type = DEFAULT_CHANNEL_TYPE, enabled = true } = options;
  const wire = activeChannel(client, channel, type, enabled && typeof event === 'string' && event.length > 0);
  const latest = useLatest(options as EventReaction<never> | undefined);
  useEffect(() => {
    const lease = acquireLease(client, wire, channel, type);
    if (!lease || !client) return;
    lease.listen(event, new ReactionHandler(client, queryClient, latest, lease.wireName, event));
    return () => lease.release();
  }, [client, queryClient, wire, channel, type, event, latest]);
}
