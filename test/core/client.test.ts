import { QueryClient } from '@tanstack/query-core';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createRealtimeClient, RealtimeError, type CoalesceOptions, type EventHandler } from '../../src';
import type { SyncingHandler } from '../../src/core/invalidation';
import { socketIo } from '../../src/socket.io';
import { createFakeEcho } from '../../src/testing';

function handler(fn: (payload: unknown) => void): EventHandler {
  return { handle: fn };
}

/** A handler that keeps `keys` up to date (what a binding with a static `invalidate` is). */
function syncing(queryClient: QueryClient, keys: unknown[][], options: CoalesceOptions = {}): SyncingHandler {
  return { handle: () => {}, sync: () => ({ target: queryClient, keys, options }) };
}

function make(options: Parameters<typeof createRealtimeClient>[0] extends infer O ? Partial<O> : never = {}) {
  const fake = createFakeEcho();
  const errors: RealtimeError[] = [];
  const client = createRealtimeClient({ echo: fake.echo, onError: (e) => errors.push(e), ...options });
  return { fake, client, errors };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('channel registry', () => {
  test('one Echo subscription and one listener per channel event, however many holders', async () => {
    const { fake, client } = make();
    const seen: number[] = [];
    const leases = Array.from({ length: 50 }, (_, i) => {
      const lease = client.acquire({ channel: 'orders', type: 'private' });
      lease.listen('.OrderShipped', handler(() => seen.push(i)));
      return lease;
    });
    await fake.flush();
    expect(fake.stats('private-orders')).toMatchObject({ subscribes: 1, authRequests: 1, listeners: 4 });
    // 4 = one fan-out listener for the event + the subscription_succeeded / _error bindings + (in
    // development builds) the global one that warns about events heard under another spelling.
    fake.emit('private-orders', '.OrderShipped', {});
    expect(seen).toHaveLength(50);
    for (const lease of leases) lease.release();
  });

  test('releasing twice cannot take away another holder\'s subscription', async () => {
    vi.useFakeTimers();
    const { fake, client } = make({ leaveGraceMs: 100 });
    const a = client.acquire({ channel: 'orders', type: 'public' });
    const b = client.acquire({ channel: 'orders', type: 'public' });
    const seen: string[] = [];
    b.listen('.Ping', handler(() => seen.push('b')));
    a.release();
    a.release();
    a.release();
    vi.advanceTimersByTime(1000);
    await fake.flush();
    fake.emit('orders', '.Ping');
    expect(seen).toEqual(['b']);
    expect(fake.stats('orders').unsubscribes).toBe(0);
    b.release();
    vi.advanceTimersByTime(100);
    expect(fake.subscribedChannels()).toEqual([]);
  });

  test('the last release leaves after the grace period, and a re-acquire within it keeps the channel', async () => {
    vi.useFakeTimers();
    const { fake, client } = make({ leaveGraceMs: 500 });
    client.acquire({ channel: 'orders', type: 'private' }).release();
    await fake.flush();
    vi.advanceTimersByTime(400);
    const again = client.acquire({ channel: 'orders', type: 'private' });
    vi.advanceTimersByTime(1000);
    expect(fake.stats('private-orders')).toMatchObject({ subscribes: 1, unsubscribes: 0, authRequests: 1 });
    again.release();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(500);
    expect(fake.stats('private-orders')).toMatchObject({ unsubscribes: 1, subscribed: 0, listeners: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a re-acquire during the grace period cancels the pending leave, and the next release starts a new one', async () => {
    vi.useFakeTimers();
    const { fake, client } = make({ leaveGraceMs: 500 });
    client.acquire({ channel: 'orders' }).release(); // t=0: leave due at 500
    await fake.flush();
    await vi.advanceTimersByTimeAsync(400);
    const again = client.acquire({ channel: 'orders' }); // t=400
    await vi.advanceTimersByTimeAsync(50);
    again.release(); // t=450: leave due at 950, not 500
    await vi.advanceTimersByTimeAsync(150);
    expect(fake.stats('private-orders')).toMatchObject({ unsubscribes: 0, subscribed: 1 });
    await vi.advanceTimersByTimeAsync(400);
    expect(fake.stats('private-orders')).toMatchObject({ unsubscribes: 1, subscribed: 0 });
  });

  test('the default type is private', async () => {
    const { fake, client } = make();
    client.acquire({ channel: 'inbox' });
    await fake.flush();
    expect(fake.subscribedChannels()).toEqual(['private-inbox']);
    expect(fake.stats('private-inbox').authRequests).toBe(1);
  });

  test('channel types map to Echo prefixes and are separate channels', async () => {
    const { fake, client } = make();
    for (const type of ['public', 'private', 'presence', 'encrypted'] as const) client.acquire({ channel: 'room.1', type });
    await fake.flush();
    expect(fake.subscribedChannels()).toEqual([
      'presence-room.1',
      'private-encrypted-room.1',
      'private-room.1',
      'room.1',
    ]);
  });

  test('a channel released while its re-subscription is pending is not re-joined by a later reconnect', async () => {
    const { fake, client } = make({ leaveGraceMs: 0 });
    const lease = client.acquire({ channel: 'orders', type: 'private' });
    await fake.flush();
    fake.setConnectionState('unavailable');
    fake.setConnectionState('connected'); // re-auth pending...
    lease.release(); // ...when the component goes away: pusher-js only marks it cancelled
    fake.setConnectionState('unavailable'); // and the ack never comes
    fake.setConnectionState('connected');
    await fake.flush();
    expect(fake.subscribedChannels()).toEqual([]);
    expect(client.channels.size).toBe(0);
    expect(fake.stats('private-orders').authRequests).toBe(2);
  });

  test('after dispose, acquire hands out an inert lease and subscribes nothing', async () => {
    const { fake, client } = make();
    client.dispose();
    const lease = client.acquire({ channel: 'after', type: 'public' });
    lease.listen('.X', handler(() => {}));
    await fake.flush();
    expect(fake.subscribedChannels()).toEqual([]);
    lease.release();
  });

  test("an Echo instance on the null broadcaster counts as subscribed", async () => {
    const Echo = (await import('laravel-echo')).default;
    const client = createRealtimeClient({ echo: new Echo({ broadcaster: 'null' }) });
    client.acquire({ channel: 'orders', type: 'private' });
    expect(client.channels.getSnapshot({ channel: 'orders', type: 'private' }).status).toBe('subscribed');
    client.dispose();
  });

  test('bad channel input is a clear error, not a crash inside a socket callback', () => {
    const { client } = make();
    expect(() => client.acquire({ channel: '' })).toThrow(RealtimeError);
    expect(() => client.acquire({ channel: 'x', type: 'privat' as never })).toThrow(/Unknown channel type/);
  });
});

describe('handlers and errors', () => {
  test('a throwing handler reaches onError and the other handlers still run', async () => {
    const { fake, client, errors } = make();
    const lease = client.acquire({ channel: 'orders', type: 'public' });
    const seen: unknown[] = [];
    lease.listen('.OrderShipped', handler(() => {
      throw new Error('boom');
    }));
    lease.listen('.OrderShipped', handler((p) => seen.push(p)));
    await fake.flush();
    expect(() => fake.emit('orders', '.OrderShipped', { id: 1 })).not.toThrow();
    expect(seen).toEqual([{ id: 1 }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'handler', channel: 'orders', event: 'OrderShipped', payload: { id: 1 } });
    expect(errors[0].message).toContain('boom');
  });

  test('an onError that throws is contained too', async () => {
    const fake = createFakeEcho();
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = createRealtimeClient({
      echo: fake.echo,
      onError: () => {
        throw new Error('bad onError');
      },
    });
    client.acquire({ channel: 'orders', type: 'public' }).listen('.X', handler(() => {
      throw new Error('bad handler');
    }));
    await fake.flush();
    expect(() => fake.emit('orders', '.X', null)).not.toThrow();
    expect(log).toHaveBeenCalled();
  });

  test('event names follow Echo: `.Name` verbatim, `Name` under App\\Events, dotted names namespaced', async () => {
    const { fake, client } = make();
    const seen: string[] = [];
    const lease = client.acquire({ channel: 'orders', type: 'public' });
    lease.listen('.OrderShipped', handler(() => seen.push('.OrderShipped')));
    lease.listen('OrderShipped', handler(() => seen.push('OrderShipped')));
    lease.listen('Orders.Shipped', handler(() => seen.push('Orders.Shipped')));
    await fake.flush();
    fake.emit('orders', '.OrderShipped'); // broadcastAs('OrderShipped')
    fake.emit('orders', '.App\\Events\\OrderShipped'); // no broadcastAs
    fake.emit('orders', '.App\\Events\\Orders\\Shipped');
    expect(seen).toEqual(['.OrderShipped', 'OrderShipped', 'Orders.Shipped']);
  });
});

describe('connection status', () => {
  test('maps pusher-js states: a drop is reconnecting, unavailable is not failed', async () => {
    const { fake, client } = make();
    const seen: string[] = [];
    client.subscribe(() => seen.push(client.getConnectionStatus()));
    expect(client.getConnectionStatus()).toBe('idle');
    client.connect();
    expect(client.getConnectionStatus()).toBe('connecting');
    await fake.flush();
    expect(client.getConnectionStatus()).toBe('connected');
    fake.setConnectionState('connecting');
    fake.setConnectionState('unavailable');
    expect(client.getConnectionStatus()).toBe('reconnecting');
    fake.setConnectionState('connected');
    fake.setConnectionState('failed');
    expect(seen).toEqual(['connecting', 'connected', 'reconnecting', 'connected', 'failed']);
  });

  test('unavailable before ever connecting is still connecting', async () => {
    const fake = createFakeEcho({ connectionState: 'unavailable' });
    const client = createRealtimeClient({ echo: fake.echo });
    client.connect();
    await fake.flush();
    expect(client.getConnectionStatus()).toBe('connecting');
  });

  test('socket id and X-Socket-ID header follow the connection', async () => {
    const { fake, client } = make();
    expect(client.getSocketIdHeader()).toEqual({});
    client.connect();
    await fake.flush();
    const first = client.getSocketId();
    expect(first).toMatch(/^\d+\.\d+$/);
    expect(client.getSocketIdHeader()).toEqual({ 'X-Socket-ID': first });
    fake.setConnectionState('unavailable');
    expect(client.getSocketId()).toBeUndefined();
    fake.setConnectionState('connected');
    expect(client.getSocketId()).not.toBe(first);
  });
});

describe('reconnect recovery', () => {
  test('after a drop, bound keys are invalidated once (coalesced, prefixes covering) and onReconnect gets the downtime', async () => {
    vi.useFakeTimers({ now: 0 });
    const onReconnect = vi.fn();
    const { fake, client } = make({ onReconnect, defaults: { refetchOnSubscribe: false } });
    const queryClient = new QueryClient();
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    const recovery = (keys: unknown[][]) => syncing(queryClient, keys);
    for (let i = 0; i < 20; i++) client.acquire({ channel: 'rooms' }).listen('.RoomsUpdated', recovery([['rooms']]));
    client.acquire({ channel: 'rooms' }).listen('.RoomBooked', recovery([['rooms', 3]]));
    client.acquire({ channel: 'venues' }).listen('.VenuesUpdated', recovery([['venues']]));
    await fake.flush();
    expect(invalidate).not.toHaveBeenCalled();
    fake.setConnectionState('unavailable');
    vi.advanceTimersByTime(5000);
    fake.setConnectionState('connected');
    // Nothing is refetched until the channels are confirmed again: events before that are lost too.
    expect(invalidate).not.toHaveBeenCalled();
    await fake.flush();
    await vi.advanceTimersByTimeAsync(1000); // count once every coalescing window has closed
    expect(invalidate.mock.calls.map(([f]) => f?.queryKey)).toEqual([['rooms'], ['venues']]);
    expect(onReconnect).toHaveBeenCalledTimes(1);
    expect(onReconnect.mock.calls[0][0]).toMatchObject({ downtimeMs: 5000, disconnectedAt: new Date(0) });
    client.dispose();
  });
});

describe('credentials and lifecycle', () => {
  test('the token getter is read at every auth request; reconnect() closes the old socket and re-joins only held channels', async () => {
    const fake = createFakeEcho();
    let token = 'alice-token';
    const client = createRealtimeClient({
      echo: { broadcaster: 'reverb', key: 'app-key', wsHost: 'localhost', Pusher: fake.Pusher },
      getToken: () => token,
    });
    const alice = client.acquire({ channel: 'user.1', type: 'private' });
    const shared = client.acquire({ channel: 'announcements', type: 'public' });
    await fake.flush();
    expect(fake.authRequests.map((r) => [r.channel, r.headers.Authorization])).toEqual([
      ['private-user.1', 'Bearer alice-token'],
    ]);

    // Logout, login as Bob: the app swaps the token and reconnects; Alice's component unmounts.
    token = 'bob-token';
    client.reconnect();
    alice.release();
    const bob = client.acquire({ channel: 'user.2', type: 'private' });
    await fake.flush();
    expect(fake.openConnections).toBe(1);
    expect(fake.authRequests.map((r) => [r.channel, r.headers.Authorization])).toEqual([
      ['private-user.1', 'Bearer alice-token'],
      ['private-user.2', 'Bearer bob-token'],
    ]);
    expect(fake.subscribedChannels()).toEqual(['announcements', 'private-user.2']);
    bob.release();
    shared.release();
    client.dispose();
  });

  test("auth requests keep Echo's CSRF header and the app's auth.headers next to the token", async () => {
    const fake = createFakeEcho();
    const client = createRealtimeClient({
      echo: { broadcaster: 'reverb', key: 'k', Pusher: fake.Pusher, csrfToken: 'csrf-1', auth: { headers: { 'X-Tenant': 'acme' } } },
      getToken: () => 'tok',
    });
    client.acquire({ channel: 'orders' });
    await fake.flush();
    expect(fake.authRequests[0].headers).toMatchObject({ 'X-CSRF-TOKEN': 'csrf-1', 'X-Tenant': 'acme', Authorization: 'Bearer tok' });
    client.dispose();
  });

  test('each client has its own auth headers: two users on one page do not share a token', async () => {
    const fake = createFakeEcho();
    const make = (token: string) =>
      createRealtimeClient({ echo: { broadcaster: 'reverb', key: 'k', Pusher: fake.Pusher, bearerToken: token } });
    const a = make('a');
    const b = make('b');
    a.acquire({ channel: 'user.a' });
    b.acquire({ channel: 'user.b' });
    await fake.flush();
    expect(fake.authRequests.map((r) => [r.channel, r.headers.Authorization])).toEqual([
      ['private-user.a', 'Bearer a'],
      ['private-user.b', 'Bearer b'],
    ]);
    a.dispose();
    b.dispose();
  });

  test('disconnect() closes the socket for good: new subscriptions wait for connect(), then join', async () => {
    const { fake, client } = make();
    client.acquire({ channel: 'a', type: 'public' });
    await fake.flush();
    client.disconnect();
    expect(client.getConnectionStatus()).toBe('disconnected');
    expect(fake.openConnections).toBe(0);
    client.acquire({ channel: 'b', type: 'public' });
    await fake.flush();
    expect(fake.openConnections).toBe(0);
    expect(fake.subscribedChannels()).toEqual([]);
    client.connect();
    await fake.flush();
    expect(client.getConnectionStatus()).toBe('connected');
    expect(fake.subscribedChannels()).toEqual(['a', 'b']);
  });

  test('a missing key turns realtime off: no socket, no throw, status idle', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const fake = createFakeEcho();
    const client = createRealtimeClient({ echo: { broadcaster: 'reverb', key: undefined, Pusher: fake.Pusher } });
    expect(client.enabled).toBe(false);
    client.connect();
    expect(client.getEcho()).toBeNull();
    expect(fake.openConnections).toBe(0);
    expect(client.getConnectionStatus()).toBe('idle');
    expect(warn).toHaveBeenCalledTimes(1);
  });

  test('creating a client opens nothing until connect()', () => {
    const fake = createFakeEcho();
    const client = createRealtimeClient({ echo: { broadcaster: 'pusher', key: 'k', Pusher: fake.Pusher } });
    expect(fake.openConnections).toBe(0);
    client.connect();
    expect(fake.openConnections).toBe(1);
    client.dispose();
    expect(fake.openConnections).toBe(0);
  });

  test('a broadcaster that cannot start reports a config error with a hint instead of throwing', () => {
    const errors: RealtimeError[] = [];
    const client = createRealtimeClient({ echo: { broadcaster: 'reverb', key: 'k' }, onError: (e) => errors.push(e) });
    expect(() => client.acquire({ channel: 'orders' })).not.toThrow();
    expect(client.getConnectionStatus()).toBe('failed');
    expect(errors[0]).toMatchObject({ code: 'config' });
    expect(errors[0].message).toContain("pass `Pusher` from 'pusher-js'");
    expect(client.channels.getSnapshot({ channel: 'orders', type: 'private' })).toMatchObject({ status: 'error' });
  });

  test('unknown broadcasters are rejected at creation', () => {
    expect(() => createRealtimeClient({ echo: { broadcaster: 'reverbb' as never } })).toThrow(/unknown broadcaster/);
  });

  test('socket.io needs socketIo(): a client without it refuses to start, saying so', () => {
    expect(() => createRealtimeClient({ echo: { broadcaster: 'socket.io', host: 'http://localhost:6001' } })).toThrow(/needs socketIo\(\).*echo-react-query\/socket\.io/);
    // An Echo the app made for socket.io, handed in as it is.
    const echo = { channel: () => ({}), leaveChannel: () => {}, options: { broadcaster: 'socket.io' } } as never;
    expect(() => createRealtimeClient({ echo })).toThrow(/needs socketIo\(\)/);
    expect(createRealtimeClient({ echo: socketIo(echo) }).enabled).toBe(true);
    expect(createRealtimeClient({ echo: socketIo({ host: 'http://localhost:6001' }) }).enabled).toBe(true);
  });

  test('a QueryClient is not retained once nothing is scheduled for it', async () => {
    const { client } = make({ defaults: { wait: 10 } });
    // Made outside this async function: its suspended frame would keep the last one alive itself.
    const refs = [1, 2, 3].map(() => {
      const queryClient = new QueryClient();
      client.invalidate({ queryClient, keys: ['k'] });
      return new WeakRef(queryClient);
    });
    await new Promise((resolve) => setTimeout(resolve, 30)); // every window closed
    collectGarbage(); // (a WeakRef keeps its target until the job that made it ends: it has)
    expect(refs.map((ref) => ref.deref() === undefined)).toEqual([true, true, true]);
  });

  test('dispose leaves every channel and removes every listener and timer', async () => {
    vi.useFakeTimers();
    const { fake, client } = make();
    const queryClient = new QueryClient();
    client.acquire({ channel: 'a', type: 'presence' }).listen('.X', handler(() => {}));
    client.acquire({ channel: 'b', type: 'private' });
    client.invalidate({ queryClient, keys: ['k'] });
    client.invalidate({ queryClient, keys: ['k'] });
    await fake.flush();
    expect(fake.listenerCount()).toBeGreaterThan(0);
    client.dispose();
    expect(fake.subscribedChannels()).toEqual([]);
    expect(fake.listenerCount()).toBe(0);
    expect(fake.connectionListenerCount()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

// Found by review: the edges of reconnect recovery.
describe('reconnect recovery edges', () => {
  test('a channel left while pending and joined again during a drop is subscribed on reconnect', async () => {
    const { fake, client } = make({ leaveGraceMs: 0 });
    client.connect();
    await fake.flush();
    client.acquire({ channel: 'orders', type: 'private' }).release(); // left while auth is pending: pusher-js marks it cancelled
    fake.setConnectionState('unavailable');
    const again = client.acquire({ channel: 'orders', type: 'private' }); // joined again while the socket is down
    fake.setConnectionState('connected');
    await fake.flush();
    expect(client.channels.getSnapshot({ channel: 'orders', type: 'private' }).status).toBe('subscribed');
    expect(fake.emit('private-orders', '.Ping', {})).toBe(1);
    again.release();
  });

  test('a recovery key TanStack cannot hash goes to onError; watchers still hear subscribed; onReconnect runs', async () => {
    const onReconnect = vi.fn();
    const { fake, client, errors } = make({ onReconnect });
    const queryClient = new QueryClient();
    const lease = client.acquire({ channel: 'orders', type: 'private' });
    lease.listen('.Ping', syncing(queryClient, [['orders', 1n]]));
    await fake.flush();
    const seen: string[] = [];
    client.channels.subscribe({ channel: 'orders', type: 'private' }, () => seen.push(client.channels.getSnapshot({ channel: 'orders', type: 'private' }).status));
    fake.setConnectionState('unavailable');
    fake.setConnectionState('connected');
    await fake.flush();
    expect(seen).toEqual(['subscribing', 'subscribed']);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining('Cannot refetch query key'),
      expect.stringContaining('Cannot refetch query key'),
    ]); // on the first confirmation, and again after the drop
    expect(onReconnect).toHaveBeenCalledTimes(1);
    lease.release();
  });

  test('disconnect() while a recovery waits cancels it; the next connection recovers once', async () => {
    const onReconnect = vi.fn();
    const { fake, client } = make({ onReconnect });
    const held = client.acquire({ channel: 'orders', type: 'private' });
    const released = client.acquire({ channel: 'drafts', type: 'private' });
    await fake.flush();
    fake.setConnectionState('unavailable');
    fake.setConnectionState('connected'); // recovery now waits for the re-subscriptions
    released.release(); // in its grace period: no longer waited for
    client.disconnect(); // while `orders` is still being re-authorised
    await fake.flush();
    expect(onReconnect).not.toHaveBeenCalled();
    client.connect();
    await fake.flush();
    expect(onReconnect).toHaveBeenCalledTimes(1);
    held.release();
  });

  test('one key recovered by bindings with different refetch types is refetched once, with the widest', async () => {
    const { fake, client } = make({ defaults: { refetchOnSubscribe: false } });
    const queryClient = new QueryClient();
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    const lease = client.acquire({ channel: 'orders', type: 'public' });
    for (const refetchType of ['active', 'all'] as const) {
      lease.listen(`.${refetchType}`, syncing(queryClient, [['orders']], { refetchType }));
    }
    await fake.flush();
    fake.setConnectionState('unavailable');
    fake.setConnectionState('connected');
    await fake.flush();
    expect(invalidate.mock.calls.map(([f]) => f)).toEqual([{ queryKey: ['orders'], refetchType: 'all' }]);
    lease.release();
  });
});

/** Node's garbage collector, reachable without --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
