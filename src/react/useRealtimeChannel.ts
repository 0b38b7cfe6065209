import { QueryClientContext } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/query-core';
import { useContext, useEffect, useMemo, useRef } from 'react';
import { ReactionHandler } from '../core/invalidation';
import type { ChannelLease } from '../core/channels';
import { DEFAULT_CHANNEL_TYPE } from '../core/channels';
import type { ChannelSnapshot, ChannelType } from '../core/channels';
import type { EventPayload, PayloadCallback } from '../core/shared';
import type { EventReaction } from '../core/invalidation';
import { useProvidedClient } from './context';
import { acquireLease, activeChannel, useChannelSnapshot, useLatest, useWhisper } from './internal';

/** What to do with one event: a plain handler, or a full reaction (invalidate, updateCache, onEvent). */
export type EventBinding<P> = PayloadCallback<[payload: P], void> | EventReaction<P>;

/** Sends a client event (`client-<event>`); false when the channel is not subscribed yet. */
export type WhisperFunction = (event: string, data: Record<string, unknown>) => boolean;

/** Options of {@link useRealtimeChannel}. */
export interface UseRealtimeChannelOptions<T extends ChannelType, K extends string> {
  /** Channel name as in `routes/channels.php`. Nullish or empty: not subscribed. */
  channel: string | null | undefined;
  /** Default `'private'` (see {@link ChannelType}). */
  type?: T;
  /** Default true. */
  enabled?: boolean;
  /** Event name (Echo rules) to handler or reaction. Handlers may change every render. */
  events?: { [E in K]: EventBinding<EventPayload<E>> };
  /** The QueryClient the reactions use; default the one from `QueryClientProvider`. */
  queryClient?: QueryClient;
}

/** What {@link useRealtimeChannel} returns. */
export interface RealtimeChannelState<T extends ChannelType> extends ChannelSnapshot {
  /** Present on private and presence channels. */
  whisper: T extends 'private' | 'presence' ? WhisperFunction : undefined;
}

/**
 * Subscribes to a channel and binds several events. Returns the subscription status, the error
 * (a 403 from `/broadcasting/auth` shows here), and `whisper` on private / presence channels.
 */
export function useRealtimeChannel<T extends ChannelType = 'private', K extends string = string>(
  options: UseRealtimeChannelOptions<T, K>,
): RealtimeChannelState<T> {
  const client = useProvidedClient('useRealtimeChannel');
  const contextQueryClient = useContext(QueryClientContext);
  const queryClient = options.queryClient ?? contextQueryClient;
  const { channel, enabled = true } = options;
  const type: ChannelType = options.type ?? DEFAULT_CHANNEL_TYPE;
  const wire = activeChannel(client, channel, type, enabled);
  const latest = useLatest(options.events as Record<string, EventBinding<unknown>> | undefined);
  const leaseRef = useRef<ChannelLease | null>(null);
  // Re-bind only when the set of event names changes, not when handlers do.
  const eventNames = Object.keys(options.events ?? {}).sort().join('\n');

  useEffect(() => {
    const lease = acquireLease(client, wire, channel, type);
    if (!lease || !client) return;
    leaseRef.current = lease;
    for (const event of eventNames ? eventNames.split('\n') : []) {
      const source = { get current() { return toReaction(latest.current?.[event]); } };
      lease.listen(event, new ReactionHandler(client, queryClient, source, lease.wireName, event));
    }
    return () => {
      leaseRef.current = null;
      lease.release();
    };
  }, [client, queryClient, wire, channel, type, eventNames, latest]);

  const snapshot = useChannelSnapshot(client, wire, type);
  const whisper: WhisperFunction = useWhisper(client, leaseRef);
  const canWhisper = type === 'private' || type === 'presence';
  return useMemo(
    () => ({ ...snapshot, whisper: (canWhisper ? whisper : undefined) as RealtimeChannelState<T>['whisper'] }),
    [snapshot, canWhisper, whisper],
  );
}

/** A plain function is shorthand for `{ onEvent }`. */
function toReaction<P>(binding: EventBinding<P> | undefined): EventReaction<never> | undefined {
  if (typeof binding === 'function') return { onEvent: binding } as EventReaction<never>;
  return binding as EventReaction<never> | undefined;
}
