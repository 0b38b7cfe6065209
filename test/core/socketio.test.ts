// socketIo()'s support on its own, against a channel shaped as Echo's socket.io channel (the
// real-wire proof is test/integration/socketio.test.tsx, on laravel-echo-server).
import { describe, expect, test, vi } from 'vitest';
import { buildEchoOptions, supportOf } from '../../src/core/connection';
import { socketIo } from '../../src/socket.io';

/** Echo's socket.io channel as far as the support reads it: listen / stopListening by event name, its socket. */
function socketIoChannel(socketId = 'sock-1') {
  const listeners = new Map<string, CallableFunction[]>();
  const channel = {
    socket: { id: socketId },
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
    const sink = { list: vi.fn(), added: vi.fn(), removed: vi.fn() };
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
