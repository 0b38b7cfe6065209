import { dehydrate, hydrate, QueryClient, QueryObserver } from '@tanstack/query-core';
import { afterEach, expect, test, vi } from 'vitest';
import { createRealtimeClient, type RealtimeError } from '../../src';
import { commandsOf } from '../../src/core/commands';
import { createFakeEcho } from '../../src/testing';

// Edges a review found: other writers of the cache (hydration, a cancelled fetch's revert, a
// confirmed command's updateCache), failed fetches, queries nobody observes, realtime off.

type Row = { id: string; name: string; commandId?: string; pending?: true };
afterEach(() => vi.useRealTimers());

function env(options: { gcTime?: number; realtime?: boolean } = {}) {
  vi.useFakeTimers();
  const fake = createFakeEcho();
  const errors: RealtimeError[] = [];
  const client = createRealtimeClient({ echo: options.realtime === false ? null : fake.echo, leaveGraceMs: 0, onError: (e) => errors.push(e) });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity, gcTime: options.gcTime ?? Infinity } } });
  const server = { rows: [{ id: 's0', name: 'Basic' }] as Row[], fail: false, fetches: 0 };
  const queryFn = async (): Promise<Row[]> => {
    server.fetches += 1;
    const answer = server.rows.map((r) => ({ ...r }));
    const fail = server.fail;
    await new Promise((r) => setTimeout(r, 50));
    if (fail) throw new Error('500');
    return answer;
  };
  const observer = new QueryObserver(queryClient, { queryKey: ['subs'], queryFn });
  const unobserve = observer.subscribe(() => {});
  const tracker = commandsOf(client);
  const run = async (ms: number) => {
    await vi.advanceTimersByTimeAsync(ms);
    await fake.flush();
  };
  const upsert = ((rows: Row[], name: string, { commandId }: { commandId: string }) =>
    rows.some((r) => r.commandId === commandId) ? rows : [...rows, { id: commandId, name, commandId, pending: true }]) as never;
  const start = (name: string, extra: object = {}) =>
    tracker.start({
      queryClient,
      confirm: { channel: 'user.1', event: '.SubscriptionCreated' },
      optimistic: [{ queryKey: ['subs'], apply: upsert }],
      confirmTimeoutMs: 1000,
      variables: name,
      ...extra,
    });
  const carryOut = (commandId: string, name: string) => {
    const row = { id: `s${server.rows.length}`, name, commandId };
    server.rows = [...server.rows, row];
    return row;
  };
  const emit = (row: Row) => fake.emit('private-user.1', '.SubscriptionCreated', { ...row });
  const rows = () => (queryClient.getQueryData<Row[]>(['subs']) ?? []).map((r) => r.name + (r.pending ? '*' : ''));
  const ready = async () => {
    await run(200);
    const hold = client.acquire({ channel: 'user.1' });
    await run(10);
    return hold;
  };
  return { fake, client, queryClient, server, unobserve, tracker, run, start, carryOut, emit, rows, errors, ready };
}

const appendOnce = (p: Row, qc: QueryClient) =>
  qc.setQueryData<Row[]>(['subs'], (old = []) => [...old.filter((r) => r.commandId !== p.commandId), p]);

test('a refetch that fails after the confirmation keeps the row; the next answer ends the layer', async () => {
  const e = env();
  await e.ready();
  const c = e.start('Pro');
  c.accepted();
  e.server.fail = true;
  e.emit(e.carryOut(c.commandId, 'Pro'));
  await e.run(1000);
  expect(e.rows()).toEqual(['Basic', 'Pro*']);
  e.server.fail = false;
  void e.queryClient.refetchQueries({ queryKey: ['subs'] });
  await e.run(1000);
  expect(e.rows()).toEqual(['Basic', 'Pro']);
  expect(e.tracker.size.layers).toBe(0);
});

test("a confirmed command's updateCache writes the server's data, not the other pending layers", async () => {
  const e = env();
  await e.ready();
  const a = e.start('A', { updateCache: appendOnce });
  const b = e.start('B', { updateCache: appendOnce });
  a.accepted();
  e.emit(e.carryOut(a.commandId, 'A'));
  expect(e.rows()).toEqual(['Basic', 'A', 'B*']);
  b.rejected(new Error('422'));
  await e.run(1000);
  expect(e.rows()).toEqual(['Basic', 'A']);
  expect(e.tracker.size.layers).toBe(0);
});

test('a refetch held back for a pending updateCache command runs when that one is confirmed', async () => {
  const e = env();
  await e.ready();
  const a = e.start('A');
  const b = e.start('B', { updateCache: appendOnce });
  e.emit(e.carryOut(a.commandId, 'A'));
  await e.run(1000);
  const fetches = e.server.fetches;
  e.emit(e.carryOut(b.commandId, 'B'));
  await e.run(1000);
  expect(e.server.fetches).toBe(fetches + 1);
  expect(e.rows()).toEqual(['Basic', 'A', 'B']);
  expect(e.tracker.size.layers).toBe(0);
});

