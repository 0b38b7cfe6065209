// Presence when member events race the member list (issue #21), over real WebSockets. On a cluster
// of Soketi nodes a joining socket is in the channel while its node asks the others for
// the members, so the member_added / member_removed of meanwhile reach it before its list, which
// lacks them. The test server's holdMemberLists() reproduces that order on demand; on socket.io,
// laravel-echo-server behind a slow Redis does the same by itself.
import { act, render, waitFor } from '@testing-library/react';
import io from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createRealtimeClient, usePresence, useRealtimeEvent, type RealtimeClient } from '../../src';
import { hasRedisServer, SocketIoStack } from '../server/socketio-stack';
import { stackPerTest, type Stack } from './stack';

const USERS = 30;
const tokens = Array.from({ length: USERS }, (_, i) => `user-${1001 + i}`);
const users = Object.fromEntries(tokens.map((token, i) => [token, { id: 1001 + i, name: `User ${1001 + i}` }]));
const ROOM = 'presence-room.1';

let stack: Stack;
stackPerTest((s) => {
  stack = s;
  seen = {};
}, users);

/** What one client shows and was told, read outside React. */
interface Seen {
  members: number[];
  joined: number[];
  left: number[];
  /** The last barrier event heard: every frame sent before it was handled. */
  barrier: number;
}

/** Per user id, what that user's client shows (one client per user here). */
let seen: Record<number, Seen> = {};
const seenBy = (id: number): Seen => (seen[id] ??= { members: [], joined: [], left: [], barrier: 0 });

function Member({ id }: { id: number }) {
  const p = usePresence<{ id: number }>({
    channel: 'room.1',
    onJoin: (m) => seenBy(id).joined.push(m.id),
    onLeave: (m) => seenBy(id).left.push(m.id),
  });
  useRealtimeEvent({ channel: 'room.1', type: 'presence', event: '.Barrier', onEvent: (d: { n: number }) => (seenBy(id).barrier = d.n) });
  seenBy(id).members = p.members.map((m) => m.id).sort((a, b) => a - b);
  return null;
}

/** The server's members, in the order they joined. */
const serverIds = () => stack.server.presenceMembers(ROOM).map((m) => (m as { id: number }).id);
const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

/** User `id`'s client, mounted in its own root (unmount it to leave). */
function mount(id: number): { client: RealtimeClient; unmount: () => void } {
  const client = stack.makeClient({ token: () => `user-${id}` });
  const view = render(<Member id={id} />, { wrapper: stack.wrapper(client) });
  return { client, unmount: view.unmount };
}

/** Cuts one client's connection on the server, as a network drop does (`silently`: as a dying node does). */
function drop(client: RealtimeClient, options?: { silently?: boolean }): void {
  const socketId = client.getSocketId();
  if (!socketId) throw new Error('not connected'); // dropConnection(undefined) would cut everyone
  stack.server.dropConnection(socketId, options);
}

/** Closes the window: a broadcast after everything else, heard by every client in `seen`. */
let barriers = 0;
async function barrier(ids: number[]): Promise<void> {
  const n = ++barriers;
  await stack.app.broadcast(ROOM, 'Barrier', { n });
  await waitFor(() => expect(ids.map((id) => seenBy(id).barrier)).toEqual(ids.map(() => n)));
}

test(`${USERS} users join at once, every join racing the member list: each client lists exactly the server's members, each join announced once`, async () => {
  const release = stack.server.holdMemberLists();
  const ids = tokens.map((_, i) => 1001 + i);
  const Wrappers = tokens.map((token) => stack.wrapper(stack.makeClient({ token: () => token })));
  render(
    <>
      {Wrappers.map((Wrapper, i) => (
        <Wrapper key={ids[i]}>
          <Member id={ids[i]} />
        </Wrapper>
      ))}
    </>,
  );
  // Everyone is in the channel, and nobody has its list yet: each list lacks all who joined after it.
  await waitFor(() => expect(serverIds()).toHaveLength(USERS), { timeout: 20_000 });
  const order = serverIds();
  const members = () => ids.map((id) => seenBy(id).members);
  release();

  await waitFor(() => expect(members()).toEqual(ids.map(() => sorted(order))), { timeout: 10_000 });
  await barrier(ids);
  expect(members()).toEqual(ids.map(() => sorted(order)));
  // Each client was told of exactly those who joined after it, once each; nobody left.
  for (const me of ids) {
    expect({ me, joined: sorted(seenBy(me).joined) }).toEqual({ me, joined: sorted(order.slice(order.indexOf(me) + 1)) });
  }
  expect(ids.reduce((n, id) => n + seenBy(id).joined.length, 0)).toBe((USERS * (USERS - 1)) / 2);
  expect(ids.flatMap((id) => seenBy(id).left)).toEqual([]);
});

