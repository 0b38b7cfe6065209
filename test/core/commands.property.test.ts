import { fc, test } from '@fast-check/vitest';
import { QueryClient, QueryObserver } from '@tanstack/query-core';
import { expect, vi } from 'vitest';
import { createRealtimeClient, type RealtimeError } from '../../src';
import type { CommandHandle } from '../../src/core/commands';
import { commandsOf } from '../../src/core/commands';
import { createFakeEcho } from '../../src/testing';

// Issue #9's proof: random interleavings of 1-3 concurrent commands on one key, with HTTP ok /
// error / slow, the confirming event early / late / duplicated / missing, a foreign refetch, a
// cancelled fetch (its revert), failing fetches and a socket drop; confirmed by refetching or by
// writing the event (updateCache). After each step, every command that did not fail shows in the cache (no flicker);
// at the end the cache equals the server's data, every command is final, and no layer, channel,
// listener or timer is left. A failure prints its seed and path; replay with
// FC_SEED=<seed> FC_PATH=<path> npx vitest run --project react19 test/core/commands.property.test.ts

type Row = { id: string; name: string; commandId?: string; pending?: true };

const STEP_MS = 100;
const STEPS = 24;
const CONFIRM_TIMEOUT_MS = 1500;

const commandArb = fc
  .record({
    sendAt: fc.integer({ min: 0, max: 4 }),
    ok: fc.boolean(),
    /** A failed request whose server did carry the command out (the response was lost). */
    carriedDespiteError: fc.boolean(),
    carryAfter: fc.integer({ min: 0, max: 3 }),
    respondAfter: fc.integer({ min: 0, max: 6 }),
    event: fc.constantFrom('missing', 'once', 'twice'),
    eventAfter: fc.integer({ min: 0, max: 8 }),
    duplicateAfter: fc.integer({ min: 0, max: 4 }),
  })
  // A server that carried a command out broadcasts it; only one that did not has nothing to send.
  .map((c) => {
    const carried = c.ok || c.carriedDespiteError;
    return { ...c, carried, event: carried ? (c.ok ? c.event : c.event === 'missing' ? 'once' : c.event) : 'missing' };
  });

const programArb = fc.record({
  commands: fc.array(commandArb, { minLength: 1, maxLength: 3 }),
  foreignRefetchAt: fc.array(fc.integer({ min: 0, max: 14 }), { maxLength: 2 }),
  drop: fc.option(fc.record({ at: fc.integer({ min: 0, max: 12 }), length: fc.integer({ min: 1, max: 5 }) })),
  /** A mounted hook keeps the confirming channel subscribed before any command. */
  held: fc.boolean(),
  fetchMs: fc.constantFrom(20, 150, 400),
  /** Fetches started at these steps fail (a 500). */
  fetchFailsAt: fc.array(fc.integer({ min: 0, max: 14 }), { maxLength: 2 }),
  /** Something cancels the fetch in flight with revert and fetches again (a setQueryData binding). */
  cancelAt: fc.option(fc.integer({ min: 0, max: 14 })),
  updateCache: fc.boolean(),
});

const replay = process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {};

test.prop([programArb], { numRuns: 1000, ...replay })('commands converge to the server, settle, and leave nothing', async (program) => {
  vi.useFakeTimers();
  try {
    await run(program);
  } finally {
    vi.useRealTimers();
  }
  // 1,000 cases take about 4 s alone; under a full parallel `npm test` that can pass vitest's 5 s default.
}, 30_000);

type Program = typeof programArb extends fc.Arbitrary<infer P> ? P : never;

