// Seed 003: an app shell mounts one global subscriber; every room list on screen stays in sync.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useQuery } from '@tanstack/react-query';
import { useRealtimeGlobalSubscriber } from 'echo-react-query';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { DemoApp, FetchCounter, ServerPanel, useDemoServer, type Room } from './demo-server';

function useRooms() {
  const server = useDemoServer();
  return useQuery({ queryKey: ['rooms'], queryFn: () => server.get('/api/rooms', () => server.rooms) });
}

function RoomList() {
  const { data = [] } = useRooms();
  return (
    <ul aria-label="Rooms">
      {data.map((room) => (
        <li key={room.id}>{`${room.name}: ${room.free} free`}</li>
      ))}
    </ul>
  );
}

function FreeRooms() {
  const { data = [] } = useRooms();
  return <p>Rooms with space: {data.filter((room) => room.free > 0).length}</p>;
}

function AppShell() {
  // Mounted once: channel + event -> query keys, for the whole app.
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
      <FetchCounter endpoint="/api/rooms" label="Rooms" />
      <ServerPanel>
        <button onClick={() => change((rooms) => [...rooms, { id: rooms.length + 1, name: `Room ${rooms.length + 1}`, free: 2 }])}>Add a room</button>
        <button onClick={() => change((rooms) => rooms.map((r) => (r.id === 3 ? { ...r, free: r.free + 1 } : r)))}>Free a place in Faro</button>
      </ServerPanel>
    </>
  );
}

const meta: Meta<typeof AppShell> = {
  title: 'Demos/Room list (global subscriber)',
  component: AppShell,
  decorators: [(Story) => <DemoApp><Story /></DemoApp>],
};
export default meta;

export const RoomList_: StoryObj<typeof AppShell> = {
  name: 'Room list',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText('Faro: 0 free');
    const fetches = canvas.getByLabelText('Rooms fetches');
    // Settled: the first load, and the refetch when the channel was confirmed.
    await waitFor(() => expect(fetches).toHaveTextContent('2'));
    await userEvent.click(canvas.getByRole('button', { name: 'Add a room' }));
    await canvas.findByText('Room 4: 2 free');
    await expect(canvas.getByText('Rooms with space: 3')).toBeInTheDocument();
    // Two lists on screen, one event: one refetch (counted after the 100 ms window closed).
    await new Promise((resolve) => setTimeout(resolve, 400));
    await expect(fetches).toHaveTextContent('3');
  },
};
