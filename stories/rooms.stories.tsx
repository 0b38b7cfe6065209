// Seed 003: an app shell mounts one global subscriber; every room list on screen stays in sync.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useQuery } from '@tanstack/react-query';
import { useRealtimeGlobalSubscriber } from 'echo-react-query';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { demo, DemoApp, FetchCounter, type Room, ServerPanel, useDemoServer } from './demo-server';

function RoomList() {
  const server = useDemoServer();
  const { data = [] } = useQuery({ queryKey: ['rooms', 'list'], queryFn: () => server.get('/api/rooms', () => server.rooms) });
  return (
    <ul aria-label="Rooms">
      {data.map((room) => (
        <li key={room.id}>{`${room.name}: ${room.free} free`}</li>
      ))}
    </ul>
  );
}

function FreeRooms() {
  const server = useDemoServer();
  const { data } = useQuery({
    queryKey: ['rooms', 'summary'],
    queryFn: () => server.get('/api/rooms/summary', () => server.rooms.filter((room) => room.free > 0).length),
  });
  return <p>Rooms with space: {data}</p>;
}

function AppShell() {
  // Mounted once: channel + event -> query keys, for the whole app (['rooms'] covers both lists).
  useRealtimeGlobalSubscriber({
    bindings: [{ channel: 'rooms', type: 'public', event: '.RoomsUpdated', invalidate: ['rooms'] }],
  });
  const server = useDemoServer();
  const change = (update: (rooms: Room[]) => Room[]) => {
    server.update((db) => (db.rooms = update(db.rooms)));
    server.broadcast('rooms', '.RoomsUpdated');
  };
  return (
    <>
      <RoomList />
      <FreeRooms />
      <FetchCounter endpoint="/api/rooms" label="Room list" />
      <FetchCounter endpoint="/api/rooms/summary" label="Summary" />
      <ServerPanel>
        <button onClick={() => change((rooms) => [...rooms, { id: rooms.length + 1, name: `Room ${rooms.length + 1}`, free: 2 }])}>Add a room</button>
        <button onClick={() => Array.from({ length: 10 }, () => change((rooms) => rooms.map((r) => (r.id === 3 ? { ...r, free: r.free + 1 } : r))))}>
          Ten bookings cancelled in Faro at once
        </button>
      </ServerPanel>
    </>
  );
}

/** What to try, and what to watch (shown above the demo). */
const GUIDE = {
  try: <>Press <strong>Add a room</strong>, then <strong>Ten bookings cancelled in Faro at once</strong>.</>,
  watch: <>both lists update; in the panel ten events ask for <code>["rooms"]</code> and the coalescer runs it a few times, not ten, with the count of requests each run answered.</>,
};

const meta: Meta<typeof AppShell> = {
  title: 'Demos/Room list (global subscriber)',
  component: AppShell,
  decorators: [(Story) => <DemoApp guide={GUIDE}><Story /></DemoApp>],
};
export default meta;

export const RoomList_: StoryObj<typeof AppShell> = {
  name: 'Room list',
  play: async ({ canvasElement }) => {
    const canvas = within(demo(canvasElement));
    await canvas.findByText('Faro: 0 free');
    const list = canvas.getByLabelText('Room list fetches');
    const summary = canvas.getByLabelText('Summary fetches');
    // Settled: each query's first load, and its refetch when the channel was confirmed.
    await waitFor(() => expect(list).toHaveTextContent(/^2$/));
    await waitFor(() => expect(summary).toHaveTextContent(/^2$/));
    await userEvent.click(canvas.getByRole('button', { name: 'Add a room' }));
    await canvas.findByText('Room 4: 2 free');
    await canvas.findByText('Rooms with space: 3');
    await userEvent.click(canvas.getByRole('button', { name: 'Ten bookings cancelled in Faro at once' }));
    await canvas.findByText('Faro: 10 free');
    // Counted once the coalescing window (100 ms here) has closed: ten events made one refetch at
    // once and one trailing, per list (not ten).
    await new Promise((resolve) => setTimeout(resolve, 400));
    await expect(list).toHaveTextContent(/^5$/);
    await expect(summary).toHaveTextContent(/^5$/);
  },
};
