import { QueryClientContext } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/query-core';
import { useContext, useEffect } from 'react';
import { failure, type RealtimeError } from '../core/shared';
import { definedOnly } from '../core/shared';
import { DEFAULT_COALESCE, ReactionHandler } from '../core/invalidation';
import { ANY_PAGE, reloadHandler, type ReloadRule } from '../core/reloads';
import type { ChannelLease } from '../core/channels';
import { DEFAULT_CHANNEL_TYPE } from '../core/channels';
import type { BindingDefaults, EventReaction } from '../core/invalidation';
import type { ChannelType } from '../core/channels';
import type { EventPayload } from '../core/shared';
import { useProvidedClient } from './context';
import { useLatest } from './internal';

/** One app-wide mapping from a channel event to what it invalidates or updates. */
export interface RealtimeBinding<E extends string = string> extends EventReaction<EventPayload<E>> {
  channel: string;
  event: E;
  /**
   * Inertia page props this event reloads, on whatever page is shown (`{ only: ['notifications'] }`),
   * coalesced and recovered as `useRealtimeReload` does. Needs echo-react-query/inertia's
   * `RealtimeProvider`.
   */
  reload?: ReloadRule;
  /** Default `'private'` (see {@link ChannelType}). */
  type?: ChannelType;
  /** Default true. While false this binding holds nothing and handles nothing. */
  enabled?: boolean;
}

/** Options of {@link useRealtimeGlobalSubscriber}. */
export interface GlobalSubscriberOptions<E extends readonly string[] = readonly string[]> {
  /**
   * The bindings. In an inline array literal each binding's payload is typed from its own event
   * (declared in `RealtimeEventMap`); re-rendering with equal channels and events changes nothing
   * on the wire, and changed callbacks are picked up without resubscribing.
   */
  bindings: { [I in keyof E]: RealtimeBinding<E[I]> };
  /** Defaults for every binding here (over the client's `defaults`): `wait`, `refetchType`, `refetchOnSubscribe`. */
  defaults?: BindingDefaults;
  /** Default true. While false no binding holds anything. */
  enabled?: boolean;
  /** The QueryClient the bindings use; default the one from `QueryClientProvider`. */
  queryClient?: QueryClient;
}

/**
 * Types one binding from its event name (payload inferred from `RealtimeEventMap`), for bindings
 * kept in a constant outside the hook call. Identity at runtime.
 *
 * ```ts
 * const postUpdated = defineBinding({ channel: 'posts', event: '.PostUpdated', invalidate: (p) => ['posts', p.id] });
 * ```
 */
export function defineBinding<E extends string>(binding: RealtimeBinding<E>): RealtimeBinding<E> {
  return binding;
}

/**
 * Mount once (in `App`) to keep cached queries in sync with server events app-wide. Each binding
 * maps a channel event to keys to invalidate (coalesced) or a cache update.
 *
 * ```tsx
 * useRealtimeGlobalSubscriber({
 *   bindings: [{ channel: 'rooms', type: 'public', event: '.RoomsUpdated', invalidate: ['rooms'] }],
 * });
 * ```
 */
export function useRealtimeGlobalSubscriber<const E extends readonly string[]>(options: GlobalSubscriberOptions<E>): void {
  const client = useProvidedClient('useRealtimeGlobalSubscriber');
  const contextQueryClient = useContext(QueryClientContext);
  const queryClient = options.queryClient ?? contextQueryClient;
  const enabled = options.enabled ?? true;
  const bindings = (Array.isArray(options.bindings) ? options.bindings : []) as readonly RealtimeBinding[];
  const latest = useLatest({ bindings, options });
  // What identifies the subscriptions: channel, type, event, enabled and whether it reloads props, of each binding, in order.
  const signature = JSON.stringify(
    bindings.map((b) => [b?.channel, b?.type ?? DEFAULT_CHANNEL_TYPE, b?.event, b?.enabled !== false, !!b?.reload]),
  );

  useEffect(() => {
    if (!client?.enabled || !enabled) return;
    const leases = new Map<string, ChannelLease>();
    const shape = JSON.parse(signature) as [unknown, ChannelType, unknown, boolean, boolean][];
    shape.forEach(([channel, type, event, on, reloads], index) => {
      if (!on) return;
      if (typeof channel !== 'string' || !channel || typeof event !== 'string' || !event) {
        client.reportError(
          failure('config', process.env.NODE_ENV !== 'production' && `useRealtimeGlobalSubscriber: binding ${index} needs a channel and an event name.`),
        );
        return;
      }
      let lease: ChannelLease;
      try {
        const key = `${type}:${channel}`;
        lease = leases.get(key) ?? client.acquire({ channel, type });
        leases.set(key, lease);
      } catch (error) {
        client.reportError(error as RealtimeError);
        return;
      }
      const source = {
        get current(): EventReaction<never> | undefined {
          const { bindings: current, options } = latest.current;
          const binding = current[index];
          return binding && ({ ...options.defaults, ...definedOnly(binding) } as EventReaction<never>);
        },
      };
      lease.listen(event, new ReactionHandler(client, queryClient, source, lease.wireName, event));
      // Inertia props the binding reloads, on whatever page is shown (a binding without is one handler, as the devtools count).
      if (!reloads) return;
      const rule = () => {
        const { bindings: current, options } = latest.current;
        const reload = current[index]?.reload;
        return reload && { ...reload, wait: reload.wait ?? options.defaults?.wait };
      };
      lease.listen(event, reloadHandler(client, rule, () => ANY_PAGE, () => ({}), DEFAULT_COALESCE.wait));
    });
    return () => {
      for (const lease of leases.values()) lease.release();
    };
  }, [client, queryClient, enabled, signature, latest]);
}
