// Hooks on real laravel-echo + pusher-js over WebSockets, events broadcast through the Pusher HTTP
// API with the official SDK, as a Laravel app does.
import { useQuery } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import Pusher from 'pusher-js';
import { StrictMode, useState } from 'react';
import { describe, expect, test, vi } from 'vitest';
import Echo from 'laravel-echo';
import { createRealtimeClient, usePresence, useRealtimeChannel, useRealtimeEvent } from '../../src';
import { stackPerTest, type Stack } from './stack';

let stack: Stack;
stackPerTest((s) => (stack = s));

test('pusher-js runs its Node build with encryption here (sanity check of the setup)', () => {
  expect(typeof Pusher).toBe('function');
  expect(Pusher.Runtime.getProtocol()).toBe('http:');
});

describe('channel types end to end', () => {
  test('public, private, encrypted-private and presence: events invalidate queries that refetch', async () => {
    const { app, makeClient, wrapper } = stack;
    const db = { news: 1, order: 1, vault: 1, room: 1 };
    function Q({ k }: { k: keyof typeof db }) {
      const { data } = useQuery({ queryKey: [k], queryFn: async () => db[k] });
      return <p data-testid={k}>{data ?? '-'}</p>;
    }
    function Page() {
      useRealtimeEvent({ channel: 'news', type: 'public', event: '.Published', invalidate: ['news'] });
      useRealtimeEvent({ channel: 'orders.7', event: '.OrderShipped', invalidate: ['order'] });
      useRealtimeEvent({ channel: 'vault.1', type: 'encrypted', event: '.SecretChanged', invalidate: ['vault'] });
      const room = usePresence({ channel: 'room.1' });
      useRealtimeEvent({ channel: 'room.1', type: 'presence', event: '.RoomChanged', invalidate: ['room'] });
      const order = useRealtimeChannel({ channel: 'orders.7' });
      return (
        <>
          <p data-testid="status">
            {order.status}/{room.status}/{room.count}
          </p>
          {(['news', 'order', 'vault', 'room'] as const).map((k) => (
            <Q key={k} k={k} />
          ))}
        </>
      );
    }
    render(<Page />, { wrapper: wrapper(makeClient()) });
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('subscribed/subscribed/1'), { timeout: 5000 });
    await waitFor(() => expect(stack.server.subscribers('private-encrypted-vault.1')).toHaveLength(1));
    await waitFor(() => expect(stack.server.subscribers('news')).toHaveLength(1));

    db.news = db.order = db.vault = db.room = 2;
    await app.broadcast('news', 'Published', { id: 1 });
    await app.broadcast('private-orders.7', 'OrderShipped', { id: 7 });
    await app.broadcast('private-encrypted-vault.1', 'SecretChanged', { id: 1 });
    await app.broadcast('presence-room.1', 'RoomChanged', { id: 1 });
    for (const k of ['news', 'order', 'vault', 'room']) {
      await waitFor(() => expect(screen.getByTestId(k).textContent).toBe('2'));
    }
    expect(stack.errors).toEqual([]);
  });
});

describe('an Echo the app hands in (real pusher-js)', () => {
  test("the app's own listener and a second client keep receiving after the hooks unmount", async () => {
    const { server, app, wrapper } = stack;
    const echo = new Echo({
      broadcaster: 'reverb',
      ...server.clientOptions(),
      authEndpoint: app.authEndpoint,
      auth: { headers: { Authorization: 'Bearer ann-token' } },
      Pusher,
    } as never);
    const appSeen: unknown[] = [];
    echo.private('orders.7').listen('.OrderShipped', (p: unknown) => appSeen.push(p));
    const first = createRealtimeClient({ echo, leaveGraceMs: 0 });
    const second = createRealtimeClient({ echo, leaveGraceMs: 0 });
    const secondSeen: unknown[] = [];
    const lease = second.acquire({ channel: 'orders.7', type: 'private' });
    lease.listen('.OrderShipped', { handle: (p) => secondSeen.push(p) });
    function Listener() {
      useRealtimeEvent({ channel: 'orders.7', event: '.OrderShipped', onEvent: () => {} });
      return null;
    }
    const view = render(<Listener />, { wrapper: wrapper(first) });
    await waitFor(() => expect(server.subscribers('private-orders.7')).toHaveLength(1));
    view.unmount();
    await app.broadcast('private-orders.7', 'OrderShipped', { n: 1 });
    await waitFor(() => expect(appSeen).toEqual([{ n: 1 }]));
    expect(secondSeen).toEqual([{ n: 1 }]);
    expect(server.frameCount('pusher:unsubscribe', 'private-orders.7')).toBe(0);

    lease.release(); // the app's listener still holds the channel
    await app.broadcast('private-orders.7', 'OrderShipped', { n: 2 });
    await waitFor(() => expect(appSeen).toEqual([{ n: 1 }, { n: 2 }]));
    expect(server.frameCount('pusher:unsubscribe', 'private-orders.7')).toBe(0);
    first.dispose();
    second.dispose();
    echo.disconnect();
  });
});

