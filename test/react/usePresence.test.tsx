import { act, render, renderHook, screen } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { createRealtimeClient, trackPresence, usePresence } from '../../src';
import { setup } from '../helpers';

type Member = { id: number; name: string };

function Roster({ label }: { label: string }) {
  const { members, me, count, status } = usePresence<Member>({ channel: 'room.1' });
  return (
    <p data-testid={label}>
      {status} {count}: {members.map((m) => m.name).join(',')} me={me?.name ?? '-'}
    </p>
  );
}

describe('usePresence', () => {
  test('members are React state, shared by every component on the channel, with me and count', async () => {
    const { fake, Wrapper, settle } = setup({ fake: { user: { id: 1, name: 'Ann' } } });
    fake.join('presence-room.1', { id: 2, name: 'Bob' });
    render(
      <>
        <Roster label="a" />
        <Roster label="b" />
      </>,
      { wrapper: Wrapper },
    );
    await settle();
    expect(screen.getByTestId('a').textContent).toBe('subscribed 2: Ann,Bob me=Ann');
    expect(screen.getByTestId('b').textContent).toBe('subscribed 2: Ann,Bob me=Ann');
    expect(fake.stats('presence-room.1')).toMatchObject({ subscribes: 1, authRequests: 1 });

    act(() => fake.join('presence-room.1', { id: 3, name: 'Cy' }));
    expect(screen.getByTestId('b').textContent).toBe('subscribed 3: Ann,Bob,Cy me=Ann');
    act(() => fake.leave('presence-room.1', 2));
    expect(screen.getByTestId('a').textContent).toBe('subscribed 2: Ann,Cy me=Ann');
  });

  test('one user on two connections is one member; joins and leaves are announced once per user', async () => {
    const { fake, Wrapper, settle } = setup({ fake: { user: { id: 1, name: 'Ann' } } });
    const onJoin = vi.fn();
    const onLeave = vi.fn();
    const { result } = renderHook(() => usePresence<Member>({ channel: 'room.1', onJoin, onLeave }), {
      wrapper: Wrapper,
    });
    await settle();
    const bob = { id: 2, name: 'Bob' };
    act(() => fake.join('presence-room.1', bob)); // Bob's laptop
    act(() => fake.join('presence-room.1', bob)); // Bob's phone
    expect(result.current.count).toBe(2);
    expect(onJoin.mock.calls).toEqual([[bob]]);
    act(() => fake.leave('presence-room.1', bob)); // phone closes: Bob is still here
    expect(result.current.members).toEqual([{ id: 1, name: 'Ann' }, bob]);
    expect(onLeave).not.toHaveBeenCalled();
    act(() => fake.leave('presence-room.1', bob));
    expect(result.current.members).toEqual([{ id: 1, name: 'Ann' }]);
    expect(onLeave.mock.calls).toEqual([[bob]]);
  });

  test("the hook's own bookkeeping: a repeated member_added or an unknown member_removed changes nothing", async () => {
    // Some servers (and a reconnect racing a join) send a user's arrival twice; the hook must not count it twice.
    const { client, Wrapper, settle } = setup({ fake: { user: { id: 1, name: 'Ann' } } });
    const onJoin = vi.fn();
    const onLeave = vi.fn();
    const { result } = renderHook(() => usePresence<Member>({ channel: 'room.1', onJoin, onLeave }), { wrapper: Wrapper });
    await settle();
    const pusher = (client.getEcho() as unknown as { connector: { pusher: { channel(n: string): { emit(e: string, d: unknown): void } } } })
      .connector.pusher;
    const wire = pusher.channel('presence-room.1');
    act(() => {
      wire.emit('pusher:member_added', { id: '2', info: { id: 2, name: 'Bob' } });
      wire.emit('pusher:member_added', { id: '2', info: { id: 2, name: 'Bob' } });
      wire.emit('pusher:member_removed', { id: '9' });
    });
    expect(result.current.count).toBe(2);
    expect(onJoin.mock.calls).toEqual([[{ id: 2, name: 'Bob' }]]);
    expect(onLeave).not.toHaveBeenCalled();
    act(() => wire.emit('pusher:member_removed', { id: '2' }));
    act(() => wire.emit('pusher:member_removed', { id: '2' }));
    expect(onLeave).toHaveBeenCalledTimes(1);
    expect(result.current.count).toBe(1);
  });

  test('two clients: each sees the other; the same user in two tabs counts once; whisper reaches the other client only', async () => {
    const { fake, Wrapper, settle } = setup({ fake: { user: { id: 1, name: 'Ann' } } });
    const bobClient = createRealtimeClient({ echo: fake.createEcho({ user: { id: 2, name: 'Bob' } }) });
    const annTab2 = createRealtimeClient({ echo: fake.createEcho({ user: { id: 1, name: 'Ann' } }) });
    const ann = renderHook(() => usePresence<Member>({ channel: 'doc.9' }), { wrapper: Wrapper });
    const bobTyping = vi.fn();
    // Bob on his own client, without React (presence is tracked on request there):
    trackPresence(bobClient);
    trackPresence(annTab2);
    const lease = bobClient.acquire({ channel: 'doc.9', type: 'presence' });
    lease.listen('.client-typing', { handle: bobTyping });
    const tab2 = annTab2.acquire({ channel: 'doc.9', type: 'presence' });
    await settle();
    expect(ann.result.current.members.map((m) => m.name)).toEqual(['Ann', 'Bob']);
    expect(bobClient.channels.getPresence({ channel: 'doc.9' })).toMatchObject({ count: 2, me: { name: 'Bob' } });
    expect(annTab2.channels.getPresence({ channel: 'doc.9' }).count).toBe(2);

    expect(ann.result.current.whisper('typing', { who: 'Ann' })).toBe(true);
    expect(bobTyping).toHaveBeenCalledWith({ who: 'Ann' });
    expect(bobTyping).toHaveBeenCalledTimes(1);

    // Ann's second tab closing does not make Ann leave for Bob.
    tab2.release();
    annTab2.dispose();
    expect(bobClient.channels.getPresence({ channel: 'doc.9' }).count).toBe(2);
    act(() => {
      lease.release();
      bobClient.dispose(); // Bob leaves: Ann's list changes
    });
    await settle();
    expect(ann.result.current.members.map((m) => m.name)).toEqual(['Ann']);
  });

  test('after a reconnect the members are re-read, and who came and went meanwhile is announced', async () => {
    const { fake, Wrapper, settle } = setup({ fake: { user: { id: 1, name: 'Ann' } } });
    fake.join('presence-room.1', { id: 2, name: 'Bob' });
    const onJoin = vi.fn();
    const onLeave = vi.fn();
    const { result } = renderHook(() => usePresence<Member>({ channel: 'room.1', onJoin, onLeave }), {
      wrapper: Wrapper,
    });
    await settle();
    act(() => fake.setConnectionState('unavailable'));
    expect(result.current.status).toBe('subscribing');
    expect(result.current.count).toBe(2); // last known members stay while reconnecting
    fake.leave('presence-room.1', 2);
    fake.join('presence-room.1', { id: 3, name: 'Cy' });
    act(() => fake.setConnectionState('connected'));
    await settle();
    expect(result.current.status).toBe('subscribed');
    expect(result.current.members.map((m) => m.name)).toEqual(['Ann', 'Cy']);
    expect(onJoin.mock.calls).toEqual([[{ id: 3, name: 'Cy' }]]);
    expect(onLeave.mock.calls).toEqual([[{ id: 2, name: 'Bob' }]]);
  });
});
