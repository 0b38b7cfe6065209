import { focusManager, onlineManager } from '@tanstack/query-core';

/**
 * How the client brings a dropped pusher-js connection back (Reverb, Pusher, Soketi, Ably's
 * Pusher protocol). Retries wait a random time between 0 and `min(capMs, baseMs * 2^attempt)`
 * ("full jitter"), so clients that dropped together do not come back together.
 */
export interface ReconnectOptions {
  /** Upper bound of the first retry's random delay, in ms. Default 500. */
  baseMs?: number;
  /** Largest delay between two retries, in ms: after a long outage the server is tried at least this often. Default 5000. */
  capMs?: number;
  /** A connection that stayed up this long starts the next outage's backoff from `baseMs` again, in ms. Default 10000. */
  resetAfterMs?: number;
  /**
   * Spreads the refetches after a reconnect over a random delay of up to this many ms per query
   * key, so a fleet of clients does not hit the API in the same instant: a number, or a function
   * of the number of keys to refetch. Default `min(1000, 50 * keys)`, and 0 when
   * `process.env.NODE_ENV === 'test'`.
   */
  refetchJitterMs?: number | ((keys: number) => number);
}

/** pusher-js's connection manager, as far as it is used here (all public API). */
export interface PusherConnectionLike {
  state: string;
  bind(event: string, callback: CallableFunction): unknown;
  unbind(event: string, callback: CallableFunction): unknown;
}

/** The pusher-js instance: `connect()` and `disconnect()` are its public API. */
export interface PusherLike {
  connection: PusherConnectionLike;
  connect(): void;
  disconnect(): void;
}

/** The raw state of one pusher-js connection, for one observer. */
export interface PusherWatch {
  /** The state to show (a pusher-js state name). */
  current(): string;
  stop(): void;
}

export const DEFAULT_RECONNECT = { baseMs: 500, capMs: 5000, resetAfterMs: 10_000 };

/** The jittered delay before retry number `attempt` (0-based). */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  return random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
}

/** The refetch spread after a reconnect, for `keys` keys. */
export function refetchJitter(option: ReconnectOptions['refetchJitterMs'], keys: number): number {
  if (typeof option === 'function') return Math.max(0, Number(option(keys)) || 0);
  if (typeof option === 'number') return Math.max(0, option);
  return process.env.NODE_ENV === 'test' ? 0 : Math.min(1000, 50 * keys);
}

/**
 * Drives one pusher-js connection back after a drop, and reports the state a user should see.
 *
 * pusher-js alone notices a closed socket but keeps reporting `connected` for 1 s, then retries on
 * a loop that waits 15 s after a refused attempt (and goes `unavailable` after 10 s): a server
 * that was down for 2 s is rejoined about 14 s after it is back, and every client that dropped at
 * the same moment retries at the same moment. So, once the socket is known dead (its `closed`
 * surfaces as pusher-js's public `connecting_in` event), the retrier takes over: it stops
 * pusher-js's pending retry with `disconnect()` and makes each attempt with `connect()` on a
 * full-jitter exponential schedule. The same pusher-js instance is reused, so its channels are
 * kept and re-subscribed on success, and only one attempt is ever open: an attempt is given
 * `2 * handshake + 1 s` to succeed (pusher-js's own rule for its cached transport) before the next
 * one may replace it. Online and visible-again signals (TanStack Query's `onlineManager` and
 * `focusManager`, so apps that configure those configure this too) attempt at once; while
 * offline nothing is attempted.
 *
 * A closure rather than a class: its state then minifies to one-letter names (it ships in every app).
 */
