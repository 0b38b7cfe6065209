import { expect, test, vi } from 'vitest';
import { createRealtimeClient, echoConfigFromEnv } from '../../src';

// The variable names and defaults of Laravel's starter kits (resources/js/echo.js) and echo-react.
test('reverb from VITE_REVERB_*: ports 80 / 443 by default, TLS unless the scheme is http', () => {
  expect(echoConfigFromEnv('reverb', { VITE_REVERB_APP_KEY: 'k', VITE_REVERB_HOST: 'localhost', VITE_REVERB_SCHEME: 'http' })).toEqual({
    broadcaster: 'reverb',
    key: 'k',
    wsHost: 'localhost',
    wsPort: 80,
    wssPort: 443,
    forceTLS: false,
    enabledTransports: ['ws', 'wss'],
  });
  expect(echoConfigFromEnv('reverb', { VITE_REVERB_APP_KEY: 'k', VITE_REVERB_PORT: '8080' })).toMatchObject({ wsPort: '8080', wssPort: '8080', forceTLS: true });
});

test('pusher, socket.io and ably; overrides win', () => {
  const Pusher = class {};
  expect(echoConfigFromEnv('pusher', { VITE_PUSHER_APP_KEY: 'k', VITE_PUSHER_APP_CLUSTER: 'eu' }, { Pusher })).toEqual({
    broadcaster: 'pusher',
    key: 'k',
    cluster: 'eu',
    forceTLS: true,
    enabledTransports: ['ws', 'wss'],
    Pusher,
  });
  expect(echoConfigFromEnv('pusher', { VITE_PUSHER_APP_KEY: 'k', VITE_PUSHER_HOST: 'soketi.test', VITE_PUSHER_PORT: '6001' })).toMatchObject({
    wsHost: 'soketi.test',
    wsPort: '6001',
    wssPort: '6001',
  });
  expect(echoConfigFromEnv('pusher', { VITE_PUSHER_APP_KEY: 'k', VITE_PUSHER_SCHEME: 'http' }).forceTLS).toBe(false); // Soketi on http
  expect(echoConfigFromEnv('socket.io', { VITE_SOCKET_IO_HOST: 'http://localhost:6001' })).toEqual({ broadcaster: 'socket.io', host: 'http://localhost:6001' });
  expect(echoConfigFromEnv('ably', { VITE_ABLY_PUBLIC_KEY: 'pub' })).toEqual({
    broadcaster: 'pusher',
    key: 'pub',
    wsHost: 'realtime-pusher.ably.io',
    wsPort: 443,
    disableStats: true,
    encrypted: true,
  });
  expect(() => echoConfigFromEnv('kafka' as never, {})).toThrow(/unknown broadcaster "kafka"/);
});

test('an empty key keeps realtime off, and development builds name the variable', () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const client = createRealtimeClient({ echo: echoConfigFromEnv('ably', { VITE_ABLY_PUBLIC_KEY: ' ' }) });
  expect(client.enabled).toBe(false);
  expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/VITE_ABLY_PUBLIC_KEY/);
});
