import type { QueryClient, QueryKey } from '@tanstack/query-core';

/**
 * How a channel is joined, as in Laravel: `'public'` (`new Channel`), `'private'`
 * (`new PrivateChannel`, authorised by `/broadcasting/auth`), `'presence'` (`new PresenceChannel`)
 * and `'encrypted'` (Pusher's end-to-end encrypted private channel). The default everywhere is
 * `'private'`, as in Laravel's docs and @laravel/echo-react: most app data is per user, and a
 * wrong guess then shows up as a visible auth error instead of silently receiving nothing.
 */
export type ChannelType = 'public' | 'private' | 'presence' | 'encrypted';

/**
 * Payload types per event name. Augment it to type your events:
 *
 * ```ts
 * declare module 'echo-react-query' {
 *   interface RealtimeEventMap {
 *     '.OrderShipped': { orderId: number; commandId?: string };
 *   }
 * }
 * ```
 * A key with or without the leading dot types both spellings. Undeclared events are `unknown`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- empty on purpose: users augment it
export interface RealtimeEventMap {}

type WithoutDot<E extends string> = E extends `.${infer Rest}` ? Rest : E;

/** The payload type of event `E`, looked up in {@link RealtimeEventMap}; `unknown` when not declared. */
export type EventPayload<E extends string> = E extends keyof RealtimeEventMap
  ? RealtimeEventMap[E]
  : WithoutDot<E> extends keyof RealtimeEventMap
    ? RealtimeEventMap[WithoutDot<E>]
    : `.${E}` extends keyof RealtimeEventMap
      ? RealtimeEventMap[`.${E}`]
      : unknown;

/**
 * A callback whose parameter may be annotated more narrowly than the declared payload (the same
 * bivariance React uses for event handlers): `(n: LaravelNotification) => ...` is accepted for an
 * event whose payload is `unknown` because it is not declared in {@link RealtimeEventMap}.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PayloadCallback<Args extends any[], R> = { bivarianceHack(...args: Args): R }['bivarianceHack'];

/** One or several query keys. */
export type QueryKeys = QueryKey | readonly QueryKey[];

/**
 * What an event invalidates: a query key, several, or a function of the payload returning them
 * (return `undefined` or `[]` to invalidate nothing for this payload).
 */
export type InvalidateTarget<P = unknown> =
  | QueryKeys
  | PayloadCallback<[payload: P], QueryKeys | null | undefined | false>;

/** TanStack's `refetchType` for invalidation: which matching queries refetch right away. */
export type RefetchType = 'active' | 'inactive' | 'all' | 'none';

/** How invalidations of one query key are coalesced. All fields optional; defaults come from the client. */
export interface CoalesceOptions {
  /** Quiet time (ms) after the last event before the trailing invalidation. Default 250. */
  wait?: number;
  /** Upper bound (ms) between invalidations under a steady stream of events. Default 1000. */
  maxWait?: number;
  /** Passed to `invalidateQueries`. Default `'active'`. */
  refetchType?: RefetchType;
}

/**
 * What to do when an event arrives: the shared shape of every binding in this package
 * (`useRealtimeEvent`, `useRealtimeChannel`'s `events`, `useRealtimeGlobalSubscriber`).
 */
export interface EventReaction<P = unknown> extends CoalesceOptions {
  /** Query keys to invalidate, coalesced app-wide per key. */
  invalidate?: InvalidateTarget<P>;
  /**
   * Write the payload into the cache when the event carries the data, e.g.
   * `(order, qc) => qc.setQueryData(['orders', order.id], order)`. Runs before `invalidate`.
   */
  updateCache?: PayloadCallback<[payload: P, queryClient: QueryClient], void>;
  /** Called with every payload; always the latest closure (no resubscribe when it changes). */
  onEvent?: PayloadCallback<[payload: P], void>;
  /**
   * Keys to refetch after the socket comes back from a drop (events sent meanwhile are lost).
   * Defaults to `invalidate` when that is a static key; `false` opts out.
   */
  recover?: QueryKeys | false;
}

/** Subscription state of one channel as a hook sees it. `'idle'` means not subscribed (disabled or no client). */
export type ChannelStatus = 'idle' | 'subscribing' | 'subscribed' | 'error';

/**
 * Connection state, mapped from pusher-js so that it means what users expect:
 * - `'idle'`: nothing started (no client, realtime not configured, server render);
 * - `'connecting'`: first connection attempt, including pusher-js `unavailable` before it ever connected;
 * - `'connected'`;
 * - `'reconnecting'`: the socket dropped after having been connected and is being retried
 *   (pusher-js `connecting` / `unavailable` are both retries, not failures);
 * - `'disconnected'`: closed on purpose (`disconnect()`), no retry;
 * - `'failed'`: pusher-js gave up (no supported transport) or the client could not start.
 */
export type ConnectionStatus =
  | 'idle'
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'disconnected'
  | 'failed';

/** A presence member as the server's channel callback returned it (`user_info`). */
export type PresenceMember = Record<string, unknown>;

/** What `usePresence` renders from. */
export interface PresenceSnapshot<M = PresenceMember> {
  /** One entry per user (not per connection): the server's list at subscription, then joins appended. */
  members: readonly M[];
  /** This client's own member entry, once subscribed. */
  me: M | null;
  /** Number of distinct users. */
  count: number;
}

/** Channel state as `useRealtimeChannel` / `usePresence` see it. */
export interface ChannelSnapshot {
  status: ChannelStatus;
  /** Why the channel failed, e.g. the 403 from `/broadcasting/auth`. */
  error: Error | null;
}

/** Passed to the client's `onReconnect` after the socket comes back from a drop. */
export interface ReconnectInfo {
  /** How long the socket was down, in ms. */
  downtimeMs: number;
  /** When the drop was noticed. Replay "events since" this moment from your API if you need them. */
  disconnectedAt: Date;
}
