// A pusher-js stand-in for the reconnect tests: records every attempt, logs a timeline as pusher-js does.
import { focusManager, onlineManager } from '@tanstack/query-core';
import { afterEach, beforeEach, vi } from 'vitest';
import { createRetrier, type PusherWatch, type ReconnectOptions } from '../../src/core/connection';

/** Retriers made by `connected()` (or pushed by a test), stopped after each test. */
export const retriers: PusherWatch[] = [];

/** Fake timers from 0 for each test; afterwards every retrier stopped and TanStack's managers reset. */
export function withReconnectTestClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    for (const retrier of retriers.splice(0)) retrier.stop();
    onlineManager.setOnline(true);
    focusManager.setFocused(undefined);
    vi.useRealTimers();
  });
}

/**
 * pusher-js as the retrier sees it. `connect()` starts an attempt (state `connecting`) whose
 * transport, logged to `timeline` as pusher-js logs it, is refused at once while the server is down
 * (`slow()`: it stays open, a handshake in progress); `accept()` completes it. `drop()` closes a live
 * socket as pusher-js reports it: `connecting_in` while the state still says `connected`, and only
 * then its own 1 s retry timer, which `disconnect()` clears.
 */
export function fakePusher() {
  const listeners = new Map<string, Set<CallableFunction>>();
  const emit = (event: string, data?: unknown) => {
    for (const l of [...(listeners.get(event) ?? [])]) l(data);
  };
  const attempts: number[] = [];
  const ownAttempts: number[] = [];
  const timeline = { events: [] as { cid?: number; state?: string; timestamp: number }[] };
  let cid = 0;
  let refusing = true;
  let open = false;
  let overlapping = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const connection = {
    state: 'initialized',
    bind: (event: string, cb: CallableFunction) => listeners.set(event, (listeners.get(event) ?? new Set()).add(cb)),
    unbind: (event: string, cb: CallableFunction) => listeners.get(event)?.delete(cb),
  };
  const log = (state: string) => timeline.events.push({ cid, state, timestamp: Date.now() });
  const setState = (next: string) => {
    const previous = connection.state;
    if (previous === next) return;
    connection.state = next;
    timeline.events.push({ state: next, timestamp: Date.now() }); // the manager's own entry, as pusher-js logs it
    emit('state_change', { previous, current: next });
  };
  const startAttempt = () => {
    if (open) overlapping += 1; // real pusher-js ignores connect() then; it must never be needed
    open = true;
    cid += 1;
    log('connecting');
    setState('connecting');
    if (refusing) log('closed'); // refused: pusher-js now waits its 15 s, still `connecting`
  };
  const pusher = {
    connection,
    timeline,
    config: { useTLS: false, enabledTransports: ['ws'] as string[] },
    connect() {
      attempts.push(Date.now());
      startAttempt();
    },
    disconnect() {
      clearTimeout(retryTimer);
      if (open && timeline.events.at(-1)?.state !== 'closed') log('closed');
      open = false;
      setState('disconnected');
    },
  };
  return {
    pusher,
    attempts,
    ownAttempts,
    get overlapping() {
      return overlapping;
    },
    get listenerCount() {
      return [...listeners.values()].reduce((n, set) => n + set.size, 0);
    },
    /** The server answers the attempt in progress. */
    accept() {
      log('open');
      setState('connected');
    },
    /** From now on attempts stay open (a slow handshake) instead of being refused. */
    slow() {
      refusing = false;
    },
    /** From now on attempts are refused at once (the server is down). */
    refusing() {
      refusing = true;
    },
    drop() {
      open = false;
      log('closed');
      emit('connecting_in', 1);
      retryTimer = setTimeout(() => this.ownRetry(), 1000);
    },
    /**
     * A close with a code (4200 retry, 4100 backoff): pusher-js arms a retry for the code, then
     * overwrites its timer handle with the 1 s one of the close, so disconnect() clears only that.
     */
    dropWithCode(codeDelay: number) {
      open = false;
      log('closed');
      setTimeout(() => this.ownRetry(), codeDelay);
      emit('connecting_in', 1);
      retryTimer = setTimeout(() => this.ownRetry(), 1000);
    },
    /** pusher-js's own retry (its 1 s timer, a pong timeout, a 4200 close): an attempt the retrier did not start. */
    ownRetry() {
      ownAttempts.push(Date.now());
      open = false;
      startAttempt();
    },
    refuse() {
      open = false;
      setState('disconnected');
    },
  };
}

/** A connected retrier; from then on the server is down (attempts are refused). */
export function connected(options: ReconnectOptions | false = {}, transports = ['ws']) {
  const fake = fakePusher();
  fake.pusher.config.enabledTransports = transports;
  fake.slow();
  fake.pusher.connect();
  const changes: string[] = [];
  const retrier: PusherWatch = createRetrier(fake.pusher, options, () => changes.push(retrier.current()));
  retriers.push(retrier);
  fake.accept();
  fake.refusing();
  fake.attempts.length = 0;
  changes.length = 0;
  return { fake, retrier, changes };
}

export const gaps = (times: number[]) => times.map((t, i) => t - (i === 0 ? 0 : times[i - 1]));
/** Lets the microtask the retrier queues on a drop run. */
export const microtasks = () => Promise.resolve();
