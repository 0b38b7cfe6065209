// Seed 003: a booking's status page, updated from the event's payload with no refetch.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useQuery } from '@tanstack/react-query';
import { useRealtimeEvent } from 'echo-react-query';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { type Booking, demo, DemoApp, FetchCounter, ServerPanel, useDemoServer } from './demo-server';

function BookingStatus({ reference }: { reference: string }) {
  const server = useDemoServer();
  const { data, isFetching } = useQuery({ queryKey: ['booking', reference], queryFn: () => server.get('/api/booking', () => server.booking) });
  useRealtimeEvent({
    channel: `booking.${reference}`,
    event: '.BookingStatusChanged',
    setQueryData: { queryKey: ['booking', reference], updater: (booking: Booking) => booking },
  });
  const advance = (status: Booking['status']) => {
    server.update((db) => (db.booking = { ...db.booking, status }));
    server.broadcast(`private-booking.${reference}`, '.BookingStatusChanged', server.booking);
  };
  return (
    <>
      <h2>Booking {reference}</h2>
      <p>
        Status:{' '}
        <span role="status" aria-label="Booking status" className="status" data-tone={data?.status === 'pending' ? 'warn' : data ? 'ok' : undefined}>
          {data?.status ?? 'loading…'}
        </span>
      </p>
      <p aria-label="Refreshing">{isFetching ? 'refreshing…' : 'up to date'}</p>
      <FetchCounter endpoint="/api/booking" label="Booking" />
      <ServerPanel>
        <button onClick={() => advance('confirmed')}>Confirm the booking</button>
        <button onClick={() => advance('checked-in')}>Check the guest in</button>
      </ServerPanel>
    </>
  );
}

/** What to try, and what to watch (shown above the demo). */
const GUIDE = {
  try: <>Press <strong>Confirm the booking</strong>, then <strong>Check the guest in</strong>.</>,
  watch: <>the status changes with no request: in the panel each event shows <em>writes</em> <code>["booking","BK-1042"]</code> and no fetch follows.</>,
};

const meta: Meta<typeof BookingStatus> = {
  title: 'Demos/Booking status (event payload into the cache)',
  component: BookingStatus,
  args: { reference: 'BK-1042' },
  decorators: [(Story) => <DemoApp guide={GUIDE}><Story /></DemoApp>],
};
export default meta;

export const BookingStatus_: StoryObj<typeof BookingStatus> = {
  name: 'Booking status',
  play: async ({ canvasElement }) => {
    const canvas = within(demo(canvasElement));
    const status = canvas.getByLabelText('Booking status');
    await expect(await canvas.findByText('pending')).toBe(status);
    const fetches = canvas.getByLabelText('Booking fetches');
    await waitFor(() => expect(fetches).toHaveTextContent(/^2$/)); // the load, and the refetch on subscribe
    await canvas.findByText('up to date');
    await userEvent.click(canvas.getByRole('button', { name: 'Confirm the booking' }));
    await canvas.findByText('confirmed');
    await userEvent.click(canvas.getByRole('button', { name: 'Check the guest in' }));
    await canvas.findByText('checked-in');
    // The events carried the booking: no request for them.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(fetches).toHaveTextContent(/^2$/);
  },
};