async function run(program: Program): Promise<void> {
  const fake = createFakeEcho();
  const errors: RealtimeError[] = [];
  const client = createRealtimeClient({ echo: fake.echo, leaveGraceMs: 0, onError: (e) => errors.push(e) });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity, gcTime: Infinity } } });
  let server: Row[] = [{ id: 's0', name: 'Basic' }];
  let step = -1;
  let failedFetches = 0;
  const queryFn = async (): Promise<Row[]> => {
    const answer = server.map((r) => ({ ...r }));
    const fail = program.fetchFailsAt.includes(step);
    await new Promise((resolve) => setTimeout(resolve, program.fetchMs));
    if (fail) {
      failedFetches += 1;
      throw new Error('500');
    }
    return answer;
  };
  const writeEvent = (payload: unknown, qc: QueryClient) =>
    qc.setQueryData<Row[]>(['subs'], (rows = []) => [...rows.filter((r) => r.commandId !== (payload as Row).commandId), payload as Row]);
  const observer = new QueryObserver(queryClient, { queryKey: ['subs'], queryFn });
  const stopObserving = observer.subscribe(() => {});
  const hold = program.held ? client.acquire({ channel: 'user.1' }) : null;
  const tick = async (ms: number) => {
    await vi.advanceTimersByTimeAsync(ms);
    await fake.flush();
  };
  await tick(program.fetchMs + STEP_MS);

  const tracker = commandsOf(client);
  const sent: { handle: CommandHandle; spec: (typeof program.commands)[number]; row: Row | null }[] = [];
  const cache = () => queryClient.getQueryData<Row[]>(['subs']) ?? [];
  const emit = (row: Row) => fake.emit('private-user.1', '.SubscriptionCreated', { ...row });
  const statusOf = (id: string) => tracker.getSnapshot().find((c) => c.commandId === id)?.status;

  for (step = 0; step < STEPS; step++) {
    if (program.drop?.at === step) fake.setConnectionState('unavailable');
    if (program.drop && program.drop.at + program.drop.length === step) fake.setConnectionState('connected');
    program.commands.forEach((spec, i) => {
      if (spec.sendAt === step) {
        const handle = tracker.start({
          queryClient,
          confirm: { channel: 'user.1', event: '.SubscriptionCreated' },
          optimistic: [
            {
              queryKey: ['subs'],
              apply: ((rows: Row[], name: string, { commandId }: { commandId: string }) =>
                rows.some((r) => r.commandId === commandId) ? rows : [...rows, { id: commandId, name, commandId, pending: true }]) as never,
            },
          ],
          confirmTimeoutMs: CONFIRM_TIMEOUT_MS,
          variables: `c${i}`,
          updateCache: program.updateCache ? writeEvent : undefined,
        });
        sent[i] = { handle, spec, row: null };
      }
      const command = sent[i];
      if (!command) return;
      const carryAt = spec.sendAt + spec.carryAfter;
      if (spec.carried && carryAt === step) {
        command.row = { id: `s${i + 1}`, name: `c${i}`, commandId: command.handle.commandId };
        server = [...server, command.row];
      }
      const respondAt = (spec.carried ? carryAt : spec.sendAt) + spec.respondAfter;
      if (respondAt === step) {
        if (spec.ok) command.handle.accepted();
        else command.handle.rejected(new Error('422'));
      }
      const eventAt = carryAt + spec.eventAfter;
      if (command.row && spec.event !== 'missing' && eventAt === step) emit(command.row);
      if (command.row && spec.event === 'twice' && eventAt + spec.duplicateAfter + 1 === step) emit(command.row);
    });
    if (program.foreignRefetchAt.includes(step)) void queryClient.invalidateQueries({ queryKey: ['subs'] }).catch(() => {});
    if (program.cancelAt === step) {
      // What a setQueryData binding does on its event: cancel the fetch in flight (revert), write,
      // and fetch again.
      void queryClient.cancelQueries({ queryKey: ['subs'] }).then(() => queryClient.invalidateQueries({ queryKey: ['subs'] }).catch(() => {}));
    }
    await tick(STEP_MS);

    // No flicker: a command that did not fail shows from the moment it is sent.
    for (const command of sent) {
      if (!command || statusOf(command.handle.commandId) === 'failed') continue;
      expect(cache().some((r) => r.commandId === command.handle.commandId), `step ${step}`).toBe(true);
    }
  }

  // The end: connected, every timeout passed, every refetch in.
  fake.setConnectionState('connected');
  await tick(CONFIRM_TIMEOUT_MS * 2 + program.fetchMs * 3 + 1000);
  await tick(program.fetchMs * 2 + 1000);
  // A failed fetch is retried by the app (a focus, a retry button): only then must it converge.
  if (failedFetches > 0) {
    void queryClient.refetchQueries({ queryKey: ['subs'] });
    await tick(program.fetchMs + 100);
  }
  const names = (rows: Row[]) => rows.map((r) => r.name).sort();
  expect(names(cache())).toEqual(names(server));
  expect(cache().some((r) => r.pending)).toBe(false);
  for (const command of sent) expect(statusOf(command.handle.commandId)).not.toBe('pending');
  expect(tracker.size.layers).toBe(0);
  expect(errors).toEqual([]);

  hold?.release();
  stopObserving();
  await tick(31_000);
  expect(tracker.size.commands).toBe(0);
  expect(client.channels.size).toBe(0);
  expect(fake.listenerCount('private-user.1')).toBe(0);
  client.dispose();
  expect(vi.getTimerCount()).toBe(0);
}
