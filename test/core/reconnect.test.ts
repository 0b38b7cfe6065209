// The reconnect schedule, on fake timers and a pusher-js stand-in that records every attempt.
import { focusManager, onlineManager, QueryClient, QueryObserver } from '@tanstack/query-core';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createRealtimeClient, type RealtimeClient, type RealtimeError } from '../../src';
import { ReactionHandler } from '../../src/core/reaction';
import { attemptInFlight, backoffDelay, createRetrier, refetchJitter, type PusherWatch, type ReconnectOptions } from '../../src/core/reconnect';
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
 * pusher-js as the retrier sees it. `connect()` starts an attempt (state `connecting`) whose
 * transport, logged to `timeline` as pusher-js logs it, is refused at once while the server is down
 * (`slow()`: it stays open, a handshake in progress); `accept()` completes it. `drop()` closes a live
 * socket as pusher-js reports it: `connecting_in` while the state still says `connected`, and only
 * then its own 1 s retry timer, which `disconnect()` clears.
 */
function fakePusher() {
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
  const setState = (next: string) => {
    const previous = connection.state;
    if (previous === next) return;
    connection.state = next;
    emit('state_change', { previous, current: next });
  };
  const log = (state: string) => timeline.events.push({ cid, state, timestamp: Date.now() });
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
function connected(options: ReconnectOptions | false = {}) {
  const fake = fakePusher();
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

const gaps = (times: number[]) => times.map((t, i) => t - (i === 0 ? 0 : times[i - 1]));
/** Lets the microtask the retrier queues on a drop run. */
const microtasks = () => Promise.resolve();

describe('backoff with full jitter', () => {
  test('each delay is uniform in [0, min(cap, base * 2^attempt)]', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const bound = Math.min(3000, 500 * 2 ** attempt);
      const samples = Array.from({ length: 2000 }, () => backoffDelay(attempt, 500, 3000));
      expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...samples)).toBeLessThan(bound);
      // Full jitter, not "half" jitter: the low end is used as much as the high end.
      expect(samples.filter((d) => d < bound / 4).length).toBeGreaterThan(2000 * 0.2);
      expect(samples.filter((d) => d > (3 * bound) / 4).length).toBeGreaterThan(2000 * 0.2);
    }
  });

  test('the longest schedule: base doubling up to the cap, so the server is tried at least every cap', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { fake } = connected({ baseMs: 500, capMs: 5000 });
    fake.drop();
    await microtasks();
    vi.advanceTimersByTime(40_000);
    expect(gaps(fake.attempts)).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000, 5000, 5000, 5000]);
    expect(fake.ownAttempts).toEqual([]); // pusher-js's own 1 s retry never ran
    expect(fake.overlapping).toBe(0);
  });

  test('an attempt still opening (a slow handshake) is never replaced, up to pusher-js\'s 10 s', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.01);
    const { fake } = connected();
    fake.slow();
    fake.drop();
    await microtasks();
    vi.advanceTimersByTime(9000);
    expect(fake.attempts).toEqual([5]); // every other attempt was due long ago
    fake.accept();
    expect(fake.attempts).toEqual([5]);

    fake.drop(); // and one that never answers is replaced after 10 s
    await microtasks();
    const from = Date.now();
    vi.advanceTimersByTime(10_500);
    const [first, second] = fake.attempts.slice(1).map((t) => t - from);
    expect(first).toBe(10);
    expect(second).toBeGreaterThanOrEqual(10_010); // looked at every 250 ms until then
    expect(second).toBeLessThanOrEqual(10_010 + 250);
    expect(fake.overlapping).toBe(0);
  });

  test('a connection that stayed up resetAfterMs starts the next outage from base; a shorter one does not', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { fake } = connected({ baseMs: 500, capMs: 5000, resetAfterMs: 10_000 });
    fake.drop();
    await microtasks();
    vi.advanceTimersByTime(3500); // attempts at 500, 1500, 3500
    expect(fake.attempts).toHaveLength(3);
    fake.accept();
    vi.advanceTimersByTime(2000); // up for 2 s only: the server is flapping
    fake.drop();
    await microtasks();
    let from = Date.now();
    fake.attempts.length = 0;
    vi.advanceTimersByTime(4000);
    expect(fake.attempts.map((t) => t - from)).toEqual([4000]); // continues at 2^3 * base
    expect(fake.ownAttempts).toEqual([]); // and pusher-js's 1 s retry did not jump in meanwhile

    fake.accept();
    vi.advanceTimersByTime(10_000); // stable
    fake.drop();
    await microtasks();
    from = Date.now();
    fake.attempts.length = 0;
    vi.advanceTimersByTime(1500);
    expect(fake.attempts.map((t) => t - from)).toEqual([500, 1500]);
  });
});

