import { QueryClient, QueryObserver } from '@tanstack/query-core';
import { describe, expect, test, vi } from 'vitest';
import { createRealtimeClient, inspectRealtime, type InspectorEvent } from '../../src';
import { commandsOf } from '../../src/core/commands';
import { ReactionHandler } from '../../src/core/invalidation';
import { createFakeEcho } from '../../src/testing';

/** A client on a fake server, a QueryClient with one observed-as-active query per key, and the inspector's records. */
function setUp(bufferSize?: number) {
  const fake = createFakeEcho();
  const client = createRealtimeClient({ echo: fake.echo, defaults: { refetchOnSubscribe: false }, onError: () => {} });
  const queryClient = new QueryClient();
  const fetches: string[] = [];
  const records: InspectorEvent[] = [];
  const inspector = inspectRealtime(client, { bufferSize });
  const stop = inspector.subscribe((record) => records.push(record));
  const bind = (channel: string, event: string, reaction: object) => {
    const lease = client.acquire({ channel, type: 'public' });
    lease.listen(event, new ReactionHandler(client, queryClient, { current: reaction as never }, lease.wireName, event));
    return lease;
  };
  const watch = (key: string) =>
    new QueryObserver(queryClient, {
      queryKey: [key],
      queryFn: async () => {
        fetches.push(key);
        return fetches.length;
      },
    }).subscribe(() => {});
  const of = <T extends InspectorEvent['type']>(type: T) => records.filter((r): r is Extract<InspectorEvent, { type: T }> => r.type === type);
  return { fake, client, queryClient, inspector, records, stop, bind, watch, fetches, of };
}

