import { focusManager, onlineManager } from '@tanstack/query-core';

/**
 * How the client brings a dropped pusher-js connection back (Reverb, Pusher, Soketi, Ably's
 * Pusher protocol). Retries wait a random time between 0 and `min(capMs, baseMs * 2^attempt)`
 * ("full jitter"), so clients that dropped together do not come back together.
 */
export interface ReconnectOptions {
  /** Upper bound of the first retry's random delay, in ms. Default 500. */
  baseMs?: number;
  /** Largest delay between two retries, in ms: after a long outage the server is tried at least this often. Default 3000. */
  capMs?: number;
  /** A connection that stayed up this long starts the next outage's backoff from `baseMs` again, in ms. Default 10000. */
  resetAfterMs?: number;
  /**
   * Spreads the refetches after a reconnect: each key waits a random delay of up to this many ms,
   * so a fleet of clients does not hit the API in the same instant. A number, or a function of the
   * number of keys to refetch. Default `min(500, 50 * keys)`, and 0 when
   * `process.env.NODE_ENV === 'test'`. Not applied after a deliberate `reconnect()`.
   */
  refetchJitterMs?: number | ((keys: number) => number);
}

/** pusher-js's connection manager, as far as it is used here. */
export interface PusherConnectionLike {
  state: string;
  bind(event: string, callback: CallableFunction): unknown;
  unbind(event: string, callback: CallableFunction): unknown;
}

/** The pusher-js instance: `connect()`, `disconnect()`, and the `timeline` it logs every transport's states to. */
export interface PusherLike {
  connection: PusherConnectionLike;
  connect(): void;
  disconnect(): void;
  timeline?: { events?: readonly ({ cid?: unknown; state?: unknown; timestamp?: unknown } | null | undefined)[] };
  /** pusher-js's resolved options: which fallback transports an attempt may still start. */
  config?: { useTLS?: boolean; enabledTransports?: readonly string[]; disabledTransports?: readonly string[] };
}

/** The raw state of one pusher-js connection, for one observer. */
export interface PusherWatch {
  /** The state to show (a pusher-js state name). */
  current(): string;
  /**
   * Stops watching. `'resume'`: the connection stays in use, so one the retrier had closed between
   * attempts is handed back to pusher-js; `'halt'`: it is being closed on purpose, so the retrier
   * stops retrying for every watcher.
   */
  stop(how?: 'resume' | 'halt'): void;
  /** Where retrying stands (for the inspector): attempts made in this outage, and when the next is due. */
  retry?(): { attempt: number; at: number | null };
}

export const DEFAULT_RECONNECT = { baseMs: 500, capMs: 3000, resetAfterMs: 10_000 };

/** After this long an attempt no longer counts as in flight (pusher-js's own first transport timeout). */
const MAX_ATTEMPT_MS = 15_000;
/** How often an attempt still in flight is looked at again before the next one may replace it. */
const RECHECK_MS = 250;
/** setTimeout's largest delay; a longer one fires at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** The jittered delay before retry number `attempt` (0-based). */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  return random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
}

/** The refetch spread after a reconnect, for `keys` keys. */
export function refetchJitter(option: ReconnectOptions['refetchJitterMs'], keys: number): number {
  const ms = typeof option === 'function' ? Number(option(keys)) : typeof option === 'number' ? option : process.env.NODE_ENV === 'test' ? 0 : Math.min(500, 50 * keys);
  return ms > 0 ? Math.min(ms, MAX_DELAY_MS) : 0;
}

/**
 * How long after an attempt begins pusher-js may still start a fallback transport (its default
 * strategy: wss 2 s after ws without TLS, the HTTP transports 2 s after ws with TLS or 5 s without),
 * so an attempt whose first transport failed is not replaced before then.
 */
export function fallbackDelay(pusher: PusherLike): number {
  if (!pusher.config) return 0;
  const { useTLS, enabledTransports, disabledTransports } = pusher.config;
  const enabled = (t: string) => (!enabledTransports || enabledTransports.includes(t)) && !disabledTransports?.includes(t);
  if (enabled('xhr_streaming') || enabled('xhr_polling')) return useTLS ? 2000 : 5000;
  return !useTLS && enabled('wss') ? 2000 : 0;
}

/** When pusher-js began the attempt it is making: its own `connecting` entry in the timeline (or now). */
function attemptStart(pusher: PusherLike): number {
  const events = pusher.timeline?.events ?? [];
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event && event.cid === undefined && event.state === 'connecting') {
      const at = Number(event.timestamp);
      return Number.isFinite(at) ? at : Date.now();
    }
  }
  return Date.now();
}

