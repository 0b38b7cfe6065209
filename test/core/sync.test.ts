import { QueryClient, QueryObserver } from '@tanstack/query-core';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createRealtimeClient, type EventReaction, type RealtimeClient, type RealtimeClientOptions } from '../../src';
import { ReactionHandler } from '../../src/core/invalidation';
import { createFakeEcho, type FakeAuthDecision, type FakeEchoOptions } from '../../src/testing';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A client on a fake server whose auth answers can be held back per channel, and a server database. */
function world(options: { fake?: FakeEchoOptions; client?: Partial<RealtimeClientOptions> } = {}) {
  const held = new Map<string, () => void>();
  const holding = new Set<string>();
  const fake = createFakeEcho({
    authorize: ({ channel }) =>
      holding.has(channel) ? new Promise<FakeAuthDecision>((resolve) => held.set(channel, () => resolve(true))) : true,
    ...options.fake,
  });
  const client = createRealtimeClient({ echo: fake.echo, ...options.client });
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  const db: Record<string, number> = {};
  const fetches: Record<string, number> = {};
  const invalidated: string[] = [];
  const original = queryClient.invalidateQueries.bind(queryClient);
  queryClient.invalidateQueries = ((filters?: { queryKey?: unknown[] }, opts?: unknown) => {
    invalidated.push(String(filters?.queryKey?.[0]));
    return original(filters as never, opts as never);
  }) as typeof queryClient.invalidateQueries;

  /** A mounted query on `[name]` whose data is the server's current value. */
  function watch(name: string) {
    db[name] ??= 1;
    const observer = new QueryObserver(queryClient, {
      queryKey: [name],
      queryFn: async () => {
        fetches[name] = (fetches[name] ?? 0) + 1;
        return db[name];
      },
    });
    observer.subscribe(() => {});
  }
  function bind(channel: string, event: string, reaction: EventReaction<unknown>) {
    const handler = new ReactionHandler(client, queryClient, { current: reaction as never }, channel, event);
    const lease = client.acquire({ channel, type: 'private' });
    lease.listen(event, handler);
    return lease;
  }
  const data = (name: string) => queryClient.getQueryData([name]);
  /** Lets everything asynchronous happen, and every coalescing window close. */
  const settle = async () => {
    await fake.flush();
    await vi.advanceTimersByTimeAsync(1000);
  };
  return { fake, client: client as RealtimeClient, queryClient, db, fetches, invalidated, held, holding, watch, bind, data, settle };
}

describe('refetchOnSubscribe: the gap between a query\'s fetch and its channel\'s confirmation', () => {
  test('an event sent while the subscription is being authorised is reflected once the channel is confirmed', async () => {
    const w = world();
    w.holding.add('private-orders');
    w.watch('orders');
    w.bind('orders', '.OrderChanged', { invalidate: ['orders'] });
    await w.settle();
    expect(w.data('orders')).toBe(1); // fetched while auth is still out
    w.db.orders = 2;
    expect(w.fake.emit('private-orders', '.OrderChanged', {})).toBe(0); // not subscribed yet: lost on the wire
    w.held.get('private-orders')!();
    await w.settle();
    expect(w.data('orders')).toBe(2);
    expect(w.fetches.orders).toBe(2);
  });

  test.each([
    ['the client', { client: { defaults: { refetchOnSubscribe: false } } }, {}],
    ['the binding', {}, { refetchOnSubscribe: false }],
  ])('refetchOnSubscribe: false on %s skips it (and the update stays lost)', async (_where, options, binding) => {
    const w = world(options);
    w.holding.add('private-orders');
    w.watch('orders');
    w.bind('orders', '.OrderChanged', { invalidate: ['orders'], ...binding });
    await w.settle();
    w.db.orders = 2;
    w.held.get('private-orders')!();
    await w.settle();
    expect(w.data('orders')).toBe(1);
    expect(w.fetches.orders).toBe(1);
  });

  test('a channel that is already subscribed refetches nothing for a component mounted later', async () => {
    const w = world();
    w.watch('orders');
    w.bind('orders', '.OrderChanged', { invalidate: ['orders'] });
    await w.settle();
    const before = w.fetches.orders;
    w.watch('orders-late');
    w.bind('orders', '.OrderNoted', { invalidate: ['orders-late'] });
    await w.settle();
    expect(w.fetches).toEqual({ orders: before, 'orders-late': 1 });
  });
});

describe('channels confirmed the moment they are acquired', () => {
  test('a channel the app already subscribed on a shared Echo still refetches its keys', async () => {
    const w = world();
    w.fake.echo.private('orders').listen('.Other', () => {}); // the app's own listener
    w.watch('orders');
    await w.settle();
    w.bind('orders', '.OrderChanged', { invalidate: ['orders'] }); // confirmed inside acquire()
    await w.settle();
    expect(w.invalidated).toEqual(['orders']);
  });

  test('on the null broadcaster too', async () => {
    const Echo = (await import('laravel-echo')).default;
    const client = createRealtimeClient({ echo: new Echo({ broadcaster: 'null' }) });
    const queryClient = new QueryClient();
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    const handler = new ReactionHandler(client, queryClient, { current: { invalidate: ['orders'] } }, 'orders', '.X');
    client.acquire({ channel: 'orders' }).listen('.X', handler);
    await vi.advanceTimersByTimeAsync(0);
    expect(invalidate.mock.calls.map(([f]) => f?.queryKey)).toEqual([['orders']]);
    client.dispose();
  });
});

