import { hashKey, partialMatchKey } from '@tanstack/query-core';
import type { Query, QueryClient, QueryKey } from '@tanstack/query-core';
import { failure, messageOf, tap, type RealtimeError } from '../shared';
import { Coalescer, type CoalesceTarget, type CoalescerLink } from './coalescer';
import type { CoalesceOptions, RefetchType } from './types';

/** Coalescing settings with every field filled in. */
export type ResolvedCoalesceOptions = Required<CoalesceOptions>;

/** Defaults used when neither the binding nor the client says otherwise. */
export const DEFAULT_COALESCE: ResolvedCoalesceOptions = { wait: 250, refetchType: 'active' };

/**
 * The coalescer's runs as TanStack Query invalidations on one QueryClient. Keys are query keys, hashed
 * as TanStack hashes them; a key covers the keys it is a prefix of, when its refetch is as wide. A
 * fetch in flight is never cancelled (`cancelRefetch: false`): a query that is fetching when it is
 * invalidated may answer with data from before the event, so it is invalidated once more as soon as
 * that fetch settles (this also covers TanStack/query#8530, where a first fetch ignores invalidation).
 */
export class QueryTarget implements CoalesceTarget<QueryKey, ResolvedCoalesceOptions> {
  /** Queries that were fetching when invalidated, with the refetchType owed once that fetch settles. */
  #inFlight = new Map<Query, RefetchType>();
  #stopWatchingCache: (() => void) | undefined;
  readonly #queryClient: QueryClient;
  readonly #reportError: (error: unknown) => void;
  readonly #link: CoalescerLink<QueryKey, ResolvedCoalesceOptions>;
  /** Whose inspector hears the runs (the client; none for a coalescer of its own). */
  readonly #owner: object;

  constructor(queryClient: QueryClient, reportError: (error: unknown) => void, link: CoalescerLink<QueryKey, ResolvedCoalesceOptions>, owner: object = link) {
    this.#queryClient = queryClient;
    this.#owner = owner;
    this.#reportError = reportError;
    this.#link = link;
  }

  hash(key: QueryKey): string {
    return hashKey(key);
  }

  covers(a: QueryKey, aOptions: ResolvedCoalesceOptions, b: QueryKey, bOptions: ResolvedCoalesceOptions): boolean {
    return covers(aOptions.refetchType, bOptions.refetchType) && partialMatchKey(b, a);
  }

  merge(a: ResolvedCoalesceOptions, b: ResolvedCoalesceOptions): ResolvedCoalesceOptions {
    return mergeOptions(a, b);
  }

  busy(): boolean {
    return this.#inFlight.size > 0;
  }

  run(key: QueryKey, { refetchType }: ResolvedCoalesceOptions): void {
    try {
      for (const query of this.#queryClient.getQueryCache().findAll({ queryKey: key })) {
        if (query.state.fetchStatus === 'fetching') this.#owe(query, refetchType);
      }
      // cancelRefetch: false: a fetch in flight runs to the end (it is re-run once it settles, above).
      const refetched = this.#queryClient.invalidateQueries({ queryKey: key, refetchType }, { cancelRefetch: false }).catch(this.#reportError);
      tap(this.#owner, 'run', key, refetched, false, this.#queryClient);
    } catch (error) {
      this.#reportError(error);
    }
  }

  dispose(): void {
    this.#inFlight.clear();
    this.#stopWatchingCache?.();
    this.#stopWatchingCache = undefined;
  }

  /** Invalidates `query` again when its current fetch settles. */
  #owe(query: Query, refetchType: RefetchType): void {
    const owed = this.#inFlight.get(query);
    this.#inFlight.set(query, owed === undefined ? refetchType : widest(owed, refetchType));
    this.#stopWatchingCache ??= this.#queryClient.getQueryCache().subscribe((event) => {
      const refetch = this.#inFlight.get(event.query);
      if (refetch === undefined) return;
      if (event.type !== 'removed' && event.query.state.fetchStatus === 'fetching') return;
      this.#inFlight.delete(event.query);
      if (event.type !== 'removed') {
        // This refetch starts after every event so far: a trailing invalidation owed on exactly this
        // key would only fetch the same again.
        this.#link.ranAfterAll(event.query.queryKey, { wait: 0, refetchType: refetch });
        const refetched = this.#queryClient
          .invalidateQueries({ queryKey: event.query.queryKey, exact: true, refetchType: refetch }, { cancelRefetch: false })
          .catch(this.#reportError);
        tap(this.#owner, 'run', event.query.queryKey, refetched, true, this.#queryClient);
      }
      if (this.#inFlight.size === 0) {
        this.#stopWatchingCache?.();
        this.#stopWatchingCache = undefined;
        this.#link.idle();
      }
    });
  }
}

