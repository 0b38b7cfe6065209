// A connection banner: drop the socket, see "reconnecting", change data meanwhile (the event is
// lost), come back: the banner goes and the missed change is on screen.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useQuery } from '@tanstack/react-query';
import { useConnectionStatus, useRealtimeEvent } from 'echo-react-query';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { demo, DemoApp, devtools, FetchCounter, ServerPanel, useDemoServer } from './demo-server';

function ConnectionBanner() {
  const status = useConnectionStatus();
  // Not for the first connect of a page load: only once a connection was lost.
  if (status !== 'reconnecting' && status !== 'disconnected' && status !== 'failed') return null;
  return <p role="alert" className="banner" data-tone={status === 'failed' ? 'bad' : undefined}>{status === 'failed' ? 'Live updates are off.' : 'Reconnecting… what changes meanwhile will show when we are back.'}</p>;
}

function Dashboard() {
  const server = useDemoServer();
  const { data } = useQuery({ queryKey: ['rooms'], queryFn: () => server.get('/api/rooms', () => server.rooms) });
  useRealtimeEvent({ channel: 'rooms', type: 'public', event: '.RoomsUpdated', invalidate: ['rooms'] });
  return (
    <>
      <ConnectionBanner />
      <p>Free places: <output aria-label="Free places">{data?.reduce((sum, r) => sum + r.free, 0) ?? '…'}</output></p>
      <FetchCounter endpoint="/api/rooms" label="Rooms" />
      <ServerPanel>
        <button onClick={() => server.dropSocket()}>Drop the socket</button>
        <button
          onClick={() => {
            server.update((db) => (db.rooms = db.rooms.map((r) => ({ ...r, free: r.free + 1 }))));
            server.broadcast('rooms', '.RoomsUpdated');
          }}
        >
          Free a place in every room
        </button>
        <button onClick={() => server.restoreSocket()}>Restore the socket</button>
      </ServerPanel>
    </>
  );
}

/** What to try, and what to watch (shown above the demo). */
const GUIDE = {
  try: <><strong>Drop the socket</strong>, press <strong>Free a place in every room</strong> while it is down, then <strong>Restore the socket</strong>.</>,
  watch: <>the banner, the lost event (the count stays at 4), then in the panel the channel go <em>subscribing</em> → <em>subscribed</em> and one <em>recovery</em> fetch that brings 7.</>,
};

const meta: Meta<typeof Dashboard> = {
  title: 'Demos/Connection banner and recovery',
  component: Dashboard,
  decorators: [(Story) => <DemoApp guide={GUIDE}><Story /></DemoApp>],
};
export default meta;

export const DropAndRecover: StoryObj<typeof Dashboard> = {
  name: 'Drop and recover',
  play: async ({ canvasElement }) => {
    const canvas = within(demo(canvasElement));
    const free = canvas.getByLabelText('Free places');
    await waitFor(() => expect(free).toHaveTextContent(/^4$/));
    await userEvent.click(canvas.getByRole('button', { name: 'Drop the socket' }));
    await canvas.findByText(/Reconnecting/);
    const fetches = canvas.getByLabelText('Rooms fetches');
    const before = fetches.textContent;
    await userEvent.click(canvas.getByRole('button', { name: 'Free a place in every room' })); // broadcast, and lost
    await new Promise((resolve) => setTimeout(resolve, 300)); // past the coalescing window
    await expect(fetches).toHaveTextContent(new RegExp(`^${before}$`));
    await expect(free).toHaveTextContent(/^4$/);
    await userEvent.click(canvas.getByRole('button', { name: 'Restore the socket' }));
    await waitFor(() => expect(free).toHaveTextContent(/^7$/)); // recovered: refetched on re-subscription
    await expect(canvas.queryByRole('alert')).toBeNull();
    // The panel's log, oldest first: the channel left waiting by the drop and confirmed again, then
    // the refetch the recovery asked for.
    const panel = within(devtools(canvasElement));
    await waitFor(() => expect(panel.getAllByTestId('log-fetched').length).toBeGreaterThan(0));
    const log = panel.getAllByRole('listitem').map((row) => row.textContent ?? '').reverse();
    const at = (pattern: RegExp, from = 0) => log.findIndex((row, i) => i >= from && pattern.test(row));
    const first = at(/channelrooms subscribed/);
    const dropped = at(/connectionreconnecting/, first);
    const back = at(/channelrooms subscribed/, dropped);
    const recovery = at(/runinvalidate \["rooms"\] \(recovery\)/, back);
    const fetched = at(/fetchfetch \["rooms"\]$/, recovery);
    await expect([first, dropped, back, recovery, fetched].every((i, n, all) => i >= 0 && (n === 0 || i > all[n - 1]!))).toBe(true);
    // Between the two confirmations the channel waited for the socket: subscribing, not subscribed.
    await expect(log.slice(first + 1, back).some((row) => /channelrooms subscribing/.test(row))).toBe(true);
  },
};

/** The same page without a script: try it by hand. */
export const Interactive: StoryObj<typeof Dashboard> = {};