export function createRetrier(
  pusher: PusherLike,
  /** False: report the truth, but leave retrying to pusher-js. */
  settings: ReconnectOptions | false,
  onChange: () => void,
): PusherWatch {
  const { baseMs, capMs, resetAfterMs } = { ...DEFAULT_RECONNECT, ...validOptions(settings) };
  const connection = pusher.connection;
  /** Retrying: the socket is known dead (or the first attempt is pending) and nobody asked for `disconnect()`. */
  let down = false;
  /** Attempts made in this outage (and in short-lived connections before it): the backoff exponent. */
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Until then the current attempt may still succeed. */
  let inFlightUntil = 0;
  /** When the current attempt began, for the handshake time. */
  let connectingSince = Date.now();
  /** When the current connection was made (0 while down), for the backoff reset. */
  let connectedSince = connection.state === 'connected' ? Date.now() : 0;
  /** The last handshake's duration (at most 2 s; 1 s before any is known). */
  let handshakeMs = 1000;
  /** Inside our own disconnect() + connect(): those state changes are not news. */
  let restarting = false;
  let everConnected = false;

  const cancelTimer = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  const resetIfStable = () => {
    if (connectedSince > 0 && Date.now() - connectedSince >= resetAfterMs) attempt = 0;
    connectedSince = 0;
  };
  /** How long an attempt may take before the next one replaces it: pusher-js's `2 * latency + 1 s`, within the cap. */
  const attemptWindow = () => Math.min(2 * handshakeMs + 1000, Math.max(capMs, 2 * handshakeMs));
  /** The next attempt, after the jittered backoff delay but not before `minDelay`. */
  const scheduleNext = (minDelay: number) => {
    const delay = backoffDelay(attempt, baseMs, capMs);
    cancelTimer();
    timer = setTimeout(() => {
      timer = undefined;
      // Offline: nothing is attempted until the online signal.
      if (down && onlineManager.isOnline()) attemptNow();
    }, Math.max(minDelay, delay));
  };
  /** Ends whatever pusher-js has pending (its retry timer or a stale attempt) and, with `connect`, opens one attempt. */
  const restart = (connect: boolean) => {
    restarting = true;
    try {
      pusher.disconnect();
      if (connect) {
        attempt += 1;
        connectingSince = Date.now();
        inFlightUntil = connectingSince + attemptWindow();
        pusher.connect();
      }
    } finally {
      restarting = false;
    }
    // A connection made synchronously (an in-memory transport) is news all the same.
    if (connect && connection.state === 'connected') onState('connected');
  };
  const attemptNow = () => {
    restart(true);
    scheduleNext(attemptWindow());
  };
  /** Online again (`fresh`: the backoff starts over) or visible again: try now, unless an attempt may still succeed. */
  const tryNow = (fresh: boolean) => {
    if (!down || Date.now() < inFlightUntil) return;
    if (fresh) attempt = 0;
    attemptNow();
  };
  /** pusher-js is making an attempt itself: let it run its course, then go on with the schedule. */
  const pusherIsTrying = () => {
    resetIfStable();
    down = true;
    attempt += 1;
    inFlightUntil = Date.now() + attemptWindow();
    scheduleNext(attemptWindow());
  };
  function onState(state: string): void {
    if (restarting) return;
    if (state === 'connected') {
      // The first connection made at the first try owes no backoff to the next outage.
      if (!everConnected && attempt <= 1) attempt = 0;
      everConnected = true;
      down = false;
      connectedSince = Date.now();
      handshakeMs = Math.min(2000, connectedSince - connectingSince);
      cancelTimer();
    } else if (state === 'disconnected' || state === 'failed') {
      // Asked for (`disconnect()`), refused by the server (4000-4099), or unsupported: not ours to retry.
      down = false;
      cancelTimer();
    } else if (state === 'connecting') {
      connectingSince = Date.now();
      if (settings === false) down = false; // pusher-js's own `connecting` is truthful from here
      else if (!down) pusherIsTrying(); // first connect, pong timeout, a 4200 `retry`
    }
    onChange();
  }
  const onStateChange = (change: { current?: unknown } | undefined) => {
    if (typeof change?.current === 'string') onState(change.current);
  };
  /** The socket closed while pusher-js still says `connected` (it would retry in 1 s, every client together). */
  const onSocketClosed = () => {
    if (connection.state !== 'connected' || down) return;
    down = true;
    if (settings !== false) {
      resetIfStable();
      restart(false); // cancels pusher-js's retry timer: the first attempt is ours, jittered
      scheduleNext(0);
    }
    onChange();
  };

  connection.bind('state_change', onStateChange);
  connection.bind('connecting_in', onSocketClosed);
  const stops = [
    () => {
      connection.unbind('state_change', onStateChange);
      connection.unbind('connecting_in', onSocketClosed);
    },
  ];
  if (settings !== false) {
    stops.push(
      onlineManager.subscribe((online) => online && tryNow(true)),
      focusManager.subscribe((focused) => focused && tryNow(false)),
    );
    // A first connection that does not succeed is retried on the same schedule.
    if (connection.state === 'connecting') pusherIsTrying();
  }
  return {
    // pusher-js's state, but `connecting` from the moment the socket is known dead until it is back:
    // never `connected` over a closed socket, never `disconnected` between retries.
    current: () => (down ? 'connecting' : connection.state),
    stop: () => {
      cancelTimer();
      for (const stop of stops.splice(0)) stop();
    },
  };
}

/** The numeric options that are valid (non-negative numbers). */
function validOptions(settings: ReconnectOptions | false): Partial<typeof DEFAULT_RECONNECT> {
  const valid: Partial<typeof DEFAULT_RECONNECT> = {};
  for (const name of ['baseMs', 'capMs', 'resetAfterMs'] as const) {
    const value = settings ? settings[name] : undefined;
    if (typeof value === 'number' && value >= 0) valid[name] = value;
  }
  return valid;
}

const retriers = new WeakMap<PusherLike, { retrier: PusherWatch; listeners: Set<() => void> }>();

/**
 * Watches a pusher-js instance through its one retrier ({@link createRetrier}): two clients on one shared Echo
 * must not both drive it (each would take the other's retries for the app's `disconnect()`). The
 * first watcher's options apply; the retrier stops with the last watcher.
 */
export function watchPusher(pusher: PusherLike, options: ReconnectOptions | false, onChange: () => void): PusherWatch {
  let entry = retriers.get(pusher);
  if (!entry) {
    const listeners = new Set<() => void>();
    const retrier = createRetrier(pusher, options, () => {
      for (const listener of [...listeners]) listener();
    });
    retriers.set(pusher, (entry = { retrier, listeners }));
  }
  const { retrier, listeners } = entry;
  listeners.add(onChange);
  return {
    current: () => retrier.current(),
    stop: () => {
      if (!listeners.delete(onChange) || listeners.size > 0) return;
      retrier.stop();
      retriers.delete(pusher);
    },
  };
}
