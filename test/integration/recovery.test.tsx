// Reconnects, bad input from the server, and re-login, over real WebSockets.
import { useQuery } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { useConnectionStatus, useRealtimeChannel, useRealtimeEvent, useRealtimeGlobalSubscriber } from '../../src';
import { newQueryClient, stackPerTest, type Stack } from './stack';

let stack: Stack;
stackPerTest((s) => (stack = s));

describe('server restart while events keep coming', () => {
  test('reconnecting -> connected, channels re-joined (private re-authorised), bound queries refetched once, nothing lost', async () => {
    const { server, app, makeClient, wrapper } = stack;
    const onReconnect = vi.fn();
    const client = makeClient({ onReconnect });
    const db = { orders: 0, feed: 0 };
    const fetches = { orders: 0, feed: 0 };
    const statuses: string[] = [];
    function Q({ k }: { k: keyof typeof db }) {
      const { data } = useQuery({
        queryKey: [k],
        queryFn: async () => {
          fetches[k] += 1;
          return db[k];
        },
      });
      return <p data-testid={k}>{data ?? '-'}</p>;
    }
    function App() {
      const status = useConnectionStatus();
      if (statuses.at(-1) !== status) statuses.push(status);
      useRealtimeGlobalSubscriber({ bindings: [
        { channel: 'orders.7', event: '.OrderChanged', invalidate: ['orders'] },
        { channel: 'feed', type: 'public', event: '.FeedChanged', invalidate: ['feed'] },
      ] });
      return (
        <>
          <p data-testid="status">{status}</p>
          <Q k="orders" />
          <Q k="feed" />
        </>
      );
    }
    render(<App />, { wrapper: wrapper(client) });
    await waitFor(() => expect(server.subscribers('private-orders.7')).toHaveLength(1));
    await waitFor(() => expect(server.subscribers('feed')).toHaveLength(1));
    // The first load and one refetch once each channel is confirmed (refetchOnSubscribe).
    await waitFor(() => expect(fetches).toEqual({ orders: 2, feed: 2 }));

    // A producer keeps changing data and broadcasting, whatever the socket's state.
    let producing = true;
    const producer = (async () => {
      while (producing) {
        db.orders += 1;
        db.feed += 1;
        await app.broadcast('private-orders.7', 'OrderChanged', { n: db.orders }).catch(() => {});
        await app.broadcast('feed', 'FeedChanged', { n: db.feed }).catch(() => {});
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    // Live events reach the UI before the drop.
    await waitFor(() => expect(Number(screen.getByTestId('orders').textContent)).toBeGreaterThan(0));
    const authsBefore = app.authLog.filter((r) => r.channel === 'private-orders.7').length;
    await server.stop(); // the server dies: broadcasts meanwhile fail or reach nobody
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('reconnecting'), { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 300)); // a measurable outage (downtimeMs is asserted below)
    const fetchesBeforeRestart = { ...fetches };
    await server.start(); // same port
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('connected'), { timeout: 15_000 });
    await waitFor(() => expect(server.subscribers('private-orders.7')).toHaveLength(1));
    expect(app.authLog.filter((r) => r.channel === 'private-orders.7').length).toBe(authsBefore + 1);
    expect(onReconnect).toHaveBeenCalledTimes(1);
    expect(onReconnect.mock.calls[0][0].downtimeMs).toBeGreaterThanOrEqual(300);

    producing = false;
    await producer;
    // The final cache equals the server's state: nothing sent during the outage is lost for good.
    await waitFor(() => expect(screen.getByTestId('orders').textContent).toBe(String(db.orders)), { timeout: 5000 });
    await waitFor(() => expect(screen.getByTestId('feed').textContent).toBe(String(db.feed)));
    expect(statuses).toEqual(['idle', 'connecting', 'connected', 'reconnecting', 'connected']);
    // Refetched after the restart (exactly-once recovery is the next test, without live events).
    expect(fetches.orders).toBeGreaterThan(fetchesBeforeRestart.orders);
    expect(stack.errors).toEqual([]);
  });

  test('recovery alone: with no events after the restart, each bound query refetches exactly once', async () => {
    const { server, app, makeClient, wrapper } = stack;
    const client = makeClient();
    let db = 1;
    let fetches = 0;
    function App() {
      useRealtimeEvent({ channel: 'orders.7', event: '.OrderChanged', invalidate: ['orders'] });
      useRealtimeEvent({ channel: 'orders.7', event: '.OrderNoted', invalidate: ['orders'] });
      const { data } = useQuery({ queryKey: ['orders'], queryFn: async () => ((fetches += 1), db) });
      return <p data-testid="v">{data}</p>;
    }
    render(<App />, { wrapper: wrapper(client) });
    await waitFor(() => expect(server.subscribers('private-orders.7')).toHaveLength(1));
    await waitFor(() => expect(fetches).toBe(2)); // the first load, and the refetch once subscribed
    await server.stop();
    db = 2;
    await app.broadcast('private-orders.7', 'OrderChanged', {}).catch(() => {}); // lost
    await server.start();
    await waitFor(() => expect(screen.getByTestId('v').textContent).toBe('2'), { timeout: 15_000 });
    // Count once the coalescing window (wait: 250 ms) has closed: a duplicate would come by then.
    await new Promise((r) => setTimeout(r, 500));
    expect(fetches).toBe(3);
  });
});

describe('malformed input from the server', () => {
  test('non-JSON frames, non-JSON or wrong-typed data and huge payloads: ignored or sent to onError; other listeners keep working', async () => {
    const { server, app, makeClient, wrapper, errors } = stack;
    const client = makeClient();
    const good: unknown[] = [];
    const strict: number[] = [];
    function App() {
      useRealtimeChannel({
        channel: 'feed',
        type: 'public',
        events: {
          '.Item': {
            // A handler that trusts the payload shape.
            onEvent: (p: { id: number }) => strict.push(Number(p.id.toFixed(0))),
            invalidate: (p: { id: number }) => ['items', p.id],
          },
        },
      });
      useRealtimeEvent({ channel: 'feed', type: 'public', event: '.Item', onEvent: (p) => good.push(p) });
      return null;
    }
    const unhandled = vi.fn();
    process.on('uncaughtException', unhandled);
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    render(<App />, { wrapper: wrapper(client, newQueryClient()) });
    await waitFor(() => expect(server.subscribers('feed')).toHaveLength(1));

    server.sendRaw('this is not json');
    server.sendRaw('{"event":');
    server.sendEventRaw('feed', 'Item', 'not json either');
    server.sendEventRaw('feed', 'Item', 'null');
    server.sendEventRaw('feed', 'Item', '42');
    server.sendEventRaw('feed', 'Item', '{"id":"not a number"}');
    await app.broadcast('feed', 'Item', { id: 1, blob: 'x'.repeat(500_000) });
    await app.broadcast('feed', 'Item', { id: 2 });
    await waitFor(() => expect(good).toHaveLength(6));
    expect(good.slice(0, 4)).toEqual(['not json either', null, 42, { id: 'not a number' }]);
    expect((good[4] as { id: number }).id).toBe(1);
    expect(good[5]).toEqual({ id: 2 });
    expect(strict).toEqual([1, 2]);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.every((e) => e.code === 'handler')).toBe(true);
    expect(unhandled).not.toHaveBeenCalled();
    process.off('uncaughtException', unhandled);
    log.mockRestore();
    warn.mockRestore();
  });
});

