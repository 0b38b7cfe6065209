// socketIo()'s support on its own, against a channel shaped as Echo's socket.io channel (the
// real-wire proof is test/integration/socketio.test.tsx, on laravel-echo-server).
import { EventEmitter } from 'node:events';
import { describe, expect, test, vi } from 'vitest';
import { buildEchoOptions, supportOf } from '../../src/core/connection';
import { PresenceRoster } from '../../src/core/presence';
import { socketIo } from '../../src/socket.io';

/** Echo's socket.io channel as far as the support reads it: listen / stopListening by event name, its socket. */
function socketIoChannel(socketId = 'sock-1') {
  const listeners = new Map<string, CallableFunction[]>();
  const channel = {
    socket: { id: socketId } as unknown,
    events: {},
    listen(event: string, callback: CallableFunction) {
      listeners.set(event, [...(listeners.get(event) ?? []), callback]);
    },
    stopListening(event: string, callback?: CallableFunction) {
      listeners.set(event, (listeners.get(event) ?? []).filter((c) => c !== callback));
    },
    subscribed: vi.fn(),
    error: vi.fn(),
  };
  const emit = (event: string, payload: unknown) => {
    for (const callback of listeners.get('.' + event) ?? []) callback(payload);
  };
  return { channel, emit, bound: () => [...listeners].filter(([, list]) => list.length > 0).map(([event]) => event) };
}

const support = supportOf(socketIo({ host: 'http://localhost:6001' }))!;

