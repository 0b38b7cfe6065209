/**
 * Invalidation: what an event does to the cache. Owns the reactions (an event's invalidate,
 * setQueryData, updateCache, onEvent), query-key lists, the coalescer (one window per key, no
 * fetch cancelled, in-flight fetches owed one more), and the sync that refetches a channel's keys
 * when its subscription is confirmed (first join, after a drop).
 */
export { covers, DEFAULT_COALESCE, InvalidationScheduler, mergeOptions, resolveCoalesce } from './coalescer';
export type { ResolvedCoalesceOptions } from './coalescer';
export { resolveInvalidate, toKeyList } from './keys';
export { ReactionHandler, warnNoQueryClient } from './reaction';
export type { ReactionHost, ReactionSource } from './reaction';
export { SubscriptionSync } from './sync';
export type { SyncHost } from './sync';
export type * from './types';
