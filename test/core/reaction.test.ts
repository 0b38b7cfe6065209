import { QueryClient, QueryObserver } from '@tanstack/query-core';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createRealtimeClient, type EventReaction } from '../../src';
import { ReactionHandler } from '../../src/core/invalidation';
import { createFakeEcho } from '../../src/testing';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

function handlerFor(reaction: EventReaction<any>, site = { channel: 'private-orders', event: '.OrderShipped' }) {
  const client = createRealtimeClient({ echo: createFakeEcho().echo });
  const queryClient = new QueryClient();
  return { handler: new ReactionHandler(client, queryClient, { current: reaction as never }, site.channel, site.event), queryClient, client };
}

describe('setQueryData', () => {
  /** A query whose server answers with what it holds when the request arrives, after `fetchMs`. */
  function watched<T>(queryClient: QueryClient, key: unknown[], server: { value: T }, fetchMs = 100) {
    const requests: T[] = [];
    const observer = new QueryObserver(queryClient, {
      queryKey: key,
      staleTime: Infinity,
      queryFn: () => {
        const value = server.value;
        requests.push(value);
        return new Promise<T>((resolve) => setTimeout(() => resolve(value), fetchMs));
      },
    });
    const stop = observer.subscribe(() => {});
    return { requests, stop, data: () => queryClient.getQueryData<T>(key), state: () => queryClient.getQueryState(key) };
  }

  test('a fetch in flight that read the server before the event is cancelled, then the query is refetched', async () => {
    vi.useFakeTimers();
    const { handler, queryClient, client } = handlerFor({ setQueryData: { queryKey: ['orders', 1], updater: (o: unknown) => o } });
    const server = { value: 'paid' };
    const q = watched(queryClient, ['orders', 1], server);
    server.value = 'shipped';
    handler.handle('shipped'); // the event arrives while the request (sent before it) is out
    expect(q.data()).toBe('shipped'); // at once, not overwritten by the older answer
    await vi.advanceTimersByTimeAsync(1000);
    expect(q.requests).toEqual(['paid', 'shipped']); // what the cancelled fetch was for is still done
    expect(q.data()).toBe('shipped');
    q.stop();
    client.dispose();
    vi.useRealTimers();
  });

  test('an appending updater loses nothing when it cancels a recovery refetch', async () => {
    vi.useFakeTimers();
    const append = { setQueryData: { queryKey: ['chat'], updater: (m: string, list?: string[]) => [...(list ?? []), m] } };
    const { handler, queryClient, client } = handlerFor(append);
    const server = { value: ['m1'] };
    const q = watched(queryClient, ['chat'], server, 300);
    await vi.advanceTimersByTimeAsync(300);
    server.value = ['m1', 'm2']; // sent while the socket was down: lost on the wire
    void queryClient.invalidateQueries({ queryKey: ['chat'] }); // the recovery refetch starts...
    await vi.advanceTimersByTimeAsync(50);
    server.value = ['m1', 'm2', 'm3'];
    handler.handle('m3'); // ...and m3 arrives before it answers
    await vi.advanceTimersByTimeAsync(2000);
    expect(q.data()).toEqual(['m1', 'm2', 'm3']);
    q.stop();
    client.dispose();
    vi.useRealTimers();
  });

  test('an updater that leaves an empty cache alone does not leave the first load stuck', async () => {
    vi.useFakeTimers();
    const { handler, queryClient, client } = handlerFor({
      setQueryData: { queryKey: ['order'], updater: (p: { status: string }, prev?: { status: string }) => prev && { ...prev, ...p } },
      refetchOnSubscribe: false,
    });
    const server = { value: { status: 'paid' } };
    const q = watched(queryClient, ['order'], server);
    server.value = { status: 'shipped' };
    handler.handle({ status: 'shipped' }); // during the first fetch: nothing cached to update
    await vi.advanceTimersByTimeAsync(1000);
    expect(q.state()).toMatchObject({ status: 'success', fetchStatus: 'idle' });
    expect(q.data()).toEqual({ status: 'shipped' });
    q.stop();
    client.dispose();
    vi.useRealTimers();
  });
});

describe('development warning for bindings that recovery cannot cover', () => {
  const unsynced: [string, EventReaction<any>][] = [
    ['updateCache', { updateCache: () => {} }],
    ['updateCache next to a static invalidate', { updateCache: () => {}, invalidate: ['orders', 'list'] }],
    ['invalidate as a function', { invalidate: (p: { id: number }) => ['orders', p.id] }],
    ['setQueryData with a key from the payload', { setQueryData: { queryKey: (p: { id: number }) => ['orders', p.id], updater: (p: unknown) => p } }],
  ];
  test.each(unsynced)('%s without recover warns once, naming the binding and the fix', (name, reaction) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const site = { channel: 'private-orders', event: `.Warned${name.length}` };
    handlerFor(reaction, site);
    handlerFor(reaction, site);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toContain(`"${site.event}" on "private-orders"`);
    expect(warn.mock.calls[0][0]).toContain('recover');
  });

  const synced: [string, EventReaction<any>][] = [
    ['a static invalidate', { invalidate: ['orders'] }],
    ['setQueryData with a static key', { setQueryData: { queryKey: ['orders', 1], updater: (p: unknown) => p } }],
    ['updateCache with recover', { updateCache: () => {}, recover: [['orders']] }],
    ['updateCache with recover: false', { updateCache: () => {}, recover: false }],
    ['onEvent only', { onEvent: () => {} }],
  ];
  test.each(synced)('%s does not warn', (_name, reaction) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    handlerFor(reaction, { channel: 'private-orders', event: `.Quiet${_name}` });
    expect(warn).not.toHaveBeenCalled();
  });

  test('production builds stay quiet', () => {
    vi.stubEnv('NODE_ENV', 'production');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    handlerFor({ updateCache: () => {} }, { channel: 'private-orders', event: '.InProduction' });
    expect(warn).not.toHaveBeenCalled();
  });
});
