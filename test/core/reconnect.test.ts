// The reconnect schedule, on fake timers and a pusher-js stand-in that records every attempt.
import { focusManager, onlineManager, QueryClient, QueryObserver } from '@tanstack/query-core';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createRealtimeClient, type RealtimeClient } from '../../src';
import { ReactionHandler } from '../../src/core/reaction';
import { backoffDelay, createRetrier, refetchJitter, type PusherWatch, type ReconnectOptions } from '../../src/core/reconnect';
import { createFakeEcho } from '../../src/testing';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
const retriers: PusherWatch[] = [];
afterEach(() => {
  for (const retrier of retriers.splice(0)) retrier.stop();
  onlineManager.setOnline(true);
  focusManager.setFocused(undefined);
  vi.useRealTimers();
});

/**
 * pusher-js as far as the retrier sees it: `connect()` opens an attempt (state `connecting`),
 * `disconnect()` ends it; `accept()` completes the open attempt, `drop()` closes a live socket the
 * way pusher-js reports it (`connecting_in` while the state still says `connected`).
 */
function fakePusher() {
  const listeners = new Map<string, Set<CallableFunction>>();
  const emit = (event: string, data?: unknown) => {
    for (const l of [...(listeners.get(event) ?? [])]) l(data);
  };
  const attempts: number[] = [];
  let open = false;
  let overlapping = 0;
  const connection = {
    state: 'initialized',
    bind: (event: string, cb: CallableFunction) => listeners.set(event, (listeners.get(event) ?? new Set()).add(cb)),
    unbind: (event: string, cb: CallableFunction) => listeners.get(event)?.delete(cb),
  };
  const setState = (next: string) => {
    const previous = connection.state;
    if (previous === next) return;
    connection.state = next;
    emit('state_change', { previous, current: next });
  };
  const pusher = {
    connection,
    connect() {
      if (open) overlapping += 1; // real pusher-js ignores this call; it must never be needed
      open = true;
      attempts.push(Date.now());
      setState('connecting');
    },
    disconnect() {
      open = false;
      setState('disconnected');
    },
  };
  return {
    pusher,
    attempts,
    get overlapping() {
      return overlapping;
    },
    get listenerCount() {
      return [...listeners.values()].reduce((n, set) => n + set.size, 0);
    },
    accept: () => setState('connected'),
    drop() {
      open = false;
      emit('connecting_in', 1);
    },
    /** pusher-js's own retry (pong timeout, a 4200 close): an attempt the retrier did not start. */
    ownRetry() {
      open = true;
      setState('connecting');
    },
    refuse() {
      open = false;
      setState('disconnected');
    },
  };
}

/** A connected retrier (first handshake instantaneous, so an attempt's window is 1 s). */
function connected(options: ReconnectOptions | false = {}) {
  const fake = fakePusher();
  fake.pusher.connect();
  const changes: string[] = [];
  const retrier: PusherWatch = createRetrier(fake.pusher, options, () => changes.push(retrier.current()));
  retriers.push(retrier);
  fake.accept();
  fake.attempts.length = 0;
  changes.length = 0;
  return { fake, retrier, changes };
}

const gaps = (times: number[]) => times.map((t, i) => t - (i === 0 ? 0 : times[i - 1]));

describe('backoff with full jitter', () => {
  test('each delay is uniform in [0, min(cap, base * 2^attempt)]', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const bound = Math.min(5000, 500 * 2 ** attempt);
      const samples = Array.from({ length: 2000 }, () => backoffDelay(attempt, 500, 5000));
      expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...samples)).toBeLessThan(bound);
      // Full jitter, not "half" jitter: the low end is used as much as the high end.
      expect(samples.filter((d) => d < bound / 4).length).toBeGreaterThan(2000 * 0.2);
      expect(samples.filter((d) => d > (3 * bound) / 4).length).toBeGreaterThan(2000 * 0.2);
    }
  });

  test('the longest schedule: base doubling up to the cap, an attempt at least every cap', () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { fake } = connected({ baseMs: 500, capMs: 5000 });
    fake.drop();
    vi.advanceTimersByTime(40_000);
    expect(gaps(fake.attempts)).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000, 5000, 5000, 5000]);
    expect(fake.overlapping).toBe(0);
  });

  test('the shortest schedule: the first attempt at once, then one per attempt window (never two open)', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { fake } = connected();
    fake.drop();
    vi.advanceTimersByTime(0);
    expect(fake.attempts).toEqual([0]);
    vi.advanceTimersByTime(5000);
    // The handshake took 0 ms: an attempt is given 2 * 0 + 1000 ms before the next may replace it.
    expect(fake.attempts).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(fake.overlapping).toBe(0);
  });

  test('the attempt window grows with the measured handshake (2 * handshake + 1 s)', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = fakePusher();
    fake.pusher.connect();
    retriers.push(createRetrier(fake.pusher, {}, () => {}));
    vi.advanceTimersByTime(400); // a 400 ms handshake
    fake.accept();
    fake.attempts.length = 0;
    const start = Date.now();
    fake.drop();
    vi.advanceTimersByTime(4000);
    expect(fake.attempts.map((t) => t - start)).toEqual([0, 1800, 3600]);
  });

  test('a connection that stayed up resetAfterMs starts the next outage from base; a shorter one does not', () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { fake } = connected({ baseMs: 500, capMs: 5000, resetAfterMs: 10_000 });
    fake.drop();
    vi.advanceTimersByTime(3500); // attempts at 500, 1500, 3500
    expect(fake.attempts).toHaveLength(3);
    fake.accept();
    vi.advanceTimersByTime(2000); // up for 2 s only: the server is flapping
    fake.drop();
    let from = Date.now();
    fake.attempts.length = 0;
    vi.advanceTimersByTime(4000);
    expect(fake.attempts.map((t) => t - from)).toEqual([4000]); // continues at 2^3 * base

    fake.accept();
    vi.advanceTimersByTime(10_000); // stable
    fake.drop();
    from = Date.now();
    fake.attempts.length = 0;
    vi.advanceTimersByTime(1500);
    expect(fake.attempts.map((t) => t - from)).toEqual([500, 1500]);
  });
});

