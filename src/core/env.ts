import type { EchoConfig } from './echo-instance';

/** The broadcasters `echoConfigFromEnv` knows the variables of, as Laravel's starter kits name them. */
export type EnvBroadcaster = 'reverb' | 'pusher' | 'socket.io' | 'ably';

/** A record of environment variables: Vite's `import.meta.env`, `process.env`, or your own. */
export type EnvRecord = Readonly<Record<string, string | boolean | undefined>>;

/**
 * Echo options from the environment, with the variable names and defaults of Laravel's starter
 * kits (`resources/js/echo.js`) and @laravel/echo-react's `configureEcho`:
 *
 * - `reverb`: `VITE_REVERB_APP_KEY`, `VITE_REVERB_HOST`, `VITE_REVERB_PORT` (ws 80 / wss 443),
 *   `VITE_REVERB_SCHEME` (`https` unless set: TLS on);
 * - `pusher`: `VITE_PUSHER_APP_KEY`, `VITE_PUSHER_APP_CLUSTER`, `VITE_PUSHER_HOST`, `VITE_PUSHER_PORT`,
 *   `VITE_PUSHER_SCHEME` (`https` unless set: TLS on);
 * - `socket.io`: `VITE_SOCKET_IO_HOST`;
 * - `ably`: `VITE_ABLY_PUBLIC_KEY`, through Ably's Pusher-protocol endpoint.
 *
 * An empty key keeps realtime off (every hook a no-op), and development builds say which variable
 * is missing. `overrides` wins over the environment: pass `Pusher` (the pusher-js default export)
 * there, and anything else Echo takes.
 *
 * ```ts
 * createRealtimeClient({ echo: echoConfigFromEnv('reverb', import.meta.env, { Pusher }) });
 * ```
 */
export function echoConfigFromEnv(broadcaster: EnvBroadcaster, env: EnvRecord, overrides: Partial<EchoConfig> = {}): EchoConfig {
  const read = (name: string) => {
    const value = env[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  let config: EchoConfig;
  switch (broadcaster) {
    case 'reverb':
      config = {
        broadcaster: 'reverb',
        key: read('VITE_REVERB_APP_KEY'),
        wsHost: read('VITE_REVERB_HOST'),
        wsPort: read('VITE_REVERB_PORT') ?? 80,
        wssPort: read('VITE_REVERB_PORT') ?? 443,
        forceTLS: (read('VITE_REVERB_SCHEME') ?? 'https') === 'https',
        enabledTransports: ['ws', 'wss'],
      };
      break;
    case 'pusher':
      config = {
        broadcaster: 'pusher',
        key: read('VITE_PUSHER_APP_KEY'),
        cluster: read('VITE_PUSHER_APP_CLUSTER'),
        // Laravel 9 / 10's bootstrap.js; a self-hosted server (Soketi) may be plain http.
        forceTLS: (read('VITE_PUSHER_SCHEME') ?? 'https') === 'https',
        ...(read('VITE_PUSHER_HOST') ? { wsHost: read('VITE_PUSHER_HOST'), wsPort: read('VITE_PUSHER_PORT'), wssPort: read('VITE_PUSHER_PORT') } : {}),
        enabledTransports: ['ws', 'wss'],
      };
      break;
    case 'socket.io':
      config = { broadcaster: 'socket.io', host: read('VITE_SOCKET_IO_HOST') };
      break;
    case 'ably':
      config = {
        broadcaster: 'pusher',
        key: read('VITE_ABLY_PUBLIC_KEY'),
        wsHost: 'realtime-pusher.ably.io',
        wsPort: 443,
        disableStats: true,
        encrypted: true,
      };
      break;
    default:
      throw new Error(`echoConfigFromEnv: unknown broadcaster ${JSON.stringify(broadcaster)}; use 'reverb', 'pusher', 'socket.io' or 'ably'.`);
  }
  // An empty key turns realtime off; the client says so (development builds), naming the variable.
  return { ...config, ...overrides };
}
