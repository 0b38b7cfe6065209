// Order.tsx
import { useQuery } from '@tanstack/react-query';
import { useRealtimeChannel, useRealtimeEvent } from 'echo-react-query';
import { api } from './api'; // './session' with cookies

type Order = { id: number; status: string };

export function Order({ id }: { id: number }) {
  const { data } = useQuery({ queryKey: ['orders', id], queryFn: () => api<Order>(`/api/orders/${id}`) });
  useRealtimeEvent({
    channel: `orders.${id}`,
    event: '.OrderShipped',
    setQueryData: { queryKey: ['orders', id], updater: (order: Order) => order },
  });
  // The same subscription's state: a refused or failed auth request shows here.
  const { status, error } = useRealtimeChannel({ channel: `orders.${id}` });
  return (
    <>
      <p>Order {id}: {data?.status ?? 'loading'}</p>
      <p role="status">{error ? error.message : status}</p>
    </>
  );
}