test('a reconnect while others join and leave, racing its member list: members right, only real changes announced', async () => {
  const [r, a, b, c, d] = [1001, 1002, 1003, 1004, 1005];
  const rView = mount(r);
  mount(a);
  const bView = mount(b);
  const cView = mount(c);
  await waitFor(() => expect([r, a, b, c].map((id) => seenBy(id).members)).toEqual(Array(4).fill([r, a, b, c])), { timeout: 10_000 });
  for (const s of Object.values(seen)) s.joined.length = 0;

  // R's connection drops; every list from now on is held. B leaves while R is away (or racing its list).
  const release = stack.server.holdMemberLists();
  drop(rView.client);
  act(() => bView.unmount());
  await waitFor(() => expect(serverIds()).toContain(r), { timeout: 10_000 }); // R is back in the channel, its list held
  // Then D joins and C leaves: their events reach R before its list, which lacks D and still shows C.
  mount(d);
  act(() => cView.unmount());
  await waitFor(() => expect(sorted(serverIds())).toEqual([r, a, d]));
  release();

  await waitFor(() => expect([r, a, d].map((id) => seenBy(id).members)).toEqual(Array(3).fill([r, a, d])));
  await barrier([r, a, d]);
  expect(seenBy(r).members).toEqual([r, a, d]);
  expect({ joined: seenBy(r).joined, left: sorted(seenBy(r).left) }).toEqual({ joined: [d], left: [b, c] });
  // A, there all along, saw R go and come back, B and C leave, D join: each once.
  expect({ joined: sorted(seenBy(a).joined), left: sorted(seenBy(a).left) }).toEqual({ joined: [r, d], left: [r, b, c] });
});

test('a connection lost before its member list came: the member events held for that subscription are forgotten', async () => {
  const [r, d] = [1001, 1005];
  const release = stack.server.holdMemberLists();
  const rMount = mount(r);
  await waitFor(() => expect(serverIds()).toEqual([r]), { timeout: 10_000 });
  const dMount = mount(d); // R is told D joined, and has no list yet
  await waitFor(() => expect(serverIds()).toEqual([r, d]), { timeout: 10_000 });
  // R drops, then D goes for good, both at once on the server: R never hears D leave, and its next
  // subscription lists no D.
  drop(rMount.client);
  drop(dMount.client);
  dMount.client.dispose();
  release();
  await waitFor(() => expect(serverIds()).toEqual([r]), { timeout: 10_000 });
  await barrier([r]);
  expect(seenBy(r)).toMatchObject({ members: [r], joined: [], left: [] });
});

test("what no client can fix, and the way back: a member whose node died stays listed until the list is read again (reconnect())", async () => {
  const [r, d] = [1001, 1002];
  const rMount = mount(r);
  const dMount = mount(d);
  await waitFor(() => expect([r, d].map((id) => seenBy(id).members)).toEqual([[r, d], [r, d]]), { timeout: 10_000 });
  drop(dMount.client, { silently: true }); // D's node dies: nobody is told D left
  dMount.client.dispose();
  await barrier([r]);
  expect(serverIds()).toEqual([r]);
  expect(seenBy(r)).toMatchObject({ members: [r, d], left: [] });

  act(() => rMount.client.reconnect()); // e.g. when the tab becomes visible again
  await waitFor(() => expect(seenBy(r).members).toEqual([r]), { timeout: 10_000 });
  await barrier([r]);
  expect(seenBy(r).left).toEqual([d]);
});

