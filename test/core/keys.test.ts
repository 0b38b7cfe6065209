import { QueryClient, QueryObserver } from '@tanstack/query-core';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createRealtimeClient, RealtimeError, type EventReaction } from '../../src';
import { toKeyList } from '../../src/core/invalidation';
import { ReactionHandler } from '../../src/core/invalidation';
import { createFakeEcho } from '../../src/testing';

afterEach(() => {
  vi.useRealTimers();
});

describe('toKeyList: one key or several, by one rule', () => {
  test('an array starting with an array is a list of keys; any other array is one key', () => {
    expect(toKeyList(['rooms', 1])).toEqual([['rooms', 1]]);
    expect(toKeyList([['rooms'], ['venues', 2]])).toEqual([['rooms'], ['venues', 2]]);
    // A key holding arrays after its first element is still one key (the old rule made it a list).
    expect(toKeyList(['rooms', ['a', 'b']])).toEqual([['rooms', ['a', 'b']]]);
    // A key whose first element is an array is written as a list of one.
    expect(toKeyList([[['a'], 1]])).toEqual([[['a'], 1]]);
  });

  test('nothing means nothing: [], null, undefined, false and empty keys in a list give no key', () => {
    expect(toKeyList([])).toEqual([]);
    expect(toKeyList(null)).toEqual([]);
    expect(toKeyList(undefined)).toEqual([]);
    expect(toKeyList(false)).toEqual([]);
    expect(toKeyList([[], ['a']])).toEqual([['a']]);
    expect(toKeyList([[]])).toEqual([]);
  });

  test('a list that mixes keys and non-keys, or a non-array, is a clear error', () => {
    expect(() => toKeyList([['a'], 'b'] as never)).toThrow(/must hold only arrays; it also holds the string "b"/);
    expect(() => toKeyList('rooms' as never)).toThrow(RealtimeError);
  });
});

describe('"nothing" never invalidates every query', () => {
  // TanStack's queryKey [] matches the whole cache: before the fix each of these refetched it all.
  const cases: [string, EventReaction<unknown>][] = [
    ['invalidate: () => []', { invalidate: () => [], recover: false }],
    ['invalidate: []', { invalidate: [] }],
    ['invalidate: () => [[]]', { invalidate: () => [[]], recover: false }],
  ];
  test.each(cases)('%s invalidates nothing', (_name, reaction) => {
    const queryClient = new QueryClient();
    const queryFn = vi.fn(async () => 1);
    const observer = new QueryObserver(queryClient, { queryKey: ['unrelated'], queryFn, staleTime: Infinity });
    const stop = observer.subscribe(() => {});
    const client = createRealtimeClient({ echo: createFakeEcho().echo });
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    new ReactionHandler(client, queryClient, { current: reaction as never }, 'c', 'e').handle({});
    expect(invalidate).not.toHaveBeenCalled();
    expect(queryFn).toHaveBeenCalledTimes(1);
    stop();
    client.dispose();
  });

  test('recover: [] refetches nothing when the channel is joined or re-joined', async () => {
    vi.useFakeTimers();
    const fake = createFakeEcho();
    const client = createRealtimeClient({ echo: fake.echo });
    const queryClient = new QueryClient();
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    const handler = new ReactionHandler(client, queryClient, { current: { invalidate: ['orders'], recover: [] } }, 'orders', '.X');
    client.acquire({ channel: 'orders', type: 'public' }).listen('.X', handler);
    await fake.flush();
    fake.setConnectionState('unavailable');
    fake.setConnectionState('connected');
    await fake.flush();
    await vi.advanceTimersByTimeAsync(1000); // past every coalescing window
    expect(invalidate).not.toHaveBeenCalled();
    client.dispose();
  });
});
