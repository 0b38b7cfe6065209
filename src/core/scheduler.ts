import { hashKey, partialMatchKey } from '@tanstack/query-core';
import type { Query, QueryCache, QueryClient, QueryKey } from '@tanstack/query-core';
import type { CoalesceOptions, RefetchType } from './types';

/** Coalescing settings with every field filled in. */
export type ResolvedCoalesceOptions = Required<CoalesceOptions>;

/** Defaults used when neither the binding nor the client says otherwise. */
export const DEFAULT_COALESCE: ResolvedCoalesceOptions = { wait: 250, maxWait: 1000, refetchType: 'active' };

/** One key's coalescing window: opened by a leading invalidation, closed after `wait` of quiet. */
interface KeyWindow {
  key: QueryKey;
  hash: string;
  lastInvokeAt: number;
  /** Events arrived after the last invalidation: one trailing invalidation is owed. */
  pending: boolean;
  options: ResolvedCoalesceOptions;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * App-wide invalidation coalescer for one QueryClient.
 *
 * Per query key (hashed as TanStack hashes it) a burst of events gives one leading invalidation and
 * at most one trailing one; `maxWait` forces an invalidation under a steady stream so the UI is never
 * starved. A key covered by a pending prefix key (`['rooms']` covers `['rooms', 1]`) is not
 * invalidated separately: the prefix's trailing invalidation refetches it anyway.
 *
 * It also works around TanStack/query#8530: invalidating a query whose *first* fetch is in flight
 * does not cancel that fetch, so its (pre-event) result would land in the cache marked fresh. Such
 * queries are invalidated once more as soon as that first fetch settles.
 */
export class InvalidationScheduler {
  private readonly windows = new Map<string, KeyWindow>();
  /** Queries whose first fetch was in flight when invalidated, with the refetchType to use after it. */
  private readonly firstFetches = new Map<Query, RefetchType>();
  private stopWatchingCache: (() => void) | undefined;

  constructor(
    private readonly queryClient: QueryClient,
    private readonly defaults: ResolvedCoalesceOptions,
    private readonly reportError: (error: unknown) => void,
    /** Called when nothing is scheduled or watched any more. */
    private readonly onIdle: () => void = () => {},
  ) {}

  /** Schedules an invalidation of each key, coalesced with everything else scheduled for it. */
  schedule(keys: readonly QueryKey[], options: CoalesceOptions = {}): void {
    const resolved = resolveCoalesce(options, this.defaults);
    for (const key of keys) this.scheduleOne(key, resolved);
  }

  /** Number of keys with an open window (for tests and leak checks). */
  get openWindows(): number {
    return this.windows.size;
  }

  /** Cancels every timer and cache subscription. Pending trailing invalidations are dropped. */
  dispose(): void {
    for (const w of this.windows.values()) clearTimeout(w.timer);
    this.windows.clear();
    this.firstFetches.clear();
    this.stopWatchingCache?.();
    this.stopWatchingCache = undefined;
  }

  private checkIdle(): void {
    if (this.windows.size === 0 && this.firstFetches.size === 0) this.onIdle();
  }

  private scheduleOne(key: QueryKey, options: ResolvedCoalesceOptions): void {
    const hash = hashKey(key);
    const now = Date.now();
    const open = this.windows.get(hash);
    if (open) {
      open.pending = true;
      open.options = mergeOptions(open.options, options);
      this.arm(open, now);
      return;
    }
    const cover = this.pendingPrefixCovering(key, options);
    if (cover) {
      // The prefix's trailing invalidation refetches this key too; make it at least as eager.
      cover.options = mergeOptions(cover.options, options);
      this.arm(cover, now);
      return;
    }
    const window: KeyWindow = { key, hash, lastInvokeAt: now, pending: false, options, timer: undefined };
    this.windows.set(hash, window);
    this.invalidate(window);
    this.arm(window, now);
  }

  /** A window with a trailing invalidation owed whose key is a prefix of `key` and refetches what `key` would. */
  private pendingPrefixCovering(key: QueryKey, options: ResolvedCoalesceOptions): KeyWindow | undefined {
    for (const w of this.windows.values()) {
      if (w.pending && covers(w.options.refetchType, options.refetchType) && partialMatchKey(key, w.key)) return w;
    }
    return undefined;
  }