describe('what the retrier reports and owns', () => {
  test('"connecting" from the moment the socket is known dead, through every retry, until connected', () => {
    const { fake, retrier, changes } = connected();
    expect(retrier.current()).toBe('connected');
    fake.drop();
    expect(fake.pusher.connection.state).toBe('disconnected'); // pusher-js's own 1 s retry is cancelled
    expect(retrier.current()).toBe('connecting');
    vi.advanceTimersByTime(10_000);
    expect(changes).toEqual(['connecting']); // our own disconnect()/connect() are not news
    fake.accept();
    expect(changes).toEqual(['connecting', 'connected']);
  });

  test('an attempt pusher-js starts itself is given its window, then the schedule goes on', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { fake, retrier } = connected();
    fake.ownRetry(); // e.g. a pong timeout
    expect(retrier.current()).toBe('connecting');
    vi.advanceTimersByTime(999);
    expect(fake.attempts).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fake.attempts).toEqual([1000]);
    expect(fake.overlapping).toBe(0);
  });

  test('disconnect() by the app, or a refusal by the server (4000-4099): no retry', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { fake, retrier } = connected();
    fake.drop();
    vi.advanceTimersByTime(0);
    expect(fake.attempts).toEqual([0]);
    fake.refuse(); // the attempt is refused
    expect(retrier.current()).toBe('disconnected');
    vi.advanceTimersByTime(60_000);
    expect(fake.attempts).toEqual([0]);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('reconnect: false reports the truth and leaves retrying to pusher-js', () => {
    const { fake, retrier } = connected(false);
    fake.drop();
    expect(retrier.current()).toBe('connecting');
    vi.advanceTimersByTime(60_000);
    expect(fake.attempts).toEqual([]);
    expect(fake.pusher.connection.state).toBe('connected'); // untouched: pusher-js's retry timer is its own
    expect(vi.getTimerCount()).toBe(0);
  });

  test('stop() leaves no timer, no connection listener and no TanStack subscription', () => {
    const { fake, retrier } = connected();
    fake.drop();
    expect(vi.getTimerCount()).toBe(1);
    retrier.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(fake.listenerCount).toBe(0);
    expect(onlineManager.hasListeners()).toBe(false);
    expect(focusManager.hasListeners()).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(fake.attempts).toEqual([]);
  });
});

describe('online and visible again', () => {
  test('back online: an attempt at once, with the backoff started over; offline: no attempts at all', () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { fake } = connected();
    fake.drop();
    vi.advanceTimersByTime(7500); // attempts at 500, 1500, 3500, 7500
    expect(fake.attempts).toHaveLength(4);
    onlineManager.setOnline(false);
    vi.advanceTimersByTime(60_000);
    expect(fake.attempts).toHaveLength(4); // the due attempt is skipped while offline
    const back = Date.now();
    onlineManager.setOnline(true);
    expect(fake.attempts.at(-1)).toBe(back);
    vi.advanceTimersByTime(1000);
    expect(fake.attempts.at(-1)! - back).toBe(1000); // base again: max(window 1 s, 500 * 2)
  });

  test('visible again: an attempt at once', () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { fake } = connected();
    fake.drop();
    vi.advanceTimersByTime(20_000);
    const count = fake.attempts.length;
    focusManager.setFocused(false);
    vi.advanceTimersByTime(1500); // no attempt due before 25 s
    focusManager.setFocused(true);
    expect(fake.attempts).toHaveLength(count + 1);
    expect(fake.attempts.at(-1)).toBe(Date.now());
  });

  test('no attempt while one is in flight, and none when connected', () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { fake } = connected();
    focusManager.setFocused(false);
    focusManager.setFocused(true);
    onlineManager.setOnline(false);
    onlineManager.setOnline(true);
    expect(fake.attempts).toEqual([]); // connected: nothing to do
    fake.drop();
    vi.advanceTimersByTime(500); // first attempt, in flight until 1500
    expect(fake.attempts).toEqual([500]);
    vi.advanceTimersByTime(400);
    focusManager.setFocused(false);
    focusManager.setFocused(true);
    onlineManager.setOnline(false);
    onlineManager.setOnline(true);
    expect(fake.attempts).toEqual([500]);
    expect(fake.overlapping).toBe(0);
  });
});

