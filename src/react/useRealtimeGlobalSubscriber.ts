import { QueryClientContext } from '@tanstack/react-query';
import { useContext, useEffect } from 'react';
import { RealtimeError } from '../core/errors';
import { ReactionHandler } from '../core/reaction';
import { DEFAULT_CHANNEL_TYPE, type ChannelLease } from '../core/registry';
import type { ChannelType, CoalesceOptions, EventPayload, EventReaction } from '../core/types';
import { RealtimeContext } from './context';
import { useLatest } from './internal';

/** One app-wide mapping from a channel event to what it invalidates or updates. */
export interface RealtimeBinding<E extends string = string> extends EventReaction<EventPayload<E>> {
  channel: string;
  event: E;
  /** Default `'private'` (see {@link ChannelType}). */
  type?: ChannelType;
}

/** Options of {@link useRealtimeGlobalSubscriber}: defaults for every binding, plus `enabled`. */
export interface GlobalSubscriberOptions extends CoalesceOptions {
  /** Default true. */
  enabled?: boolean;
}

/**
 * Types one binding from its event name (payload inferred from `RealtimeEventMap`). Identity at runtime.
 *
 * ```ts
 * const bindings = [defineBinding({ channel: 'posts', event: '.PostUpdated', invalidate: (p) => ['posts', p.id] })];
 * ```
 */
export function defineBinding<E extends string>(binding: RealtimeBinding<E>): RealtimeBinding<E> {
  return binding;
}

/**
 * Mount once (in `App`) to keep cached queries in sync with server events app-wide. Each binding
 * maps a channel event to keys to invalidate (coalesced) or a cache update. Bindings may be an inline
 * array literal: re-rendering with equal channels and events changes nothing on the wire, and
 * changed callbacks are picked up without resubscribing.
 */
export function useRealtimeGlobalSubscriber(
  bindings: readonly RealtimeBinding[],
  options: GlobalSubscriberOptions = {},
): void {
  const client = useContext(RealtimeContext);
  const queryClient = useContext(QueryClientContext);
  const enabled = options.enabled ?? true;
  const latest = useLatest({ bindings, options });
  // What identifies the subscriptions: channel, type and event of each binding, in order.
  const signature = JSON.stringify(bindings.map((b) => [b?.channel, b?.type ?? DEFAULT_CHANNEL_TYPE, b?.event]));

  useEffect(() => {
    if (!client?.enabled || !enabled) return;
    const leases = new Map<string, ChannelLease>();
    const shape = JSON.parse(signature) as [unknown, ChannelType, unknown][];
    shape.forEach(([channel, type, event], index) => {
      if (typeof channel !== 'string' || !channel || typeof event !== 'string' || !event) {
        client.reportError(
          new RealtimeError('config', `useRealtimeGlobalSubscriber: binding ${index} needs a channel and an event name.`),
        );
        return;
      }
      let lease: ChannelLease;
      try {
        const key = `${type}:${channel}`;
        lease = leases.get(key) ?? client.acquire(channel, type);
        leases.set(key, lease);
      } catch (error) {
        client.reportError(error as RealtimeError);
        return;
      }
      const read = (): EventReaction<never> | undefined => {
        const { bindings: current, options: defaults } = latest.current;
        const binding = current[index];
        return binding && ({ ...defaults, ...binding } as EventReaction<never>);
      };
      lease.listen(event, new ReactionHandler(client, queryClient, read, { channel: lease.channel, event }));
    });
    return () => {
      for (const lease of leases.values()) lease.release();
    };
  }, [client, queryClient, enabled, signature, latest]);
}
