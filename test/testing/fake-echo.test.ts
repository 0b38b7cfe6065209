import { describe, expect, test, vi } from 'vitest';
import { createRealtimeClient } from '../../src';
import { createFakeEcho } from '../../src/testing';

describe('createFakeEcho', () => {
  test('fake.echo is a real laravel-echo instance; events are formatted by Echo rules and reach exactly the named channel', async () => {
    const fake = createFakeEcho();
    const seen: string[] = [];
    fake.echo.channel('orders').listen('.OrderShipped', () => seen.push('public .OrderShipped'));
    fake.echo.private('orders').listen('OrderShipped', () => seen.push('private OrderShipped'));
    await fake.flush();
    // Names are exact, as on the wire: `orders` is the public channel, `private-orders` the private one.
    expect(fake.emit('orders', '.OrderShipped')).toBe(1);
    expect(fake.emit('private-orders', 'OrderShipped')).toBe(1); // App\Events\OrderShipped
    expect(fake.emit('private-orders', '.App\\Events\\OrderShipped')).toBe(1);
    expect(seen).toEqual(['public .OrderShipped', 'private OrderShipped', 'private OrderShipped']);
    expect(fake.emit('presence-orders', '.OrderShipped')).toBe(0);
    expect(fake.echo.connectionStatus()).toBe('connected');
  });

  test('connecting, auth and subscription acks arrive asynchronously, as on the wire', async () => {
    const fake = createFakeEcho();
    const succeeded = vi.fn();
    const channel = fake.echo.private('orders');
    channel.subscribed(succeeded);
    expect(fake.echo.connectionStatus()).toBe('connecting');
    expect(succeeded).not.toHaveBeenCalled();
    await fake.flush();
    expect(succeeded).toHaveBeenCalledTimes(1);
    expect(fake.stats('private-orders')).toEqual({ subscribes: 1, unsubscribes: 0, authRequests: 1, subscribed: 1, listeners: 1 });
  });

  test('failAuth refuses with a status; the channel gets nothing until allowed and re-subscribed', async () => {
    const fake = createFakeEcho();
    fake.failAuth('private-admin', 403);
    const error = vi.fn();
    fake.echo.private('admin').error(error);
    await fake.flush();
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ type: 'AuthError', status: 403 }));
    expect(fake.emit('private-admin', '.X')).toBe(0);
    fake.allowAuth('private-admin');
    fake.setConnectionState('unavailable');
    fake.setConnectionState('connected'); // pusher-js re-subscribes everything on reconnect
    await fake.flush();
    expect(fake.stats('private-admin')).toMatchObject({ authRequests: 2, subscribes: 1, subscribed: 1 });
  });

  test('a custom authorizer sees the headers a client would send and can pick the presence identity', async () => {
    const fake = createFakeEcho({
      authorize: ({ headers }) =>
        headers.Authorization === 'Bearer ok' ? { user: { id: 42, name: 'Token User' } } : { status: 401 },
    });
    const ok = fake.createEcho({ channelAuthorization: { endpoint: '/auth', transport: 'ajax', headers: { Authorization: 'Bearer ok' } } });
    const bad = fake.createEcho();
    const here = vi.fn();
    const refused = vi.fn();
    ok.join('room').here(here);
    bad.join('room').error(refused);
    await fake.flush();
    expect(here).toHaveBeenCalledWith([{ id: 42, name: 'Token User' }]);
    expect(refused).toHaveBeenCalledWith(expect.objectContaining({ status: 401 }));
    expect(fake.authRequests.map((r) => r.headers.Authorization)).toEqual(['Bearer ok', undefined]);
  });

  test('presence follows Pusher: members per user, added and removed once per user across connections', async () => {
    const fake = createFakeEcho();
    const ann1 = fake.createEcho({ user: { id: 1, name: 'Ann' } });
    const ann2 = fake.createEcho({ user: { id: 1, name: 'Ann' } });
    const bob = fake.createEcho({ user: { id: 2, name: 'Bob' } });
    const joined = vi.fn();
    const left = vi.fn();
    bob.join('room').joining(joined).leaving(left);
    await fake.flush();
    ann1.join('room');
    ann2.join('room');
    await fake.flush();
    expect(joined).toHaveBeenCalledTimes(1);
    expect(fake.members('presence-room')).toEqual([{ id: 2, name: 'Bob' }, { id: 1, name: 'Ann' }]);
    ann1.leaveChannel('presence-room');
    expect(left).not.toHaveBeenCalled();
    ann2.disconnect();
    expect(left).toHaveBeenCalledWith({ id: 1, name: 'Ann' });
    expect(fake.members('presence-room')).toEqual([{ id: 2, name: 'Bob' }]);
  });

  test('whispers go to the other connections on private and presence channels only', async () => {
    const fake = createFakeEcho();
    const a = fake.createEcho();
    const b = fake.createEcho();
    const heardByA = vi.fn();
    const heardByB = vi.fn();
    a.private('chat').listenForWhisper('typing', heardByA);
    b.private('chat').listenForWhisper('typing', heardByB);
    await fake.flush();
    a.private('chat').whisper('typing', { who: 'a' });
    expect(heardByB).toHaveBeenCalledWith({ who: 'a' }, expect.anything());
    expect(heardByA).not.toHaveBeenCalled();
    expect(fake.whispers).toMatchObject([{ channel: 'private-chat', event: 'typing', data: { who: 'a' } }]);
    fake.whisper('private-chat', 'typing', { who: 'server-side test' });
    expect(heardByA).toHaveBeenCalledTimes(1);
  });

  test('leaving before the ack cancels the subscription like pusher-js, and counts the frames it would send', async () => {
    const fake = createFakeEcho();
    const echo = fake.echo;
    await fake.flush(); // connected, so subscribing sends frames
    echo.private('x');
    echo.leaveChannel('private-x');
    await fake.flush();
    expect(fake.stats('private-x')).toMatchObject({ subscribes: 1, unsubscribes: 1, subscribed: 0, listeners: 0 });
    expect(fake.subscribedChannels()).toEqual([]);
  });

  test('events reach confirmed subscriptions only: not before the ack, not after a refusal', async () => {
    const fake = createFakeEcho();
    fake.failAuth('private-secret');
    const heard = vi.fn();
    fake.echo.private('orders').listen('.X', heard);
    fake.echo.private('secret').listen('.X', heard);
    expect(fake.emit('private-orders', '.X')).toBe(0); // still subscribing
    await fake.flush();
    expect(fake.emit('private-orders', '.X')).toBe(1);
    expect(fake.emit('private-secret', '.X')).toBe(0);
    expect(heard).toHaveBeenCalledTimes(1);
  });

  test('events sent while the connection is dropped are lost', async () => {
    const fake = createFakeEcho();
    const heard = vi.fn();
    fake.echo.channel('feed').listen('.Tick', heard);
    await fake.flush();
    fake.setConnectionState('unavailable');
    expect(fake.emit('feed', '.Tick')).toBe(0);
    fake.setConnectionState('connected');
    await fake.flush();
    fake.emit('feed', '.Tick');
    expect(heard).toHaveBeenCalledTimes(1);
  });

  test('a listener that throws surfaces as an error from emit, as it would be uncaught in pusher-js', async () => {
    const fake = createFakeEcho();
    fake.echo.channel('feed').listen('.Tick', () => {
      throw new Error('raw listener');
    });
    await fake.flush();
    expect(() => fake.emit('feed', '.Tick')).toThrow('raw listener');
  });

  test('two fakes are independent', async () => {
    const one = createFakeEcho();
    const two = createFakeEcho();
    const heard = vi.fn();
    one.echo.channel('feed').listen('.Tick', heard);
    two.echo.channel('feed');
    await Promise.all([one.flush(), two.flush()]);
    two.emit('feed', '.Tick');
    expect(heard).not.toHaveBeenCalled();
    expect(one.stats('feed').subscribes).toBe(1);
  });

  test('one naming rule: every method takes the name on the wire, and says so when given a bare name', () => {
    const fake = createFakeEcho();
    expect(() => fake.join('room', { id: 2 })).toThrow('write "presence-room"');
    expect(() => fake.leave('room', 2)).toThrow('write "presence-room"');
    expect(() => fake.members('room')).toThrow('write "presence-room"');
    expect(() => fake.whisper('chat', 'typing', {})).toThrow('"private-chat" or "presence-chat"');
    expect(() => fake.failAuth('admin')).toThrow('"private-admin"');
    fake.join('presence-room', { id: 2 });
    expect(fake.members('presence-room')).toEqual([{ id: 2 }]);
  });

  test('a held auth answer belongs to its own subscribe attempt: after a drop, only the new attempt answers', async () => {
    const answers: ((ok: boolean) => void)[] = [];
    const fake = createFakeEcho({ authorize: () => new Promise<boolean>((resolve) => answers.push(resolve)) });
    fake.echo.private('orders');
    await fake.flush();
    fake.setConnectionState('unavailable');
    fake.setConnectionState('connected'); // a second attempt, with its own auth request
    await fake.flush();
    expect(answers).toHaveLength(2);
    answers[0](true); // the first attempt's answer, too late
    await fake.flush();
    expect(fake.stats('private-orders').subscribed).toBe(0);
    answers[1](true);
    await fake.flush();
    expect(fake.stats('private-orders').subscribed).toBe(1);
  });

  test('the leak checks see what they check: a pending subscription, and status listeners while a client watches', async () => {
    const fake = createFakeEcho({ authorize: () => new Promise<boolean>(() => {}) }); // auth never answers
    const client = createRealtimeClient({ echo: fake.echo });
    client.acquire({ channel: 'slow' });
    await fake.flush();
    expect(fake.subscribedChannels()).toEqual(['private-slow']); // pending counts: it can still become live
    expect(fake.connectionListenerCount()).toBeGreaterThan(0);
    client.dispose();
    await fake.flush();
    expect(fake.connectionListenerCount()).toBe(0);
  });
});