describe('through the client', () => {
  /** An Echo the app made, over the stand-in pusher-js. */
  function echoOver(pusher: ReturnType<typeof fakePusher>['pusher']) {
    return { connector: { pusher }, channel: () => ({}), leaveChannel: () => {}, socketId: () => 'socket-1' } as never;
  }

  test('status reconnecting as soon as the socket closes; dispose() leaves nothing behind', () => {
    const fake = fakePusher();
    fake.pusher.connect();
    fake.accept();
    const client: RealtimeClient = createRealtimeClient({ echo: echoOver(fake.pusher) });
    client.connect();
    expect(client.getConnectionStatus()).toBe('connected');
    fake.drop();
    expect(client.getConnectionStatus()).toBe('reconnecting');
    vi.advanceTimersByTime(2000);
    expect(client.getConnectionStatus()).toBe('reconnecting');
    client.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(fake.listenerCount).toBe(0);
    expect(onlineManager.hasListeners()).toBe(false);
    const count = fake.attempts.length;
    vi.advanceTimersByTime(60_000);
    expect(fake.attempts).toHaveLength(count);
  });

  test('two clients on one shared Echo: one schedule drives it, both show the truth, the last dispose() stops it', () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const fake = fakePusher();
    fake.pusher.connect();
    fake.accept();
    const echo = echoOver(fake.pusher);
    const first = createRealtimeClient({ echo });
    const second = createRealtimeClient({ echo });
    first.connect();
    second.connect();
    fake.attempts.length = 0;
    fake.drop();
    expect([first.getConnectionStatus(), second.getConnectionStatus()]).toEqual(['reconnecting', 'reconnecting']);
    vi.advanceTimersByTime(3500);
    // One schedule, not two interleaved (the handshake is unknown on a handed-in Echo: a 3 s window).
    expect(fake.attempts).toEqual([500, 3500]);
    expect(second.getConnectionStatus()).toBe('reconnecting'); // not "disconnected" by the other's retries
    first.dispose();
    vi.advanceTimersByTime(4000);
    expect(fake.attempts).toEqual([500, 3500, 6500]);
    fake.accept();
    expect(second.getConnectionStatus()).toBe('connected');
    second.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(fake.listenerCount).toBe(0);
  });
});

describe('refetches after a reconnect, spread', () => {
  test('default: min(1000, 50 ms per key), 0 under NODE_ENV=test; a number or a function of the key count', () => {
    expect(refetchJitter(undefined, 10)).toBe(0); // vitest runs with NODE_ENV=test
    vi.stubEnv('NODE_ENV', 'production');
    expect(refetchJitter(undefined, 1)).toBe(50);
    expect(refetchJitter(undefined, 10)).toBe(500);
    expect(refetchJitter(undefined, 400)).toBe(1000);
    vi.unstubAllEnvs();
    expect(refetchJitter(300, 10)).toBe(300);
    expect(refetchJitter((keys) => keys * 7, 10)).toBe(70);
    expect(refetchJitter(() => NaN, 10)).toBe(0);
  });

  test('each recovered key is refetched after its own random delay within the spread, sized by the number of keys', async () => {
    const fake = createFakeEcho();
    const sizes: number[] = [];
    const client = createRealtimeClient({
      echo: fake.echo,
      reconnect: { refetchJitterMs: (keys) => (sizes.push(keys), keys * 100) },
    });
    const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
    const fetchedAt: Record<string, number[]> = {};
    for (const name of ['a', 'b', 'c']) {
      new QueryObserver(queryClient, {
        queryKey: [name],
        queryFn: async () => (fetchedAt[name] = [...(fetchedAt[name] ?? []), Date.now()]).length,
      }).subscribe(() => {});
      const handler = new ReactionHandler(client, queryClient, { current: { invalidate: [name], refetchOnSubscribe: false } as never }, name, '.Changed');
      client.acquire({ channel: name, type: 'public' }).listen('.Changed', handler);
    }
    await fake.flush();
    await vi.advanceTimersByTimeAsync(1000);
    expect(Object.values(fetchedAt).map((t) => t.length)).toEqual([1, 1, 1]);

    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    fake.setConnectionState('connecting');
    await vi.advanceTimersByTimeAsync(100);
    fake.setConnectionState('connected');
    const back = Date.now();
    await fake.flush();
    await vi.advanceTimersByTimeAsync(149);
    expect(Object.values(fetchedAt).map((t) => t.length)).toEqual([1, 1, 1]); // none refetched yet
    await vi.advanceTimersByTimeAsync(1000);
    expect(sizes).toEqual([3]);
    // Each at its random share (here 0.5) of the spread, 3 keys * 100 ms.
    expect(['a', 'b', 'c'].map((name) => fetchedAt[name][1] - back)).toEqual([150, 150, 150]);
    client.dispose();
  });
});
