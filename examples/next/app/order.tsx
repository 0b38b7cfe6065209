// app/order.tsx
'use client';

import { useQuery } from '@tanstack/react-query';
import { useRealtimeEvent } from 'echo-react-query';

export function Order({ id }: { id: number }) {
  const { data } = useQuery({
    queryKey: ['orders', id],
    queryFn: async (): Promise<{ id: number; status: string }> => (await fetch(`/api/orders/${id}`)).json(),
  });
  useRealtimeEvent({
    channel: `orders.${id}`, // private by default: private-orders.1 on the wire
    event: '.OrderShipped',
    setQueryData: { queryKey: ['orders', id], updater: (order) => order }, // the event carries the order
  });
  return <p>Order {id}: {data?.status ?? 'loading…'}</p>;
}
