import { afterEach, describe, expect, test, vi } from 'vitest';
import { createRealtimeClient, echoConfigFromEnv, trackPresence, type ChannelType } from '../../src';
import { createFakeEcho } from '../../src/testing';

afterEach(() => {
  vi.unstubAllEnvs();
});

function warnings(run: () => void): string[] {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  run();
  const messages = warn.mock.calls.map(([m]) => String(m));
  warn.mockRestore();
  return messages;
}

const client = () => createRealtimeClient({ echo: createFakeEcho().echo });

describe('development warnings, once each, with the fix', () => {
  test.each<[string, string, ChannelType, RegExp]>([
    ['a private name with the prefix Echo adds', 'private-orders', 'private', /already carries "private-".*channel: "orders", type: 'private'/],
    ['a presence name with its prefix', 'presence-lobby', 'presence', /already carries "presence-".*channel: "lobby", type: 'presence'/],
    ['an encrypted name with its prefix', 'private-encrypted-vault', 'encrypted', /channel: "vault", type: 'encrypted'/],
    ['a public name that is private on the wire', 'private-inbox', 'public', /given as public.*private channel on the wire.*channel: "inbox"/],
    ['surrounding whitespace', ' orders', 'private', /surrounding whitespace/],
  ])('%s', (_name, channel, type, expected) => {
    const c = client();
    const seen = warnings(() => {
      c.acquire({ channel, type }).release();
      c.acquire({ channel, type }).release();
    });
    expect(seen).toEqual([expect.stringMatching(expected)]);
    c.dispose();
  });

  test('an event written as a class name without the leading dot or backslash', () => {
    const c = client();
    const lease = c.acquire({ channel: 'orders', type: 'private' });
    const seen = warnings(() => {
      lease.listen('App\\Events\\OrderShipped', { handle: () => {} });
      lease.listen('.App\\Events\\OrderShipped', { handle: () => {} }); // right: verbatim
      lease.listen('OrderShipped', { handle: () => {} }); // right: under App\Events
    });
    expect(seen).toEqual([expect.stringContaining('Write ".App\\\\Events\\\\OrderShipped"')]);
    c.dispose();
  });

  test('presence read outside React before it is tracked: the fix is trackPresence(client)', async () => {
    const fake = createFakeEcho();
    const c = createRealtimeClient({ echo: fake.echo });
    const lease = c.acquire({ channel: 'lobby', type: 'presence' });
    await fake.flush();
    const seen = warnings(() => {
      lease.onPresence({ onJoin: () => {} });
      c.channels.getPresence({ channel: 'lobby' });
      c.channels.getPresence({ channel: 'lobby' });
    });
    expect(seen).toEqual([
      expect.stringMatching(/onPresence on "presence-lobby" does nothing until presence is tracked: call trackPresence\(client\)/),
      expect.stringMatching(/getPresence\(\{ channel: 'lobby' \}\) lists nobody until presence is tracked: call trackPresence\(client\)/),
    ]);
    trackPresence(c);
    expect(warnings(() => c.channels.getPresence({ channel: 'lobby' }))).toEqual([]);
    expect(c.channels.getPresence({ channel: 'lobby' }).count).toBe(1);
    lease.release();
    c.dispose();
  });

  test('an event the server sends under another spelling than the one listened for: once, with the spelling that hears it', async () => {
    const fake = createFakeEcho();
    const c = createRealtimeClient({ echo: fake.echo });
    const heard = vi.fn();
    const lease = c.acquire({ channel: 'orders.1' });
    lease.listen('OrderShipped', { handle: heard }); // Echo reads App\Events\OrderShipped
    await fake.flush();
    const seen = warnings(() => {
      fake.emit('private-orders.1', '.OrderShipped', {}); // the event has broadcastAs('OrderShipped')
      fake.emit('private-orders.1', '.OrderShipped', {});
      fake.emit('private-orders.1', '.SomethingElse', {}); // unrelated: nobody listens for it at all
    });
    expect(heard).not.toHaveBeenCalled();
    expect(seen).toEqual([
      expect.stringMatching(/"OrderShipped" arrived on "private-orders\.1", but the binding there listens for "App\\Events\\OrderShipped".*Write event: '\.OrderShipped'/),
    ]);
    lease.release();
    c.dispose();
  });

  test('names as Laravel writes them warn about nothing', () => {
    const c = client();
    const seen = warnings(() => {
      for (const type of ['public', 'private', 'presence', 'encrypted'] as const) c.acquire({ channel: `App.Models.User.1`, type }).listen('.Ping', { handle: () => {} });
    });
    expect(seen).toEqual([]);
    c.dispose();
  });

  test('realtime off: the warning names the variable the key comes from (Vite or Next.js)', () => {
    const seen = warnings(() => {
      createRealtimeClient({ echo: echoConfigFromEnv('reverb', { NEXT_PUBLIC_REVERB_HOST: 'localhost' }) });
      createRealtimeClient({ echo: echoConfigFromEnv('pusher', { VITE_PUSHER_APP_CLUSTER: 'eu' }) });
      createRealtimeClient({ echo: { broadcaster: 'reverb', key: '' } });
    });
    expect(seen).toEqual([
      expect.stringContaining('the reverb options have no `key` (is NEXT_PUBLIC_REVERB_APP_KEY set'),
      expect.stringContaining('the pusher options have no `key` (is VITE_PUSHER_APP_KEY set'),
      expect.stringContaining('the reverb options have no `key` (is VITE_REVERB_APP_KEY set'),
    ]);
  });

  test('production builds stay quiet', () => {
    vi.stubEnv('NODE_ENV', 'production');
    const c = client();
    const seen = warnings(() => {
      c.acquire({ channel: 'private-quiet', type: 'private' }).listen('App\\Events\\Quiet', { handle: () => {} });
      createRealtimeClient({ echo: { broadcaster: 'reverb', key: '' } });
    });
    expect(seen).toEqual([]);
    c.dispose();
  });

  test('production builds report errors with a short message: the code, the channel and the cause', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const fake = createFakeEcho();
    fake.failAuth('private-admin');
    const errors: Error[] = [];
    const c = createRealtimeClient({ echo: fake.echo, onError: (e) => errors.push(e) });
    c.acquire({ channel: 'admin' });
    c.acquire({ channel: 'orders' }).listen('.X', { handle: () => {
      throw new Error('boom');
    } });
    await fake.flush();
    fake.emit('private-orders', '.X', {});
    expect(errors.map((e) => e.message)).toEqual(['auth private-admin HTTP 403', 'handler private-orders: boom']);
    c.dispose();
  });
});
