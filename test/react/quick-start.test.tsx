// The README's Quick start components, as printed (their data comes from `fetch`, stubbed here as
// the dev server answers it).
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { createRealtimeClient, RealtimeProvider, useRealtimeEvent, useRealtimeGlobalSubscriber } from 'echo-react-query';
import { createFakeEcho } from 'echo-react-query/testing';
import { afterEach, expect, test, vi } from 'vitest';

const server = { orders: new Map([[1, { id: 1, status: 'paid' }]]), rooms: 3 };

// --- from the README ---
export function Order({ id }: { id: number }) {
  const { data, error } = useQuery({
    queryKey: ['orders', id],
    queryFn: async (): Promise<{ id: number; status: string }> => (await fetch(`/api/orders/${id}`)).json(),
  });
  useRealtimeEvent({
    channel: `orders.${id}`, // private by default: private-orders.1 on the wire
    event: '.OrderShipped',
    setQueryData: { queryKey: ['orders', id], updater: (order) => order }, // the event carries the order
  });
  return <p>Order {id}: {error ? error.message : (data?.status ?? 'loading…')}</p>;
}
// --- end ---

// --- from the README ---
export function App() {
  useRealtimeGlobalSubscriber({
    bindings: [{ channel: 'rooms', type: 'public', event: '.RoomsUpdated', invalidate: ['rooms'] }],
  });
  return <Order id={1} />;
}
// --- end ---

/** A list the App's global binding keeps current. */
function Rooms() {
  const { data } = useQuery({ queryKey: ['rooms'], queryFn: async () => server.rooms });
  return <p data-testid="rooms">{data}</p>;
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

test('drop, change on the server, reconnect, with no event before the drop: the screen shows the server', async () => {
  vi.useFakeTimers();
  vi.stubGlobal('fetch', async (url: string) => Response.json(server.orders.get(Number(/\/api\/orders\/(\d+)/.exec(url)![1]))));
  const fake = createFakeEcho();
  const realtime = createRealtimeClient({ echo: fake.echo });
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
  render(
    <QueryClientProvider client={queryClient}>
      <RealtimeProvider client={realtime}>
        <App />
        <Rooms />
      </RealtimeProvider>
    </QueryClientProvider>,
  );
  await act(() => fake.flush());
  await act(() => vi.advanceTimersByTimeAsync(1000));
  expect(screen.getByText(/^Order 1:/).textContent).toBe('Order 1: paid');
  expect(screen.getByTestId('rooms').textContent).toBe('3');

  act(() => fake.setConnectionState('unavailable'));
  server.orders.set(1, { id: 1, status: 'shipped' }); // .OrderShipped is broadcast now, and lost
  server.rooms = 4;
  expect(fake.emit('private-orders.1', '.OrderShipped', { id: 1, status: 'shipped' })).toBe(0);
  act(() => fake.setConnectionState('connected'));
  await act(() => fake.flush());
  await act(() => vi.advanceTimersByTimeAsync(1000));
  expect(screen.getByText(/^Order 1:/).textContent).toBe('Order 1: shipped');
  expect(screen.getByTestId('rooms').textContent).toBe('4');
  realtime.dispose();
});
