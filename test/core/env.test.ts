import { expect, test, vi } from 'vitest';
import { createRealtimeClient, echoConfigFromEnv } from '../../src';
import { envKeyVariable } from '../../src/core/connection';
import type { EnvRecord } from '../../src/core/laravel';

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

// Next.js exposes to the browser only NEXT_PUBLIC_* variables: the same names with its prefix.
const withPrefix = (prefix: string, env: Record<string, string>): EnvRecord =>
  Object.fromEntries(Object.entries(env).map(([name, value]) => [prefix + name, value]));

test.each([
  ['reverb', { REVERB_APP_KEY: 'k', REVERB_HOST: 'ws.example.com', REVERB_PORT: '8080', REVERB_SCHEME: 'http' }],
  ['pusher', { PUSHER_APP_KEY: 'k', PUSHER_APP_CLUSTER: 'eu', PUSHER_HOST: 'soketi.test', PUSHER_PORT: '6001', PUSHER_SCHEME: 'http' }],
  ['socket.io', { SOCKET_IO_HOST: 'http://localhost:6001' }],
  ['ably', { ABLY_PUBLIC_KEY: 'pub' }],
] as const)('%s from NEXT_PUBLIC_* gives the options VITE_* gives', (broadcaster, env) => {
  const fromNext = echoConfigFromEnv(broadcaster, withPrefix('NEXT_PUBLIC_', env));
  expect(fromNext).toEqual(echoConfigFromEnv(broadcaster, withPrefix('VITE_', env)));
  expect(fromNext).not.toEqual(echoConfigFromEnv(broadcaster, {})); // read, not defaults
});

test('NEXT_PUBLIC_*: each variable read (host, port, scheme), and VITE_* wins when both are set', () => {
  expect(
    echoConfigFromEnv('reverb', {
      NEXT_PUBLIC_REVERB_APP_KEY: 'k',
      NEXT_PUBLIC_REVERB_HOST: 'localhost',
      NEXT_PUBLIC_REVERB_PORT: '8080',
      NEXT_PUBLIC_REVERB_SCHEME: 'http',
    }),
  ).toEqual({ broadcaster: 'reverb', key: 'k', wsHost: 'localhost', wsPort: '8080', wssPort: '8080', forceTLS: false, enabledTransports: ['ws', 'wss'] });
  expect(echoConfigFromEnv('pusher', { NEXT_PUBLIC_PUSHER_APP_KEY: 'k', NEXT_PUBLIC_PUSHER_HOST: 'soketi.test', NEXT_PUBLIC_PUSHER_PORT: '6001' })).toMatchObject({
    key: 'k',
    wsHost: 'soketi.test',
    wsPort: '6001',
  });
  expect(echoConfigFromEnv('reverb', { VITE_REVERB_APP_KEY: 'vite', NEXT_PUBLIC_REVERB_APP_KEY: 'next' }).key).toBe('vite');
  // An empty Vite value does not hide a Next one.
  expect(echoConfigFromEnv('reverb', { VITE_REVERB_APP_KEY: '', NEXT_PUBLIC_REVERB_APP_KEY: 'next' }).key).toBe('next');
});

test('the missing key is named as the environment names it: Next.js, Vite, or both when it cannot tell', () => {
  // What docs/nextjs.md writes: literal process.env.NEXT_PUBLIC_* accesses, undefined when unset.
  expect(envKeyVariable(echoConfigFromEnv('reverb', { NEXT_PUBLIC_REVERB_APP_KEY: undefined, NEXT_PUBLIC_REVERB_HOST: 'localhost' }))).toBe(
    'NEXT_PUBLIC_REVERB_APP_KEY',
  );
  expect(envKeyVariable(echoConfigFromEnv('pusher', { NEXT_PUBLIC_PUSHER_APP_CLUSTER: 'eu' }))).toBe('NEXT_PUBLIC_PUSHER_APP_KEY');
  expect(envKeyVariable(echoConfigFromEnv('ably', { NEXT_PUBLIC_ABLY_PUBLIC_KEY: '' }))).toBe('NEXT_PUBLIC_ABLY_PUBLIC_KEY');
  expect(envKeyVariable(echoConfigFromEnv('reverb', { VITE_REVERB_HOST: 'localhost' }))).toBe('VITE_REVERB_APP_KEY');
  // Vite's import.meta.env with no VITE_ variable at all still has BASE_URL.
  expect(envKeyVariable(echoConfigFromEnv('reverb', { BASE_URL: '/', MODE: 'development', DEV: true }))).toBe('VITE_REVERB_APP_KEY');
  // process.env in a Next.js browser bundle is empty: say both.
  expect(envKeyVariable(echoConfigFromEnv('reverb', {}))).toBe('VITE_REVERB_APP_KEY or NEXT_PUBLIC_REVERB_APP_KEY');
  // Overrides keep the mark; options not made here have none.
  expect(envKeyVariable(echoConfigFromEnv('reverb', { NEXT_PUBLIC_REVERB_HOST: 'h' }, { authEndpoint: '/auth' }))).toBe('NEXT_PUBLIC_REVERB_APP_KEY');
  expect(envKeyVariable({ broadcaster: 'reverb' })).toBeUndefined();
});