describe('recovery after a drop, channel by channel', () => {
  test('a slow re-authorisation holds back only its own keys; a key kept by two channels waits for both', async () => {
    const onReconnect = vi.fn();
    const w = world({ client: { onReconnect, defaults: { refetchOnSubscribe: false } } });
    for (const name of ['slow', 'fast', 'shared']) w.watch(name);
    w.bind('slow', '.Changed', { invalidate: ['slow'] });
    w.bind('slow', '.SharedChanged', { invalidate: ['shared'] });
    w.bind('fast', '.Changed', { invalidate: ['fast'] });
    w.bind('fast', '.SharedChanged', { invalidate: ['shared'] });
    await w.settle();
    expect(w.invalidated).toEqual([]);

    w.fake.setConnectionState('unavailable');
    w.holding.add('private-slow');
    w.fake.setConnectionState('connected');
    await w.settle();
    // `fast` is confirmed again: its own key is refetched now, not when `slow` answers.
    expect(w.invalidated).toEqual(['fast']);
    expect(onReconnect).not.toHaveBeenCalled();

    w.held.get('private-slow')!();
    await w.settle();
    expect(w.invalidated.sort()).toEqual(['fast', 'shared', 'slow']);
    expect(onReconnect).toHaveBeenCalledTimes(1);
  });

  test('a channel released while unconfirmed stops holding back a shared key at once, not after its grace period', async () => {
    const w = world({ client: { defaults: { refetchOnSubscribe: true } } });
    w.holding.add('private-b');
    w.watch('k');
    w.bind('a', '.Changed', { invalidate: ['k'] });
    const b = w.bind('b', '.Changed', { invalidate: ['k'] });
    await w.fake.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(w.invalidated).toEqual([]); // `a` is confirmed; `k` waits for `b`
    b.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(w.invalidated).toEqual(['k']);
  });

  test('a channel that never answers holds its keys back 10 s at most', async () => {
    const onReconnect = vi.fn();
    const w = world({ client: { onReconnect, defaults: { refetchOnSubscribe: false } } });
    w.watch('stuck');
    w.bind('stuck', '.Changed', { invalidate: ['stuck'] });
    await w.settle();
    w.fake.setConnectionState('unavailable');
    w.holding.add('private-stuck');
    w.fake.setConnectionState('connected');
    await w.settle();
    expect(w.invalidated).toEqual([]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(w.invalidated).toEqual(['stuck']);
    expect(onReconnect).toHaveBeenCalledTimes(1);
    // When it does answer at last, its keys are refetched again: events were lost until then.
    w.held.get('private-stuck')!();
    await w.settle();
    expect(w.invalidated).toEqual(['stuck', 'stuck']);
  });

  test('a refused channel does not hold back the others', async () => {
    const onReconnect = vi.fn();
    const w = world({ client: { onReconnect, defaults: { refetchOnSubscribe: false }, onError: () => {} } });
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // the 403's development warning
    w.watch('ok');
    w.bind('ok', '.Changed', { invalidate: ['ok'] });
    w.bind('refused', '.Changed', { invalidate: ['ok'] });
    await w.settle();
    w.fake.setConnectionState('unavailable');
    w.fake.failAuth('private-refused');
    w.fake.setConnectionState('connected');
    await w.fake.flush();
    expect(w.invalidated).toEqual(['ok']);
    expect(onReconnect).toHaveBeenCalledTimes(1);
  });
});

describe('closing the socket on purpose', () => {
  test('keys waiting for a channel are not refetched over a closed socket; the next connection refetches them', async () => {
    const w = world();
    w.holding.add('private-b');
    w.watch('k');
    w.bind('a', '.Changed', { invalidate: ['k'] });
    w.bind('b', '.Changed', { invalidate: ['k'] });
    await w.settle(); // `a` confirmed: `k` waits for `b`
    w.client.disconnect();
    await vi.advanceTimersByTimeAsync(20_000); // past the 10 s cap
    expect(w.invalidated).toEqual([]);
    w.holding.clear();
    w.client.connect();
    await w.settle();
    expect(w.invalidated).toEqual(['k']);
  });

  test('dispose() during a recovery round: no late onReconnect and no refetch', async () => {
    const onReconnect = vi.fn();
    const w = world({ client: { onReconnect, defaults: { refetchOnSubscribe: false } } });
    w.watch('k');
    w.bind('a', '.Changed', { invalidate: ['k'] });
    w.bind('b', '.Changed', { invalidate: ['k'] });
    await w.settle();
    w.fake.setConnectionState('unavailable');
    w.holding.add('private-b');
    w.fake.setConnectionState('connected');
    await w.fake.flush(); // `a` is confirmed again; `k` and the round wait for `b`
    w.client.dispose();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(onReconnect).not.toHaveBeenCalled();
    expect(w.invalidated).toEqual([]);
  });
});

describe('logout, then login as someone else', () => {
  test("the previous user's channel, released but still in its grace period, is never re-joined", async () => {
    const fake = createFakeEcho();
    let token = 'alice';
    const client = createRealtimeClient({
      echo: { broadcaster: 'pusher', key: 'k', Pusher: fake.Pusher },
      getToken: () => token,
      leaveGraceMs: 1000,
    });
    const alice = client.acquire({ channel: 'user.1', type: 'private' });
    await fake.flush();
    alice.release(); // logout: the page unmounts first, the grace period starts...
    token = 'bob';
    client.reconnect(); // ...then the app reconnects for the next user
    const bob = client.acquire({ channel: 'user.2', type: 'private' });
    await fake.flush();
    await vi.advanceTimersByTimeAsync(2000);
    expect(fake.authRequests.map((r) => [r.channel, r.headers.Authorization])).toEqual([
      ['private-user.1', 'Bearer alice'],
      ['private-user.2', 'Bearer bob'],
    ]);
    expect(fake.subscribedChannels()).toEqual(['private-user.2']);
    bob.release();
    client.dispose();
  });
});
