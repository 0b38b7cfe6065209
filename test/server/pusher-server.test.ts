// The test server against real pusher-js (Node build) and the official `pusher` SDK.
import Pusher from 'pusher-js';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { LaravelAppStub } from './laravel-app';
import { PusherTestServer } from './pusher-server';

let server: PusherTestServer;
let app: LaravelAppStub;
const clients: Pusher[] = [];

type ChannelAuthorization = ConstructorParameters<typeof Pusher>[1]['channelAuthorization'];

function connect(token: string | null = 'ann-token', channelAuthorization?: ChannelAuthorization) {
  const client = new Pusher(server.key, {
    cluster: '',
    wsHost: server.host,
    wsPort: server.port,
    forceTLS: false,
    enabledTransports: ['ws'],
    channelAuthorization: channelAuthorization ?? {
      endpoint: app.authEndpoint,
      transport: 'ajax',
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    },
  });
  clients.push(client);
  return client;
}

beforeEach(async () => {
  server = await new PusherTestServer().start();
  app = await new LaravelAppStub({
    server,
    users: { 'ann-token': { id: 1, name: 'Ann' }, 'bob-token': { id: 2, name: 'Bob' }, 'cy-token': { id: 3, name: 'Cy' } },
    channels: [
      { pattern: 'orders.{id}', authorize: (user, { id }) => user.id === 1 && id === '7' },
      { pattern: 'room.{id}', authorize: (user) => ({ id: user.id, name: user.name }) },
      { pattern: 'secrets', authorize: () => true },
    ],
  }).start();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await server.stop();
  await app.stop();
});

