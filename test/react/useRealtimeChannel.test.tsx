import { useQuery } from '@tanstack/react-query';
import { act, render, renderHook, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { useRealtimeChannel } from '../../src';
import { setup } from '../helpers';

afterEach(() => {
  vi.useRealTimers();
});

describe('useRealtimeChannel', () => {
  test('reports subscribing then subscribed, and binds several events', async () => {
    const { fake, Wrapper, settle } = setup();
    const seen: string[] = [];
    const { result } = renderHook(
      () =>
        useRealtimeChannel({
          channel: 'orders.1',
          type: 'private',
          events: {
            '.OrderShipped': () => seen.push('shipped'),
            '.OrderCancelled': { onEvent: () => seen.push('cancelled') },
          },
        }),
      { wrapper: Wrapper },
    );
    expect(result.current.status).toBe('subscribing');
    await settle();
    expect(result.current).toMatchObject({ status: 'subscribed', error: null });
    act(() => void fake.emit('private-orders.1', '.OrderShipped'));
    act(() => void fake.emit('private-orders.1', '.OrderCancelled'));
    expect(seen).toEqual(['shipped', 'cancelled']);
  });

  test('a 403 from the auth endpoint shows as status error with the reason, once, without retrying', async () => {
    const { fake, Wrapper, settle, errors } = setup();
    fake.failAuth('private-admin.dashboard', 403);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    function Dashboard() {
      const { status, error } = useRealtimeChannel({ channel: 'admin.dashboard', type: 'private' });
      return <p>{status === 'error' ? `error: ${error?.message}` : status}</p>;
    }
    render(<Dashboard />, { wrapper: Wrapper });
    await settle();
    expect(screen.getByText(/^error: Not authorised to join "private-admin.dashboard" \(HTTP 403\)/)).toBeTruthy();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'auth', status: 403, channel: 'private-admin.dashboard' });
    await settle();
    expect(fake.stats('private-admin.dashboard').authRequests).toBe(1);
    // Events for a refused channel are not delivered.
    expect(fake.emit('private-admin.dashboard', '.X')).toBe(0);
    // Development builds say how to fix it (test/react/dev-warnings.test.tsx has the text).
    expect(warn.mock.calls.map(([m]) => String(m))).toEqual([expect.stringContaining('refused "private-admin.dashboard" (HTTP 403)')]);
  });

  test('whisper exists on private and presence channels, sends once subscribed, and is absent on public ones', async () => {
    const { fake, Wrapper, settle } = setup();
    const { result, unmount } = renderHook(
      () => ({
        priv: useRealtimeChannel({ channel: 'chat.1', type: 'private' }),
        pub: useRealtimeChannel({ channel: 'news', type: 'public' }),
      }),
      { wrapper: Wrapper },
    );
    expect(result.current.pub.whisper).toBeUndefined();
    expect(result.current.priv.whisper?.('typing', { name: 'Ann' })).toBe(false); // not subscribed yet
    await settle();
    expect(result.current.priv.whisper?.('typing', { name: 'Ann' })).toBe(true);
    expect(fake.whispers).toEqual([
      { channel: 'private-chat.1', event: 'typing', data: { name: 'Ann' }, socketId: expect.any(String) },
    ]);
    // Unmounted, while the channel lingers for its grace period: the old whisper sends nothing.
    const whisper = result.current.priv.whisper;
    unmount();
    expect(whisper?.('typing', { name: 'Ann' })).toBe(false);
    expect(fake.whispers).toHaveLength(1);
  });

  test('handlers may change every render; only a change in the set of event names rebinds, and never rejoins', async () => {
    const { fake, client, Wrapper, settle } = setup();
    const acquire = vi.spyOn(client, 'acquire');
    const seen: string[] = [];
    function Feed() {
      const [n, setN] = useState(0);
      const events: Record<string, (p: unknown) => void> = {};
      // The same names in another order at n = 3: still the same set.
      if (n === 3) events['.B'] = () => seen.push(`B${n}`);
      events['.A'] = () => seen.push(`A${n}`);
      if (n === 2) events['.B'] = () => seen.push(`B${n}`);
      useRealtimeChannel({ channel: 'feed', type: 'private', events });
      return <button onClick={() => setN((x) => x + 1)}>next</button>;
    }
    render(<Feed />, { wrapper: Wrapper });
    await settle();
    act(() => screen.getByText('next').click());
    act(() => void fake.emit('private-feed', '.A'));
    expect(acquire).toHaveBeenCalledTimes(1); // a new handler, the same names: no rebind
    act(() => screen.getByText('next').click());
    act(() => void fake.emit('private-feed', '.A'));
    act(() => void fake.emit('private-feed', '.B'));
    expect(acquire).toHaveBeenCalledTimes(2); // '.B' added: one rebind
    act(() => screen.getByText('next').click());
    act(() => void fake.emit('private-feed', '.B'));
    expect(acquire).toHaveBeenCalledTimes(2); // reordered, same set: no rebind
    expect(seen).toEqual(['A1', 'A2', 'B2', 'B3']);
    expect(fake.stats('private-feed')).toMatchObject({ subscribes: 1, unsubscribes: 0, authRequests: 1 });
  });

  test('reaction objects invalidate through the coalescer: five events give one leading and one trailing refetch', async () => {
    vi.useFakeTimers();
    const { fake, Wrapper, settle } = setup({ client: { defaults: { refetchOnSubscribe: false } } });
    const queryFn = vi.fn(async () => 'x');
    renderHook(
      () => {
        useQuery({ queryKey: ['inbox'], queryFn });
        return useRealtimeChannel({ channel: 'inbox', events: { '.MessageReceived': { invalidate: ['inbox'] } } });
      },
      { wrapper: Wrapper },
    );
    await settle();
    await act(() => vi.advanceTimersByTimeAsync(10));
    expect(queryFn).toHaveBeenCalledTimes(1);
    act(() => {
      for (let i = 0; i < 5; i++) fake.emit('private-inbox', '.MessageReceived', {});
    });
    await act(() => vi.advanceTimersByTimeAsync(1000)); // past the window
    expect(queryFn).toHaveBeenCalledTimes(3);
  });
});
