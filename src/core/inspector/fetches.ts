import { isCancelledError, type Query, type QueryCacheNotifyEvent, type QueryClient, type QueryKey } from '@tanstack/query-core';
import type { FetchedRecord, FetchRecord, InspectorEvent } from './types';

type Recorded = Omit<FetchRecord, 'id' | 'at'> | Omit<FetchedRecord, 'id' | 'at'>;

/** Whether `target` (where a request goes) is a QueryClient rather than reload work. */
export const isQueryClient = (target: unknown): target is QueryClient => typeof (target as QueryClient | null)?.getQueryCache === 'function';

/**
 * The fetches of the QueryClients a client works on, read off their caches: each fetch's start,
 * which coalesced run started it, and its end. A cache is watched from the first time the client
 * asks its QueryClient for something, until `stop`.
 */
export class FetchWatcher {
  /** The watched caches: how to stop watching each. */
  readonly #caches = new Map<QueryClient, () => void>();
  /** Queries fetching now, with their record. */
  readonly #fetching = new Map<Query, FetchRecord>();
  /** Queries whose fetch a run just started: the run's id. */
  readonly #startedBy = new WeakMap<Query, number>();
  readonly #record: (record: Recorded) => InspectorEvent;
  /** The most fetches tracked at once (the buffer's size). */
  readonly #limit: () => number;
  /** Whether anyone still listens (a start told a microtask late is dropped otherwise). */
  readonly #recording: () => boolean;

  constructor(record: (record: Recorded) => InspectorEvent, limit: () => number, recording: () => boolean) {
    this.#record = record;
    this.#limit = limit;
    this.#recording = recording;
  }

  /** Fetching now, oldest first. */
  get fetching(): FetchRecord[] {
    return [...this.#fetching.values()];
  }

  /** Watches `target`'s cache, if it is a QueryClient not watched yet. */
  watch(target: unknown): void {
    if (!isQueryClient(target) || this.#caches.has(target)) return;
    const cache = target.getQueryCache();
    this.#caches.set(
      target,
      cache.subscribe((event) => {
        try {
          this.#onCacheEvent(event);
        } catch {
          // As for taps: a record it cannot make is skipped.
        }
      }),
    );
    // Fetches already under way (the first load, usually) are shown too.
    for (const query of cache.findAll({ fetchStatus: 'fetching' })) this.#started(query);
  }

  /**
   * A run of `key` on `queryClient` just invalidated it: the fetches it started (inside
   * invalidateQueries, their start recorded in a microtask queued then) are its doing. A fetch
   * already under way started none, so the mark goes in the microtask after.
   */
  ranBy(runId: number, key: QueryKey, queryClient: unknown): void {
    if (!isQueryClient(queryClient)) return;
    for (const query of queryClient.getQueryCache().findAll({ queryKey: key, fetchStatus: 'fetching' })) {
      this.#startedBy.set(query, runId);
      queueMicrotask(() => this.#startedBy.get(query) === runId && this.#startedBy.delete(query));
    }
  }

  stop(): void {
    for (const stop of this.#caches.values()) stop();
    this.#caches.clear();
    this.#fetching.clear();
  }

  #onCacheEvent(event: QueryCacheNotifyEvent): void {
    const query = event.query;
    if (event.type === 'removed') {
      this.#fetching.delete(query);
      return;
    }
    if (event.type !== 'updated') return;
    // TanStack tells its cache listeners at once, inside invalidateQueries: recorded once the run
    // that started it has said so (a microtask later, before the fetch can end).
    const action = event.action;
    if (action.type === 'fetch') queueMicrotask(() => this.#recording() && this.#started(query));
    // The fetch's own end, told by the action, not by the state: a listener before this one (the
    // coalescer's) may already have started the next fetch. A cache write is no fetch's end; a
    // fetch cancelled with `revert` ends in a setState back to idle, one cancelled without it in
    // an error that is a CancelledError.
    else if ((action.type === 'success' && !action.manual) || action.type === 'error' || (action.type === 'setState' && query.state.fetchStatus === 'idle')) {
      const started = this.#fetching.get(query);
      if (!started) return;
      this.#fetching.delete(query);
      const outcome = action.type === 'success' ? 'success' : action.type === 'error' && !isCancelledError(action.error) ? 'error' : 'cancelled';
      this.#record({ type: 'fetched', key: query.queryKey, fetchId: started.id, durationMs: Date.now() - started.at, outcome });
    }
  }

  #started(query: Query): void {
    if (this.#fetching.size >= this.#limit() && !this.#fetching.has(query)) return;
    const runId = this.#startedBy.get(query) ?? null;
    this.#startedBy.delete(query);
    this.#fetching.set(query, this.#record({ type: 'fetch', key: query.queryKey, runId }) as FetchRecord);
  }
}