describe('one subscription per channel on the wire', () => {
  test('50 components: one pusher:subscribe frame, one auth request; after all unmount, one pusher:unsubscribe', async () => {
    const { server, app, makeClient, wrapper } = stack;
    let hide = () => {};
    function Many() {
      const [shown, setShown] = useState(true);
      hide = () => setShown(false);
      return shown ? Array.from({ length: 50 }, (_, i) => <Row key={i} />) : null;
    }
    function Row() {
      useRealtimeEvent({ channel: 'orders.7', event: '.OrderShipped', onEvent: () => {} });
      return null;
    }
    render(<Many />, { wrapper: wrapper(makeClient()) });
    await waitFor(() => expect(server.subscribers('private-orders.7')).toHaveLength(1));
    expect(server.frameCount('pusher:subscribe', 'private-orders.7')).toBe(1);
    expect(app.authLog.filter((r) => r.channel === 'private-orders.7')).toHaveLength(1);
    act(() => hide());
    await waitFor(() => expect(server.frameCount('pusher:unsubscribe', 'private-orders.7')).toBe(1));
    await new Promise((r) => setTimeout(r, 400)); // past the grace period: nothing more happens
    expect(server.frameCount('pusher:unsubscribe', 'private-orders.7')).toBe(1);
    expect(server.frameCount('pusher:subscribe', 'private-orders.7')).toBe(1);
  });

  test('StrictMode: one auth request per private channel, also for a channel mounted after connecting', async () => {
    const { server, app, makeClient, wrapper } = stack;
    app.authDelayMs = 150; // a slow /broadcasting/auth: StrictMode's remount happens while it is pending
    const Wrapper = wrapper(makeClient());
    function Listener({ channel }: { channel: string }) {
      useRealtimeEvent({ channel, event: '.X', onEvent: () => {} });
      return null;
    }
    const { rerender } = render(
      <StrictMode>
        <Wrapper>
          <Listener channel="orders.1" />
        </Wrapper>
      </StrictMode>,
    );
    await waitFor(() => expect(server.subscribers('private-orders.1')).toHaveLength(1));
    rerender(
      <StrictMode>
        <Wrapper>
          <Listener channel="orders.1" />
          <Listener channel="orders.2" />
        </Wrapper>
      </StrictMode>,
    );
    await waitFor(() => expect(server.subscribers('private-orders.2')).toHaveLength(1));
    for (const channel of ['private-orders.1', 'private-orders.2']) {
      expect(app.authLog.filter((r) => r.channel === channel)).toHaveLength(1);
      expect(server.frameCount('pusher:subscribe', channel)).toBe(1);
      expect(server.frameCount('pusher:unsubscribe', channel)).toBe(0);
    }
  });
});

describe('refused auth', () => {
  test('a 403 shows as status error with the reason; no crash and no retry storm', async () => {
    const { app, makeClient, wrapper, errors } = stack;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    function Admin() {
      const { status, error } = useRealtimeChannel({ channel: 'admin.dashboard' });
      return <p>{status === 'error' ? `error ${(error as { status?: number })?.status}: ${error?.message}` : status}</p>;
    }
    render(<Admin />, { wrapper: wrapper(makeClient()) });
    await screen.findByText(/^error 403: Not authorised to join "private-admin.dashboard"/, {}, { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 3000));
    expect(app.authLog.filter((r) => r.channel === 'private-admin.dashboard')).toHaveLength(1);
    expect(errors.map((e) => e.code)).toEqual(['auth']);
    // Development builds name both likely fixes, once.
    expect(warn.mock.calls.map(([m]) => String(m))).toEqual([expect.stringMatching(/refused "private-admin\.dashboard" \(HTTP 403\).*type: 'public'.*routes\/channels\.php/)]);
  });
});

describe('presence across connections', () => {
  test('two clients, one user on two connections: members and count right everywhere, join/leave once per user, whisper to the other client only', async () => {
    const { makeClient, wrapper, server } = stack;
    const ann1 = makeClient({ token: () => 'ann-token' });
    const ann2 = makeClient({ token: () => 'ann-token' });
    const bob = makeClient({ token: () => 'bob-token' });
    const events: string[] = [];
    function Roster({ who }: { who: string }) {
      const p = usePresence<{ id: number; name: string }>({
        channel: 'room.1',
        onJoin: (m) => events.push(`${who} saw ${m.name} join`),
        onLeave: (m) => events.push(`${who} saw ${m.name} leave`),
      });
      useRealtimeEvent({ channel: 'room.1', type: 'presence', event: '.client-typing', onEvent: (d: { name: string }) => events.push(`${who} heard ${d.name} typing`) });
      return (
        <p data-testid={who} onClick={() => p.whisper('typing', { name: who })}>
          {p.count}: {p.members.map((m) => m.name).join(',')} me={p.me?.name}
        </p>
      );
    }
    render(<Roster who="bob" />, { wrapper: wrapper(bob) });
    await waitFor(() => expect(screen.getByTestId('bob').textContent).toBe('1: Bob me=Bob'));
    const tab1 = render(<Roster who="ann1" />, { wrapper: wrapper(ann1) });
    const tab2 = render(<Roster who="ann2" />, { wrapper: wrapper(ann2) });
    // A new subscriber gets the server's member hash (numeric ids in order); joins are appended.
    await waitFor(() => expect(screen.getByTestId('ann2').textContent).toBe('2: Ann,Bob me=Ann'));
    expect(screen.getByTestId('ann1').textContent).toBe('2: Ann,Bob me=Ann');
    expect(screen.getByTestId('bob').textContent).toBe('2: Bob,Ann me=Bob');
    expect(server.subscribers('presence-room.1')).toHaveLength(3);

    act(() => screen.getByTestId('ann1').click());
    await waitFor(() => expect(events.filter((e) => e.includes('typing'))).toHaveLength(2));
    expect(events.filter((e) => e.includes('typing')).sort()).toEqual(['ann2 heard ann1 typing', 'bob heard ann1 typing']);

    tab1.unmount();
    await waitFor(() => expect(server.subscribers('presence-room.1')).toHaveLength(2));
    expect(screen.getByTestId('bob').textContent).toBe('2: Bob,Ann me=Bob');
    tab2.unmount();
    await waitFor(() => expect(screen.getByTestId('bob').textContent).toBe('1: Bob me=Bob'));
    expect(events.filter((e) => !e.includes('typing'))).toEqual(['bob saw Ann join', 'bob saw Ann leave']);
  });
});
