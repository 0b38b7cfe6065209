// Keeping queries current over real WebSockets: the gap before a subscription is confirmed, a
// reconnect with no event before the drop, and a steady stream of events on a slow query.
import { useQuery } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { useRealtimeChannel, useRealtimeEvent } from '../../src';
import { stackPerTest, type Stack } from './stack';

let stack: Stack;
stackPerTest((s) => (stack = s));

describe('refetchOnSubscribe', () => {
  function Page({ refetchOnSubscribe, db }: { refetchOnSubscribe?: boolean; db: { v: number } }) {
    const { data } = useQuery({ queryKey: ['orders', 7], queryFn: async () => db.v });
    const { status } = useRealtimeChannel({
      channel: 'orders.7',
      events: { '.OrderChanged': { invalidate: ['orders', 7], refetchOnSubscribe } },
    });
    return <p data-testid="v">{`${status} ${data ?? '-'}`}</p>;
  }

  test('an event sent while the subscription is being authorised is reflected in the final UI', async () => {
    const { app, server, makeClient, wrapper } = stack;
    app.authDelayMs = 400; // a slow /broadcasting/auth holds the subscription back
    const db = { v: 1 };
    render(<Page db={db} />, { wrapper: wrapper(makeClient()) });
    await waitFor(() => expect(screen.getByTestId('v').textContent).toBe('subscribing 1'));
    db.v = 2;
    await app.broadcast('private-orders.7', 'OrderChanged', {}); // reaches no one: not subscribed yet
    expect(server.subscribers('private-orders.7')).toHaveLength(0);
    await waitFor(() => expect(screen.getByTestId('v').textContent).toBe('subscribed 2'), { timeout: 5000 });
  });

  test('without it, that update stays lost (what 0.1 did)', async () => {
    const { app, makeClient, wrapper } = stack;
    app.authDelayMs = 400;
    const db = { v: 1 };
    render(<Page db={db} refetchOnSubscribe={false} />, { wrapper: wrapper(makeClient()) });
    await waitFor(() => expect(screen.getByTestId('v').textContent).toBe('subscribing 1'));
    db.v = 2;
    await app.broadcast('private-orders.7', 'OrderChanged', {});
    await waitFor(() => expect(screen.getByTestId('v').textContent).toBe('subscribed 1'), { timeout: 5000 });
    // Past the coalescing window (250 ms): a refetch would have landed by now.
    await new Promise((r) => setTimeout(r, 500));
    expect(screen.getByTestId('v').textContent).toBe('subscribed 1');
  });
});

test("the Quick start's Order, no event before the drop: after a server restart it shows the server's data", async () => {
  const { server, makeClient, wrapper } = stack;
  const orders = new Map([[1, { id: 1, status: 'paid' }]]);
  const fetchOrder = async (id: number) => ({ ...orders.get(id)! });
  function Order({ id }: { id: number }) {
    const { data } = useQuery({ queryKey: ['orders', id], queryFn: () => fetchOrder(id) });
    useRealtimeEvent({
      channel: `orders.${id}`,
      event: '.OrderShipped',
      setQueryData: { queryKey: ['orders', id], updater: (order) => order },
    });
    return <p data-testid="order">{data?.status ?? '…'}</p>;
  }
  render(<Order id={1} />, { wrapper: wrapper(makeClient()) });
  await waitFor(() => expect(server.subscribers('private-orders.1')).toHaveLength(1));
  await waitFor(() => expect(screen.getByTestId('order').textContent).toBe('paid'));
  await server.stop();
  orders.set(1, { id: 1, status: 'shipped' }); // OrderShipped is broadcast while the server is down: lost
  await server.start();
  await waitFor(() => expect(screen.getByTestId('order').textContent).toBe('shipped'), { timeout: 15_000 });
});

test('a steady stream on a slow query: no fetch is cancelled, each event is fetched soon after it, the last state is reached', async () => {
  const { app, server, makeClient, wrapper } = stack;
  const fetchMs = 300;
  const wait = 250;
  const db = { v: 0 };
  const fetches: { at: number; v: number; aborted: boolean }[] = [];
  function Feed() {
    const { data } = useQuery({
      queryKey: ['feed'],
      queryFn: async ({ signal }) => {
        const fetch = { at: Date.now(), v: db.v, aborted: false };
        fetches.push(fetch);
        signal.addEventListener('abort', () => (fetch.aborted = true));
        await new Promise((r) => setTimeout(r, fetchMs));
        return fetch.v;
      },
    });
    useRealtimeEvent({ channel: 'feed', type: 'public', event: '.FeedChanged', invalidate: ['feed'], wait });
    return <p data-testid="feed">{data ?? '-'}</p>;
  }
  render(<Feed />, { wrapper: wrapper(makeClient()) });
  await waitFor(() => expect(server.subscribers('feed')).toHaveLength(1));
  await waitFor(() => expect(fetches.length).toBeGreaterThanOrEqual(1));
  const sent: { at: number; v: number }[] = [];
  const started = Date.now();
  while (Date.now() - started < 3000) {
    db.v += 1;
    sent.push({ at: Date.now(), v: db.v });
    await app.broadcast('feed', 'FeedChanged', { v: db.v });
    await new Promise((r) => setTimeout(r, 50));
  }
  await waitFor(() => expect(screen.getByTestId('feed').textContent).toBe(String(db.v)), { timeout: 5000 });
  expect(fetches.filter((f) => f.aborted)).toEqual([]);
  // Each event is read by a fetch that started within `wait`, or right after the fetch in flight.
  const lags = sent.map((e) => fetches.find((f) => f.v >= e.v)!.at - e.at);
  expect(Math.max(...lags)).toBeLessThan(wait + fetchMs + 250);
  // Back to back, about one per fetch duration: not one per event, and none wasted.
  expect(fetches.length).toBeLessThan(3000 / fetchMs + 5);
});

test('onResync: work that is not a query (a reload, a fetch of your own) is redone when the subscription is confirmed, first and after a drop', async () => {
  const { server, makeClient, wrapper } = stack;
  const resyncs: string[] = [];
  function Page({ first }: { first?: boolean }) {
    const { status } = useRealtimeChannel({
      channel: 'orders.9',
      events: { '.OrderChanged': { onEvent: () => {}, onResync: () => resyncs.push('on'), refetchOnSubscribe: first } },
    });
    return <p data-testid="s">{status}</p>;
  }
  const view = render(<Page />, { wrapper: wrapper(makeClient()) });
  await waitFor(() => expect(screen.getByTestId('s').textContent).toBe('subscribed'));
  await waitFor(() => expect(resyncs).toEqual(['on'])); // the first confirmation (refetchOnSubscribe by default)
  server.dropConnection();
  await waitFor(() => expect(screen.getByTestId('s').textContent).toBe('subscribing'));
  await waitFor(() => expect(screen.getByTestId('s').textContent).toBe('subscribed'), { timeout: 10_000 });
  await waitFor(() => expect(resyncs).toEqual(['on', 'on'])); // again after the drop
  view.unmount();

  resyncs.length = 0;
  render(<Page first={false} />, { wrapper: wrapper(makeClient()) });
  await waitFor(() => expect(screen.getByTestId('s').textContent).toBe('subscribed'));
  await new Promise((r) => setTimeout(r, 100)); // a first-confirmation call would have come by now
  expect(resyncs).toEqual([]); // refetchOnSubscribe: false skips the first, not the ones after drops
});
