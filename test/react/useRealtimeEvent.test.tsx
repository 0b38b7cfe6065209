import { useQuery } from '@tanstack/react-query';
import { act, render, renderHook, screen } from '@testing-library/react';
import { StrictMode, useState } from 'react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { useRealtimeEvent } from '../../src';
import { setup } from '../helpers';

afterEach(() => {
  vi.useRealTimers();
});

function Listener({ id, seen, channel = 'orders' }: { id: string; seen: string[]; channel?: string }) {
  useRealtimeEvent({ channel, event: '.OrderShipped', onEvent: () => seen.push(id) });
  return null;
}

describe('useRealtimeEvent', () => {
  test('two components on one channel: one unmounting leaves the other subscribed and listening', async () => {
    vi.useFakeTimers();
    const { fake, Wrapper, settle } = setup();
    const seen: string[] = [];
    function Page({ showA }: { showA: boolean }) {
      return (
        <>
          {showA && <Listener id="a" seen={seen} />}
          <Listener id="b" seen={seen} />
        </>
      );
    }
    const { rerender, unmount } = render(<Page showA />, { wrapper: Wrapper });
    await settle();
    act(() => void fake.emit('private-orders', '.OrderShipped'));
    expect(seen).toEqual(['a', 'b']);

    rerender(<Page showA={false} />);
    act(() => void vi.advanceTimersByTime(5000));
    act(() => void fake.emit('private-orders', '.OrderShipped'));
    expect(seen).toEqual(['a', 'b', 'b']);
    expect(fake.stats('private-orders')).toMatchObject({ subscribes: 1, unsubscribes: 0, subscribed: 1 });

    unmount();
    act(() => void vi.advanceTimersByTime(5000));
    expect(fake.stats('private-orders')).toMatchObject({ unsubscribes: 1, subscribed: 0, listeners: 0 });
  });

  test('StrictMode: one subscription and one auth request for a private channel', async () => {
    const { fake, Wrapper, settle } = setup();
    const seen: string[] = [];
    render(
      <StrictMode>
        <Wrapper>
          <Listener id="a" seen={seen} />
        </Wrapper>
      </StrictMode>,
    );
    function PrivateListener() {
      useRealtimeEvent({ channel: 'user.1', type: 'private', event: '.Ping', onEvent: () => seen.push('ping') });
      return null;
    }
    render(
      <StrictMode>
        <Wrapper>
          <PrivateListener />
        </Wrapper>
      </StrictMode>,
    );
    await settle();
    expect(fake.stats('private-user.1')).toMatchObject({ subscribes: 1, authRequests: 1, unsubscribes: 0 });
    expect(fake.stats('private-orders')).toMatchObject({ subscribes: 1, unsubscribes: 0 });
    act(() => void fake.emit('private-user.1', '.Ping'));
    act(() => void fake.emit('private-orders', '.OrderShipped'));
    // Handlers are not doubled by StrictMode's second effect run.
    expect(seen).toEqual(['ping', 'a']);
  });

  test('the grace period: a remount after the channel was confirmed (a route change) neither leaves nor re-authorises', async () => {
    const { fake, Wrapper, settle } = setup(); // leaveGraceMs: 1000 (default)
    const seen: string[] = [];
    function Route({ page }: { page: 'a' | 'b' }) {
      return <Listener key={page} id={page} seen={seen} />; // a new component per page, as a router mounts

    }
    const { rerender } = render(<Route page="a" />, { wrapper: Wrapper });
    await settle();
    expect(fake.stats('private-orders')).toMatchObject({ subscribes: 1, subscribed: 1 });
    rerender(<Route page="b" />); // a unmounts, b mounts: same channel
    await settle();
    expect(fake.stats('private-orders')).toMatchObject({ subscribes: 1, unsubscribes: 0, authRequests: 1 });
    act(() => void fake.emit('private-orders', '.OrderShipped'));
    expect(seen).toEqual(['b']);
  });

  test('callbacks always see the latest render; changing them never resubscribes', async () => {
    const { fake, client, Wrapper, settle } = setup();
    const acquire = vi.spyOn(client, 'acquire');
    const seen: string[] = [];
    function Counter() {
      const [count, setCount] = useState(0);
      useRealtimeEvent({
        channel: 'orders',
        type: 'private',
        event: '.OrderShipped',
        // A new closure and a new options object every render.
        onEvent: () => seen.push(`count=${count}`),
      });
      return <button onClick={() => setCount((c) => c + 1)}>inc</button>;
    }
    render(<Counter />, { wrapper: Wrapper });
    await settle();
    for (let i = 0; i < 3; i++) act(() => screen.getByText('inc').click());
    act(() => void fake.emit('private-orders', '.OrderShipped'));
    expect(seen).toEqual(['count=3']);
    expect(fake.stats('private-orders')).toMatchObject({ subscribes: 1, unsubscribes: 0, authRequests: 1 });
    expect(acquire).toHaveBeenCalledTimes(1); // not one per render (the grace period would hide it on the wire)
  });

  test('enabled toggles the subscription; events while disabled are not handled', async () => {
    vi.useFakeTimers();
    const { fake, Wrapper, settle } = setup({ client: { leaveGraceMs: 100 } });
    const seen: unknown[] = [];
    const { rerender } = renderHook(
      ({ enabled }) => useRealtimeEvent({ channel: 'orders', event: '.X', enabled, onEvent: (p) => seen.push(p) }),
      { wrapper: Wrapper, initialProps: { enabled: false } },
    );
    await settle();
    expect(fake.subscribedChannels()).toEqual([]);
    expect(fake.emit('private-orders', '.X', 1)).toBe(0);

    rerender({ enabled: true });
    await settle();
    act(() => void fake.emit('private-orders', '.X', 2));
    rerender({ enabled: false });
    act(() => void vi.advanceTimersByTime(100));
    expect(fake.subscribedChannels()).toEqual([]);
    act(() => void fake.emit('private-orders', '.X', 3));
    expect(seen).toEqual([2]);
  });

  test('a nullish channel means "not yet": nothing is subscribed and nothing throws', async () => {
    const { fake, Wrapper, settle, errors } = setup();
    renderHook(() => useRealtimeEvent({ channel: undefined, event: '.X', onEvent: () => {} }), { wrapper: Wrapper });
    await settle();
    expect(fake.subscribedChannels()).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('setQueryData writes the payload into the named query, updateCache does other cache work, invalidate refetches', async () => {
    const { fake, Wrapper, settle, queryClient } = setup({ client: { defaults: { refetchOnSubscribe: false } } });
    let server = { id: 1, status: 'pending' };
    const queryFn = vi.fn(async () => server);
    function Order() {
      const { data } = useQuery({ queryKey: ['orders', 1], queryFn });
      useRealtimeEvent<'.OrderShipped'>({
        channel: 'orders.1',
        event: '.OrderShipped',
        setQueryData: { queryKey: ['orders', 1], updater: (payload) => payload },
      });
      useRealtimeEvent({
        channel: 'orders.1',
        event: '.OrderArchived',
        updateCache: (_p, qc) => qc.setQueryData(['archive'], ['orders', 1]),
        recover: false,
      });
      useRealtimeEvent({ channel: 'orders.1', event: '.OrderTouched', invalidate: ['orders', 1] });
      return <p>{data?.status ?? 'loading'}</p>;
    }
    render(<Order />, { wrapper: Wrapper });
    await settle();
    await screen.findByText('pending');
    act(() => void fake.emit('private-orders.1', '.OrderShipped', { id: 1, status: 'shipped' }));
    await screen.findByText('shipped');
    act(() => void fake.emit('private-orders.1', '.OrderArchived', {}));
    expect(queryClient.getQueryData(['archive'])).toEqual(['orders', 1]);
    expect(queryFn).toHaveBeenCalledTimes(1);

    server = { id: 1, status: 'delivered' };
    act(() => void fake.emit('private-orders.1', '.OrderTouched', {}));
    await screen.findByText('delivered');
    expect(queryFn).toHaveBeenCalledTimes(2);
    expect(queryClient.getQueryData(['orders', 1])).toEqual(server);
  });

  test('setQueryData sees the cached data, may compute its key from the payload, and a bad key goes to onError', async () => {
    const { fake, Wrapper, settle, queryClient, errors } = setup();
    queryClient.setQueryData(['orders', 2], { id: 2, status: 'pending', notes: ['a'] });
    renderHook(
      () =>
        useRealtimeEvent({
          channel: 'orders',
          event: '.OrderNoted',
          setQueryData: {
            queryKey: (p: { id: number }) => ['orders', p.id],
            updater: (p: { id: number; note: string }, previous: { notes: string[] } | undefined) =>
              previous && { ...previous, notes: [...previous.notes, p.note] },
          },
          recover: [['orders']],
        }),
      { wrapper: Wrapper },
    );
    await settle();
    act(() => void fake.emit('private-orders', '.OrderNoted', { id: 2, note: 'b' }));
    expect(queryClient.getQueryData(['orders', 2])).toEqual({ id: 2, status: 'pending', notes: ['a', 'b'] });
    act(() => void fake.emit('private-orders', '.OrderNoted', { id: 3, note: 'c' })); // nothing cached: left alone
    expect(queryClient.getQueryData(['orders', 3])).toBeUndefined();
    expect(() => act(() => void fake.emit('private-orders', '.OrderNoted', null))).not.toThrow();
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('setQueryData for ".OrderNoted" on "private-orders" failed')]);
  });

  test('invalidate as a function of the payload; a bad key goes to onError, not into the socket callback', async () => {
    const { fake, Wrapper, settle, errors, queryClient } = setup({ client: { defaults: { refetchOnSubscribe: false } } });
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    renderHook(
      () =>
        useRealtimeEvent({
          channel: 'posts',
          type: 'public',
          event: '.PostUpdated',
          invalidate: (p) => ['posts', (p as { id: number }).id],
          recover: [['posts']],
        }),
      { wrapper: Wrapper },
    );
    await settle();
    act(() => void fake.emit('posts', '.PostUpdated', { id: 7 }));
    expect(invalidate.mock.calls.map(([f]) => f?.queryKey)).toEqual([['posts', 7]]);
    // Malformed payloads: the function throws on null; a string gives ['posts', undefined].
    expect(() => act(() => void fake.emit('posts', '.PostUpdated', null))).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'handler', channel: 'posts', event: '.PostUpdated', payload: null });
  });
});

