import type { Query, QueryCacheNotifyEvent, QueryClient, QueryKey } from '@tanstack/query-core';

/** One command's optimistic change to one query, applied over the server's data. */
export interface Layer {
  /** Must be idempotent: the server's data may already contain the change (see the README). */
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
   * Code outside the store wrote the query (a `setQueryData` binding) while layers were on it: the
   * write saw layered data, so `base` may contain a layer that is later dropped unconfirmed.
   */
  tainted: boolean;
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
  private readonly stacks = new Map<string, Stack>();
  private unsubscribe: (() => void) | null = null;
  /** Set while the store writes the cache itself: those writes are not server data. */
  private writing = false;

  constructor(
    readonly queryClient: QueryClient,
    /** A layer's `apply` threw: the layer is skipped and this is told. */
    private readonly onError: (cause: unknown) => void,
    /** The store holds no layer any more. */
    private readonly onEmpty: () => void,
  ) {}

  get size(): number {
    return this.stacks.size;
  }

  /** Puts `layer` on top of the query `key` and shows it at once. */
  add(key: QueryKey, layer: Layer): void {
    const hash = this.hashOf(key);
    let stack = this.stacks.get(hash);
    if (!stack) {
      const query = this.query(hash);
      // A fetch already in flight started before any layer here was applied: its start is "0".
      stack = { key, layers: [], base: query?.state.data, fetchStartedAt: 0, previousFetchStartedAt: 0, tainted: false };
      this.stacks.set(hash, stack);
      this.unsubscribe ??= this.queryClient.getQueryCache().subscribe(this.onCacheEvent);
    }
    stack.layers.push(layer);
    this.show(hash, stack);
  }

  /**
   * Takes `layer` off the query `key` (the command failed, or its data is known to be in). Returns
   * true when the query should be refetched: a foreign write may have baked the layer into the data.
   */
  remove(key: QueryKey, layer: Layer): boolean {
    const hash = this.hashOf(key);
    const stack = this.stacks.get(hash);
    const index = stack ? stack.layers.indexOf(layer) : -1;
    if (!stack || index < 0) return false;
    stack.layers.splice(index, 1);
    const tainted = stack.tainted;
    this.show(hash, stack);
    this.dropIfEmpty(hash, stack);
    return tainted;
  }

  /**
   * Runs `write` (a confirmed command's `updateCache`) on the server's data of `keys`, without the
   * layers, then applies the remaining layers again: the write must not bake a layer in.
   */
  writeUnder(keys: QueryKey[], write: () => void): void {
    const touched: [string, Stack][] = [];
    for (const key of keys) {
      const hash = this.hashOf(key);
      const stack = this.stacks.get(hash);
      if (!stack || touched.some(([h]) => h === hash)) continue;
      touched.push([hash, stack]);
      this.put(hash, stack.base);
    }
    try {
      write();
    } finally {
      for (const [hash, stack] of touched) {
        // The write was made on clean data: what it left is the new server data.
        stack.base = this.query(hash)?.state.data;
        stack.tainted = false;
        this.show(hash, stack);
      }
    }
  }

  /** True when the query `key` has an observer that would refetch it on invalidation. */
  isObserved(key: QueryKey): boolean {
    return (this.query(this.hashOf(key))?.getObserversCount() ?? 0) > 0;
  }

  /** Takes every layer off (the client is disposed). */
  clear(): void {
    for (const [hash, stack] of [...this.stacks]) {
      stack.layers.length = 0;
      this.show(hash, stack);
      this.dropIfEmpty(hash, stack);
    }
  }

  private readonly onCacheEvent = (event: QueryCacheNotifyEvent): void => {
    if (this.writing) return;
    const hash = event.query.queryHash;
    const stack = this.stacks.get(hash);
    if (!stack) return;
    if (event.type === 'removed') {
      // Nobody shows the query any more: layers whose command the server has are done.
      stack.base = undefined;
      this.dropLanded(hash, stack, Infinity);
      return;
    }
    if (event.type !== 'updated') return;
    const action = event.action;
    if (action.type === 'fetch') {
      stack.previousFetchStartedAt = stack.fetchStartedAt;
      stack.fetchStartedAt = tick();
    } else if (action.type === 'success') {
      stack.base = event.query.state.data;
      if (action.manual) stack.tainted ||= stack.layers.length > 0;
      else {
        stack.tainted = false;
        // Listeners that ran before this one may have started the next fetch already (the
        // coalescer refetches a query invalidated mid-flight): this answer is the one before.
        const startedAt = event.query.state.fetchStatus === 'fetching' ? stack.previousFetchStartedAt : stack.fetchStartedAt;
        // This answer was read after the server had these commands: their changes are in it.
        this.dropLanded(hash, stack, startedAt, false);
      }
      this.show(hash, stack);
    } else if (action.type === 'error') {
      // No newer server data is coming for now: layers of commands the server has would only
      // hide that; show the server's last data with the pending ones.
      this.dropLanded(hash, stack, stack.fetchStartedAt);
    }
  };

  /** Drops the layers whose command the server had before `before`. */
  private dropLanded(hash: string, stack: Stack, before: number, show = true): void {
    const kept = stack.layers.filter((layer) => layer.appliedAt === undefined || layer.appliedAt >= before);
    if (kept.length === stack.layers.length) return;
    stack.layers.splice(0, stack.layers.length, ...kept);
    if (show) this.show(hash, stack);
    this.dropIfEmpty(hash, stack);
  }

  /** Writes the server data with the layers on top into the cache. */
  private show(hash: string, stack: Stack): void {
    let data = stack.base;
    // Layers change data; they cannot invent it (the query has not loaded yet).
    if (data === undefined) return;
    for (const layer of stack.layers) {
      try {
        data = layer.apply(data);
      } catch (cause) {
        this.onError(cause);
      }
    }
    this.put(hash, data);
  }

  private put(hash: string, data: unknown): void {
    const query = this.query(hash);
    if (!query || query.state.data === data) return;
    this.writing = true;
    try {
      // setState, not setQueryData: the layer is not server data, so the query's dataUpdatedAt,
      // staleness and invalidation stay as the server left them.
      query.setState({ data });
    } finally {
      this.writing = false;
    }
  }

  private dropIfEmpty(hash: string, stack: Stack): void {
    if (stack.layers.length > 0 || this.stacks.get(hash) !== stack) return;
    this.stacks.delete(hash);
    if (this.stacks.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.onEmpty();
  }

  private hashOf(key: QueryKey): string {
    return this.queryClient.defaultQueryOptions({ queryKey: key }).queryHash;
  }

  private query(hash: string): Query | undefined {
    return this.queryClient.getQueryCache().get(hash);
  }
}
