import type { QueryClient, QueryKey } from '@tanstack/query-core';
import { useMemo } from 'react';
import { toKeyList } from '../core/invalidation';
import { modelChannel, modelReactions, type ModelBindingOptions } from '../core/laravel';
import type { ChannelSnapshot, ChannelType } from '../core/channels';
import { useRealtimeChannel } from './useRealtimeChannel';

/** Options of {@link useRealtimeModel}. */
export interface UseRealtimeModelOptions<M extends object> extends ModelBindingOptions<M> {
  /** The model's key. Nullish: not subscribed (yet). */
  id: string | number | null | undefined;
  /** The query that holds this model: written on updated / restored, removed on deleted / trashed. */
  queryKey: QueryKey;
  /** The channel, if the model's `broadcastOn()` is not its own (`App.Models.Post.{id}`, private). */
  channel?: string;
  /** That channel's type; default `'private'` (what an Eloquent model in `broadcastOn()` is). */
  type?: ChannelType;
  /** Default true. */
  enabled?: boolean;
  queryClient?: QueryClient;
}

/**
 * Keeps one Eloquent model (`use BroadcastsEvents`) current in the cache with no code: joins its
 * private channel `App.Models.Post.{id}` and, for `.PostUpdated` / `.PostRestored`, writes the
 * broadcast `model` into `queryKey`; for `.PostDeleted` / `.PostTrashed`, removes that query (every
 * event carries the whole model; `forceDelete()` on a `SoftDeletes` model broadcasts nothing); for
 * every event, invalidates `lists`. The same channel, recovery and coalescing as every hook.
 *
 * ```tsx
 * useRealtimeModel<Post>({ model: 'App.Models.Post', id, queryKey: ['posts', id], lists: [['posts']] });
 * ```
 */
export function useRealtimeModel<M extends object>(options: UseRealtimeModelOptions<M>): ChannelSnapshot {
  const { model, id, queryKey, enabled = true } = options;
  const channel = id === null || id === undefined ? null : (options.channel ?? modelChannel(model, id));
  // Reactions are rebuilt each render (cheap); useRealtimeChannel re-binds only when event names change.
  const events = modelReactions<M>(options, () => queryKey, [queryKey, ...toKeyList(options.lists)]);
  const { status, error } = useRealtimeChannel({ channel, type: options.type ?? 'private', enabled, events, queryClient: options.queryClient });
  return useMemo(() => ({ status, error }), [status, error]);
}