// laravel-echo-server puts a socket in the room once its auth is answered, then reads the members
// from Redis (two round trips) before sending its list: the presence:joining of a socket that joined
// just before it comes first, and its list, read before that join was written, lacks it. A Redis
// answering 400 ms late makes that window wide enough for two users joining together, every time.
describe.skipIf(!hasRedisServer())('socket.io: laravel-echo-server behind a slow Redis', () => {
  let les: SocketIoStack;
  const clients: RealtimeClient[] = [];
  beforeEach(async () => {
    les = await new SocketIoStack(`http://${stack.app.host}:${stack.app.port}`, { redisDelayMs: 400 }).start();
  });
  afterEach(async () => {
    // The server first: its own read-modify-write of the member list in Redis races too, and may have
    // lost one of the joins; laravel-echo-server 1.6 crashes when such a member leaves.
    await les?.stop();
    for (const client of clients.splice(0)) client.dispose();
  });

  test("two users join together: the later gets the earlier one's join before its list, and both list both", async () => {
    const ids = [1001, 1002];
    /** Per user: the order of presence:subscribed and presence:joining on its socket. */
    const frames: Record<number, string[]> = { 1001: [], 1002: [] };
    const Wrappers = ids.map((id) => {
      const client = createRealtimeClient({ echo: les.echoOptions(io), getToken: () => `user-${id}`, onError: (e) => stack.errors.push(e) });
      clients.push(client);
      client.connect();
      const socket = (client.getEcho() as unknown as { connector: { socket: { on(event: string, cb: () => void): void } } }).connector.socket;
      for (const event of ['presence:subscribed', 'presence:joining']) socket.on(event, () => frames[id].push(event));
      return stack.wrapper(client);
    });
    render(
      <>
        {Wrappers.map((Wrapper, i) => (
          <Wrapper key={ids[i]}>
            <Member id={ids[i]} />
          </Wrapper>
        ))}
      </>,
    );
    await waitFor(() => expect(Object.values(frames).every((f) => f.includes('presence:subscribed'))).toBe(true), { timeout: 15_000 });
    // The race happened: one of them heard the other join before it had its list.
    expect(Object.values(frames).map((f) => f[0])).toContain('presence:joining');
    await waitFor(() => expect(ids.map((id) => seenBy(id).members)).toEqual([ids, ids]), { timeout: 5000 });
    // Each was told at most once of the other's join, and of no leave.
    for (const id of ids) expect(seenBy(id).joined.filter((other) => other !== ids.find((x) => x !== id))).toEqual([]);
    expect(ids.flatMap((id) => seenBy(id).joined).length).toBeLessThanOrEqual(2);
    expect(ids.flatMap((id) => seenBy(id).left)).toEqual([]);
    expect(stack.errors).toEqual([]);
  });

  test('a reconnect while another user joins: the join comes before the new list, which lacks it; no false leave', async () => {
    const [r, a, o] = [1001, 1002, 1003];
    const make = (id: number) => {
      const client = createRealtimeClient({ echo: les.echoOptions(io), getToken: () => `user-${id}`, onError: (e) => stack.errors.push(e) });
      clients.push(client);
      client.connect();
      return client;
    };
    type Socket = { on(event: string, cb: () => void): void; io: { engine: { close(): void } } };
    const socketOf = (client: RealtimeClient) => (client.getEcho() as unknown as { connector: { socket: Socket } }).connector.socket;
    const rClient = make(r);
    render(<Member id={r} />, { wrapper: stack.wrapper(rClient) });
    await waitFor(() => expect(seenBy(r).members).toEqual([r]), { timeout: 10_000 });
    render(<Member id={a} />, { wrapper: stack.wrapper(make(a)) });
    await waitFor(() => expect([r, a].map((id) => seenBy(id).members)).toEqual([[r, a], [r, a]]), { timeout: 10_000 });
    seenBy(r).joined.length = 0;

    // R's transport drops; as socket.io starts to reconnect, O joins: a moment before R re-joins.
    const oClient = make(o);
    const rFrames: string[] = [];
    const rSocket = socketOf(rClient);
    for (const event of ['presence:subscribed', 'presence:joining']) rSocket.on(event, () => rFrames.push(event));
    rSocket.on('reconnect_attempt', () => {
      if (oClient.channels.getSnapshot({ channel: 'room.1', type: 'presence' }).status === 'idle') oClient.acquire({ channel: 'room.1', type: 'presence' });
    });
    rSocket.io.engine.close();
    await waitFor(() => expect(rFrames).toContain('presence:subscribed'), { timeout: 15_000 });
    expect(rFrames[0]).toBe('presence:joining'); // the race happened: O's join before R's new list
    await waitFor(() => expect(seenBy(r).members).toEqual([r, a, o]), { timeout: 5000 });
    expect(seenBy(r)).toMatchObject({ joined: [o], left: [] });
    expect(stack.errors).toEqual([]);
  });
});
