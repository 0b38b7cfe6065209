import { QueryClient, QueryObserver } from '@tanstack/query-core';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createRealtimeClient, type EventReaction } from '../../src';
import { ReactionHandler } from '../../src/core/reaction';
import { createFakeEcho } from '../../src/testing';

afterEach(() => {
  vi.unstubAllEnvs();
});

function handlerFor(reaction: EventReaction<any>, site = { channel: 'private-orders', event: '.OrderShipped' }) {
  const client = createRealtimeClient({ echo: createFakeEcho().echo });
  const queryClient = new QueryClient();
  return { handler: new ReactionHandler(client, queryClient, () => reaction as never, site), queryClient, client };
}

describe('setQueryData', () => {
  test('a fetch in flight that read the server before the event does not overwrite the event data', async () => {
    const { handler, queryClient } = handlerFor({ setQueryData: { queryKey: ['orders', 1], updater: (o: unknown) => o } });
    let answer: (value: string) => void = () => {};
    const observer = new QueryObserver(queryClient, {
      queryKey: ['orders', 1],
      queryFn: () => new Promise<string>((resolve) => (answer = resolve)),
    });
    const stop = observer.subscribe(() => {});
    handler.handle('shipped'); // the event arrives while the request (sent before it) is out
    answer('paid'); // the server's answer from before the event
    await vi.waitFor(() => expect(queryClient.getQueryState(['orders', 1])?.fetchStatus).toBe('idle'));
    expect(queryClient.getQueryData(['orders', 1])).toBe('shipped');
    stop();
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