describe('what the retrier reports and owns', () => {
  test('"connecting" from the moment the socket is known dead, through every retry, until connected', async () => {
    const { fake, retrier, changes } = connected();
    expect(retrier.current()).toBe('connected');
    fake.drop();
    expect(retrier.current()).toBe('connecting');
    await microtasks();
    expect(fake.pusher.connection.state).toBe('disconnected'); // pusher-js's own 1 s retry is cancelled
    vi.advanceTimersByTime(10_000);
    expect(fake.ownAttempts).toEqual([]);
    expect(changes).toEqual(['connecting']); // our own disconnect()/connect() are not news
    fake.accept();
    expect(changes).toEqual(['connecting', 'connected']);
  });

  test('an attempt pusher-js starts itself (a pong timeout) starts the schedule and is given its course', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.01);
    const { fake, retrier } = connected();
    fake.slow();
    fake.ownRetry();
    expect(retrier.current()).toBe('connecting');
    vi.advanceTimersByTime(5000);
    expect(fake.attempts).toEqual([]); // its transport is still opening
    fake.accept();
    expect(retrier.current()).toBe('connected');
  });

  test('disconnect() by the app, or a refusal by the server (4001-4099): no retry', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { fake, retrier } = connected();
    fake.drop();
    await microtasks();
    vi.advanceTimersByTime(250);
    expect(fake.attempts).toEqual([250]);
    fake.refuse(); // the attempt is refused
    expect(retrier.current()).toBe('disconnected');
    vi.advanceTimersByTime(60_000);
    expect(fake.attempts).toEqual([250]);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('reconnect: false reports the truth and leaves retrying to pusher-js', async () => {
    const { fake, retrier } = connected(false);
    fake.drop();
    expect(retrier.current()).toBe('connecting'); // not the `connected` pusher-js still says
    await microtasks();
    vi.advanceTimersByTime(1000);
    expect(fake.ownAttempts).toEqual([1000]);
    expect(fake.attempts).toEqual([]);
    expect(retrier.current()).toBe('connecting');
  });

  test('a pusher-js without a timeline (the in-memory test kit) is watched, not driven', async () => {
    const fake = createFakeEcho();
    const client = createRealtimeClient({ echo: fake.echo });
    client.connect();
    await fake.flush();
    expect(client.getConnectionStatus()).toBe('connected');
    const pusher = (client.getEcho() as unknown as { connector: { pusher: { connection: { bind(e: string, f: (c: { current: string }) => void): void } } } }).connector.pusher;
    const states: string[] = [];
    pusher.connection.bind('state_change', (change) => states.push(change.current));
    fake.setConnectionState('connecting');
    vi.advanceTimersByTime(30_000);
    expect(states).toEqual(['connecting']); // the test decides when it comes back
    expect(client.getConnectionStatus()).toBe('reconnecting');
    client.dispose();
  });

  test('stop() leaves no timer, no connection listener and no TanStack subscription', async () => {
    const { fake, retrier } = connected();
    fake.drop();
    await microtasks();
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
  test('offline: one attempt per cap at most (in case the signal is wrong); back online: an attempt at once, the backoff started over', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.1);
    const { fake } = connected();
    fake.drop();
    await microtasks();
    vi.advanceTimersByTime(3000); // online: short jittered delays (0.1 of 500, 1000, 2000, 3000 ms...)
    expect(fake.attempts.length).toBeGreaterThan(10);
    onlineManager.setOnline(false);
    const from = fake.attempts.length;
    vi.advanceTimersByTime(30_000);
    expect(fake.attempts.length - from).toBe(10); // one per capMs (3 s)
    expect(Math.min(...gaps(fake.attempts.slice(from)).slice(1))).toBe(3000);
    const back = Date.now();
    onlineManager.setOnline(true);
    expect(fake.attempts.at(-1)).toBe(back);
    vi.advanceTimersByTime(100);
    expect(fake.attempts.at(-1)! - back).toBe(100); // base again: 0.1 * 500 * 2
  });

  test('visible again: an attempt at once', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { fake } = connected();
    fake.drop();
    await microtasks();
    vi.advanceTimersByTime(20_000); // the last attempt at 18500, the next due at 21500
    const count = fake.attempts.length;
    focusManager.setFocused(false);
    vi.advanceTimersByTime(1000);
    focusManager.setFocused(true);
    expect(fake.attempts).toHaveLength(count + 1);
    expect(fake.attempts.at(-1)).toBe(Date.now());
  });

  test('no attempt while one is in flight, and none when connected', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { fake } = connected();
    focusManager.setFocused(false);
    focusManager.setFocused(true);
    onlineManager.setOnline(false);
    onlineManager.setOnline(true);
    expect(fake.attempts).toEqual([]); // connected: nothing to do
    fake.slow();
    fake.drop();
    await microtasks();
    vi.advanceTimersByTime(500); // the first attempt, still opening
    expect(fake.attempts).toEqual([500]);
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
  function connectedFake() {
    const fake = fakePusher();
    fake.slow();
    fake.pusher.connect();
    fake.accept();
    fake.refusing();
    fake.attempts.length = 0;
    return fake;
  }

  test('status reconnecting as soon as the socket closes; dispose() leaves nothing behind', async () => {
    const fake = connectedFake();
    const client: RealtimeClient = createRealtimeClient({ echo: echoOver(fake.pusher) });
    client.connect();
    expect(client.getConnectionStatus()).toBe('connected');
    fake.drop();
    expect(client.getConnectionStatus()).toBe('reconnecting');
    await microtasks();
    vi.advanceTimersByTime(2000);
    expect(client.getConnectionStatus()).toBe('reconnecting');
    client.dispose();
    expect(fake.listenerCount).toBe(0);
    expect(onlineManager.hasListeners()).toBe(false);
    const count = fake.attempts.length;
    vi.advanceTimersByTime(60_000);
    expect(fake.attempts).toHaveLength(count);
  });

  test('disposed between attempts, a shared Echo is handed back to pusher-js (not left closed)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const fake = connectedFake();
    const client = createRealtimeClient({ echo: echoOver(fake.pusher) });
    client.connect();
    fake.drop();
    await microtasks();
    expect(fake.pusher.connection.state).toBe('disconnected'); // ours, until the first attempt at 500 ms
    client.dispose();
    expect(fake.pusher.connection.state).toBe('connecting');
    expect(fake.attempts).toEqual([0]);
  });

  test('two clients on one shared Echo: one schedule drives it, both show the truth, the last dispose() stops it', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const fake = connectedFake();
    const echo = echoOver(fake.pusher);
    const first = createRealtimeClient({ echo });
    const second = createRealtimeClient({ echo });
    first.connect();
    second.connect();
    fake.drop();
    await microtasks();
    expect([first.getConnectionStatus(), second.getConnectionStatus()]).toEqual(['reconnecting', 'reconnecting']);
    vi.advanceTimersByTime(3500);
    expect(fake.attempts).toEqual([500, 1500, 3500]); // one schedule, not two interleaved
    expect(second.getConnectionStatus()).toBe('reconnecting'); // not "disconnected" by the other's retries
    first.dispose();
    vi.advanceTimersByTime(3000);
    expect(fake.attempts).toEqual([500, 1500, 3500, 6500]);
    fake.accept();
    expect(second.getConnectionStatus()).toBe('connected');
    second.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(fake.listenerCount).toBe(0);
  });
});

