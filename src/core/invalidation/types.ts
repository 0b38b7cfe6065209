import type { QueryClient, QueryKey } from '@tanstack/query-core';
import type { EventHandler } from '../channels';
import type { PayloadCallback } from '../shared';

// What a binding asks for when its event arrives.

/**
 * One query key, or a list of keys. A list is an array whose first element is an array
 * (`[['rooms'], ['venues']]`); any other array is one key (`['rooms', 1]`); an empty array is no
 * key at all (never "every query", as TanStack's `[]` would be).
 */
export type QueryKeys = QueryKey | readonly QueryKey[];

/**
 * What an event invalidates: a query key, several, or a function of the payload returning them
 * (return `undefined`, `false` or `[]` to invalidate nothing for this payload).
 */
export type InvalidateTarget<P = unknown> =
  | QueryKeys
  | PayloadCallback<[payload: P], QueryKeys | null | undefined | false>;

/** TanStack's `refetchType` for invalidation: which matching queries refetch right away. */
export type RefetchType = 'active' | 'inactive' | 'all' | 'none';

/** How invalidations of one query key are coalesced. All fields optional; defaults come from the client. */
export interface CoalesceOptions {
  /**
   * A key's rate limit (ms): a few invalidations (3) run at once, then at most one per `wait`, the
   * events meanwhile sharing it. So a short sequence of updates is shown as fast as by hand, a
   * sustained stream costs one refetch per `wait`, and every event starts a fetch within `wait`
   * (or as soon as a fetch already in flight settles: in-flight fetches are never cancelled, and
   * events during one share a single refetch after it). Default 250; `0` for no limit.
   */
  wait?: number;
  /** Passed to `invalidateQueries`. Default `'active'`. */
  refetchType?: RefetchType;
}

/** Defaults for every binding: the client's `defaults`, and `useRealtimeGlobalSubscriber`'s. */
export interface BindingDefaults extends CoalesceOptions {
  /** See {@link EventReaction.refetchOnSubscribe}. Default `true`. */
  refetchOnSubscribe?: boolean;
}

/**
 * Writes an event's payload into one query, named so that it can also be refetched when the
 * subscription is (re)confirmed: TanStack's `setQueryData(queryKey, updater)`, with the payload.
 */
export interface SetQueryDataReaction<P = unknown> {
  /**
   * The query to write; a function of the payload when it depends on it (then give `recover`),
   * which may return `undefined` for a payload that writes nothing.
   */
  queryKey: QueryKey | PayloadCallback<[payload: P], QueryKey | undefined>;
  /**
   * The new data from the payload and the cached data, e.g. `(order) => order` or
   * `(e, list) => list?.map(...)`. Returning `undefined` leaves the cache as it is.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the cached data's type is the app's; annotate it
  updater: PayloadCallback<[payload: P, previous: any], unknown>;
}

/**
 * What to do when an event arrives: the shared shape of every binding in this package
 * (`useRealtimeEvent`, `useRealtimeChannel`'s `events`, `useRealtimeGlobalSubscriber`).
 */
export interface EventReaction<P = unknown> extends CoalesceOptions {
  /** Query keys to invalidate, coalesced app-wide per key. */
  invalidate?: InvalidateTarget<P>;
  /**
   * Write the payload into one query when the event carries the data:
   * `{ queryKey: ['orders', id], updater: (order) => order }`. Runs first.
   */
  setQueryData?: SetQueryDataReaction<P>;
  /**
   * Any other cache work, e.g. `(e, qc) => qc.removeQueries({ queryKey: ['posts', e.id] })`. Runs
   * after `setQueryData`, before `invalidate`. It names no key, so give `recover` for it.
   */
  updateCache?: PayloadCallback<[payload: P, queryClient: QueryClient], void>;
  /** Called with every payload; always the latest closure (no resubscribe when it changes). */
  onEvent?: PayloadCallback<[payload: P], void>;
  /**
   * Called when the channel's subscription is confirmed again after a drop (events sent meanwhile
   * are lost), and when it is first confirmed unless `refetchOnSubscribe` is false: redo the work
   * `onEvent` does when it is not a query, e.g. `onResync: () => router.reload({ only: ['server'] })`.
   */
  onResync?: () => void;
  /**
   * The keys this binding keeps up to date, refetched when its channel's subscription is confirmed:
   * after a reconnect (events sent meanwhile are lost) and, with `refetchOnSubscribe`, when the
   * channel is first joined. Defaults to the static keys of `invalidate` and `setQueryData`;
   * `false` opts out of both.
   */
  recover?: QueryKeys | false;
  /**
   * Refetch the `recover` keys once when the channel's subscription is first confirmed, because an
   * event sent between the query's fetch and that moment is never delivered. Default from the
   * client (`true`).
   */
  refetchOnSubscribe?: boolean;
}

/** Options of {@link RealtimeClient.invalidate}. */
export interface InvalidateOptions extends CoalesceOptions {
  queryClient: QueryClient;
  /** One key or several, as in a binding's `invalidate` (`[]` is nothing). */
  keys: QueryKeys;
}

/** A handler that also names the keys it keeps up to date (the hooks' bindings). */
export interface SyncingHandler extends EventHandler {
  /**
   * What to refetch when the channel's subscription is confirmed (first join, or after a drop).
   * `quiet`: a look only (the inspector's), which reports no error of the binding's.
   */
  sync?(quiet?: boolean): SyncRequest | null;
  /**
   * Called once per confirmation of the channel's subscription: `again` after a drop; the client's
   * `refetchOnSubscribe` default for a first one.
   */
  resync?(again: boolean, refetchOnSubscribe: boolean): void;
}

/**
 * Where a handler's keys are refetched: a QueryClient (its coalescer), or anything else the
 * client's sync brings up to date on a confirmation, like a page's partial reloads.
 */
export type SyncTarget = QueryClient | { schedule(keys: readonly QueryKey[], options: Required<CoalesceOptions>, delayMs?: number): void };

/** Keys one handler wants refetched when its channel's subscription is confirmed. */
export interface SyncRequest {
  target: SyncTarget;
  keys: QueryKey[];
  options: CoalesceOptions;
  /** The binding's `refetchOnSubscribe`; the client's default applies when undefined. */
  refetchOnSubscribe?: boolean;
}