/**
 * Whether pusher-js's attempt begun at `since` may still succeed: one of the transports it opened
 * since has not closed. Read from `pusher.timeline` (in pusher-js's published types), where pusher-js
 * logs every transport's states: its connection API says nothing while an attempt fails.
 */
export function attemptInFlight(pusher: PusherLike, since: number): boolean {
  const events = pusher.timeline?.events ?? [];
  const closed = new Set<unknown>();
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (!event || !(Number(event.timestamp) >= since)) break;
    if (event.cid === undefined) continue;
    if (event.state === 'closed') closed.add(event.cid);
    else if (!closed.has(event.cid)) return true;
  }
  return false;
}

/**
 * Drives one pusher-js connection back after a drop, and reports the state a user should see.
 *
 * pusher-js alone notices a closed socket but keeps reporting `connected` for 1 s, then retries on
 * a loop that waits 15 s after a refused attempt (and goes `unavailable` after 10 s): a server
 * that was down for 2 s is rejoined about 14 s after it is back, and every client that dropped at
 * the same moment retries at the same moment. So, once the socket is known dead (its `closed`
 * surfaces as pusher-js's public `connecting_in` event), the retrier takes over: it ends
 * pusher-js's pending retry with `disconnect()` and makes each attempt with `connect()` on a
 * full-jitter exponential schedule. The same pusher-js instance is reused, so its channels are
 * kept and re-subscribed on success, and only one attempt is ever open: an attempt whose transport
 * is still opening (a slow handshake) is never replaced. Online and visible-again signals (TanStack
 * Query's `onlineManager` and `focusManager`, so apps that configure those configure this too)
 * attempt at once; while offline, at most one attempt per `capMs` is made. A pusher-js without a
 * timeline (the in-memory test kit) is only watched, not driven.
 *
 * A closure rather than a class: its state then minifies to one-letter names (it ships in every app).
 */
