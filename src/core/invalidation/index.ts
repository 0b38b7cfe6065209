/**
 * Invalidation: what an event does to the cache. Owns the reactions (an event's invalidate,
 * setQueryData, updateCache, onEvent), query-key lists, the coalescer (one window per key, over a
 * target: TanStack's QueryClient here, where no fetch is cancelled and one in flight is owed one
 * more), and the sync that refetches a channel's keys when its subscription is confirmed (first
 * join, after a drop).
 */
export { BURST, Coalescer } from './coalescer';
export type { CoalescerLink, CoalesceTarget } from './coalescer';
export { covers, DEFAULT_COALESCE, mergeOptions, QueryCoalescers, QueryTarget, queryCoalescer, resolveCoalesce } from './query-target';
export type { ResolvedCoalesceOptions } from './query-target';
export { resolveInvalidate, toKeyList } from './keys';
export { ReactionHandler, warnNoQueryClient } from './reaction';
export type { ReactionHost, ReactionSource } from './reaction';
export { SubscriptionSync } from './sync';
export type { SyncHost } from './sync';
export type * from './types';