describe('logout, login as another user', () => {
  test('the old socket closes, the new token is used, the old user private channels are not re-joined', async () => {
    const { server, app, makeClient, wrapper } = stack;
    let token = 'ann-token';
    const client = makeClient({ token: () => token });
    function Inbox({ userId }: { userId: number }) {
      const { status } = useRealtimeChannel({ channel: `App.Models.User.${userId}`, events: { '.Ping': () => {} } });
      return <p data-testid="inbox">{`${userId}:${status}`}</p>;
    }
    const { rerender } = render(<Inbox userId={1} />, { wrapper: wrapper(client) });
    await waitFor(() => expect(screen.getByTestId('inbox').textContent).toBe('1:subscribed'));
    const annSocket = client.getSocketId();
    expect(server.connectionCount).toBe(1);

    // The app's logout/login handler: new token, reconnect, render as the new user.
    token = 'bob-token';
    client.reconnect();
    rerender(<Inbox userId={2} />);
    await waitFor(() => expect(screen.getByTestId('inbox').textContent).toBe('2:subscribed'), { timeout: 10_000 });
    expect(client.getSocketId()).not.toBe(annSocket);
    expect(server.connectionCount).toBe(1);
    expect(app.authLog.map((r) => [r.channel, r.token, r.status])).toEqual([
      ['private-App.Models.User.1', 'ann-token', 200],
      ['private-App.Models.User.2', 'bob-token', 200],
    ]);
    expect(server.frameCount('pusher:subscribe', 'private-App.Models.User.1')).toBe(1);
    expect(server.subscribers('private-App.Models.User.1')).toEqual([]);
  });
});
