import { QueryClient, QueryObserver } from '@tanstack/query-core';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { BURST, queryCoalescer, resolveCoalesce, type CoalesceOptions } from '../../src/core/invalidation';

const defaults = { wait: 100, refetchType: 'active' as const };

function makeCoalescer() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  const invalidations: string[] = [];
  const times: number[] = [];
  const original = queryClient.invalidateQueries.bind(queryClient);
  queryClient.invalidateQueries = ((filters?: { queryKey?: unknown }, options?: unknown) => {
    invalidations.push(JSON.stringify(filters?.queryKey));
    times.push(Date.now());
    return original(filters as never, options as never);
  }) as typeof queryClient.invalidateQueries;
  const errors: unknown[] = [];
  const inner = queryCoalescer(queryClient, (e) => errors.push(e));
  // As the client schedules: a binding's options over the defaults.
  const coalescer = {
    schedule: (keys: unknown[][], options: CoalesceOptions = {}) => inner.schedule(keys, resolveCoalesce(options, defaults)),
    dispose: () => inner.dispose(),
    get openWindows() {
      return inner.openWindows;
    },
  };
  return { queryClient, coalescer, invalidations, times, errors };
}

/**
 * A watched query on a fake server whose data is a version number; each fetch takes `fetchMs` of
 * (fake) time and answers with the version the server had when the request arrived.
 */
function watchedQuery(queryClient: QueryClient, fetchMs: number) {
  const server = { version: 0 };
  const log = { started: [] as number[], aborted: 0 };
  const observer = new QueryObserver(queryClient, {
    queryKey: ['feed'],
    queryFn: ({ signal }) => {
      const value = server.version;
      log.started.push(Date.now());
      signal.addEventListener('abort', () => (log.aborted += 1));
      return new Promise<number>((resolve) => setTimeout(() => resolve(value), fetchMs));
    },
  });
  const unsubscribe = observer.subscribe(() => {});
  const data = () => queryClient.getQueryData<number>(['feed']);
  return { server, log, data, unsubscribe };
}