describe('errors', () => {
  test('a hook whose handler throws reports to onError; the other hooks on the event still run', async () => {
    const { fake, Wrapper, settle, errors } = setup();
    const seen: string[] = [];
    function Broken() {
      useRealtimeEvent({
        channel: 'orders',
        event: '.OrderShipped',
        onEvent: (p: { id: number }) => seen.push(`broken saw ${p.id}`),
        updateCache: () => {
          throw new Error('cache write failed');
        },
        recover: false,
      });
      return null;
    }
    render(
      <>
        <Broken />
        <Listener id="healthy" seen={seen} />
      </>,
      { wrapper: Wrapper },
    );
    await settle();
    for (const payload of [{ id: 1 }, null, 'not json']) {
      expect(() => act(() => void fake.emit('private-orders', '.OrderShipped', payload))).not.toThrow();
    }
    // The failing step is isolated: onEvent of the same hook still ran for the good payload.
    expect(seen.filter((s) => s === 'healthy')).toHaveLength(3);
    expect(seen).toContain('broken saw 1');
    // updateCache threw 3 times; onEvent threw once (reading .id of null).
    expect(errors.map((e) => e.code)).toEqual(['handler', 'handler', 'handler', 'handler']);
    expect(errors[0].message).toContain('cache write failed');
    expect(errors[0]).toMatchObject({ channel: 'private-orders', event: '.OrderShipped', payload: { id: 1 } });
  });
});