export function createRetrier(
  pusher: PusherLike,
  /** False: report the truth, but leave retrying to pusher-js. */
  settings: ReconnectOptions | false,
  onChange: () => void,
): PusherWatch & { halt(notify?: boolean): void } {
  const { baseMs, capMs, resetAfterMs } = { ...DEFAULT_RECONNECT, ...validOptions(settings) };
  const connection = pusher.connection;
  const drive = settings !== false && Array.isArray(pusher.timeline?.events);
  /** Retrying: the socket is known dead (or the first attempt is pending) and nobody asked for `disconnect()`. */
  let down = false;
  /** Attempts made in this outage (and in short-lived connections before it): the backoff exponent. */
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** When `timer` fires. */
  let dueAt = 0;
  /** When the attempt in progress began (pusher-js's or ours). */
  let attemptAt = -Infinity;
  /** When the current connection was made (0 while down), for the backoff reset. */
  let connectedSince = connection.state === 'connected' ? Date.now() : 0;
  /** Inside our own disconnect() + connect(): those state changes are not news. */
  let restarting = false;
  /** pusher-js closed by us, waiting for our next attempt: an attempt pusher-js starts now is a leftover timer. */
  let parked = false;
  const fallbackMs = fallbackDelay(pusher);
  let everConnected = connectedSince > 0;
  let stopped = false;

  const cancelTimer = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  /** Stops retrying (the connection is being closed on purpose); `notify`: tell the watchers. */
  const halt = (notify?: boolean) => {
    const was = down;
    down = parked = false;
    cancelTimer();
    if (was && notify) onChange();
  };
  const arm = (delay: number) => {
    cancelTimer();
    dueAt = Date.now() + delay;
    if (!stopped) timer = setTimeout(fire, delay);
  };
  const scheduleNext = () => arm(backoffDelay(attempt, baseMs, capMs));
  const inFlight = () => {
    const age = Date.now() - attemptAt;
    return age < MAX_ATTEMPT_MS && (age < fallbackMs || attemptInFlight(pusher, attemptAt));
  };
  const resetIfStable = () => {
    if (connectedSince > 0 && Date.now() - connectedSince >= resetAfterMs) attempt = 0;
    connectedSince = 0;
  };
  function fire(): void {
    timer = undefined;
    if (!down) return;
    // An attempt that may still succeed (a slow handshake) is not replaced: looked at again shortly.
    if (inFlight()) return arm(RECHECK_MS);
    // Offline, by TanStack's onlineManager: one attempt per capMs, in case that signal is wrong.
    const offlineWait = onlineManager.isOnline() ? 0 : attemptAt + capMs - Date.now();
    if (offlineWait > 0) return arm(offlineWait);
    attemptNow();
  }
  function attemptNow(): void {
    restart(true);
    if (down) scheduleNext();
  }
  /** Ends whatever pusher-js has pending (its retry timer or a dead attempt) and, with `connect`, opens one attempt. */
  function restart(connect: boolean): void {
    restarting = true;
    parked = !connect;
    try {
      pusher.disconnect();
      if (connect) {
        attempt += 1;
        attemptAt = Date.now();
        pusher.connect();
      }
    } finally {
      restarting = false;
    }
    // What connect() settled at once (an in-memory transport, or `failed`) is news all the same.
    if (connect && connection.state !== 'connecting') onState(connection.state);
  }
  /** Online again (`fresh`: the backoff starts over) or visible again: try now, unless an attempt may still succeed. */
  const tryNow = (fresh: boolean) => {
    if (!down || inFlight() || !onlineManager.isOnline()) return;
    if (fresh) attempt = 0;
    attemptNow();
  };
  function onState(state: string, notify = true): void {
    if (restarting) return;
    if (state === 'connected') {
      // The first connection made at the first try owes no backoff to the next outage.
      if (!everConnected && attempt <= 1) attempt = 0;
      everConnected = true;
      down = false;
      connectedSince = Date.now();
      cancelTimer();
    } else if (state === 'disconnected' || state === 'failed') {
      // Asked for (`disconnect()`), refused by the server (4001-4099, 4300+), or unsupported: not ours to retry.
      halt();
    } else if (state === 'connecting') {
      if (!drive) {
        down = false; // pusher-js's own `connecting` is truthful from here
      } else if (parked) {
        // A retry timer pusher-js armed twice (a close with a code: 4200 retry, 4100 backoff) that
        // the takeover could not reach: park again once connect() has returned.
        queueMicrotask(() => {
          if (down && parked && !stopped) restart(false);
        });
      } else if (!down) {
        // pusher-js began an attempt itself (the first connect, a pong timeout): the schedule
        // starts, and this attempt is given its course.
        resetIfStable();
        down = true;
        attempt += 1;
        attemptAt = attemptStart(pusher);
        scheduleNext();
      } else {
        attemptAt = attemptStart(pusher); // pusher-js retried on its own (its `online` handler)
      }
    }
    if (notify) onChange();
  }
  const onStateChange = (change: { current?: unknown } | undefined) => {
    if (typeof change?.current === 'string') onState(change.current);
  };
  /** The socket closed while pusher-js still says `connected` (it would retry in 1 s, every client together). */
  const onSocketClosed = () => {
    if (connection.state !== 'connected' || down) return;
    down = true;
    if (drive) {
      resetIfStable();
      attemptAt = -Infinity; // no attempt under way
      // pusher-js arms its 1 s retry timer right after this event: end it once it exists.
      queueMicrotask(() => {
        if (down && !stopped && connection.state === 'connected') restart(false);
      });
      scheduleNext();
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
  if (drive) {
    stops.push(
      onlineManager.subscribe((online) => online && tryNow(true)),
      focusManager.subscribe((focused) => focused && tryNow(false)),
    );
    // A first connection in progress starts the schedule (silently: nothing changed yet).
    if (connection.state === 'connecting') onState('connecting', false);
  }
  return {
    // pusher-js's state, but `connecting` from the moment the socket is known dead until it is back:
    // never `connected` over a closed socket, never `disconnected` between retries.
    current: () => (down ? 'connecting' : connection.state),
    stop: (how) => {
      stopped = true;
      if (how === 'halt') halt();
      cancelTimer();
      for (const stop of stops.splice(0)) stop();
      // Closed by us between attempts, on an Echo that stays in use: pusher-js's own retry takes over.
      if (how === 'resume' && parked && down && connection.state === 'disconnected') pusher.connect();
    },
    halt,
    retry: () => ({ attempt: down ? attempt : 0, at: down && timer !== undefined ? dueAt : null }),
  };
}

/** The numeric options that are valid (non-negative numbers, at most setTimeout's limit). */
function validOptions(settings: ReconnectOptions | false): Partial<typeof DEFAULT_RECONNECT> {
  const valid: Partial<typeof DEFAULT_RECONNECT> = {};
  for (const name of ['baseMs', 'capMs', 'resetAfterMs'] as const) {
    const value = settings ? settings[name] : undefined;
    if (typeof value === 'number' && value >= 0) valid[name] = Math.min(value, MAX_DELAY_MS);
  }
  return valid;
}

const retriers = new WeakMap<PusherLike, { retrier: ReturnType<typeof createRetrier>; listeners: Set<() => void> }>();

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
    retry: retrier.retry,
    stop: (how) => {
      if (how === 'halt') retrier.halt(true); // the socket closes for every client on this Echo
      if (!listeners.delete(onChange) || listeners.size > 0) return;
      retrier.stop(how);
      retriers.delete(pusher);
    },
  };
}