  /** (Re)sets the window's timer: `wait` after now, but never later than `maxWait` after the last invalidation. */
  private arm(w: KeyWindow, now: number): void {
    clearTimeout(w.timer);
    const due = Math.min(now + w.options.wait, w.lastInvokeAt + w.options.maxWait);
    w.timer = setTimeout(() => this.fire(w), Math.max(0, due - now));
  }

  private fire(w: KeyWindow): void {
    if (!w.pending) {
      this.windows.delete(w.hash);
      this.checkIdle();
      return;
    }
    w.pending = false;
    w.lastInvokeAt = Date.now();
    this.invalidate(w);
    // Keep the window open for one more quiet period so the next event is coalesced, not leading.
    this.arm(w, w.lastInvokeAt);
  }

  private invalidate(w: KeyWindow): void {
    const { key, options } = w;
    // This invalidation also satisfies narrower keys that were owed a trailing one.
    for (const other of this.windows.values()) {
      if (
        other !== w &&
        other.pending &&
        covers(options.refetchType, other.options.refetchType) &&
        partialMatchKey(other.key, key)
      ) {
        other.pending = false;
      }
    }
    try {
      for (const query of this.queryClient.getQueryCache().findAll({ queryKey: key })) {
        if (query.state.data === undefined && query.state.fetchStatus === 'fetching') {
          this.watchFirstFetch(query, options.refetchType);
        }
      }
      this.queryClient
        .invalidateQueries({ queryKey: key, refetchType: options.refetchType })
        .catch(this.reportError);
    } catch (error) {
      this.reportError(error);
    }
  }

  private watchFirstFetch(query: Query, refetchType: RefetchType): void {
    this.firstFetches.set(query, refetchType);
    if (this.stopWatchingCache) return;
    const cache: QueryCache = this.queryClient.getQueryCache();
    this.stopWatchingCache = cache.subscribe((event) => {
      const owed = this.firstFetches.get(event.query);
      if (owed === undefined) return;
      if (event.type !== 'removed' && event.query.state.fetchStatus !== 'idle') return;
      this.firstFetches.delete(event.query);
      if (event.type !== 'removed' && event.query.state.status === 'success') {
        this.queryClient
          .invalidateQueries({ queryKey: event.query.queryKey, exact: true, refetchType: owed })
          .catch(this.reportError);
      }
      if (this.firstFetches.size === 0) {
        this.stopWatchingCache?.();
        this.stopWatchingCache = undefined;
        this.checkIdle();
      }
    });
  }
}

const REFETCH_RANK: Record<RefetchType, number> = { none: 0, active: 1, inactive: 1, all: 2 };

/** Whether invalidating with refetch type `a` refetches everything `b` would. */
export function covers(a: RefetchType, b: RefetchType): boolean {
  return a === b || a === 'all' || b === 'none';
}

/** A binding's coalescing options with the defaults filled in. */
export function resolveCoalesce(options: CoalesceOptions, defaults: ResolvedCoalesceOptions): ResolvedCoalesceOptions {
  const wait = options.wait ?? defaults.wait;
  return {
    wait,
    maxWait: Math.max(wait, options.maxWait ?? defaults.maxWait),
    refetchType: options.refetchType ?? defaults.refetchType,
  };
}

/** Two bindings coalesced onto one key: the most eager timing and the widest refetch win. */
export function mergeOptions(a: ResolvedCoalesceOptions, b: ResolvedCoalesceOptions): ResolvedCoalesceOptions {
  let refetchType = a.refetchType;
  if (a.refetchType !== b.refetchType) {
    refetchType = REFETCH_RANK[a.refetchType] === REFETCH_RANK[b.refetchType]
      ? 'all'
      : REFETCH_RANK[a.refetchType] > REFETCH_RANK[b.refetchType] ? a.refetchType : b.refetchType;
  }
  return { wait: Math.min(a.wait, b.wait), maxWait: Math.min(a.maxWait, b.maxWait), refetchType };
}
