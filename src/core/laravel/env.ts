import { keyVariables, type EchoConfig } from '../connection';

/** The broadcasters `echoConfigFromEnv` knows the variables of, as Laravel's starter kits name them. */
export type EnvBroadcaster = 'reverb' | 'pusher' | 'socket.io' | 'ably';

/** A record of environment variables: Vite's `import.meta.env`, `process.env`, or your own. */
export type EnvRecord = Readonly<Record<string, string | boolean | undefined>>;

/** The prefixes a bundler exposes to browser code with: Vite's, then Next.js's. */
const PREFIXES = ['VITE_', 'NEXT_PUBLIC_'] as const;

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
 * Each is read with Next.js's prefix too (`NEXT_PUBLIC_REVERB_APP_KEY`, ...; `VITE_` wins when both
 * are set). Next.js puts in the browser bundle only the literal `process.env.NEXT_PUBLIC_...` accesses,
 * so pass an object written with them, not `process.env` (see docs/nextjs.md).
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
    for (const prefix of PREFIXES) {
      const value = env[prefix + name];
      if (typeof value === 'string' && value.trim() !== '') return value.trim();
    }
    return undefined;
  };
  let config: EchoConfig;
  let key: string;
  switch (broadcaster) {
    case 'reverb':
      key = 'REVERB_APP_KEY';
      config = {
        broadcaster: 'reverb',
        key: read(key),
        wsHost: read('REVERB_HOST'),
        wsPort: read('REVERB_PORT') ?? 80,
        wssPort: read('REVERB_PORT') ?? 443,
        forceTLS: (read('REVERB_SCHEME') ?? 'https') === 'https',
        enabledTransports: ['ws', 'wss'],
      };
      break;
    case 'pusher':
      key = 'PUSHER_APP_KEY';
      config = {
        broadcaster: 'pusher',
        key: read(key),
        cluster: read('PUSHER_APP_CLUSTER'),
        // Laravel 9 / 10's bootstrap.js; a self-hosted server (Soketi) may be plain http.
        forceTLS: (read('PUSHER_SCHEME') ?? 'https') === 'https',
        ...(read('PUSHER_HOST') ? { wsHost: read('PUSHER_HOST'), wsPort: read('PUSHER_PORT'), wssPort: read('PUSHER_PORT') } : {}),
        enabledTransports: ['ws', 'wss'],
      };
      break;
    case 'socket.io':
      key = 'SOCKET_IO_HOST';
      // Wrapped by the app in socketIo() (echo-react-query/socket.io), which brings socket.io's handling.
      config = { broadcaster: 'socket.io', host: read(key) };
      break;
    case 'ably':
      key = 'ABLY_PUBLIC_KEY';
      config = {
        broadcaster: 'pusher',
        key: read(key),
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
  const result = { ...config, ...overrides };
  if (process.env.NODE_ENV !== 'production') keyVariables.set(result, keyVariableName(key, env));
  return result;
}

/**
 * The variable a missing key should have come from, in the naming of the environment given:
 * Next.js's when it holds `NEXT_PUBLIC_` variables, Vite's when it holds `VITE_` ones or is Vite's
 * `import.meta.env` (which always has `BASE_URL`), else both names.
 */
function keyVariableName(name: string, env: EnvRecord): string {
  const names = Object.keys(env);
  if (names.some((n) => n.startsWith('NEXT_PUBLIC_'))) return `NEXT_PUBLIC_${name}`;
  if (names.some((n) => n.startsWith('VITE_')) || 'BASE_URL' in env) return `VITE_${name}`;
  return `VITE_${name} or NEXT_PUBLIC_${name}`;
}
