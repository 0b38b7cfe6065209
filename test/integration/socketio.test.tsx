// Echo's socket.io broadcaster against a real laravel-echo-server (socket.io 2) and redis-server:
// the core scenarios, so the hooks are shown to work on both of Echo's network broadcasters.
import { useQuery } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import io from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createRealtimeClient, useConnectionStatus, usePresence, useRealtimeChannel, useRealtimeEvent, type RealtimeClient, type RealtimeError } from '../../src';
import { LaravelAppStub } from '../server/laravel-app';
import { PusherTestServer } from '../server/pusher-server';
import { hasRedisServer, SocketIoStack } from '../server/socketio-stack';
import { providers, RULES, USERS } from './stack';

// CI installs redis-server (.ci/run) and must run these; a laptop without it skips them, loudly.
const available = hasRedisServer();
if (!available && process.env.CI) throw new Error('redis-server is required in CI for the socket.io tests');
if (!available) console.warn('redis-server not found: skipping the socket.io integration tests');

describe.skipIf(!available)('socket.io broadcaster (laravel-echo-server + redis)', () => {
  let app: LaravelAppStub;
  let les: SocketIoStack;
  let pusherServer: PusherTestServer;
  const clients: RealtimeClient[] = [];
  const errors: RealtimeError[] = [];
  const wrapper = (client: RealtimeClient) => providers(client);

  // A fresh redis + laravel-echo-server per test: laravel-echo-server 1.6 keeps presence members in
  // Redis and crashes when a socket leaves a presence channel it has no record of.
  beforeEach(async () => {
    // The auth stand-in signs with a Pusher server's credentials; laravel-echo-server only checks the status.
    pusherServer = await new PusherTestServer().start();
    app = await new LaravelAppStub({ server: pusherServer, users: USERS, channels: RULES }).start();
    les = await new SocketIoStack(`http://${app.host}:${app.port}`).start();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.dispose();
    await les?.stop();
    await app?.stop();
    await pusherServer?.stop();
  });

  function makeClient(token: string, options: Partial<Parameters<typeof createRealtimeClient>[0]> = {}) {
    const client = createRealtimeClient({
      echo: les.echoOptions(io),
      getToken: () => token,
      onError: (e) => errors.push(e),
      leaveGraceMs: 100,
      ...options,
    });
    clients.push(client);
    return client;
  }

  test('events published to Redis invalidate queries on public and private channels', async () => {
    const db = { news: 1, order: 1 };
    function Q({ k }: { k: keyof typeof db }) {
      const { data } = useQuery({ queryKey: [k], queryFn: async () => db[k] });
      return <p data-testid={k}>{data ?? '-'}</p>;
    }
    function Page() {
      useRealtimeEvent({ channel: 'news', type: 'public', event: '.Published', invalidate: ['news'] });
      const order = useRealtimeChannel({ channel: 'orders.7', events: { '.OrderShipped': { invalidate: ['order'] } } });
      return (
        <>
          <p data-testid="status">{`${useConnectionStatus()}/${order.status}`}</p>
          <Q k="news" />
          <Q k="order" />
        </>
      );
    }
    const client = makeClient('ann-token');
    render(<Page />, { wrapper: wrapper(client) });
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('connected/subscribed'), { timeout: 10_000 });
    await waitFor(() => expect(app.authLog.some((r) => r.channel === 'private-orders.7' && r.token === 'ann-token')).toBe(true));
    db.news = db.order = 2;
    await les.broadcast('news', 'Published', { id: 1 });
    await les.broadcast('private-orders.7', 'OrderShipped', { id: 7 });
    await waitFor(() => expect(screen.getByTestId('news').textContent).toBe('2'));
    await waitFor(() => expect(screen.getByTestId('order').textContent).toBe('2'));
  });

  test('a refused private channel shows status error with the HTTP status', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    function Admin() {
      const { status, error } = useRealtimeChannel({ channel: 'admin.dashboard' });
      return <p data-testid="admin">{status === 'error' ? `error ${(error as { status?: number }).status}` : status}</p>;
    }
    render(<Admin />, { wrapper: wrapper(makeClient('ann-token')) });
    await waitFor(() => expect(screen.getByTestId('admin').textContent).toBe('error 403'), { timeout: 10_000 });
    expect(warn.mock.calls.map(([m]) => String(m))).toEqual([expect.stringContaining('refused "private-admin.dashboard" (HTTP 403)')]);
  });

  test('presence: two users see each other, each knows who `me` is, join and leave once', async () => {
    const onJoin = vi.fn();
    const onLeave = vi.fn();
    function Roster({ who, track }: { who: string; track?: boolean }) {
      const p = usePresence<{ id: number; name: string }>({
        channel: 'room.9',
        onJoin: track ? (m) => onJoin(m.name) : undefined,
        onLeave: track ? (m) => onLeave(m.name) : undefined,
      });
      return <p data-testid={who}>{`${p.status} ${p.count}: ${p.members.map((m) => m.name).sort().join(',')} me=${p.me?.name}`}</p>;
    }
    render(<Roster who="ann" track />, { wrapper: wrapper(makeClient('ann-token')) });
    await waitFor(() => expect(screen.getByTestId('ann').textContent).toBe('subscribed 1: Ann me=Ann'), { timeout: 10_000 });
    const bob = render(<Roster who="bob" />, { wrapper: wrapper(makeClient('bob-token')) });
    await waitFor(() => expect(screen.getByTestId('bob').textContent).toBe('subscribed 2: Ann,Bob me=Bob'), { timeout: 10_000 });
    await waitFor(() => expect(screen.getByTestId('ann').textContent).toBe('subscribed 2: Ann,Bob me=Ann'));
    bob.unmount();
    await waitFor(() => expect(screen.getByTestId('ann').textContent).toBe('subscribed 1: Ann me=Ann'), { timeout: 10_000 });
    expect(onJoin.mock.calls).toEqual([['Bob']]);
    expect(onLeave.mock.calls).toEqual([['Bob']]);
  });

  test('a presence channel held without usePresence is confirmed by its member list; usePresence mounted later has the members, and nobody sees a leave', async () => {
    const onJoin = vi.fn();
    const onLeave = vi.fn();
    function Members({ who, track }: { who: string; track?: boolean }) {
      const p = usePresence<{ id: number; name: string }>({
        channel: 'room.10',
        onJoin: track ? (m) => onJoin(m.name) : undefined,
        onLeave: track ? (m) => onLeave(m.name) : undefined,
      });
      return <p data-testid={who}>{`${p.status} ${p.count}: ${p.members.map((m) => m.name).sort().join(',')}`}</p>;
    }
    function Events() {
      return <p data-testid="events">{useRealtimeChannel({ channel: 'room.10', type: 'presence' }).status}</p>;
    }
    render(<Members who="ann" track />, { wrapper: wrapper(makeClient('ann-token')) });
    await waitFor(() => expect(screen.getByTestId('ann').textContent).toBe('subscribed 1: Ann'), { timeout: 10_000 });
    const bob = render(<Events />, { wrapper: wrapper(makeClient('bob-token')) });
    // laravel-echo-server's only acknowledgement of a presence channel is its member list.
    await waitFor(() => expect(screen.getByTestId('events').textContent).toBe('subscribed'), { timeout: 10_000 });
    await waitFor(() => expect(screen.getByTestId('ann').textContent).toBe('subscribed 2: Ann,Bob'));
    bob.rerender(
      <>
        <Events />
        <Members who="bob" />
      </>,
    );
    // The list came before Bob's usePresence mounted: it is shown at once, with no new subscription.
    expect(screen.getByTestId('bob').textContent).toBe('subscribed 2: Ann,Bob');
    await act(() => new Promise((resolve) => setTimeout(resolve, 300))); // a rejoin would show by now
    expect(screen.getByTestId('bob').textContent).toBe('subscribed 2: Ann,Bob');
    expect(screen.getByTestId('ann').textContent).toBe('subscribed 2: Ann,Bob');
    expect(onJoin.mock.calls).toEqual([['Bob']]);
    expect(onLeave).not.toHaveBeenCalled();
  });

  test('laravel-echo-server restarts: reconnecting, then connected, channels re-joined, bound queries refetched', async () => {
    let db = 1;
    let fetches = 0;
    const onReconnect = vi.fn();
    const seen: string[] = [];
    function Page() {
      const status = useConnectionStatus();
      if (seen.at(-1) !== status) seen.push(status);
      useRealtimeEvent({ channel: 'orders.8', event: '.OrderChanged', invalidate: ['o8'] });
      const { data } = useQuery({ queryKey: ['o8'], queryFn: async () => ((fetches += 1), db) });
      return <p data-testid="r">{`${status} ${data ?? '-'}`}</p>;
    }
    render(<Page />, { wrapper: wrapper(makeClient('ann-token', { onReconnect })) });
    await waitFor(() => expect(screen.getByTestId('r').textContent).toBe('connected 1'), { timeout: 10_000 });
    const auths = app.authLog.filter((r) => r.channel === 'private-orders.8').length;
    await les.stopEchoServer();
    await waitFor(() => expect(screen.getByTestId('r').textContent).toMatch(/^reconnecting/), { timeout: 10_000 });
    db = 2; // changed while the server was down: the event is lost
    await les.startEchoServer();
    await waitFor(() => expect(screen.getByTestId('r').textContent).toBe('connected 2'), { timeout: 20_000 });
    expect(onReconnect).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(app.authLog.filter((r) => r.channel === 'private-orders.8').length).toBe(auths + 1));
    // And live events flow again on the re-joined channel.
    db = 3;
    await act(() => les.broadcast('private-orders.8', 'OrderChanged', {}));
    await waitFor(() => expect(screen.getByTestId('r').textContent).toBe('connected 3'));
    expect(seen).toEqual(['idle', 'connecting', 'connected', 'reconnecting', 'connected']);
    // First load, refetch on subscribe, refetch on reconnect, the live event.
    expect(fetches).toBe(4);
  });

  test('the token is read at every subscribe: after logout/login and reconnect(), the new user authorises with theirs', async () => {
    let token = 'ann-token';
    const client = createRealtimeClient({ echo: les.echoOptions(io), getToken: () => token, onError: (e) => errors.push(e), leaveGraceMs: 0 });
    clients.push(client);
    const ann = client.acquire({ channel: 'App.Models.User.1' });
    await waitFor(() => expect(app.authLog.filter((r) => r.channel === 'private-App.Models.User.1')).toHaveLength(1), { timeout: 10_000 });
    token = 'bob-token';
    client.reconnect();
    ann.release();
    client.acquire({ channel: 'App.Models.User.2' });
    await waitFor(() => expect(app.authLog.filter((r) => r.channel === 'private-App.Models.User.2')).toHaveLength(1), { timeout: 10_000 });
    expect(app.authLog.filter((r) => r.channel.startsWith('private-App.Models.User')).map((r) => [r.channel, r.token, r.status])).toEqual([
      ['private-App.Models.User.1', 'ann-token', 200],
      ['private-App.Models.User.2', 'bob-token', 200],
    ]);
  });

  test('no errors were reported along the way but the refused channel', () => {
    expect(errors.filter((e) => e.status !== 403)).toEqual([]);
  });
});

