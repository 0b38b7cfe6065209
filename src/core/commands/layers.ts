import type { Query, QueryCacheNotifyEvent, QueryClient, QueryKey } from '@tanstack/query-core';

/** One command's optimistic change to one query, applied over the server's data. */
export interface Layer {
  /** Must be idempotent: the server's data may already contain the change (see docs/commands.md). */
  readonly apply: (data: unknown) => unknown;
  /**
   * When the server had the command (its event came, or its HTTP request succeeded), on the
   * store's clock; undefined while unknown. A fetch that starts later returns data that includes
   * it, and its answer removes the layer.
   */
  appliedAt: number | undefined;
}

/** The layers over one query, and the server data under them. */
interface Stack {
  readonly key: QueryKey;
  readonly layers: Layer[];
  /** The server's data without any layer; undefined while the query has none. */
  base: unknown;
  /** When the latest fetch of the query started, and the one before, on the store's clock. */
  fetchStartedAt: number;
  previousFetchStartedAt: number;
  /**
   * Code outside the store wrote the query (a `setQueryData` binding, `fetchNextPage`) while layers
   * were on it: the write saw layered data, so `base` may contain a layer that is later dropped.
   */
  tainted: boolean;
  /** The fetch in flight builds on the cached data (an infinite query's next page). */
  fetchingMore: boolean;
}

/** Orders layer confirmations against fetch starts (a counter: time can repeat within a ms). */
let clock = 0;
export function tick(): number {
  return ++clock;
}

/**
 * Optimistic layers over one QueryClient's cache. The cache always holds the server's data with
 * the pending layers applied in order; when the server's data changes (a fetch, a cache write),
 * the layers are applied again on top of the new data. A layer goes when a fetch that started
 * after the server had its command answers, so the change never flickers out and back in; or
 * when its command failed. Listens to the cache only while it holds a layer.
 */
export class LayerStore {
  #stacks = new Map<string, Stack>();
  #unsubscribe: (() => void) | null = null;
  /** Set while the store writes the cache itself: those writes are not server data. */
  #writing = false;
  /** Set while `writeUnder` runs a write on the server's data: its writes are server data, shown after. */
  #writingUnder = false;
  /** What the store wrote (layered data): seen again, it is a revert to an older state, not server data. */
  #written = new WeakSet<object>();

  /** A layer's `apply` threw: the layer is skipped and this is told. */
  readonly #onError: (cause: unknown) => void;
  /** The store holds no layer any more. */
  readonly #onEmpty: () => void;
  /** A fetch that would have shown the server has a command's change was cancelled: fetch again. */
  readonly #refetch: (key: QueryKey) => void;

  constructor(readonly queryClient: QueryClient, onError: (cause: unknown) => void, onEmpty: () => void, refetch: (key: QueryKey) => void) {
    this.#onError = onError;
    this.#onEmpty = onEmpty;
    this.#refetch = refetch;
  }

