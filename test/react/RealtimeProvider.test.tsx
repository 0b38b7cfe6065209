import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render } from '@testing-library/react';
import { StrictMode, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createRealtimeClient, RealtimeProvider, useRealtimeChannel, type RealtimeClient, type RealtimeClientOptions } from '../../src';
import { createFakeEcho, type FakeEcho } from '../../src/testing';

// The provider rule: a client that created its own Echo and that no mounted provider shows any
// more is disconnected after its leaveGraceMs (fast refresh re-runs `realtime.ts` and hands the
// provider a new client: the old one must not keep its socket forever).

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A client that creates its own Echo (as an app's realtime.ts does), on the fake server. */
function ownClient(fake: FakeEcho, options: Partial<RealtimeClientOptions> = {}): RealtimeClient {
  return createRealtimeClient({ echo: { broadcaster: 'reverb', key: 'k', Pusher: fake.Pusher }, onError: () => {}, ...options });
}

const queryClient = new QueryClient();

function Orders() {
  const { status } = useRealtimeChannel({ channel: 'orders', events: { '.Shipped': () => {} } });
  return <p>{status}</p>;
}

function App({ client, children = <Orders /> }: { client: RealtimeClient | null; children?: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <RealtimeProvider client={client}>{children}</RealtimeProvider>
    </QueryClientProvider>
  );
}

const settle = (fake: FakeEcho) => act(() => fake.flush());
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

describe('RealtimeProvider: a client no provider shows any more is disconnected after its grace period', () => {
  test('a client replaced by another (fast refresh re-ran realtime.ts): the old socket closes after the grace, the new one stays', async () => {
    const fake = createFakeEcho();
    const a = ownClient(fake);
    const b = ownClient(fake);
    const { rerender } = render(<App client={a} />);
    await settle(fake);
    expect(a.getConnectionStatus()).toBe('connected');
    expect(fake.stats('private-orders').subscribed).toBe(1);

    rerender(<App client={b} />);
    await settle(fake);
    expect(b.getConnectionStatus()).toBe('connected');
    expect(fake.openConnections).toBe(2);
    await advance(990);
    expect(a.getConnectionStatus()).toBe('connected'); // still within its grace period

    await advance(20);
    expect(a.getConnectionStatus()).toBe('disconnected');
    expect(fake.openConnections).toBe(1);
    expect(b.getConnectionStatus()).toBe('connected');
    expect(fake.stats('private-orders').subscribed).toBe(1); // b's subscription
    expect(vi.getTimerCount()).toBe(0);
  });

  test("client={null}: the client it replaced is disconnected after the grace period, with the client's own leaveGraceMs", async () => {
    const fake = createFakeEcho();
    const a = ownClient(fake, { leaveGraceMs: 3000 });
    const { rerender } = render(<App client={a} />);
    await settle(fake);
    rerender(<App client={null} />);
    await advance(2990);
    expect(a.getConnectionStatus()).toBe('connected');
    await advance(20);
    expect(a.getConnectionStatus()).toBe('disconnected');
    expect(fake.openConnections).toBe(0);
  });

  test('StrictMode (mount, unmount, mount): nothing on the wire, no disconnect', async () => {
    const fake = createFakeEcho();
    const a = ownClient(fake);
    const disconnect = vi.spyOn(a, 'disconnect');
    render(
      <StrictMode>
        <App client={a} />
      </StrictMode>,
    );
    await settle(fake);
    await advance(5000);
    expect(disconnect).not.toHaveBeenCalled();
    expect(a.getConnectionStatus()).toBe('connected');
    expect(fake.openConnections).toBe(1);
    expect(fake.stats('private-orders')).toMatchObject({ subscribes: 1, unsubscribes: 0, authRequests: 1 });
  });

  test('shown again within the grace period (a route change): no disconnect', async () => {
    const fake = createFakeEcho();
    const a = ownClient(fake);
    const disconnect = vi.spyOn(a, 'disconnect');
    const first = render(<App client={a} />);
    await settle(fake);
    first.unmount();
    await advance(600);
    render(<App client={a} />);
    await settle(fake);
    await advance(5000);
    expect(disconnect).not.toHaveBeenCalled();
    expect(a.getConnectionStatus()).toBe('connected');
    expect(fake.stats('private-orders')).toMatchObject({ subscribes: 1, unsubscribes: 0 });
  });

  test('every provider unmounted, then one mounted again: disconnected meanwhile, connected again, its channels joined again', async () => {
    const fake = createFakeEcho();
    const a = ownClient(fake);
    const first = render(<App client={a} />);
    await settle(fake);
    first.unmount();
    await advance(1010);
    expect(a.getConnectionStatus()).toBe('disconnected');
    expect(fake.openConnections).toBe(0);
    expect(fake.subscribedChannels()).toEqual([]);

    const again = render(<App client={a} />);
    await settle(fake);
    expect(a.getConnectionStatus()).toBe('connected');
    expect(fake.openConnections).toBe(1);
    expect(again.container.textContent).toBe('subscribed');
    expect(fake.stats('private-orders')).toMatchObject({ subscribes: 2, subscribed: 1 });
  });

  test('two providers show one client: it stays while either is mounted', async () => {
    const fake = createFakeEcho();
    const a = ownClient(fake);
    const one = render(<App client={a} />);
    const two = render(<App client={a} />);
    await settle(fake);
    one.unmount();
    await advance(5000);
    expect(a.getConnectionStatus()).toBe('connected');
    two.unmount();
    await advance(1010);
    expect(a.getConnectionStatus()).toBe('disconnected');
  });

  test('an Echo the app handed in is never closed; a client no provider ever showed is not concerned', async () => {
    const fake = createFakeEcho();
    const shared = createRealtimeClient({ echo: fake.echo });
    const disconnect = vi.spyOn(shared, 'disconnect');
    const view = render(<App client={shared} />);
    await settle(fake);
    view.unmount();
    await advance(5000);
    expect(disconnect).not.toHaveBeenCalled();
    expect(shared.getConnectionStatus()).toBe('connected');

    const outside = ownClient(fake); // used from code outside React only
    outside.acquire({ channel: 'jobs' }).release();
    await settle(fake);
    await advance(5000);
    expect(outside.getConnectionStatus()).toBe('connected');
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a channel still held outside React (acquire()) keeps the socket when the last provider goes', async () => {
    const fake = createFakeEcho();
    const a = ownClient(fake);
    const view = render(<App client={a} />);
    await settle(fake);
    const lease = a.acquire({ channel: 'jobs' });
    const seen: unknown[] = [];
    lease.listen('.Done', { handle: (payload) => seen.push(payload) });
    await settle(fake);
    view.unmount();
    await advance(5000);
    expect(a.getConnectionStatus()).toBe('connected');
    fake.emit('private-jobs', '.Done', { id: 1 });
    expect(seen).toEqual([{ id: 1 }]);
    lease.release();
  });

  test('closed by the provider rule, it is no drop: no onReconnect when a provider shows it again, and acquire() opens it too', async () => {
    const fake = createFakeEcho();
    const onReconnect = vi.fn();
    const a = ownClient(fake, { onReconnect });
    render(<App client={a} />).unmount();
    await settle(fake);
    await advance(1010);
    expect(a.getConnectionStatus()).toBe('disconnected');
    render(<App client={a} />);
    await settle(fake);
    await advance(11_000);
    expect(a.getConnectionStatus()).toBe('connected');
    expect(onReconnect).not.toHaveBeenCalled();

    const b = ownClient(fake);
    render(<App client={b} />).unmount();
    await settle(fake);
    await advance(1010);
    expect(b.getConnectionStatus()).toBe('disconnected');
    const lease = b.acquire({ channel: 'jobs' }); // code outside React, after the app's provider went
    await settle(fake);
    expect(b.getConnectionStatus()).toBe('connected');
    expect(fake.stats('private-jobs').subscribed).toBe(1);
    lease.release();
  });

  test('dispose() while the disconnect is pending: no timer outlives the client', async () => {
    const fake = createFakeEcho();
    const a = ownClient(fake);
    const view = render(<App client={a} />);
    await settle(fake);
    view.unmount();
    await advance(500);
    a.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(fake.openConnections).toBe(0);
    expect(a.getConnectionStatus()).toBe('idle');
  });
});
