/**
 * `npm run demo`: the hooks on the built-in fake Pusher server, no Laravel and no network needed.
 * A small app (rooms list, presence roster, connection banner, an admin-only channel) is rendered
 * into a DOM in this process while a script plays the server: bursts, joins, whispers, a refused
 * channel, a dropped socket. After each step the rendered page and the fetch counts are printed.
 */
import '../bench/dom';

const { act } = await import('react');
const { createRoot } = await import('react-dom/client');
const { QueryClient, QueryClientProvider, useQuery } = await import('@tanstack/react-query');
const erq = await import('../src');
const { createFakeEcho } = await import('../src/testing');
const { createRealtimeClient, RealtimeProvider, useConnectionStatus, usePresence, useRealtimeChannel, useRealtimeGlobalSubscriber } = erq;

// --- the "server" --------------------------------------------------------------------------
const fake = createFakeEcho({ user: { id: 1, name: 'Ann' } });
fake.failAuth('private-admin.dashboard', 403);
fake.join('presence-lobby', { id: 2, name: 'Bob' }); // Bob is in the lobby before we arrive
const db = { rooms: ['Blue', 'Green'], version: 1 };
const fetches = { rooms: 0 };
const api = {
  rooms: async () => {
    fetches.rooms += 1;
    await new Promise((r) => setTimeout(r, 5));
    return { ...db, rooms: [...db.rooms] };
  },
};

// --- the app ---------------------------------------------------------------------------------
const client = createRealtimeClient({
  echo: fake.echo,
  onError: (e) => log(`  onError: [${e.code}] ${e.message}`),
  onReconnect: ({ downtimeMs }) => log(`  onReconnect: socket was down ${downtimeMs} ms, bound queries refetched`),
});
const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });

function Rooms() {
  const { data } = useQuery({ queryKey: ['rooms'], queryFn: api.rooms });
  return <p>Rooms (v{data?.version ?? '-'}): {data?.rooms.join(', ') ?? 'loading'}</p>;
}
function Roster() {
  const { members, count, status } = usePresence<{ id: number; name: string }>({
    channel: 'lobby',
    onJoin: (m) => log(`  onJoin: ${m.name}`),
    onLeave: (m) => log(`  onLeave: ${m.name}`),
  });
  return <p>Lobby [{status}] {count} online: {members.map((m) => m.name).join(', ')}</p>;
}
function Admin() {
  const { status, error } = useRealtimeChannel({ channel: 'admin.dashboard', type: 'private' });
  return <p>Admin channel: {status}{error ? ` (${error.message.split(' Check')[0]})` : ''}</p>;
}
function Banner() {
  return <p>Connection: {useConnectionStatus()}</p>;
}
function App() {
  useRealtimeGlobalSubscriber({ bindings: [{ channel: 'rooms', type: 'public', event: '.RoomsUpdated', invalidate: ['rooms'] }] });
  return (
    <>
      <Banner />
      <Rooms />
      <Roster />
      <Admin />
    </>
  );
}

// --- the script ------------------------------------------------------------------------------
function log(line: string) {
  console.log(line);
}
const root = createRoot(document.body.appendChild(document.createElement('div')));
async function settle(ms = 50) {
  await act(async () => {
    await fake.flush();
    await new Promise((r) => setTimeout(r, ms));
  });
}
let shownFetches = 0;
function show(title: string) {
  log(`\n== ${title}`);
  for (const p of document.querySelectorAll('p')) log(`  | ${p.textContent}`);
  log(`  rooms fetched ${fetches.rooms - shownFetches}x in this step`);
  shownFetches = fetches.rooms;
}

await act(async () =>
  root.render(
    <QueryClientProvider client={queryClient}>
      <RealtimeProvider client={client}>
        <App />
      </RealtimeProvider>
    </QueryClientProvider>,
  ),
);
await settle(300);
show('mounted: rooms loaded, and refetched once the channel was confirmed (refetchOnSubscribe); Bob already in the lobby; admin channel refused (403)');

await act(async () => {
  for (let i = 0; i < 500; i++) {
    db.version += 1;
    fake.emit('rooms', '.RoomsUpdated', { version: db.version });
  }
});
await settle(400);
show('500 RoomsUpdated events in one burst: one leading + one trailing refetch, not 500');

await act(async () => {
  fake.join('presence-lobby', { id: 3, name: 'Cy' });
  fake.join('presence-lobby', { id: 2, name: 'Bob' }); // Bob opens a second tab: still one Bob
  fake.leave('presence-lobby', 2); // ...and closes it
});
await settle();
show('Cy joins; Bob opens and closes a second tab (one member per user)');

await act(async () => fake.setConnectionState('unavailable'));
db.rooms.push('Red');
db.version += 1;
const lost = fake.emit('rooms', '.RoomsUpdated', {});
await settle();
show(`socket dropped; an event sent meanwhile reached ${lost} clients (lost)`);

await act(async () => fake.setConnectionState('connected'));
await settle(300); // the refetch may wait out the coalescing window (wait: 250 ms) of the last burst
show('socket back: channels re-joined, rooms refetched once, Red is there');

await act(async () => root.unmount());
await settle(1200);
client.dispose();
// TanStack keeps unused queries for gcTime (5 min) on a timer; clear them so the process can end.
queryClient.clear();
log(`\n== unmounted and disposed: ${fake.subscribedChannels().length} channels, ${fake.listenerCount()} listeners left`);