describe('attemptInFlight: read from pusher-js\'s timeline', () => {
  test('a transport opened since the attempt began and not closed is in flight; a closed or older one is not', () => {
    const timeline = (events: { cid?: number; state?: string; timestamp: number }[]) => ({ timeline: { events } }) as never;
    expect(attemptInFlight(timeline([{ cid: 1, state: 'connecting', timestamp: 10 }]), 10)).toBe(true);
    expect(attemptInFlight(timeline([{ cid: 1, state: 'connecting', timestamp: 10 }, { cid: 1, state: 'open', timestamp: 20 }]), 10)).toBe(true);
    expect(attemptInFlight(timeline([{ cid: 1, state: 'connecting', timestamp: 10 }, { cid: 1, state: 'closed', timestamp: 11 }]), 10)).toBe(false);
    expect(attemptInFlight(timeline([{ cid: 1, state: 'connecting', timestamp: 5 }]), 10)).toBe(false); // an earlier attempt's
    // Two transports (ws, then wss after pusher-js's delay): in flight while either is open.
    expect(
      attemptInFlight(timeline([{ cid: 1, state: 'connecting', timestamp: 10 }, { cid: 2, state: 'connecting', timestamp: 12 }, { cid: 1, state: 'closed', timestamp: 13 }]), 10),
    ).toBe(true);
    expect(attemptInFlight(timeline([{ state: 'connecting', timestamp: 10 }]), 10)).toBe(false); // not a transport's
    expect(attemptInFlight({} as never, 0)).toBe(false);
    expect(attemptInFlight(timeline([null as never]), 0)).toBe(false);
  });
});