  /** Layers held. */
  get size(): number {
    let layers = 0;
    for (const stack of this.#stacks.values()) layers += stack.layers.length;
    return layers;
  }

  /** Puts `layer` on top of the query `key` and shows it at once. */
  add(key: QueryKey, layer: Layer): void {
    const hash = this.#hashOf(key);
    let stack = this.#stacks.get(hash);
    if (!stack) {
      const query = this.#query(hash);
      // A fetch already in flight started before any layer here was applied: its start is "0".
      stack = { key, layers: [], base: query?.state.data, fetchStartedAt: 0, previousFetchStartedAt: 0, tainted: false, fetchingMore: false };
      this.#stacks.set(hash, stack);
      this.#unsubscribe ??= this.queryClient.getQueryCache().subscribe(this.#onCacheEvent);
    }
    stack.layers.push(layer);
    this.#show(hash, stack);
  }

  /**
   * Takes `layer` off the query `key` (the command failed, or its data is known to be in). Returns
   * true when the query should be refetched: a foreign write may have baked the layer into the data.
   */
  remove(key: QueryKey, layer: Layer): boolean {
    const hash = this.#hashOf(key);
    const stack = this.#stacks.get(hash);
    const index = stack ? stack.layers.indexOf(layer) : -1;
    if (!stack || index < 0) return false;
    stack.layers.splice(index, 1);
    const tainted = stack.tainted;
    this.#show(hash, stack);
    this.#dropIfEmpty(hash, stack);
    return tainted;
  }

  /**
   * Runs `write` (a confirmed command's `updateCache`) on the server's data of `keys`, without the
   * layers, then applies the remaining layers again: the write must not bake a layer in.
   */
  writeUnder(keys: QueryKey[], write: () => void): void {
    const touched: [string, Stack][] = [];
    for (const key of keys) {
      const hash = this.#hashOf(key);
      const stack = this.#stacks.get(hash);
      if (!stack || touched.some(([h]) => h === hash)) continue;
      touched.push([hash, stack]);
      // A fetch in flight read the server before this event: its answer would overwrite the
      // write. Cancel it (TanStack's advice for cache writes); the revert asks for a new one.
      const query = this.#query(hash);
      if (query?.state.fetchStatus === 'fetching') void query.cancel({ revert: true }).catch(noop);
      this.#put(hash, stack.base);
    }
    this.#writingUnder = true;
    try {
      write();
    } finally {
      this.#writingUnder = false;
      for (const [hash, stack] of touched) {
        stack.tainted = false;
        this.#show(hash, stack);
      }
    }
  }

  /**
   * The query `key` was invalidated for a settled command. With nobody observing it no refetch
   * follows (it is only marked stale), so no answer would ever drop the layers of commands the
   * server has: drop them now; the next observer refetches.
   */
  dropAppliedIfUnobserved(key: QueryKey): void {
    const hash = this.#hashOf(key);
    const stack = this.#stacks.get(hash);
    if (stack && !(this.#query(hash)?.getObserversCount() ?? 0)) this.#dropLanded(hash, stack, Infinity);
  }

  /** Takes every layer off (the client is disposed). */
  clear(): void {
    for (const [hash, stack] of [...this.#stacks]) {
      stack.layers.length = 0;
      this.#show(hash, stack);
      this.#dropIfEmpty(hash, stack, true);
    }
  }

  #onCacheEvent = (event: QueryCacheNotifyEvent): void => {
    if (this.#writing) return;
    const hash = event.query.queryHash;
    const stack = this.#stacks.get(hash);
    if (!stack) return;
    if (event.type === 'removed') {
      // Nobody shows the query any more: layers whose command the server has are done.
      stack.base = undefined;
      this.#dropLanded(hash, stack, Infinity);
      return;
    }
    if (event.type !== 'updated') return;
    const action = event.action;
    const data = event.query.state.data;
    if (action.type === 'fetch') {
      stack.previousFetchStartedAt = stack.fetchStartedAt;
      stack.fetchStartedAt = tick();
      stack.fetchingMore = !!(action.meta as { fetchMore?: unknown } | undefined)?.fetchMore;
    } else if (action.type === 'success') {
      stack.base = data;
      if (this.#writingUnder) return; // shown once the write is done (and dropped then if empty)
      if (action.manual || stack.fetchingMore) stack.tainted ||= stack.layers.length > 0;
      else {
        stack.tainted = false;
        // Listeners that ran before this one may have started the next fetch already (the
        // coalescer refetches a query invalidated mid-flight): this answer is the one before.
        const startedAt = event.query.state.fetchStatus === 'fetching' ? stack.previousFetchStartedAt : stack.fetchStartedAt;
        // This answer was read after the server had these commands: their changes are in it.
        this.#dropLanded(hash, stack, startedAt, false);
      }
      this.#show(hash, stack);
    } else if (action.type === 'setState') {
      // Someone else set the state: hydration, reset(), a persister (new server data), or a
      // cancelled fetch reverting to what it saw when it started (data this store wrote, or the
      // server data from before the layers): then the current server data and layers are shown again.
      if (data !== stack.base && !(typeof data === 'object' && data !== null && this.#written.has(data))) stack.base = data;
      this.#show(hash, stack);
      const waiting = stack.layers.some((layer) => layer.appliedAt !== undefined);
      if (waiting && event.query.state.fetchStatus === 'idle') this.#refetch(stack.key);
    }
    // A failed fetch changes nothing: the layers stay until an answer has them.
    this.#dropIfEmpty(hash, stack);
  };

  /** Drops the layers whose command the server had before `before`. */
  #dropLanded(hash: string, stack: Stack, before: number, show = true): void {
    const kept = stack.layers.filter((layer) => layer.appliedAt === undefined || layer.appliedAt >= before);
    if (kept.length === stack.layers.length) return;
    stack.layers.splice(0, stack.layers.length, ...kept);
    if (show) this.#show(hash, stack);
    this.#dropIfEmpty(hash, stack);
  }

  /** Writes the server data with the layers on top into the cache. */
  #show(hash: string, stack: Stack): void {
    let data = stack.base;
    // Layers change data; they cannot invent it (the query has not loaded yet).
    if (data === undefined) return;
    for (const layer of stack.layers) {
      try {
        const next = layer.apply(data);
        if (next === undefined) throw new Error('an optimistic update returned undefined; return the new data');
        data = next;
      } catch (cause) {
        this.#onError(cause);
      }
    }
    this.#put(hash, data, data !== stack.base);
  }

  #put(hash: string, data: unknown, layered = false): void {
    const query = this.#query(hash);
    if (!query || query.state.data === data) return;
    if (layered && typeof data === 'object' && data !== null) this.#written.add(data);
    this.#writing = true;
    try {
      // setState, not setQueryData: the layer is not server data, so the query's dataUpdatedAt,
      // staleness and invalidation stay as the server left them.
      query.setState({ data });
    } finally {
      this.#writing = false;
    }
  }

  #dropIfEmpty(hash: string, stack: Stack, force = false): void {
    if (stack.layers.length > 0 || this.#stacks.get(hash) !== stack) return;
    // A fetch in flight may still revert to the layered data it saw when it started (when it is
    // cancelled): keep watching until it ends.
    if (!force && this.#query(hash)?.state.fetchStatus === 'fetching') return;
    this.#stacks.delete(hash);
    if (this.#stacks.size > 0) return;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#onEmpty();
  }

  #hashOf(key: QueryKey): string {
    return this.queryClient.defaultQueryOptions({ queryKey: key }).queryHash;
  }

  #query(hash: string): Query | undefined {
    return this.queryClient.getQueryCache().get(hash);
  }
}

function noop(): void {}
