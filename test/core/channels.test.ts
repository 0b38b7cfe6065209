import { describe, expect, test, vi } from 'vitest';
import { createRealtimeClient, RealtimeError, trackPresence, type EventHandler } from '../../src';
import { createFakeEcho } from '../../src/testing';

function handler(fn: (payload: unknown) => void = () => {}): EventHandler {
  return { handle: fn };
}

describe('a channel is known by its name on the wire', () => {
  test('two spellings of one wire channel: the second is refused clearly, and neither can end the other', async () => {
    const fake = createFakeEcho();
    const errors: RealtimeError[] = [];
    const client = createRealtimeClient({ echo: fake.echo, onError: (e) => errors.push(e), leaveGraceMs: 0 });
    const seen: unknown[] = [];
    const encrypted = client.acquire({ channel: 'orders', type: 'encrypted' });
    encrypted.listen('.OrderShipped', handler((p) => seen.push(p)));
    // Echo and pusher-js both know this one as `private-encrypted-orders`.
    expect(() => client.acquire({ channel: 'encrypted-orders', type: 'private' })).toThrow(
      /"private-encrypted-orders" is already joined as encrypted channel "orders"/,
    );
    await fake.flush();
    expect(client.channels.getSnapshot({ channel: 'orders', type: 'encrypted' }).status).toBe('subscribed');
    // A hook asking with the other spelling sees the conflict, not the other holder's status.
    expect(client.channels.getSnapshot({ channel: 'encrypted-orders', type: 'private' })).toMatchObject({
      status: 'error',
      error: expect.any(RealtimeError),
    });
    expect(fake.emit('private-encrypted-orders', '.OrderShipped', { id: 1 })).toBe(1);
    expect(seen).toEqual([{ id: 1 }]);
    expect(fake.stats('private-encrypted-orders')).toMatchObject({ subscribes: 1, unsubscribes: 0 });

    // The same holds for a public channel whose name carries the private- prefix.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const priv = client.acquire({ channel: 'inbox', type: 'private' });
    expect(() => client.acquire({ channel: 'private-inbox', type: 'public' })).toThrow(/already joined as private channel "inbox"/);
    expect(warn).toHaveBeenCalledTimes(1); // and development builds explain the spelling
    priv.release();
    encrypted.release();
    await fake.flush();
    expect(fake.subscribedChannels()).toEqual([]);
  });

  test('the same spelling shares one entry and one subscription', async () => {
    const fake = createFakeEcho();
    const client = createRealtimeClient({ echo: fake.echo, leaveGraceMs: 0 });
    const a = client.acquire({ channel: 'orders', type: 'encrypted' });
    const b = client.acquire({ channel: 'orders', type: 'encrypted' });
    await fake.flush();
    expect(client.channels.size).toBe(1);
    a.release();
    expect(fake.stats('private-encrypted-orders')).toMatchObject({ subscribes: 1, unsubscribes: 0, subscribed: 1 });
    b.release();
    expect(fake.stats('private-encrypted-orders')).toMatchObject({ unsubscribes: 1, subscribed: 0 });
  });
});

describe('an Echo the app hands in is shared, not owned', () => {
  test("releasing the last lease removes only the client's listeners: the app's own listener keeps receiving", async () => {
    const fake = createFakeEcho();
    const echo = fake.echo;
    const app: unknown[] = [];
    echo.private('orders').listen('.OrderShipped', (p: unknown) => app.push(p));
    const client = createRealtimeClient({ echo, leaveGraceMs: 0 });
    const ours: unknown[] = [];
    const lease = client.acquire({ channel: 'orders', type: 'private' });
    lease.listen('.OrderShipped', handler((p) => ours.push(p)));
    await fake.flush();
    fake.emit('private-orders', '.OrderShipped', 1);
    lease.release();
    fake.emit('private-orders', '.OrderShipped', 2);
    expect(app).toEqual([1, 2]);
    expect(ours).toEqual([1]);
    expect(fake.stats('private-orders')).toMatchObject({ unsubscribes: 0, subscribed: 1, listeners: 1 });
    client.dispose();
    fake.emit('private-orders', '.OrderShipped', 3);
    expect(app).toEqual([1, 2, 3]);
  });

  test('two clients on one Echo: one releasing keeps the other subscribed; the last one leaves', async () => {
    const fake = createFakeEcho();
    const a = createRealtimeClient({ echo: fake.echo, leaveGraceMs: 0 });
    const b = createRealtimeClient({ echo: fake.echo, leaveGraceMs: 0 });
    const seen: string[] = [];
    const leaseA = a.acquire({ channel: 'room.1', type: 'presence' });
    leaseA.listen('.Moved', handler(() => seen.push('a')));
    const leaseB = b.acquire({ channel: 'room.1', type: 'presence' });
    leaseB.listen('.Moved', handler(() => seen.push('b')));
    await fake.flush();
    leaseA.release();
    fake.emit('presence-room.1', '.Moved');
    expect(seen).toEqual(['b']);
    expect(b.channels.getSnapshot({ channel: 'room.1', type: 'presence' }).status).toBe('subscribed');
    // Presence tracked after the channel is held: pusher-js's list is read at once.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(b.channels.getPresence({ channel: 'room.1' }).count).toBe(0);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/until presence is tracked/));
    warn.mockRestore();
    trackPresence(b);
    expect(b.channels.getPresence({ channel: 'room.1' }).count).toBe(1);
    leaseB.release();
    expect(fake.stats('presence-room.1')).toMatchObject({ subscribes: 1, unsubscribes: 1, subscribed: 0, listeners: 0 });
  });

  test('an Echo the client created is left as soon as the last lease goes', async () => {
    const fake = createFakeEcho();
    const client = createRealtimeClient({ echo: { broadcaster: 'pusher', key: 'k', Pusher: fake.Pusher }, leaveGraceMs: 0 });
    const lease = client.acquire({ channel: 'orders', type: 'private' });
    await fake.flush();
    lease.release();
    expect(fake.stats('private-orders')).toMatchObject({ unsubscribes: 1, subscribed: 0 });
    client.dispose();
  });
});