describe('PusherTestServer with pusher-js', () => {
  test('public, private and encrypted channels: auth checked by HMAC, events from the SDK delivered', async () => {
    const client = connect();
    const got: unknown[] = [];
    client.subscribe('news').bind('Published', (d: unknown) => got.push(['news', d]));
    client.subscribe('private-orders.7').bind('Shipped', (d: unknown) => got.push(['order', d]));
    client.subscribe('private-encrypted-secrets').bind('Leaked', (d: unknown) => got.push(['secret', d]));
    await vi.waitFor(() => expect(server.subscribers('private-encrypted-secrets')).toHaveLength(1), { timeout: 5000 });
    await vi.waitFor(() => expect(server.subscribers('private-orders.7')).toHaveLength(1));
    await vi.waitFor(() => expect(server.subscribers('news')).toHaveLength(1));
    await app.broadcast('news', 'Published', { id: 1 });
    await app.broadcast('private-orders.7', 'Shipped', { id: 7 });
    await app.broadcast('private-encrypted-secrets', 'Leaked', { code: 42 });
    await vi.waitFor(() => expect(got).toHaveLength(3));
    expect(got).toEqual([['news', { id: 1 }], ['order', { id: 7 }], ['secret', { code: 42 }]]);
    // The encrypted payload crossed the server as ciphertext.
    expect(JSON.parse(server.triggered.at(-1)?.data ?? '{}')).toEqual({ nonce: expect.any(String), ciphertext: expect.any(String) });
  });

  test('a refused channel gets a 403 from the app and no subscription', async () => {
    const client = connect('bob-token');
    const errors: unknown[] = [];
    client.subscribe('private-orders.7').bind('pusher:subscription_error', (e: unknown) => errors.push(e));
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({ type: 'AuthError', status: 403 });
    expect(app.authLog).toMatchObject([{ channel: 'private-orders.7', token: 'bob-token', status: 403 }]);
    expect(server.subscribers('private-orders.7')).toEqual([]);
  });

  test('a forged signature is rejected by the server', async () => {
    const client = connect(null, { customHandler: (_p, cb) => cb(null, { auth: `${server.key}:deadbeef` }) });
    const errors: unknown[] = [];
    client.subscribe('private-orders.7').bind('pusher:subscription_error', (e: unknown) => errors.push(e));
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({ type: 'AuthError', status: 401 });
  });

  test('presence: members per user, added and removed once per user, whispers to the others only', async () => {
    const ann1 = connect('ann-token');
    const ann2 = connect('ann-token');
    const bob = connect('bob-token');
    const seen: string[] = [];
    const bobRoom = bob.subscribe('presence-room.1');
    bobRoom.bind('pusher:member_added', (m: { id: string }) => seen.push(`added ${m.id}`));
    bobRoom.bind('pusher:member_removed', (m: { id: string }) => seen.push(`removed ${m.id}`));
    bobRoom.bind('client-typing', (d: { who: string }) => seen.push(`typing ${d.who}`));
    await vi.waitFor(() => expect(server.subscribers('presence-room.1')).toHaveLength(1));
    ann1.subscribe('presence-room.1');
    ann2.subscribe('presence-room.1');
    await vi.waitFor(() => expect(server.subscribers('presence-room.1')).toHaveLength(3));
    expect(server.presenceMembers('presence-room.1')).toEqual([{ id: 2, name: 'Bob' }, { id: 1, name: 'Ann' }]);
    ann1.channel('presence-room.1').trigger('client-typing', { who: 'ann' });
    await vi.waitFor(() => expect(seen).toContain('typing ann'));
    ann1.unsubscribe('presence-room.1');
    await vi.waitFor(() => expect(server.subscribers('presence-room.1')).toHaveLength(2));
    ann2.disconnect();
    await vi.waitFor(() => expect(seen).toContain('removed 1'));
    expect(seen).toEqual(['added 1', 'typing ann', 'removed 1']);
  });

  test("holdMemberLists(): a cluster's order, member events before the list computed earlier (raw pusher-js then lists the wrong members)", async () => {
    const room = 'presence-room.1';
    const ids = () => server.presenceMembers(room).map((m) => (m as { id: number }).id);
    const ann = connect('ann-token');
    ann.subscribe(room);
    await vi.waitFor(() => expect(ids()).toEqual([1]), { timeout: 5000 });
    const release = server.holdMemberLists();
    const bob = connect('bob-token');
    const frames: string[] = [];
    bob.connection.bind('message', (e: { event: string; channel?: string; data: { user_id?: string; presence?: { ids: string[] } } }) => {
      if (e.channel === room) frames.push(`${e.event} ${e.data.user_id ?? e.data.presence?.ids.join(',')}`);
    });
    const bobRoom = bob.subscribe(room) as unknown as { subscribed: boolean; members: { members: Record<string, unknown> } };
    await vi.waitFor(() => expect(ids()).toEqual([1, 2]), { timeout: 5000 });
    connect('cy-token').subscribe(room); // joins after Bob's list was computed
    await vi.waitFor(() => expect(ids()).toEqual([1, 2, 3]), { timeout: 5000 });
    ann.unsubscribe(room); // leaves after it too
    await vi.waitFor(() => expect(frames).toEqual(['pusher_internal:member_added 3', 'pusher_internal:member_removed 1']));
    expect(bobRoom.subscribed).toBe(false);

    release();
    await vi.waitFor(() => expect(bobRoom.subscribed).toBe(true));
    expect(frames[2]).toBe('pusher_internal:subscription_succeeded 1,2');
    // pusher-js replaces its members with the list: Cy, who is there, is lost; Ann, who left, stays.
    expect(ids()).toEqual([2, 3]);
    expect(Object.keys(bobRoom.members.members)).toEqual(['1', '2']);
    // Released, lists go out at once again.
    const cy2 = connect('cy-token').subscribe(room) as unknown as { subscribed: boolean };
    await vi.waitFor(() => expect(cy2.subscribed).toBe(true), { timeout: 5000 });
  });

  test('raw protocol: ping / pong, 4001 for an unknown key, 4007 for an old protocol, client events only on private channels', async () => {
    const { WebSocket } = await import('ws');
    const open = (path: string) =>
      new Promise<{ frames: any[]; ws: InstanceType<typeof WebSocket>; closed: Promise<number> }>((resolve) => {
        const ws = new WebSocket(`ws://${server.host}:${server.port}${path}`);
        const frames: any[] = [];
        const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
        ws.on('message', (m) => frames.push(JSON.parse(m.toString())));
        ws.on('open', () => resolve({ frames, ws, closed }));
      });
    const bad = await open('/app/nope?protocol=7');
    expect(await bad.closed).toBe(4001);
    const old = await open(`/app/${server.key}?protocol=4`);
    expect(await old.closed).toBe(4007);

    const { ws, frames } = await open(`/app/${server.key}?protocol=7&client=js&version=8.4.0`);
    await vi.waitFor(() => expect(frames[0]?.event).toBe('pusher:connection_established'));
    expect(JSON.parse(frames[0].data)).toMatchObject({ activity_timeout: 30, socket_id: expect.stringMatching(/^\d+\.\d+$/) });
    ws.send(JSON.stringify({ event: 'pusher:ping', data: {} }));
    await vi.waitFor(() => expect(frames.map((f) => f.event)).toContain('pusher:pong'));
    ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: 'news' } }));
    ws.send(JSON.stringify({ event: 'client-hi', channel: 'news', data: {} }));
    await vi.waitFor(() => expect(frames.at(-1)).toMatchObject({ event: 'pusher:error' }));
    expect(frames.at(-1).data.message).toContain('only supported on private and presence channels');
    ws.close();
  });

  test('toOthers() skips the sender', async () => {
    const a = connect();
    const b = connect();
    const got: string[] = [];
    a.subscribe('news').bind('Published', () => got.push('a'));
    b.subscribe('news').bind('Published', () => got.push('b'));
    await vi.waitFor(() => expect(server.subscribers('news')).toHaveLength(2));
    await app.broadcast('news', 'Published', {}, a.connection.socket_id);
    await vi.waitFor(() => expect(got).toEqual(['b']));
    const channels = await fetch(`http://${server.host}:${server.port}/apps/1/channels`);
    expect(channels.status).toBe(401); // unsigned
  });

  test('the HTTP API checks signatures and reports channels', async () => {
    const bad = await fetch(`http://${server.host}:${server.port}/apps/1/events?auth_key=app-key&auth_timestamp=${Math.floor(Date.now() / 1000)}&auth_version=1.0&auth_signature=00`, {
      method: 'POST',
      body: JSON.stringify({ name: 'x', data: '{}', channels: ['news'] }),
    });
    expect(bad.status).toBe(401);
    const client = connect();
    client.subscribe('presence-room.1');
    await vi.waitFor(() => expect(server.subscribers('presence-room.1')).toHaveLength(1));
    const sdk = new (await import('pusher')).default({
      appId: server.appId, key: server.key, secret: server.secret, host: server.host, port: String(server.port), useTLS: false,
    });
    const res = await sdk.get({ path: '/channels', params: { info: 'user_count' } });
    expect(await res.json()).toEqual({ channels: { 'presence-room.1': { user_count: 1 } } });
    // What pusher-php-server's getPresenceUsers() and getChannelInfo() call.
    const users = await sdk.get({ path: '/channels/presence-room.1/users' });
    expect(await users.json()).toEqual({ users: [{ id: '1' }] });
    const info = await sdk.get({ path: '/channels/presence-room.1', params: { info: 'user_count,subscription_count' } });
    expect(await info.json()).toEqual({ occupied: true, subscription_count: 1, user_count: 1 });
    const notPresence = await sdk.get({ path: '/channels/news/users' }).catch((e: { status?: number }) => e);
    expect((notPresence as { status?: number }).status).toBe(400);
  });

  test('test hooks: one connection dropped (pusher-js comes back by itself), every auth failing', async () => {
    const a = connect();
    const b = connect();
    a.subscribe('news');
    b.subscribe('news');
    await vi.waitFor(() => expect(server.subscribers('news')).toHaveLength(2));
    const dropped = a.connection.socket_id;
    server.dropConnection(dropped);
    expect(server.subscribers('news')).toEqual([b.connection.socket_id]);
    await vi.waitFor(() => expect(server.subscribers('news')).toHaveLength(2), { timeout: 10_000 });
    expect(server.subscribers('news')).not.toContain(dropped);

    app.failAuthWith = 500;
    const errors: unknown[] = [];
    b.subscribe('private-orders.7').bind('pusher:subscription_error', (e: unknown) => errors.push(e));
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({ type: 'AuthError', status: 500 });
  });

  test('counts frames, answers pings, and restarts on the same port', async () => {
    const client = connect();
    client.subscribe('news');
    await vi.waitFor(() => expect(server.frameCount('pusher:subscribe', 'news')).toBe(1));
    const port = server.port;
    const states: string[] = [];
    client.connection.bind('state_change', (s: { current: string }) => states.push(s.current));
    await server.restart();
    expect(server.port).toBe(port);
    await vi.waitFor(() => expect(server.subscribers('news')).toHaveLength(1), { timeout: 10_000 });
    expect(states).toContain('connecting');
  });
});