describe('the invalidation coalescer (a Coalescer over a QueryTarget)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('(a, d) a burst: the first few invalidate at once, the rest share one when a token is back, then the window closes', () => {
    const { coalescer, invalidations, times } = makeCoalescer();
    for (let i = 0; i < 1000; i++) coalescer.schedule([['rooms']]);
    expect(invalidations).toHaveLength(BURST); // a short sequence runs at once
    vi.advanceTimersByTime(100);
    expect(times).toEqual([...Array(BURST).fill(0), 100]); // the other 997 share one, a `wait` later
    vi.advanceTimersByTime(1000);
    expect(invalidations).toHaveLength(BURST + 1);
    expect(coalescer.openWindows).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a single event invalidates once, with no trailing call', () => {
    const { coalescer, invalidations } = makeCoalescer();
    coalescer.schedule([['rooms']]);
    vi.advanceTimersByTime(1000);
    expect(invalidations).toEqual(['["rooms"]']);
  });

  test('(b) a short sequence is each invalidated at once; the next waits for a token, not for `wait` after the last event', () => {
    const { coalescer, times } = makeCoalescer();
    for (const at of [0, 50, 100]) {
      vi.setSystemTime(at);
      coalescer.schedule([['rooms']]); // three updates 50 ms apart: each at once
    }
    expect(times).toEqual([0, 50, 100]);
    // 3 tokens taken, 1 back by now (one per 100 ms): at 110 one more runs, and the next is owed
    // until a token is back at 200 (90 ms later), not `wait` after this event.
    vi.advanceTimersByTime(10);
    coalescer.schedule([['rooms']]);
    coalescer.schedule([['rooms']]);
    expect(times).toEqual([0, 50, 100, 110]);
    vi.advanceTimersByTime(89);
    expect(times).toHaveLength(4);
    vi.advanceTimersByTime(1);
    expect(times).toEqual([0, 50, 100, 110, 200]);
    vi.advanceTimersByTime(BURST * 100); // quiet: the bucket is full and the window closed
    expect(coalescer.openWindows).toBe(0);
    coalescer.schedule([['rooms']]);
    expect(times).toHaveLength(6);
  });

  test('(b) a steady stream is invalidated once per `wait` after the first few, and no event waits longer than `wait`', () => {
    const { coalescer, times } = makeCoalescer();
    const events: number[] = [];
    // One event every 30 ms for 3 s: a debounce would never fire, a maxWait would lag by up to maxWait.
    for (let t = 0; t < 3000; t += 30) {
      events.push(Date.now());
      coalescer.schedule([['feed']]);
      vi.advanceTimersByTime(30);
    }
    vi.advanceTimersByTime(1000);
    const lags = events.map((at) => times.find((t) => t >= at)! - at);
    expect(Math.max(...lags)).toBeLessThanOrEqual(100);
    expect(times.length).toBeGreaterThanOrEqual(29);
    expect(times.length).toBeLessThanOrEqual(3000 / 100 + BURST);
    const later = times.filter((t) => t >= 500);
    for (let i = 1; i < later.length; i++) expect(later[i]! - later[i - 1]!).toBeGreaterThanOrEqual(99);
  });

  test('(c, e) a slow fetch is never cancelled: a trailing invalidation due during it runs when it settles', async () => {
    const { queryClient, coalescer } = makeCoalescer();
    const q = watchedQuery(queryClient, 1500);
    await vi.advanceTimersByTimeAsync(1500);
    expect(q.data()).toBe(0);
    // An event every 100 ms for 10 s, each changing the data on the server.
    for (let t = 0; t < 10_000; t += 100) {
      q.server.version += 1;
      coalescer.schedule([['feed']]);
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(5000);
    expect(q.log.aborted).toBe(0);
    // The initial fetch plus back-to-back refetches, one per 1.5 s, not one per window.
    expect(q.log.started.length).toBeGreaterThanOrEqual(7);
    expect(q.log.started.length).toBeLessThanOrEqual(9);
    for (let i = 2; i < q.log.started.length; i++) {
      expect(q.log.started[i] - q.log.started[i - 1]).toBe(1500);
    }
    expect(q.data()).toBe(100); // (e) the last event's state is reached
    q.unsubscribe();
    coalescer.dispose();
  });

  test('events during a fetch are read by the refetch that follows it, and not fetched once more after', async () => {
    const { queryClient, coalescer } = makeCoalescer();
    const q = watchedQuery(queryClient, 120); // the first load: 0 to 120 ms; wait is 100
    await vi.advanceTimersByTimeAsync(50);
    q.server.version = 1;
    coalescer.schedule([['feed']]);
    await vi.advanceTimersByTimeAsync(10);
    q.server.version = 2;
    coalescer.schedule([['feed']]);
    await vi.advanceTimersByTimeAsync(2000);
    // At 120 the refetch owed for the event at 50 starts and reads both; the trailing invalidation
    // due at 150 (for the event at 60) would only fetch the same again at 240.
    expect(q.log.started).toEqual([0, 120]);
    expect(q.data()).toBe(2);
    q.unsubscribe();
  });

  test('(d) a burst of 1,000 events during a slow fetch still runs the query at most twice', async () => {
    const { queryClient, coalescer } = makeCoalescer();
    const q = watchedQuery(queryClient, 300);
    await vi.advanceTimersByTimeAsync(300);
    const before = q.log.started.length;
    for (let i = 0; i < 1000; i++) {
      q.server.version = i + 1;
      coalescer.schedule([['feed']]);
    }
    await vi.advanceTimersByTimeAsync(5000);
    expect(q.log.started.length - before).toBe(2);
    expect(q.data()).toBe(1000);
    q.unsubscribe();
  });

  test('keys are coalesced separately, by TanStack hash (object key order does not matter)', () => {
    const { coalescer, invalidations } = makeCoalescer();
    for (let i = 0; i < 2; i++) {
      coalescer.schedule([['rooms', { a: 1, b: 2 }]]);
      coalescer.schedule([['rooms', { b: 2, a: 1 }]]);
    }
    coalescer.schedule([['venues']]);
    expect(coalescer.openWindows).toBe(2);
    // One bucket for both spellings: three at once, the fourth waits.
    expect(invalidations).toEqual([...Array(BURST).fill('["rooms",{"a":1,"b":2}]'), '["venues"]']);
  });

  /** Spends the key's tokens: the next event on it is owed, not run. */
  const spend = (coalescer: { schedule: (keys: unknown[][], options?: CoalesceOptions) => void }, key: unknown[], options?: CoalesceOptions) => {
    for (let i = 0; i < BURST; i++) coalescer.schedule([key], options);
  };

  test('a key covered by a pending prefix key is not invalidated again', () => {
    const { coalescer, invalidations } = makeCoalescer();
    spend(coalescer, ['rooms']);
    coalescer.schedule([['rooms']]); // now a run of ['rooms'] is owed
    coalescer.schedule([['rooms', 7]]); // covered by it
    expect(invalidations).toEqual(Array(BURST).fill('["rooms"]'));
    vi.advanceTimersByTime(100);
    expect(invalidations).toEqual(Array(BURST + 1).fill('["rooms"]'));
  });

  test('an invalidation of a prefix settles what narrower keys were owed', () => {
    const { coalescer, invalidations } = makeCoalescer();
    spend(coalescer, ['rooms', 1]);
    coalescer.schedule([['rooms', 1]]); // a run owed for ['rooms', 1]
    coalescer.schedule([['rooms']]); // ['rooms'] runs at once and refetches ['rooms', 1] too
    vi.advanceTimersByTime(1000);
    expect(invalidations).toEqual([...Array(BURST).fill('["rooms",1]'), '["rooms"]']);
  });

  test('a prefix does not cover a key that wants more refetched, and a covered key makes the prefix more eager', () => {
    const { coalescer, invalidations } = makeCoalescer();
    spend(coalescer, ['rooms'], { refetchType: 'none' });
    coalescer.schedule([['rooms']], { refetchType: 'none' }); // owed, but it refetches nothing
    coalescer.schedule([['rooms', 1]]); // 'active': must not be swallowed
    expect(invalidations).toEqual([...Array(BURST).fill('["rooms"]'), '["rooms",1]']);

    spend(coalescer, ['venues']);
    coalescer.schedule([['venues']]); // owed, due at +100 ms
    coalescer.schedule([['venues', 2]], { wait: 10 }); // covered, but wants it within 10 ms
    vi.advanceTimersByTime(10);
    expect(invalidations.filter((k) => k === '["venues"]')).toHaveLength(BURST + 1);
  });

  test('per-binding timing is honoured', () => {
    const { coalescer, invalidations } = makeCoalescer();
    spend(coalescer, ['a'], { wait: 10 });
    coalescer.schedule([['a']], { wait: 10 });
    vi.advanceTimersByTime(10);
    expect(invalidations).toHaveLength(BURST + 1);
  });

  test('`wait: 0` is no limit: every event invalidates at once', () => {
    const { coalescer, invalidations } = makeCoalescer();
    for (let i = 0; i < 10; i++) coalescer.schedule([['a']], { wait: 0 });
    expect(invalidations).toHaveLength(10);
  });

  test('dispose cancels every timer', () => {
    const { coalescer, invalidations } = makeCoalescer();
    spend(coalescer, ['a']);
    coalescer.schedule([['a']]);
    coalescer.dispose();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(invalidations).toHaveLength(BURST);
  });
});