describe('inspectRealtime', () => {
  test('an event, what its binding asked, the coalesced runs and their fetches, in order', async () => {
    const t = setUp();
    t.watch('orders');
    t.bind('orders', 'OrderShipped', { invalidate: [['orders']], wait: 50 });
    await t.fake.flush();
    for (let i = 1; i <= 20; i++) t.fake.emit('orders', 'OrderShipped', { id: i });
    await vi.waitFor(() => expect(t.of('settled').length).toBe(t.of('run').length));
    await vi.waitFor(() => expect(t.client.getConnectionStatus()).toBe('connected'));
    // Count once the rate limit's window has closed.
    await vi.waitFor(() => expect(t.of('run').reduce((n, r) => n + r.coalesced, 0)).toBe(20), { timeout: 2000 });

    const events = t.of('event');
    expect(events).toHaveLength(20);
    expect(events[0]).toMatchObject({ channel: 'orders', event: 'App\\Events\\OrderShipped', payload: { id: 1 }, handlers: 1, invalidated: [['orders']] });
    const asks = t.of('invalidate');
    expect(asks).toHaveLength(20);
    expect(asks.every((a, i) => a.cause === 'event' && a.eventId === events[i]!.id)).toBe(true);
    // Each ask comes right after its event.
    expect(t.records.indexOf(asks[0]!)).toBeGreaterThan(t.records.indexOf(events[0]!));
    const runs = t.of('run');
    expect(runs.length).toBeLessThanOrEqual(4);
    expect(runs.some((r) => r.coalesced > 1)).toBe(true);
    expect(runs.every((r) => r.causes.join() === 'event')).toBe(true);
    expect(t.of('settled').map((s) => s.runId)).toEqual(runs.map((r) => r.id));
    // Every fetch after the first load is shown, started by a run, and its end too.
    const fetches = t.of('fetch');
    expect(fetches).toHaveLength(t.fetches.length - 1);
    expect(fetches.map((f) => runs.some((r) => r.id === f.runId))).toEqual(fetches.map(() => true));
    await vi.waitFor(() => expect(t.of('fetched').map((f) => f.fetchId)).toEqual(fetches.map((f) => f.id)));
    expect(t.inspector.getSnapshot().queries).toMatchObject({ waiting: [], inFlight: [], fetching: [] });
    // The inspector watched the QueryClient's cache while recording, and no longer after.
    expect(t.queryClient.getQueryCache().hasListeners()).toBe(true);
    t.stop();
    expect(t.queryClient.getQueryCache().hasListeners()).toBe(false);
    t.client.dispose();
  });

  test('a fetch in flight when an event comes: it ends as fetched, and the owed run starts the next one', async () => {
    const t = setUp();
    const slow = new QueryObserver(t.queryClient, { queryKey: ['slow'], queryFn: () => new Promise((resolve) => setTimeout(() => resolve(1), 40)) });
    const stop = slow.subscribe(() => {});
    t.bind('orders', 'OrderShipped', { invalidate: [['slow']] });
    await t.fake.flush();
    await vi.waitFor(() => expect(t.queryClient.isFetching()).toBe(0));
    t.client.invalidate({ queryClient: t.queryClient, keys: [['slow']], wait: 0 }); // the cache is watched from here
    await vi.waitFor(() => expect(t.queryClient.isFetching()).toBe(0));
    void t.queryClient.refetchQueries({ queryKey: ['slow'] });
    await vi.waitFor(() => expect(t.of('fetch').length).toBeGreaterThan(0));
    t.fake.emit('orders', 'OrderShipped', { id: 1 }); // while it fetches: owed
    await vi.waitFor(() => expect(t.of('run').filter((r) => r.owed)).toHaveLength(1));
    await vi.waitFor(() => expect(t.queryClient.isFetching()).toBe(0));
    await vi.waitFor(() => expect(t.of('fetched')).toHaveLength(t.of('fetch').length));
    expect(t.of('fetched').every((f) => f.outcome === 'success')).toBe(true);
    expect(t.of('fetch').at(-1)!.runId).toBe(t.of('run').find((r) => r.owed)!.id);
    stop();
    t.stop();
    t.client.dispose();
  });

  test('a cache write cancels the fetch in flight: it ends as cancelled, not failed', async () => {
    const t = setUp();
    let answered = 0;
    let hold = Promise.resolve();
    let answer = () => {};
    const slow = new QueryObserver(t.queryClient, { queryKey: ['slow'], queryFn: () => hold.then(() => ++answered) });
    const stop = slow.subscribe(() => {});
    t.bind('orders', 'OrderShipped', { setQueryData: { queryKey: ['slow'], updater: (p: { id: number }) => p.id } });
    await t.fake.flush();
    await vi.waitFor(() => expect(t.queryClient.isFetching()).toBe(0));
    t.client.invalidate({ queryClient: t.queryClient, keys: [['slow']], wait: 0 }); // the cache is watched from here
    await vi.waitFor(() => expect(t.of('fetched')).toHaveLength(1));
    hold = new Promise((resolve) => (answer = resolve));
    void t.queryClient.refetchQueries({ queryKey: ['slow'] });
    await vi.waitFor(() => expect(t.of('fetch')).toHaveLength(2));
    t.fake.emit('orders', 'OrderShipped', { id: 7 }); // writes, cancelling the fetch that read the server before it
    answer();
    await vi.waitFor(() => expect(t.of('fetched')).toHaveLength(3));
    expect(t.of('fetched').map((f) => f.outcome)).toEqual(['success', 'cancelled', 'success']);
    expect(t.of('write')).toEqual([expect.objectContaining({ key: ['slow'] })]);
    stop();
    t.stop();
    t.client.dispose();
  });

  test('channels: joined, subscribed, held twice, left; an event nobody listens for', async () => {
    const t = setUp();
    const a = t.bind('orders', 'OrderShipped', { onEvent() {} });
    const b = t.client.acquire({ channel: 'orders', type: 'public' });
    await t.fake.flush();
    expect(t.inspector.getSnapshot().channels).toEqual([
      expect.objectContaining({ channel: 'orders', status: 'subscribed', holders: 2, events: [{ event: 'App\\Events\\OrderShipped', handlers: 1 }] }),
    ]);
    t.fake.emit('orders', 'OrderPacked', { id: 1 });
    expect(t.of('unheard')).toEqual([expect.objectContaining({ channel: 'orders', event: 'App\\Events\\OrderPacked', payload: { id: 1 } })]);
    t.fake.emit('orders', 'OrderShipped', { id: 1 });
    expect(t.of('unheard')).toHaveLength(1);
    expect(t.inspector.getSnapshot().channels[0]!.lastEvent).toMatchObject({ event: 'App\\Events\\OrderShipped' });
    a.release();
    b.release();
    await vi.waitFor(() => expect(t.of('channel').map((c) => c.status)).toEqual(['subscribing', 'subscribed', 'left']), { timeout: 5000 });
    expect(t.inspector.getSnapshot().channels).toEqual([]);
    // The Echo is the app's (shared): the inspector's own callback on the channel does not keep it joined.
    expect(t.fake.subscribedChannels()).toEqual([]);
    t.stop();
    t.client.dispose();
  });

  test('a refused channel, and the error that went to onError', async () => {
    const t = setUp();
    t.fake.failAuth('private-secret', 403);
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const lease = t.client.acquire({ channel: 'secret', type: 'private' });
    await vi.waitFor(() => expect(t.of('error')).toHaveLength(1));
    expect(t.of('channel').at(-1)).toMatchObject({ channel: 'private-secret', status: 'error', error: expect.stringContaining('403') });
    lease.release();
    // Its leaving says what it was, as the app named it.
    await vi.waitFor(() => expect(t.of('channel').at(-1)).toMatchObject({ channel: 'private-secret', name: 'secret', channelType: 'private', status: 'left' }), { timeout: 5000 });
    vi.restoreAllMocks();
    t.stop();
    t.client.dispose();
  });

  test('a re-confirmation after a drop refetches with cause recovery; the connection records its transitions', async () => {
    const t = setUp();
    t.watch('orders');
    t.bind('orders', 'OrderShipped', { invalidate: [['orders']] });
    await t.fake.flush();
    await vi.waitFor(() => expect(t.client.getConnectionStatus()).toBe('connected'));
    t.fake.setConnectionState('unavailable');
    await vi.waitFor(() => expect(t.client.getConnectionStatus()).toBe('reconnecting'));
    t.fake.setConnectionState('connected');
    await vi.waitFor(() => expect(t.of('run')).toHaveLength(1));
    expect(t.of('invalidate')).toEqual([expect.objectContaining({ keys: [['orders']], cause: 'recovery', eventId: null })]);
    expect(t.of('run')[0]).toMatchObject({ key: ['orders'], causes: ['recovery'], coalesced: 1 });
    expect(t.of('connection').map((c) => c.status)).toEqual(['idle', 'connecting', 'connected', 'reconnecting', 'connected']);
    t.stop();
    t.client.dispose();
  });

  test("reading the snapshot while a channel waits to recover reports none of its bindings' errors", async () => {
    const fake = createFakeEcho();
    const errors: unknown[] = [];
    const client = createRealtimeClient({ echo: fake.echo, onError: (error) => errors.push(error) });
    const inspector = inspectRealtime(client);
    const lease = client.acquire({ channel: 'orders', type: 'public' });
    const reaction = { invalidate: [['orders']], recover: 'orders' }; // not a key: reported when the channel is confirmed
    lease.listen('OrderShipped', new ReactionHandler(client, new QueryClient(), { current: reaction as never }, lease.wireName, 'OrderShipped'));
    await fake.flush();
    await vi.waitFor(() => expect(client.getConnectionStatus()).toBe('connected'));
    fake.setConnectionState('unavailable');
    await vi.waitFor(() => expect(client.getConnectionStatus()).toBe('reconnecting'));
    const reported = errors.length;
    for (let i = 0; i < 5; i++) {
      expect(inspector.getSnapshot().channels[0]!.status).toBe('subscribing');
      await Promise.resolve(); // unrecorded: the next read builds the snapshot again
    }
    expect(errors).toHaveLength(reported);
    lease.release();
    client.dispose();
  });

  test('a command, pending then confirmed, and the refetch it asks for', async () => {
    const t = setUp();
    t.watch('todos');
    const handle = commandsOf(t.client).start({
      queryClient: t.queryClient,
      confirm: { channel: 'todos', type: 'public', event: 'TodoSaved' },
      invalidate: [['todos']],
      variables: {},
    });
    await t.fake.flush();
    handle.accepted();
    t.fake.emit('todos', 'TodoSaved', { commandId: handle.commandId });
    await vi.waitFor(() => expect(t.of('command').map((c) => c.status)).toEqual(['pending', 'confirmed']));
    expect(t.of('command')[1]).toMatchObject({ previous: 'pending', commandId: handle.commandId });
    await vi.waitFor(() => expect(t.of('invalidate').map((a) => a.cause)).toContain('command'));
    t.stop();
    t.client.dispose();
  });

  test('bounded: the buffer keeps the last records and counts the dropped', async () => {
    const t = setUp(10);
    t.bind('orders', 'OrderShipped', { onEvent() {} });
    await t.fake.flush();
    for (let i = 0; i < 50; i++) t.fake.emit('orders', 'OrderShipped', { i });
    const { events, dropped } = t.inspector.getSnapshot();
    expect(events).toHaveLength(10);
    expect(events.at(-1)).toMatchObject({ type: 'event', payload: { i: 49 } });
    expect(dropped).toBe(t.records.length - 10);
    // A later caller (the devtools' bufferSize) asking for a bigger buffer gets it; a smaller one changes nothing.
    expect(inspectRealtime(t.client, { bufferSize: 20 })).toBe(t.inspector);
    expect(inspectRealtime(t.client, { bufferSize: 5 })).toBe(t.inspector);
    for (let i = 0; i < 50; i++) t.fake.emit('orders', 'OrderShipped', { i });
    expect(t.inspector.getSnapshot().events).toHaveLength(20);
    t.stop();
    t.client.dispose();
  });

  test('off until something subscribes, and again after the last unsubscribe; a throwing listener breaks nothing', async () => {
    const fake = createFakeEcho();
    const client = createRealtimeClient({ echo: fake.echo });
    const inspector = inspectRealtime(client);
    // Unrecorded, a snapshot still says the state of the moment it is read.
    expect(inspector.getSnapshot().channels).toEqual([]);
    const heard: string[] = [];
    const lease = client.acquire({ channel: 'orders', type: 'public' });
    lease.listen('OrderShipped', { handle: (p) => heard.push(String((p as { id: number }).id)) });
    await fake.flush();
    expect(inspector.getSnapshot().channels).toEqual([expect.objectContaining({ channel: 'orders', status: 'subscribed' })]);
    fake.emit('orders', 'OrderShipped', { id: 1 });
    expect(inspector.getSnapshot().events).toEqual([]);
    const stop = inspector.subscribe(() => {
      throw new Error('listener bug');
    });
    const told: unknown[] = [];
    const stopToo = inspector.subscribe((record) => record.type === 'event' && told.push(record.payload));
    fake.emit('orders', 'OrderShipped', { id: 2 });
    expect(inspector.getSnapshot().events.filter((e) => e.type === 'event')).toHaveLength(1);
    // The listener after the throwing one is told too.
    expect(told).toEqual([{ id: 2 }]);
    stop();
    stopToo();
    fake.emit('orders', 'OrderShipped', { id: 3 });
    expect(inspector.getSnapshot().events).toEqual([]);
    expect(heard).toEqual(['1', '2', '3']);
    lease.release();
    client.dispose();
  });
});
