import { QueryClient, QueryObserver } from '@tanstack/query-core';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { InvalidationScheduler } from '../../src/core/scheduler';

const defaults = { wait: 100, maxWait: 400, refetchType: 'active' as const };

function makeScheduler() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  const invalidations: string[] = [];
  const original = queryClient.invalidateQueries.bind(queryClient);
  queryClient.invalidateQueries = ((filters?: { queryKey?: unknown }, options?: unknown) => {
    invalidations.push(JSON.stringify(filters?.queryKey));
    return original(filters as never, options as never);
  }) as typeof queryClient.invalidateQueries;
  const errors: unknown[] = [];
  const scheduler = new InvalidationScheduler(queryClient, defaults, (e) => errors.push(e));
  return { queryClient, scheduler, invalidations, errors };
}

describe('InvalidationScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('a burst gives one leading and one trailing invalidation, then the window closes', () => {
    const { scheduler, invalidations } = makeScheduler();
    for (let i = 0; i < 1000; i++) scheduler.schedule([['rooms']]);
    expect(invalidations).toEqual(['["rooms"]']);
    vi.advanceTimersByTime(100);
    expect(invalidations).toEqual(['["rooms"]', '["rooms"]']);
    vi.advanceTimersByTime(1000);
    expect(invalidations).toHaveLength(2);
    expect(scheduler.openWindows).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a single event invalidates once, with no trailing call', () => {
    const { scheduler, invalidations } = makeScheduler();
    scheduler.schedule([['rooms']]);
    vi.advanceTimersByTime(1000);
    expect(invalidations).toEqual(['["rooms"]']);
  });

  test('a steady stream is refreshed every maxWait instead of being starved', () => {
    const { scheduler, invalidations } = makeScheduler();
    // One event every 20 ms for 2 s: a plain debounce (wait 100) would never fire.
    for (let t = 0; t < 2000; t += 20) {
      scheduler.schedule([['feed']]);
      vi.advanceTimersByTime(20);
    }
    // leading at 0, then one per 400 ms: 400, 800, 1200, 1600, 2000
    expect(invalidations.length).toBeGreaterThanOrEqual(5);
    expect(invalidations.length).toBeLessThanOrEqual(6);
  });

  test('keys are coalesced separately, by TanStack hash (object key order does not matter)', () => {
    const { scheduler, invalidations } = makeScheduler();
    scheduler.schedule([['rooms', { a: 1, b: 2 }]]);
    scheduler.schedule([['rooms', { b: 2, a: 1 }]]);
    scheduler.schedule([['venues']]);
    expect(invalidations).toEqual(['["rooms",{"a":1,"b":2}]', '["venues"]']);
  });

  test('a key covered by a pending prefix key is not invalidated again', () => {
    const { scheduler, invalidations } = makeScheduler();
    scheduler.schedule([['rooms']]);
    scheduler.schedule([['rooms']]); // now a trailing ['rooms'] is owed
    scheduler.schedule([['rooms', 7]]); // covered by it
    expect(invalidations).toEqual(['["rooms"]']);
    vi.advanceTimersByTime(100);
    expect(invalidations).toEqual(['["rooms"]', '["rooms"]']);
  });

  test('an invalidation of a prefix settles what narrower keys were owed', () => {
    const { scheduler, invalidations } = makeScheduler();
    scheduler.schedule([['rooms', 1]]);
    scheduler.schedule([['rooms', 1]]); // trailing owed for ['rooms', 1]
    scheduler.schedule([['rooms']]); // leading ['rooms'] refetches ['rooms', 1] too
    vi.advanceTimersByTime(1000);
    expect(invalidations).toEqual(['["rooms",1]', '["rooms"]']);
  });

  test('a prefix does not cover a key that wants more refetched, and a covered key makes the prefix more eager', () => {
    const { scheduler, invalidations } = makeScheduler();
    scheduler.schedule([['rooms']], { refetchType: 'none' });
    scheduler.schedule([['rooms']], { refetchType: 'none' }); // trailing owed, but it refetches nothing
    scheduler.schedule([['rooms', 1]]); // 'active': must not be swallowed
    expect(invalidations).toEqual(['["rooms"]', '["rooms",1]']);

    scheduler.schedule([['venues']]);
    scheduler.schedule([['venues']]); // trailing owed, due at +100 ms
    scheduler.schedule([['venues', 2]], { wait: 10, maxWait: 10 }); // covered, but wants it within 10 ms
    vi.advanceTimersByTime(10);
    expect(invalidations).toEqual(['["rooms"]', '["rooms",1]', '["venues"]', '["venues"]']);
  });

  test('per-binding timing is honoured', () => {
    const { scheduler, invalidations } = makeScheduler();
    scheduler.schedule([['a']], { wait: 10, maxWait: 10 });
    scheduler.schedule([['a']], { wait: 10, maxWait: 10 });
    vi.advanceTimersByTime(10);
    expect(invalidations).toHaveLength(2);
  });

  test('dispose cancels every timer', () => {
    const { scheduler, invalidations } = makeScheduler();
    scheduler.schedule([['a']]);
    scheduler.schedule([['a']]);
    scheduler.dispose();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(invalidations).toHaveLength(1);
  });
});

describe('TanStack/query#8530: event during a first fetch', () => {
  test('the pre-event result of an in-flight first fetch does not stay in the cache', async () => {
    const { queryClient, scheduler } = makeScheduler();
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
    scheduler.schedule([['doc']]); // the event arrives while the first fetch is in flight
    gates.shift()?.(); // the first request (sent before the event) completes with 'before'
    await vi.waitFor(() => expect(queryFn).toHaveBeenCalledTimes(2));
    gates.shift()?.();
    await vi.waitFor(() => expect(queryClient.getQueryData(['doc'])).toBe('after'));
    unsubscribe();
    scheduler.dispose();
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