describe('TanStack/query#8530: event during a first fetch', () => {
  test('the pre-event result of an in-flight first fetch does not stay in the cache', async () => {
    const { queryClient, coalescer } = makeCoalescer();
    let serverValue = 'before';
    const gates: (() => void)[] = [];
    const queryFn = vi.fn(() => {
      const value = serverValue; // the server answers with what it has when the request arrives
      return new Promise<string>((resolve) => gates.push(() => resolve(value)));
    });
    const observer = new QueryObserver(queryClient, { queryKey: ['doc'], queryFn });
    const unsubscribe = observer.subscribe(() => {});
    expect(queryFn).toHaveBeenCalledTimes(1);

    serverValue = 'after';
    coalescer.schedule([['doc']]); // the event arrives while the first fetch is in flight
    gates.shift()?.(); // the first request (sent before the event) completes with 'before'
    await vi.waitFor(() => expect(queryFn).toHaveBeenCalledTimes(2));
    gates.shift()?.();
    await vi.waitFor(() => expect(queryClient.getQueryData(['doc'])).toBe('after'));
    unsubscribe();
    coalescer.dispose();
  });

  test('without the workaround TanStack keeps the stale value (the bug is real)', async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
    let serverValue = 'before';
    const gates: (() => void)[] = [];
    const queryFn = vi.fn(() => {
      const value = serverValue;
      return new Promise<string>((resolve) => gates.push(() => resolve(value)));
    });
    const observer = new QueryObserver(queryClient, { queryKey: ['doc'], queryFn });
    const unsubscribe = observer.subscribe(() => {});
    serverValue = 'after';
    void queryClient.invalidateQueries({ queryKey: ['doc'] });
    gates.shift()?.();
    await vi.waitFor(() => expect(queryClient.getQueryState(['doc'])?.status).toBe('success'));
    // Settled, considered fresh, nothing refetching: 'before' stays until something else happens.
    expect(queryClient.getQueryData(['doc'])).toBe('before');
    expect(queryClient.getQueryState(['doc'])?.isInvalidated).toBe(false);
    expect(queryClient.isFetching()).toBe(0);
    expect(queryFn).toHaveBeenCalledTimes(1);
    unsubscribe();
  });
});
