// Event typing shared by every part (users augment RealtimeEventMap).

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

/** The payload type of event `E`, looked up in {@link RealtimeEventMap}; `unknown` when not declared. */
export type EventPayload<E extends string> = E extends keyof RealtimeEventMap
  ? RealtimeEventMap[E]
  : E extends `.${infer Bare}`
    ? Bare extends keyof RealtimeEventMap
      ? RealtimeEventMap[Bare]
      : unknown
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
