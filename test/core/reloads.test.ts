// core/reloads on its own, with a router that records what it is asked (the real router is in
// test/integration/inertia.test.tsx): how the page is known, and visits that never finish.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createRealtimeClient, inspectRealtime } from '../../src';
import { pageId, Reloads, type ReloadRouter } from '../../src/core/reloads';
import { createFakeEcho } from '../../src/testing';

function fakeRouter() {
  const listeners = new Map<string, Set<(event: { detail: { page: { component?: unknown; url?: unknown } } }) => void>>();
  const reloads: Record<string, unknown>[] = [];
  const router: ReloadRouter = {
    reload: (options) => void reloads.push(options),
    on: (event, callback) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set.add(callback));
      return () => set.delete(callback);
    },
  };
  const emit = (event: string, page: { component: string; url: string }) => listeners.get(event)?.forEach((l) => l({ detail: { page } }));
  const finish = (i: number) => (reloads[i]!.onFinish as () => void)();
  return { router, reloads, emit, finish, listeners: () => [...listeners.values()].reduce((n, s) => n + s.size, 0) };
}

const show = { component: 'Users/Index', url: '/users' };
const filtered = { component: 'Users/Index', url: '/users?search=ann' };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

test('a replace visit (a search filter) fires no navigate, but its success moves the page: reloads keep coming', () => {
  const { router, reloads, emit, finish } = fakeRouter();
  const target = new Reloads(router, pageId(show), () => {}, {});
  emit('success', filtered); // router.get('/users', { search }, { replace: true })
  target.request(['users'], pageId(filtered), {}, 250);
  vi.advanceTimersByTime(20); // past the batching frame
  expect(reloads.map((r) => r.only)).toEqual([['users']]);
  finish(0);
  target.dispose();
});

test('a reload whose onBefore says no does not hold the next ones back', async () => {
  const { router, reloads, emit } = fakeRouter();
  router.reload = (options) => {
    reloads.push(options);
    (options.onBefore as () => unknown)(); // Inertia asks onBefore, which says no: nothing is sent
  };
  const target = new Reloads(router, null, () => {}, {});
  emit('navigate', show);
  target.request(['users'], pageId(show), { onBefore: () => false }, 0);
  vi.advanceTimersByTime(20); // past the batching frame
  await Promise.resolve();
  target.request(['users'], pageId(show), {}, 0);
  vi.advanceTimersByTime(20); // past the batching frame
  expect(reloads).toHaveLength(2);
  target.dispose();
});

test('a reload that never finishes (a before listener prevented it) stops counting as in flight after 30 s', () => {
  const { router, reloads, emit } = fakeRouter();
  const target = new Reloads(router, null, () => {}, {});
  emit('navigate', show);
  target.request(['users'], pageId(show), {}, 0);
  vi.advanceTimersByTime(20); // past the batching frame
  target.request(['users'], pageId(show), {}, 0); // owed behind the first
  vi.advanceTimersByTime(29_000);
  expect(reloads).toHaveLength(1);
  vi.advanceTimersByTime(1_040);
  expect(reloads).toHaveLength(2);
  target.dispose();
});

test('dispose removes the router listeners and every timer', () => {
  const { router, emit, listeners } = fakeRouter();
  const target = new Reloads(router, null, () => {}, {});
  emit('navigate', show);
  target.request(['users'], pageId(show), {}, 0);
  expect(listeners()).toBe(2);
  target.dispose();
  expect(listeners()).toBe(0);
  expect(vi.getTimerCount()).toBe(0);
});

test("the devtools: a prop asked for under its parent is answered by the parent's reload, and one another page dropped no longer waits", async () => {
  const { router, reloads, emit, finish } = fakeRouter();
  const client = createRealtimeClient({ echo: createFakeEcho().echo });
  const inspector = inspectRealtime(client);
  const stop = inspector.subscribe(() => {});
  const target = new Reloads(router, null, () => {}, client);
  emit('navigate', show);
  // A burst on `auth` uses up its rate limit; `auth.user` asked meanwhile joins its next reload.
  for (let i = 0; i < 5; i++) target.request(['auth'], pageId(show), {}, 1000);
  target.request(['auth.user'], pageId(show), {}, 1000);
  for (let t = 0, done = 0; t < 3000; t += 20) {
    vi.advanceTimersByTime(20);
    while (done < reloads.length) finish(done++);
  }
  expect(reloads.map((r) => r.only).flat()).not.toContain('auth.user');
  await vi.waitFor(() => expect(inspector.getSnapshot().queries).toMatchObject({ waiting: [], inFlight: [] }));
  const sent = reloads.length;
  target.request(['users'], pageId(show), {}, 0);
  expect(inspector.getSnapshot().queries.waiting.map((w) => w.key)).toEqual([['users']]);
  emit('navigate', { component: 'Teams/Index', url: '/teams' }); // before the batching frame ends
  vi.advanceTimersByTime(20);
  expect(reloads).toHaveLength(sent);
  expect(inspector.getSnapshot().queries.waiting).toEqual([]);
  target.request(['users'], pageId(show), {}, 0); // a late event for the page left
  vi.advanceTimersByTime(20);
  expect(reloads).toHaveLength(sent);
  expect(inspector.getSnapshot().queries.waiting).toEqual([]);
  stop();
  target.dispose();
  client.dispose();
});
