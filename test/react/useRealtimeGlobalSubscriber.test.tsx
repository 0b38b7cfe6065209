import { useQuery } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { defineBinding, useRealtimeGlobalSubscriber } from '../../src';
import { setup } from '../helpers';

afterEach(() => {
  vi.useRealTimers();
});

describe('useRealtimeGlobalSubscriber', () => {
  test('re-rendering App with an inline array of equal bindings resubscribes nothing and uses the latest callbacks', async () => {
    const { fake, client, Wrapper, settle } = setup();
    const acquire = vi.spyOn(client, 'acquire');
    const seen: string[] = [];
    function App() {
      const [n, setN] = useState(0);
      useRealtimeGlobalSubscriber({ bindings: [
        { channel: 'rooms', type: 'public', event: '.RoomsUpdated', invalidate: ['rooms'] },
        { channel: 'venues', type: 'public', event: '.VenuesUpdated', onEvent: () => seen.push(`venues@${n}`) },
        { channel: 'user.1', type: 'private', event: '.Ping', onEvent: () => seen.push(`ping@${n}`) },
      ] });
      return <button onClick={() => setN((x) => x + 1)}>render</button>;
    }
    render(<App />, { wrapper: Wrapper });
    await settle();
    const before = fake.listenerCount();
    for (let i = 0; i < 5; i++) act(() => screen.getByText('render').click());
    await settle();
    expect(fake.listenerCount()).toBe(before);
    for (const channel of ['rooms', 'venues', 'private-user.1']) {
      expect(fake.stats(channel)).toMatchObject({ subscribes: 1, unsubscribes: 0 });
    }
    expect(fake.stats('private-user.1').authRequests).toBe(1);
    expect(acquire).toHaveBeenCalledTimes(3); // one per channel, not per render
    act(() => void fake.emit('venues', '.VenuesUpdated'));
    act(() => void fake.emit('private-user.1', '.Ping'));
    expect(seen).toEqual(['venues@5', 'ping@5']);
  });

  test('bindings on one channel share one subscription; prefix keys refetch every matching query', async () => {
    const { fake, Wrapper, settle } = setup({ client: { defaults: { refetchOnSubscribe: false } } });
    const fetched: string[] = [];
    function Rooms({ range }: { range: string }) {
      useQuery({ queryKey: ['rooms', range], queryFn: async () => fetched.push(range) });
      return null;
    }
    function App() {
      useRealtimeGlobalSubscriber({ bindings: [
        { channel: 'catalog', event: '.RoomsUpdated', invalidate: ['rooms'] },
        { channel: 'catalog', event: '.VenuesUpdated', invalidate: ['venues'] },
      ] });
      return (
        <>
          <Rooms range="home" />
          <Rooms range="2026-12" />
        </>
      );
    }
    render(<App />, { wrapper: Wrapper });
    await settle();
    await vi.waitFor(() => expect(fetched).toHaveLength(2));
    expect(fake.stats('private-catalog').subscribes).toBe(1);
    act(() => void fake.emit('private-catalog', '.RoomsUpdated', {}));
    await vi.waitFor(() => expect(fetched.sort()).toEqual(['2026-12', '2026-12', 'home', 'home']));
  });

  test('after the socket drops and comes back, every bound query is refetched once', async () => {
    vi.useFakeTimers();
    const onReconnect = vi.fn();
    const { fake, Wrapper, settle } = setup({ client: { onReconnect } });
    const calls: Record<string, number> = {};
    function Q({ k }: { k: string }) {
      useQuery({ queryKey: [k], queryFn: async () => (calls[k] = (calls[k] ?? 0) + 1) });
      return null;
    }
    function App() {
      useRealtimeGlobalSubscriber({ bindings: [
        { channel: 'rooms', type: 'public', event: '.RoomsUpdated', invalidate: ['rooms'] },
        { channel: 'rooms', type: 'public', event: '.RoomBooked', invalidate: ['rooms'] },
        { channel: 'venues', type: 'public', event: '.VenuesUpdated', invalidate: ['venues'] },
        { channel: 'posts', type: 'public', event: '.PostUpdated', invalidate: (p: any) => ['posts', p.id], recover: ['posts'] },
        { channel: 'logs', type: 'public', event: '.LogLine', invalidate: ['logs'], recover: false },
      ] });
      return ['rooms', 'venues', 'posts', 'logs'].map((k) => <Q key={k} k={k} />);
    }
    render(<App />, { wrapper: Wrapper });
    await settle();
    await act(() => vi.advanceTimersByTimeAsync(1000)); // every coalescing window closed
    // The first load, and one refetch when each channel was first confirmed (not for recover: false).
    expect(calls).toEqual({ rooms: 2, venues: 2, posts: 2, logs: 1 });

    act(() => fake.setConnectionState('unavailable'));
    // Events produced during the outage are lost, as on a real socket.
    expect(fake.emit('rooms', '.RoomsUpdated', {})).toBe(0);
    act(() => fake.setConnectionState('connected'));
    await settle();
    await act(() => vi.advanceTimersByTimeAsync(1000)); // count once the windows have closed
    expect(calls).toEqual({ rooms: 3, venues: 3, posts: 3, logs: 1 });
    expect(onReconnect).toHaveBeenCalledTimes(1);
  });

  test('defaults apply to every binding (a binding may override them); enabled: false holds nothing', async () => {
    const { fake, Wrapper, settle, queryClient } = setup({ client: { defaults: { refetchOnSubscribe: false } } });
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    function App({ enabled }: { enabled: boolean }) {
      useRealtimeGlobalSubscriber({
        bindings: [
          { channel: 'rooms', type: 'public', event: '.RoomsUpdated', invalidate: ['rooms'] },
          { channel: 'rooms', type: 'public', event: '.RoomBooked', invalidate: ['bookings'], refetchType: 'active' },
          { channel: 'logs', type: 'public', event: '.Line', invalidate: ['logs'], enabled: false },
        ],
        defaults: { refetchType: 'all' },
        enabled,
      });
      return null;
    }
    const { rerender } = render(<App enabled={false} />, { wrapper: Wrapper });
    await settle();
    expect(fake.subscribedChannels()).toEqual([]);
    rerender(<App enabled />);
    await settle();
    expect(fake.subscribedChannels()).toEqual(['rooms']); // not `logs`: that binding is off
    act(() => void fake.emit('rooms', '.RoomsUpdated'));
    act(() => void fake.emit('rooms', '.RoomBooked'));
    expect(invalidate.mock.calls.map(([f]) => f)).toEqual([
      { queryKey: ['rooms'], refetchType: 'all' },
      { queryKey: ['bookings'], refetchType: 'active' },
    ]);
  });

  test('defineBinding types the payload from the event name; bad bindings are reported, not thrown', async () => {
    const { Wrapper, settle, errors } = setup();
    function App() {
      useRealtimeGlobalSubscriber({ bindings: [
        defineBinding({ channel: 'posts', type: 'public', event: '.PostUpdated', invalidate: (p) => ['posts', String(p)], recover: ['posts'] }),
        { channel: '', event: '.X' } as never,
      ] });
      return null;
    }
    render(<App />, { wrapper: Wrapper });
    await settle();
    expect(errors.map((e) => e.message)).toEqual([
      'useRealtimeGlobalSubscriber: binding 1 needs a channel and an event name.',
    ]);
  });
});