/**
 * The client's coalescers, one per QueryClient, each forgotten once nothing is scheduled or in
 * flight for it, so the client never keeps a QueryClient alive.
 */
export class QueryCoalescers {
  #byClient = new Map<QueryClient, Coalescer<QueryKey, ResolvedCoalesceOptions>>();
  readonly #owner: object;
  readonly #reportError: (error: RealtimeError) => void;

  constructor(owner: object, reportError: (error: RealtimeError) => void) {
    this.#owner = owner;
    this.#reportError = reportError;
  }

  schedule(queryClient: QueryClient, keys: readonly QueryKey[], options: ResolvedCoalesceOptions, delayMs?: number): void {
    let coalescer = this.#byClient.get(queryClient);
    if (!coalescer) {
      const created = queryCoalescer(
        queryClient,
        (cause) => this.#reportError(failure('handler', process.env.NODE_ENV !== 'production' && `Invalidation failed: ${messageOf(cause)}`, { cause })),
        () => {
          if (this.#byClient.get(queryClient) === created) this.#byClient.delete(queryClient);
        },
        this.#owner,
      );
      this.#byClient.set(queryClient, (coalescer = created));
    }
    coalescer.schedule(keys, options, delayMs);
  }

  /** Cancels every timer; pending trailing invalidations are dropped. */
  dispose(): void {
    for (const coalescer of this.#byClient.values()) coalescer.dispose();
    this.#byClient.clear();
  }
}

/** The app-wide invalidation coalescer for one QueryClient. */
export function queryCoalescer(
  queryClient: QueryClient,
  reportError: (error: unknown) => void,
  onIdle?: () => void,
  owner?: object,
): Coalescer<QueryKey, ResolvedCoalesceOptions> {
  return new Coalescer((link) => new QueryTarget(queryClient, reportError, link, owner), onIdle);
}

const REFETCH_RANK: Record<RefetchType, number> = { none: 0, active: 1, inactive: 1, all: 2 };

/** Whether invalidating with refetch type `a` refetches everything `b` would. */
export function covers(a: RefetchType, b: RefetchType): boolean {
  return a === b || a === 'all' || b === 'none';
}

/** The refetch type that refetches everything either would. */
export function widest(a: RefetchType, b: RefetchType): RefetchType {
  if (a === b) return a;
  if (REFETCH_RANK[a] === REFETCH_RANK[b]) return 'all';
  return REFETCH_RANK[a] > REFETCH_RANK[b] ? a : b;
}

/** A binding's coalescing options with the defaults filled in. */
export function resolveCoalesce(options: CoalesceOptions, defaults: ResolvedCoalesceOptions): ResolvedCoalesceOptions {
  const wait = options.wait ?? defaults.wait;
  // A rate no timer can keep (Infinity, NaN, past setTimeout's limit) is the longest one that can.
  const valid = Number.isFinite(wait) && wait >= 0 ? Math.min(wait, MAX_WAIT_MS) : wait > 0 ? MAX_WAIT_MS : 0;
  return { wait: valid, refetchType: options.refetchType ?? defaults.refetchType };
}

/** setTimeout's longest delay. */
const MAX_WAIT_MS = 2 ** 31 - 1;

/** Two bindings coalesced onto one key: the most eager timing and the widest refetch win. */
export function mergeOptions(a: ResolvedCoalesceOptions, b: ResolvedCoalesceOptions): ResolvedCoalesceOptions {
  return { wait: Math.min(a.wait, b.wait), refetchType: widest(a.refetchType, b.refetchType) };
}
