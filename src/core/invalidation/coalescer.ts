import { hashKey, partialMatchKey } from '@tanstack/query-core';
import type { Query, QueryCache, QueryClient, QueryKey } from '@tanstack/query-core';
import type { CoalesceOptions, RefetchType } from './types';

/** Coalescing settings with every field filled in. */
export type ResolvedCoalesceOptions = Required<CoalesceOptions>;

/** Defaults used when neither the binding nor the client says otherwise. */
export const DEFAULT_COALESCE: ResolvedCoalesceOptions = { wait: 250, refetchType: 'active' };

/** One key's window: opened by an invalidation, closed `wait` after the last one. */
interface KeyWindow {
  key: QueryKey;
  hash: string;
  lastInvokeAt: number;
  /** Events arrived after the last invalidation: one trailing invalidation is owed. */
  pending: boolean;
  options: ResolvedCoalesceOptions;
  timer: ReturnType<typeof setTimeout> | undefined;
  dueAt: number;
}

/**
 * App-wide invalidation coalescer for one QueryClient. Per query key (hashed as TanStack hashes it):
 *
 * - an event on a key with no invalidation in the last `wait` invalidates at once;
 * - otherwise one trailing invalidation runs `wait` after the last one (a throttle, not a debounce:
 *   a steady stream never pushes it back), so every event starts a fetch within `wait`;
 * - a fetch in flight is never cancelled. A query that is fetching when it is invalidated may
 *   answer with data from before the event, so it is invalidated once more as soon as that fetch
 *   settles (this also covers TanStack/query#8530, where a first fetch ignores invalidation).
 *
 * A key covered by a pending prefix key (`['rooms']` covers `['rooms', 1]`) is not invalidated
 * separately: the prefix's trailing invalidation refetches it anyway.
 */
export class InvalidationScheduler {
  #windows = new Map<string, KeyWindow>();
  /** Queries that were fetching when invalidated, with the refetchType owed once that fetch settles. */
  #inFlight = new Map<Query, RefetchType>();
  #stopWatchingCache: (() => void) | undefined;
  readonly #queryClient: QueryClient;
  readonly #defaults: ResolvedCoalesceOptions;
  readonly #reportError: (error: unknown) => void;
  /** Called when nothing is scheduled or watched any more. */
  readonly #onIdle: () => void;

  constructor(queryClient: QueryClient, defaults: ResolvedCoalesceOptions, reportError: (error: unknown) => void, onIdle: () => void = () => {}) {
    this.#queryClient = queryClient;
    this.#defaults = defaults;
    this.#reportError = reportError;
    this.#onIdle = onIdle;
  }

  /**
   * Schedules an invalidation of each key, coalesced with everything else scheduled for it. With
   * `delayMs`, a key with no window open is invalidated that much later rather than at once (the
   * refetch spread after a reconnect); events meanwhile join that invalidation.
   */
  schedule(keys: readonly QueryKey[], options: CoalesceOptions = {}, delayMs = 0): void {
    const resolved = resolveCoalesce(options, this.#defaults);
    for (const key of keys) this.#scheduleOne(key, resolved, delayMs);
  }

  /** Number of keys with an open window (for tests and leak checks). */
  get openWindows(): number {
    return this.#windows.size;
  }

  /** Cancels every timer and cache subscription. Pending trailing invalidations are dropped. */
  dispose(): void {
    for (const w of this.#windows.values()) clearTimeout(w.timer);
    this.#windows.clear();
    this.#inFlight.clear();
    this.#stopWatchingCache?.();
    this.#stopWatchingCache = undefined;
  }

  #checkIdle(): void {
    if (this.#windows.size === 0 && this.#inFlight.size === 0) this.#onIdle();
  }

  #scheduleOne(key: QueryKey, options: ResolvedCoalesceOptions, delayMs: number): void {
    const hash = hashKey(key);
    const open = this.#windows.get(hash);
    if (open) {
      open.pending = true;
      open.options = mergeOptions(open.options, options);
      this.#arm(open);
      return;
    }
    const cover = this.#pendingPrefixCovering(key, options);
    if (cover) {
      // The prefix's trailing invalidation refetches this key too; make it at least as eager.
      cover.options = mergeOptions(cover.options, options);
      this.#arm(cover);
      return;
    }
    const window: KeyWindow = {
      key,
      hash,
      lastInvokeAt: Date.now(),
      pending: false,
      options,
      timer: undefined,
      dueAt: Infinity,
    };
    this.#windows.set(hash, window);
    if (delayMs > 0) {
      // Owed, and due `delayMs` from now: as if the last invalidation had been `wait` before that.
      window.pending = true;
      window.lastInvokeAt += delayMs - options.wait;
    } else {
      this.#invalidate(window);
    }
    this.#arm(window);
  }

  /** A window with a trailing invalidation owed whose key is a prefix of `key` and refetches what `key` would. */
  #pendingPrefixCovering(key: QueryKey, options: ResolvedCoalesceOptions): KeyWindow | undefined {
    for (const w of this.#windows.values()) {
      if (w.pending && covers(w.options.refetchType, options.refetchType) && partialMatchKey(key, w.key)) return w;
    }
    return undefined;
  }

