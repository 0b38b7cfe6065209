// The README's "Testing your components" example, verbatim apart from this comment.
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { createRealtimeClient, RealtimeProvider, useRealtimeEvent } from 'echo-react-query';
import { createFakeEcho } from 'echo-react-query/testing';
import { expect, test } from 'vitest';

function OrderStatus({ id }: { id: number }) {
  const { data } = useQuery({ queryKey: ['orders', id], queryFn: async () => ({ id, status: 'paid' }) });
  useRealtimeEvent({
    channel: `orders.${id}`,
    event: '.OrderShipped',
    setQueryData: { queryKey: ['orders', id], updater: (order) => order },
  });
  return <p>{data?.status}</p>;
}

test('shows the new status when the order ships', async () => {
  const fake = createFakeEcho();
  const client = createRealtimeClient({ echo: fake.echo });
  render(
    <QueryClientProvider client={new QueryClient()}>
      <RealtimeProvider client={client}>
        <OrderStatus id={1} />
      </RealtimeProvider>
    </QueryClientProvider>,
  );
  await screen.findByText('paid');
  expect(fake.stats('private-orders.1').subscribes).toBe(1);

  act(() => {
    fake.emit('private-orders.1', '.OrderShipped', { id: 1, status: 'shipped' });
  });
  expect(await screen.findByText('shipped')).toBeTruthy();
});
