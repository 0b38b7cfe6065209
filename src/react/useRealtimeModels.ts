import type { QueryClient, QueryKey } from '@tanstack/query-core';
import { useMemo } from 'react';
import { toKeyList } from '../core/invalidation';
import { modelKeyOf, modelReactions, type ModelBindingOptions } from '../core/laravel';
import type { ChannelSnapshot, ChannelType } from '../core/channels';
import { useRealtimeChannel } from './useRealtimeChannel';

/** Options of {@link useRealtimeModels}. */
export interface UseRealtimeModelsOptions<M extends object> extends ModelBindingOptions<M> {
  /**
   * Where the models' events arrive: the channel their `broadcastOn($event)` names besides their
   * own, e.g. `App.Models.User.1` for `return [$this, $this->user];`.
   */
  channel: string | null | undefined;
  /** Default `'private'` (an Eloquent model in `broadcastOn` is a private channel). */
  type?: ChannelType;
  /** The detail query of a model, by its key: written and removed as `useRealtimeModel` does. */
  queryKey?: (id: string | number) => QueryKey;
  /** The model's key attribute; default `id`. */
  idKey?: string;
  /** Default true. */
  enabled?: boolean;
  queryClient?: QueryClient;
}

/**
 * Keeps a collection of Eloquent models current: listens on a parent channel for every model
 * event of the class (`.PostCreated`, `.PostUpdated`, ...), invalidates `lists` on each, and with
 * `queryKey` writes or removes each model's detail query as {@link useRealtimeModel} does.
 *
 * ```tsx
 * useRealtimeModels<Post>({ model: 'App.Models.Post', channel: `App.Models.User.${userId}`, lists: [['posts']], queryKey: (id) => ['posts', id] });
 * ```
 */
export function useRealtimeModels<M extends object>(options: UseRealtimeModelsOptions<M>): ChannelSnapshot {
  const { channel, type = 'private', enabled = true, queryKey, idKey = 'id' } = options;
  const detailKey = queryKey
    ? (payload: Parameters<typeof modelKeyOf>[0]) => {
        const id = modelKeyOf(payload, idKey);
        return id === undefined ? undefined : queryKey(id);
      }
    : null;
  // Detail keys come from payloads: after a reconnect only the lists can be refetched.
  const events = modelReactions<M>(options, detailKey, toKeyList(options.lists));
  const { status, error } = useRealtimeChannel({ channel, type, enabled, events, queryClient: options.queryClient });
  return useMemo(() => ({ status, error }), [status, error]);
}
