// What the connection looks like to the app.

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

/** Passed to the client's `onReconnect` after the socket comes back from a drop. */
export interface ReconnectInfo {
  /** How long the socket was down, in ms. */
  downtimeMs: number;
  /** When the drop was noticed. Replay "events since" this moment from your API if you need them. */
  disconnectedAt: Date;
}