describe('coalescing across components', () => {
  test('a burst of 1,000 events on a key watched by 20 components runs the queryFn at most twice', async () => {
    vi.useFakeTimers();
    const { fake, Wrapper, settle } = setup({ client: { defaults: { wait: 200 } } });
    let version = 0;
    const queryFn = vi.fn(async () => version);
    function Room({ n }: { n: number }) {
      const { data } = useQuery({ queryKey: ['rooms'], queryFn });
      useRealtimeEvent({ channel: 'rooms', type: 'public', event: '.RoomsUpdated', invalidate: ['rooms'] });
      return <p data-testid={`room-${n}`}>{data ?? '-'}</p>;
    }
    render(
      <>
        {Array.from({ length: 20 }, (_, n) => (
          <Room key={n} n={n} />
        ))}
      </>,
      { wrapper: Wrapper },
    );
    await settle();
    await act(() => vi.advanceTimersByTimeAsync(1000));
    // The initial load, shared by all 20, and one refetch once the channel is confirmed.
    expect(queryFn).toHaveBeenCalledTimes(2);

    await act(async () => {
      for (let i = 0; i < 1000; i++) {
        version = i + 1;
        fake.emit('rooms', '.RoomsUpdated', { i });
      }
    });
    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(queryFn.mock.calls.length - 2).toBe(2); // one leading, one trailing
    // And the UI ends on the server's final state.
    expect(screen.getByTestId('room-19').textContent).toBe('1000');
  });
});

describe('cleanup', () => {
  test('after unmount no listener, subscription or timer is left', async () => {
    vi.useFakeTimers();
    const { fake, client, Wrapper, settle } = setup({ client: { leaveGraceMs: 300, defaults: { wait: 50 } } });
    function Many() {
      useRealtimeEvent({ channel: 'a', event: '.X', invalidate: ['a'] });
      useRealtimeEvent({ channel: 'b', type: 'private', event: '.Y', onEvent: () => {} });
      useRealtimeEvent({ channel: 'c', type: 'presence', event: '.Z', onEvent: () => {} });
      return null;
    }
    const { unmount } = render(<Many />, { wrapper: Wrapper });
    await settle();
    act(() => void fake.emit('private-a', '.X'));
    act(() => void fake.emit('private-a', '.X'));
    expect(fake.listenerCount()).toBeGreaterThan(0);
    unmount();
    await act(() => vi.advanceTimersByTimeAsync(300));
    expect(fake.subscribedChannels()).toEqual([]);
    expect(fake.listenerCount()).toBe(0);
    expect(client.channels.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    client.dispose();
    expect(fake.connectionListenerCount()).toBe(0);
  });
});