describe('refetches after a reconnect, spread', () => {
  test('default: min(500, 50 ms per key), 0 under NODE_ENV=test; a number or a function of the key count', () => {
    expect(refetchJitter(undefined, 10)).toBe(0); // vitest runs with NODE_ENV=test
    vi.stubEnv('NODE_ENV', 'production');
    expect(refetchJitter(undefined, 1)).toBe(50);
    expect(refetchJitter(undefined, 5)).toBe(250);
    expect(refetchJitter(undefined, 400)).toBe(500);
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

  test('no spread after a deliberate reconnect() (one user, no herd), nor with reconnect: false; a throwing function is reported', async () => {
    const run = async (options: Parameters<typeof createRealtimeClient>[0]['reconnect'], how: 'drop' | 'reconnect') => {
      const fake = createFakeEcho();
      const errors: RealtimeError[] = [];
      const onReconnect = vi.fn();
      const client = createRealtimeClient({ echo: fake.echo, reconnect: options, onError: (e) => errors.push(e), onReconnect });
      const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
      const fetchedAt: number[] = [];
      new QueryObserver(queryClient, { queryKey: ['a'], queryFn: async () => fetchedAt.push(Date.now()) }).subscribe(() => {});
      const handler = new ReactionHandler(client, queryClient, { current: { invalidate: ['a'], refetchOnSubscribe: false } as never }, 'a', '.Changed');
      client.acquire({ channel: 'a', type: 'public' }).listen('.Changed', handler);
      await fake.flush();
      await vi.advanceTimersByTimeAsync(1000);
      if (how === 'drop') {
        fake.setConnectionState('connecting');
        await vi.advanceTimersByTimeAsync(100);
        fake.setConnectionState('connected');
      } else {
        client.reconnect();
      }
      const back = Date.now();
      await fake.flush();
      await vi.advanceTimersByTimeAsync(2000);
      client.dispose();
      return { delay: fetchedAt[1] - back, errors, reconnected: onReconnect.mock.calls.length };
    };
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect((await run({ refetchJitterMs: 1000 }, 'reconnect')).delay).toBe(0);
    vi.stubEnv('NODE_ENV', 'production'); // where the default spread applies
    expect((await run({}, 'drop')).delay).toBe(25); // 0.5 of 50 ms for its one key
    expect((await run(false, 'drop')).delay).toBe(0);
    vi.unstubAllEnvs();
    expect((await run({ refetchJitterMs: 1000 }, 'drop')).delay).toBe(500); // the same run, spread
    const thrown = await run({ refetchJitterMs: () => { throw new Error('oops'); } }, 'drop');
    expect(thrown).toMatchObject({ delay: 0, reconnected: 1 });
    expect(thrown.errors.map((e) => e.message)).toEqual(['refetchJitterMs threw: oops']);
  });
});
