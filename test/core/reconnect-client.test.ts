// The reconnect driver through the client (shared Echo, dispose, disconnect), the timeline reading,
// and the spread of the refetches after a reconnect.
import { onlineManager, QueryClient, QueryObserver } from '@tanstack/query-core';
import { describe, expect, test, vi } from 'vitest';
import { createRealtimeClient, type RealtimeClient, type RealtimeError } from '../../src';
import { ReactionHandler } from '../../src/core/invalidation';
import { attemptInFlight, refetchJitter } from '../../src/core/connection';
import { createFakeEcho } from '../../src/testing';
import { fakePusher, microtasks, withReconnectTestClock } from './pusher-stand-in';

withReconnectTestClock();

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
  /** Two clients on one Echo the app made; its socket has just dropped (the takeover done). */
  async function sharedEchoDropped() {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const fake = connectedFake();
    const echo = echoOver(fake.pusher);
    const first = createRealtimeClient({ echo });
    const second = createRealtimeClient({ echo });
    first.connect();
    second.connect();
    fake.drop();
    await microtasks();
    return { fake, first, second };
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

  test('disconnect() on one client of a shared Echo stops the retrying for all (it closes the socket for all)', async () => {
    const { fake, first, second } = await sharedEchoDropped();
    first.disconnect(); // while parked between attempts: pusher-js is already `disconnected`
    vi.advanceTimersByTime(30_000);
    expect(fake.attempts).toEqual([]);
    expect(second.getConnectionStatus()).toBe('disconnected');
    first.dispose();
    second.dispose();
  });

  test('two clients on one shared Echo: one schedule drives it, both show the truth, the last dispose() stops it', async () => {
    const { fake, first, second } = await sharedEchoDropped();
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