describe('callbacks Echo cannot unbind', () => {
  /** An Echo whose channels only offer Echo's public subscribed()/error(), like a custom connector's. */
  function manualEcho() {
    class ManualChannel {
      readonly onSubscribed: (() => void)[] = [];
      readonly onError: ((info: unknown) => void)[] = [];
      listen() {
        return this;
      }
      stopListening() {
        return this;
      }
      subscribed(cb: () => void) {
        this.onSubscribed.push(cb);
        return this;
      }
      error(cb: (info: unknown) => void) {
        this.onError.push(cb);
        return this;
      }
    }
    const opened: ManualChannel[] = [];
    const open = () => {
      const channel = new ManualChannel();
      opened.push(channel);
      return channel;
    };
    const echo = { channel: open, private: open, join: open, encryptedPrivate: open, leaveChannel: () => {}, connect: () => {} };
    return { echo, opened };
  }

  test("a replaced channel's late callbacks change nothing", () => {
    const { echo, opened } = manualEcho();
    const errors: RealtimeError[] = [];
    const client = createRealtimeClient({ echo: echo as never, onError: (e) => errors.push(e) });
    client.acquire({ channel: 'orders', type: 'private' });
    client.reconnect(); // the channel is opened again on the new connection
    expect(opened).toHaveLength(2);
    opened[1].onSubscribed.forEach((cb) => cb());
    expect(client.channels.getSnapshot({ channel: 'orders', type: 'private' }).status).toBe('subscribed');
    // The first channel object's callbacks still fire (they cannot be unbound), far too late.
    opened[0].onError.forEach((cb) => cb({ status: 403 }));
    opened[0].onSubscribed.forEach((cb) => cb());
    expect(client.channels.getSnapshot({ channel: 'orders', type: 'private' }).status).toBe('subscribed');
    expect(errors).toEqual([]);
  });
});

describe('starting again after a failed start', () => {
  test('reconnect() after the cause is fixed joins the channels held meanwhile', async () => {
    const fake = createFakeEcho();
    const errors: RealtimeError[] = [];
    const config: Record<string, unknown> = { broadcaster: 'reverb', key: 'k', wsHost: 'localhost' };
    const client = createRealtimeClient({ echo: config as never, onError: (e) => errors.push(e) });
    const seen: unknown[] = [];
    client.acquire({ channel: 'orders', type: 'private' }).listen('.OrderShipped', handler((p) => seen.push(p)));
    expect(client.getConnectionStatus()).toBe('failed');
    expect(client.channels.getSnapshot({ channel: 'orders', type: 'private' }).status).toBe('error');
    expect(errors.map((e) => e.code)).toEqual(['config']);

    config.Pusher = fake.Pusher; // the app provides pusher-js
    client.reconnect();
    await fake.flush();
    expect(client.getConnectionStatus()).toBe('connected');
    expect(client.channels.getSnapshot({ channel: 'orders', type: 'private' })).toEqual({ status: 'subscribed', error: null });
    expect(fake.emit('private-orders', '.OrderShipped', 1)).toBe(1);
    expect(seen).toEqual([1]);
    client.dispose();
  });

  test('a second failed start shows the new error on every held channel', () => {
    const errors: RealtimeError[] = [];
    const client = createRealtimeClient({ echo: { broadcaster: 'reverb', key: 'k' }, onError: (e) => errors.push(e) });
    client.acquire({ channel: 'orders', type: 'private' });
    client.reconnect();
    expect(client.getConnectionStatus()).toBe('failed');
    expect(client.channels.getSnapshot({ channel: 'orders', type: 'private' })).toMatchObject({ status: 'error', error: errors[1] });
    expect(errors).toHaveLength(2);
  });
});