test('a query nobody observes: confirmed, its layer goes and it is marked stale for the next observer', async () => {
  const e = env();
  await e.ready();
  const c = e.start('Pro');
  e.unobserve();
  e.emit(e.carryOut(c.commandId, 'Pro'));
  await e.run(1000);
  expect(e.tracker.size.layers).toBe(0);
  expect(e.queryClient.getQueryState(['subs'])?.isInvalidated).toBe(true);
});

test('a query removed by gc while a command is pending: nothing is left once it settles', async () => {
  const e = env({ gcTime: 0 });
  await e.ready();
  const c = e.start('Pro');
  e.unobserve();
  await e.run(10);
  expect(e.queryClient.getQueryState(['subs'])).toBeUndefined();
  e.emit(e.carryOut(c.commandId, 'Pro'));
  await e.run(1000);
  expect(e.tracker.size.layers).toBe(0);
});

test('hydration while a command is pending: the hydrated data is the new server data, under the layer', async () => {
  const e = env();
  await e.ready();
  e.start('A');
  const elsewhere = new QueryClient();
  elsewhere.setQueryData(['subs'], [{ id: 's0', name: 'Basic' }, { id: 'x', name: 'Other' }], { updatedAt: Date.now() + 1000 });
  hydrate(e.queryClient, dehydrate(elsewhere));
  expect(e.rows()).toEqual(['Basic', 'Other', 'A*']);
  e.start('B');
  expect(e.rows()).toEqual(['Basic', 'Other', 'A*', 'B*']);
});

test("a cancelled fetch reverting to what it saw does not bring back a failed command's row", async () => {
  const e = env();
  await e.ready();
  const a = e.start('A');
  void e.queryClient.refetchQueries({ queryKey: ['subs'] }); // sees ['Basic', 'A*'] as its revert state
  await e.run(10);
  a.rejected(new Error('422'));
  expect(e.rows()).toEqual(['Basic']);
  await e.queryClient.cancelQueries({ queryKey: ['subs'] }); // what a setQueryData binding does
  expect(e.rows()).toEqual(['Basic']);
});

test('a 2xx before the read model has the change (a queued projector): the row stays until the event', async () => {
  const e = env();
  await e.ready();
  const c = e.start('Pro');
  c.accepted(); // 202 Accepted: the projection runs later
  void e.queryClient.refetchQueries({ queryKey: ['subs'] });
  await e.run(200);
  expect(e.rows()).toEqual(['Basic', 'Pro*']);
  e.emit(e.carryOut(c.commandId, 'Pro'));
  await e.run(1000);
  expect(e.rows()).toEqual(['Basic', 'Pro']);
});

test('an optimistic update returning undefined is skipped and reported, the data stays', async () => {
  const e = env();
  await e.ready();
  e.start('A', { optimistic: [{ queryKey: ['subs'], apply: () => undefined }] });
  expect(e.rows()).toEqual(['Basic']);
  expect(e.errors.map((x) => x.code)).toEqual(['handler']);
});

test('realtime off: no event can come, so a successful request is unconfirmed and refetched at once', async () => {
  const e = env({ realtime: false });
  await e.run(200);
  const c = e.start('Pro');
  e.carryOut(c.commandId, 'Pro');
  c.accepted();
  expect(e.tracker.getSnapshot()[0]?.status).toBe('unconfirmed');
  await e.run(500);
  expect(e.rows()).toEqual(['Basic', 'Pro']);
});

test('a failed command listening for a late event does not spin the list sweep', async () => {
  const e = env();
  await e.ready();
  const c = e.start('A', { confirmTimeoutMs: 120_000 });
  const timeouts = vi.spyOn(globalThis, 'setTimeout');
  c.rejected(new Error('422'));
  await e.run(60_000);
  expect(timeouts.mock.calls.length).toBeLessThan(10);
  await e.run(120_000);
  expect(e.tracker.size.commands).toBe(0);
});

test('a cancelled fetch that would have ended a confirmed layer is made again', async () => {
  const e = env();
  await e.ready();
  const c = e.start('Pro');
  e.emit(e.carryOut(c.commandId, 'Pro')); // confirmed: its refetch starts
  await e.run(10);
  await e.queryClient.cancelQueries({ queryKey: ['subs'] }); // and is cancelled, nothing else refetches
  await e.run(1000);
  expect(e.rows()).toEqual(['Basic', 'Pro']);
  expect(e.tracker.size.layers).toBe(0);
});
