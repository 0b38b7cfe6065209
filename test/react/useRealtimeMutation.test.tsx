import { act } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { commandApp } from './command-app';

// The rules of issue #9, one deterministic test each: the fake server under a real Echo, fake
// timers, and a server the test drives step by step (commandApp). "Refetches" are counted once
// the coalescing window (250 ms) has closed.

afterEach(() => {
  vi.useRealTimers();
});

const WINDOW = 1000;

describe('useRealtimeMutation', () => {
  test('the optimistic row shows at once, and the confirmed row replaces it without a flicker', async () => {
    vi.useFakeTimers();
    const app = commandApp({ fetchMs: 100 });
    await app.ready();
    const id = await app.send('Pro');
    expect(app.screenRows()).toEqual(['Basic', 'Pro (pending)']);
    expect(app.state(id)?.status).toBe('pending');

    const row = app.carryOut(id);
    await app.respond(id, true);
    expect(app.broadcast(row)).toBe(1);
    expect(app.state(id)?.status).toBe('confirmed');
    // The refetch is in flight: the pending row stays until the server's data has it.
    await app.run(50);
    expect(app.rows()).toEqual(['Basic', 'Pro (pending)']);
    expect(app.screenRows()).toEqual(['Basic', 'Pro (pending)']);
    await app.run(WINDOW);
    expect(app.screenRows()).toEqual(['Basic', 'Pro']);
    expect(app.leftovers()).toEqual({ layers: 0, timers: 1 }); // the 30 s list sweep only
    await app.run(30_000);
    expect(app.tracker.getSnapshot()).toEqual([]);
    expect(app.leftovers()).toEqual({ layers: 0, timers: 0 });
    expect(app.errors).toEqual([]);
  });

  test('1. the event beats the HTTP response: confirmed once, the late response changes nothing', async () => {
    vi.useFakeTimers();
    const app = commandApp();
    await app.ready();
    const id = await app.send('Pro');
    const row = app.carryOut(id);
    app.broadcast(row);
    expect(app.state(id)?.status).toBe('confirmed');
    await app.run(WINDOW);
    const fetches = app.fetches();
    expect(app.rows()).toEqual(['Basic', 'Pro']);

    await app.respond(id, true);
    expect(app.state(id)?.status).toBe('confirmed');
    await app.run(30_000);
    expect(app.state(id)).toBeUndefined(); // listed for 30 s after it settled
    expect(app.fetches()).toBe(fetches);
    expect(app.rows()).toEqual(['Basic', 'Pro']);
  });

  test('1b. the event, then the HTTP request fails (a lost response): still confirmed, the row stays', async () => {
    vi.useFakeTimers();
    const app = commandApp();
    await app.ready();
    const id = await app.send('Pro');
    app.broadcast(app.carryOut(id));
    await app.respond(id, false);
    await app.run(WINDOW);
    expect(app.state(id)?.status).toBe('confirmed');
    expect(app.rows()).toEqual(['Basic', 'Pro']);
  });

  test('2. duplicate confirming events (a reconnect, a second subscriber) are idempotent', async () => {
    vi.useFakeTimers();
    const app = commandApp();
    await app.ready();
    const before = app.fetches();
    const id = await app.send('Pro');
    const row = app.carryOut(id);
    await app.respond(id, true);
    app.broadcast(row);
    app.broadcast(row);
    await app.run(WINDOW);
    app.broadcast(row);
    await app.run(WINDOW);
    expect(app.state(id)?.status).toBe('confirmed');
    expect(app.rows()).toEqual(['Basic', 'Pro']);
    // One refetch for the command, none for its duplicates (even outside the coalescing window).
    expect(app.fetches() - before).toBe(1);
  });

  test("an app binding on the confirming event: the command's refetch coalesces with it (one refetch)", async () => {
    vi.useFakeTimers();
    const app = commandApp({ appBinding: true });
    await app.ready();
    const before = app.fetches();
    const id = await app.send('Pro');
    const row = app.carryOut(id);
    await app.respond(id, true);
    app.broadcast(row);
    await app.run(WINDOW);
    expect(app.fetches() - before).toBe(1);
    expect(app.rows()).toEqual(['Basic', 'Pro']);
  });

  test('3. HTTP error: only that layer goes; a confirming event arriving later refetches', async () => {
    vi.useFakeTimers();
    const app = commandApp();
    await app.ready();
    await app.send('Pro');
    const bad = await app.send('Team');
    expect(app.rows()).toEqual(['Basic', 'Pro (pending)', 'Team (pending)']);
    await app.respond(bad, false);
    expect(app.state(bad)).toMatchObject({ status: 'failed', error: expect.objectContaining({ message: '422 Unprocessable' }) });
    expect(app.rows()).toEqual(['Basic', 'Pro (pending)']);
    await app.run(WINDOW);
    const fetches = app.fetches();

    // The server did carry it out after all (the response was lost, say): reconcile.
    app.requests.set(bad, { name: 'Team', resolve: () => {}, reject: () => {} });
    const row = app.carryOut(bad);
    app.broadcast(row);
    await app.run(WINDOW);
    expect(app.fetches()).toBe(fetches + 1);
    expect(app.rows()).toEqual(['Basic', 'Team', 'Pro (pending)']);
    expect(app.state(bad)?.status).toBe('failed');
  });

  test('4. HTTP success, no event within confirmTimeoutMs: unconfirmed, refetched, never rolled back blindly', async () => {
    vi.useFakeTimers();
    const app = commandApp({ confirmTimeoutMs: 5000, fetchMs: 200 });
    await app.ready();
    const id = await app.send('Pro');
    app.carryOut(id); // the server broadcasts toOthers(): no event here
    await app.respond(id, true);
    await app.run(4999);
    expect(app.state(id)?.status).toBe('pending');
    const fetches = app.fetches();
    await app.run(1);
    expect(app.state(id)?.status).toBe('unconfirmed');
    expect(app.fetches()).toBe(fetches + 1);
    // While that refetch is in flight the row stays as it was: no flicker back to the old list.
    await app.run(100);
    expect(app.rows()).toEqual(['Basic', 'Pro (pending)']);
    expect(app.screenRows()).toEqual(['Basic', 'Pro (pending)']);
    await app.run(WINDOW);
    expect(app.screenRows()).toEqual(['Basic', 'Pro']);
    expect(app.tracker.size.layers).toBe(0);
  });

  test('5. server data changing while a command is pending: the layer is re-applied on top', async () => {
    vi.useFakeTimers();
    const app = commandApp();
    await app.ready();
    const id = await app.send('Pro');
    // Someone else adds a row, and something refetches the list.
    app.server.subs = [...app.server.subs, { id: 'x', name: 'Other' }];
    act(() => void app.queryClient.invalidateQueries({ queryKey: ['subs'] }));
    await app.run(WINDOW);
    expect(app.rows()).toEqual(['Basic', 'Other', 'Pro (pending)']);
    // A refetch that read the server after it carried the command out, before the event: the
    // layer stays (the answer does not prove it yet) and, as an upsert, shows the row once.
    const row = app.carryOut(id);
    act(() => void app.queryClient.invalidateQueries({ queryKey: ['subs'] }));
    await app.run(WINDOW);
    expect(app.rows()).toEqual(['Basic', 'Other', 'Pro']);
    expect(app.tracker.size.layers).toBe(1);
    await app.respond(id, true);
    app.broadcast(row);
    await app.run(WINDOW);
    expect(app.rows()).toEqual(['Basic', 'Other', 'Pro']);
    expect(app.tracker.size.layers).toBe(0);
  });

  test('5b. a fetch that read the server before it had the command keeps the layer when it answers', async () => {
    vi.useFakeTimers();
    const app = commandApp({ fetchMs: 200 });
    await app.ready();
    const id = await app.send('Pro');
    act(() => void app.queryClient.invalidateQueries({ queryKey: ['subs'] })); // reads the server now
    const row = app.carryOut(id);
    await app.respond(id, true);
    app.broadcast(row); // confirmed while that fetch is in flight
    await app.run(200); // the old answer lands: it does not have the row
    expect(app.fetches()).toBe(3); // the first load, that fetch, and the one after the event
    expect(app.rows()).toEqual(['Basic', 'Pro (pending)']);
    expect(app.screenRows()).toEqual(['Basic', 'Pro (pending)']);
    await app.run(WINDOW); // the refetch after the event does
    expect(app.screenRows()).toEqual(['Basic', 'Pro']);
    expect(app.tracker.size.layers).toBe(0);
  });

  test('6. concurrent commands on one key: rolling one back keeps the others', async () => {
    vi.useFakeTimers();
    const app = commandApp();
    await app.ready();
    const a = await app.send('A');
    const b = await app.send('B');
    const c = await app.send('C');
    await app.respond(b, false);
    expect(app.rows()).toEqual(['Basic', 'A (pending)', 'C (pending)']);
    await app.respond(a, false);
    expect(app.rows()).toEqual(['Basic', 'C (pending)']);
    const row = app.carryOut(c);
    app.broadcast(row);
    await app.run(WINDOW);
    expect(app.rows()).toEqual(['Basic', 'C']);
  });

  test('7. the component unmounts mid-flight: the command still settles and its layer goes', async () => {
    vi.useFakeTimers();
    const app = commandApp();
    await app.ready();
    const id = await app.send('Pro');
    app.unmountList();
    await app.run(WINDOW);
    const row = app.carryOut(id);
    await app.respond(id, true);
    app.broadcast(row);
    expect(app.state(id)?.status).toBe('confirmed');
    await app.run(WINDOW);
    // Nobody shows the list: it is marked stale, and the layer goes once the query is collected.
    app.queryClient.removeQueries({ queryKey: ['subs'] });
    expect(app.tracker.size.layers).toBe(0);
    expect(app.fake.stats(CHANNEL_WIRE).subscribed).toBe(0);
  });

  test('8. the socket drops while a command is pending: reconciled on reconnect, not lost', async () => {
    vi.useFakeTimers();
    const app = commandApp({ confirmTimeoutMs: 5000 });
    await app.ready();
    const id = await app.send('Pro');
    act(() => app.fake.setConnectionState('unavailable'));
    const row = app.carryOut(id);
    expect(app.broadcast(row)).toBe(0); // lost in the outage
    await app.respond(id, true);
    act(() => app.fake.setConnectionState('connected'));
    await act(() => app.fake.flush());
    await app.run(WINDOW);
    // Refetched on re-subscription: the screen shows the server, before any timeout (the layer,
    // an upsert, adds nothing to data that has the row; only the event or the timeout ends it).
    expect(app.rows()).toEqual(['Basic', 'Pro']);
    expect(app.state(id)?.status).toBe('pending');
    await app.run(5000);
    expect(app.state(id)?.status).toBe('unconfirmed');
    await app.run(WINDOW);
    expect(app.rows()).toEqual(['Basic', 'Pro']);
    expect(app.tracker.size.layers).toBe(0);
  });

  test('9. one refetch when the last pending command on a key settles, not one per command', async () => {
    vi.useFakeTimers();
    const app = commandApp();
    await app.ready();
    const a = await app.send('A');
    const b = await app.send('B');
    const rowA = app.carryOut(a);
    await app.respond(a, true);
    app.broadcast(rowA);
    await app.run(WINDOW);
    const fetches = app.fetches();
    expect(app.rows()).toEqual(['Basic', 'A (pending)', 'B (pending)']);
    const rowB = app.carryOut(b);
    await app.respond(b, true);
    app.broadcast(rowB);
    await app.run(WINDOW);
    expect(app.fetches()).toBe(fetches + 1);
    expect(app.rows()).toEqual(['Basic', 'A', 'B']);
    expect(app.tracker.size.layers).toBe(0);
  });

  test('a retried request is the same command: same commandId, no failure listed, the row never flickers', async () => {
    vi.useFakeTimers();
    const app = commandApp({ retry: 1 });
    await app.ready();
    const id = await app.send('Pro');
    const first = app.requests.get(id)!;
    app.requests.delete(id);
    act(() => first.reject(new Error('503')));
    await app.run(0);
    expect(app.state(id)?.status).toBe('pending');
    expect(app.rows()).toEqual(['Basic', 'Pro (pending)']);
    await app.run(100); // the retry goes out with the same commandId
    expect([...app.requests.keys()]).toEqual([id]);
    app.broadcast(app.carryOut(id));
    await app.respond(id, true);
    await app.run(WINDOW);
    expect(app.tracker.getSnapshot().map((c) => [c.commandId, c.status])).toEqual([[id, 'confirmed']]);
    expect(app.rows()).toEqual(['Basic', 'Pro']);
  });

  test('a request that fails on every attempt fails once, after the last', async () => {
    vi.useFakeTimers();
    const app = commandApp({ retry: 1 });
    await app.ready();
    const id = await app.send('Pro');
    await app.respond(id, false);
    expect(app.state(id)?.status).toBe('pending');
    await app.run(100);
    await app.respond(id, false);
    expect(app.state(id)?.status).toBe('failed');
    expect(app.rows()).toEqual(['Basic']);
  });

  test('failed and unconfirmed commands are listed for a toast, by mutationKey and status', async () => {
    vi.useFakeTimers();
    const app = commandApp({ confirmTimeoutMs: 1000 });
    await app.ready();
    const a = await app.send('A');
    const b = await app.send('B');
    await app.respond(a, false);
    await app.respond(b, true);
    await app.run(1000);
    expect(app.tracker.getSnapshot().map((c) => [c.variables, c.status])).toEqual([
      [{ name: 'A' }, 'failed'],
      [{ name: 'B' }, 'unconfirmed'],
    ]);
  });
});

const CHANNEL_WIRE = 'private-user.1';