describe('socketIo() support', () => {
  test('a refusal fails the channel; a presence channel is confirmed by its member list, other channels by nothing', () => {
    const { channel, emit, bound } = socketIoChannel();
    const onSubscribed = vi.fn();
    const onFailed = vi.fn();
    const undo = support.status(channel, 'private', onSubscribed, onFailed);
    emit('subscription_error', 403);
    expect(onFailed).toHaveBeenCalledWith(403);
    emit('presence:subscribed', []);
    expect(onSubscribed).not.toHaveBeenCalled();
    for (const u of undo) u();
    expect(bound()).toEqual([]);

    const presence = support.status(channel, 'presence', onSubscribed, onFailed);
    emit('presence:subscribed', []);
    expect(onSubscribed).toHaveBeenCalledTimes(1);
    for (const u of presence) u();
    expect(bound()).toEqual([]);
    expect(support.confirmsOnJoin('private')).toBe(true);
    expect(support.confirmsOnJoin('presence')).toBe(false);
  });

  test("members come from laravel-echo-server's events; `me` is the one listed with this socket's id", () => {
    const { channel, emit } = socketIoChannel('sock-2');
    const sink = { subscribing: vi.fn(), list: vi.fn(), added: vi.fn(), removed: vi.fn() };
    const onListed = vi.fn();
    support.members(channel, sink, onListed);
    emit('presence:subscribed', [
      { user_id: 1, user_info: { name: 'Ann' }, socketId: 'sock-1' },
      { user_id: 2, user_info: { name: 'Bob' }, socketId: 'sock-2' },
      null,
    ]);
    expect(sink.list).toHaveBeenCalledWith(
      new Map([
        ['1', { name: 'Ann' }],
        ['2', { name: 'Bob' }],
      ]),
      '2',
    );
    expect(onListed).toHaveBeenCalledTimes(1);
    emit('presence:joining', { user_id: 3, user_info: { name: 'Cy' } });
    emit('presence:leaving', { user_id: 1 });
    emit('presence:leaving', { nobody: true });
    expect(sink.added).toHaveBeenCalledWith('3', { name: 'Cy' });
    expect(sink.removed.mock.calls).toEqual([['1']]);
  });

  test('a drop starts a new subscription for the members: joins and leaves until its list are held, on top of it', () => {
    // laravel-echo-server puts the socket in the room before it reads the members from Redis: a
    // presence:joining can come before presence:subscribed, whose list lacks that member.
    const { channel, emit } = socketIoChannel('sock-2');
    const socket = new EventEmitter() as EventEmitter & { id: string };
    socket.id = 'sock-2';
    channel.socket = socket;
    const roster = new PresenceRoster(vi.fn(), (listener, which, member) => listener[which]?.(member));
    const onJoin = vi.fn();
    const onLeave = vi.fn();
    roster.listeners.add({ onJoin: (m) => onJoin(m.name), onLeave: (m) => onLeave(m.name) });
    const undo = roster.bind(channel, () => true, vi.fn(), support);
    const ann = { user_id: 1, user_info: { name: 'Ann' }, socketId: 'sock-1' };
    const bob = { user_id: 2, user_info: { name: 'Bob' }, socketId: 'sock-2' };
    const cy = { user_id: 3, user_info: { name: 'Cy' }, socketId: 'sock-3' };
    emit('presence:joining', cy); // before the first list, which lacks Cy
    emit('presence:subscribed', [ann, bob]);
    expect(roster.snapshot.members.map((m) => m.name)).toEqual(['Ann', 'Bob', 'Cy']);
    expect(onJoin.mock.calls).toEqual([['Cy']]);

    socket.emit('disconnect', 'transport close');
    emit('presence:leaving', ann); // after the re-subscription, before its list, which still shows Ann
    const dan = { user_id: 4, user_info: { name: 'Dan' }, socketId: 'sock-4' };
    emit('presence:joining', dan);
    expect(roster.snapshot.members.map((m) => m.name)).toEqual(['Ann', 'Bob', 'Cy']); // the last list, until the next
    emit('presence:subscribed', [ann, bob, cy]);
    expect(roster.snapshot.members.map((m) => m.name)).toEqual(['Bob', 'Cy', 'Dan']);
    expect(onJoin.mock.calls).toEqual([['Cy'], ['Dan']]);
    expect(onLeave.mock.calls).toEqual([['Ann']]);

    // laravel-echo-server may announce this user's old socket leaving after the new one is in the
    // room (it checks Redis, not yet updated): never a leave of `me`, held or live.
    socket.emit('disconnect', 'transport close');
    emit('presence:leaving', bob);
    emit('presence:subscribed', [bob, cy, dan]);
    emit('presence:leaving', bob);
    expect(roster.snapshot).toMatchObject({ count: 3, me: { name: 'Bob' } });
    expect(onLeave.mock.calls).toEqual([['Ann']]);
    for (const u of undo) u();
    expect(socket.listenerCount('disconnect')).toBe(0);
  });

  test('socket.io 2 says "disconnected" while it retries: shown as reconnecting unless told to stop', () => {
    expect(support.refine('disconnected', { socket: { io: { skipReconnect: false } } })).toBe('reconnecting');
    expect(support.refine('disconnected', { socket: { active: true } })).toBe('reconnecting');
    expect(support.refine('disconnected', { socket: { io: { skipReconnect: true } } })).toBe('disconnected');
    expect(support.refine('connected', { socket: { active: true } })).toBe('connected');
  });

  test('the token is read each time the headers are sent, for socket.io and for a connector class alike', () => {
    let token = 'one';
    for (const config of [socketIo({ host: 'h' }), { broadcaster: class Connector {} }]) {
      const options = buildEchoOptions(config, () => token, vi.fn()) as { auth: { headers: Record<string, string> } };
      token = 'one';
      expect(options.auth.headers.Authorization).toBe('Bearer one');
      token = 'two';
      expect({ ...options.auth.headers }).toEqual({ Authorization: 'Bearer two' });
    }
  });

  test('socketIo() is for socket.io only, and says so', () => {
    expect(() => socketIo({ broadcaster: 'reverb', key: 'k' })).toThrow(/for Echo's socket.io broadcaster, got "reverb"/);
    const pusherEcho = { channel: () => ({}), leaveChannel: () => {}, options: { broadcaster: 'reverb' } } as never;
    expect(() => socketIo(pusherEcho)).toThrow(/got "reverb"/);
    expect(() => socketIo(null as never)).toThrow(/takes Echo options or an Echo, got null/);
  });
});
