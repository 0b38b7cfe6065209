// The README's Quick start components, as printed (fetchOrder and OrderView are the app's own).
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { createRealtimeClient, RealtimeProvider, useRealtimeEvent, useRealtimeGlobalSubscriber } from 'echo-react-query';
import { createFakeEcho } from 'echo-react-query/testing';
import { afterEach, expect, test, vi } from 'vitest';

const server = { orders: new Map([[1, { id: 1, status: 'paid' }]]), rooms: 3 };
const fetchOrder = async (id: number) => ({ ...server.orders.get(id)! });
const OrderView = ({ order }: { order?: { status: string } }) => <p data-testid="order">{order?.status ?? '…'}</p>;

// --- from the README ---
export function Order({ id }: { id: number }) {
  const { data } = useQuery({ queryKey: ['orders', id], queryFn: () => fetchOrder(id) });
  useRealtimeEvent({
    channel: `orders.${id}`,                 // private by default
    event: '.OrderShipped',
    setQueryData: { queryKey: ['orders', id], updater: (order) => order },   // the event carries the data
  });
  return <OrderView order={data} />;
}
// --- end ---

function Rooms() {
  const { data } = useQuery({ queryKey: ['rooms'], queryFn: async () => server.rooms });
  return <p data-testid="rooms">{data}</p>;
}

function Routes() {
  return (
    <>
      <Order id={1} />
      <Rooms />
    </>
  );
}

// --- from the README ---
export function App() {
  useRealtimeGlobalSubscriber({
    bindings: [
      { channel: 'rooms', type: 'public', event: '.RoomsUpdated', invalidate: ['rooms'] },
      { channel: 'venues', type: 'public', event: '.VenuesUpdated', invalidate: ['venues'] },
    ],
  });
  return <Routes />;
}
// --- end ---

afterEach(() => {
  vi.useRealTimers();
});

test('drop, change on the server, reconnect, with no event before the drop: the screen shows the server', async () => {
  vi.useFakeTimers();
  const fake = createFakeEcho();
  const realtime = createRealtimeClient({ echo: fake.echo });
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
  render(
    <QueryClientProvider client={queryClient}>
      <RealtimeProvider client={realtime}>
        <App />
      </RealtimeProvider>
    </QueryClientProvider>,
  );
  await act(() => fake.flush());
  await act(() => vi.advanceTimersByTimeAsync(1000));
  expect(screen.getByTestId('order').textContent).toBe('paid');
  expect(screen.getByTestId('rooms').textContent).toBe('3');

  act(() => fake.setConnectionState('unavailable'));
  server.orders.set(1, { id: 1, status: 'shipped' }); // .OrderShipped is broadcast now, and lost
  server.rooms = 4;
  expect(fake.emit('private-orders.1', '.OrderShipped', { id: 1, status: 'shipped' })).toBe(0);
  act(() => fake.setConnectionState('connected'));
  await act(() => fake.flush());
  await act(() => vi.advanceTimersByTimeAsync(1000));
  expect(screen.getByTestId('order').textContent).toBe('shipped');
  expect(screen.getByTestId('rooms').textContent).toBe('4');
  realtime.dispose();
});