  /** Sets the window's timer to `wait` after its last invalidation, unless it is already due earlier. */
  #arm(w: KeyWindow): void {
    const due = w.lastInvokeAt + w.options.wait;
    if (w.timer !== undefined && w.dueAt <= due) return;
    clearTimeout(w.timer);
    w.dueAt = due;
    w.timer = setTimeout(() => this.#fire(w), Math.max(0, due - Date.now()));
  }

  #fire(w: KeyWindow): void {
    w.timer = undefined;
    if (!w.pending) {
      this.#windows.delete(w.hash);
      this.#checkIdle();
      return;
    }
    w.pending = false;
    w.lastInvokeAt = Date.now();
    this.#invalidate(w);
    // Keep the window open for one more `wait` so the next event is coalesced, not leading.
    this.#arm(w);
  }

  #invalidate(w: KeyWindow): void {
    const { key, options } = w;
    // This invalidation also satisfies narrower keys that were owed a trailing one.
    for (const other of this.#windows.values()) {
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
      for (const query of this.#queryClient.getQueryCache().findAll({ queryKey: key })) {
        if (query.state.fetchStatus === 'fetching') this.#owe(query, options.refetchType);
      }
      // cancelRefetch: false: a fetch in flight runs to the end (it is re-run once it settles, above).
      this.#queryClient
        .invalidateQueries({ queryKey: key, refetchType: options.refetchType }, { cancelRefetch: false })
        .catch(this.#reportError);
    } catch (error) {
      this.#reportError(error);
    }
  }

  /** Invalidates `query` again when its current fetch settles. */
  #owe(query: Query, refetchType: RefetchType): void {
    const owed = this.#inFlight.get(query);
    this.#inFlight.set(query, owed === undefined ? refetchType : widest(owed, refetchType));
    if (this.#stopWatchingCache) return;
    const cache: QueryCache = this.#queryClient.getQueryCache();
    this.#stopWatchingCache = cache.subscribe((event) => {
      const refetch = this.#inFlight.get(event.query);
      if (refetch === undefined) return;
      if (event.type !== 'removed' && event.query.state.fetchStatus === 'fetching') return;
      this.#inFlight.delete(event.query);
      if (event.type !== 'removed') {
        // This refetch starts after every event so far: a trailing invalidation owed on exactly this
        // key would only fetch the same again.
        const window = this.#windows.get(event.query.queryHash);
        if (window && covers(refetch, window.options.refetchType)) window.pending = false;
        this.#queryClient
          .invalidateQueries({ queryKey: event.query.queryKey, exact: true, refetchType: refetch }, { cancelRefetch: false })
          .catch(this.#reportError);
      }
      if (this.#inFlight.size === 0) {
        this.#stopWatchingCache?.();
        this.#stopWatchingCache = undefined;
        this.#checkIdle();
      }
    });
  }
}

const REFETCH_RANK: Record<RefetchType, number> = { none: 0, active: 1, inactive: 1, all: 2 };

/** Whether invalidating with refetch type `a` refetches everything `b` would. */
export function covers(a: RefetchType, b: RefetchType): boolean {
  return a === b || a === 'all' || b === 'none';
}

/** The refetch type that refetches everything either would. */
function widest(a: RefetchType, b: RefetchType): RefetchType {
  if (a === b) return a;
  if (REFETCH_RANK[a] === REFETCH_RANK[b]) return 'all';
  return REFETCH_RANK[a] > REFETCH_RANK[b] ? a : b;
}

/** A binding's coalescing options with the defaults filled in. */
export function resolveCoalesce(options: CoalesceOptions, defaults: ResolvedCoalesceOptions): ResolvedCoalesceOptions {
  return { wait: options.wait ?? defaults.wait, refetchType: options.refetchType ?? defaults.refetchType };
}

/** Two bindings coalesced onto one key: the most eager timing and the widest refetch win. */
export function mergeOptions(a: ResolvedCoalesceOptions, b: ResolvedCoalesceOptions): ResolvedCoalesceOptions {
  return { wait: Math.min(a.wait, b.wait), refetchType: widest(a.refetchType, b.refetchType) };
}
