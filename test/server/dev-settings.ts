/**
 * The settings `npm run dev:server`, `npm run trigger` and Storybook's "dev:server" backend share:
 * ports (from `PUSHER_PORT` / `APP_PORT`), the Pusher app's id, key and secret, and the users. One
 * place, so a changed port is changed for all three. No Node APIs here: Storybook's page imports it.
 */

/** A user of the dev app (a Laravel `User`); `email` / `password` log in with cookies. */
export interface DevUser {
  id: number;
  name: string;
  email: string;
}

export interface DevSettings {
  /** Loopback only: this is a development server with a published secret. */
  host: string;
  /** The Pusher-protocol server: WebSockets and the Pusher HTTP API (`PUSHER_PORT`, 6001). */
  pusherPort: number;
  /** The Laravel stand-in: `/broadcasting/auth`, `/api/...` (`APP_PORT`, 6002). */
  appPort: number;
  appId: string;
  key: string;
  secret: string;
  /** For `private-encrypted-` channels (base64 of 32 bytes), as `PUSHER_ENCRYPTION_MASTER_KEY_BASE64`. */
  encryptionMasterKeyBase64: string;
  /** Bearer token -> user (Sanctum API tokens). */
  tokens: Record<string, DevUser>;
  /** Who a request without an Authorization header is: logged in by the session cookie. */
  sessionToken: string;
  /** The password of every dev user (cookie login). */
  password: string;
}

export const DEFAULT_PUSHER_PORT = 6001;
export const DEFAULT_APP_PORT = 6002;

/** The environment variables each port is read from, for messages that say how to change it. */
export const PORT_VARIABLES = { pusherPort: 'PUSHER_PORT', appPort: 'APP_PORT' } as const;

type Env = Readonly<Record<string, string | undefined>>;

/** The dev settings, ports read from `env` (`process.env` in Node). Throws one clear sentence on a bad port. */
export function devSettings(env: Env = {}): DevSettings {
  return {
    host: '127.0.0.1',
    pusherPort: port(env, PORT_VARIABLES.pusherPort, DEFAULT_PUSHER_PORT),
    appPort: port(env, PORT_VARIABLES.appPort, DEFAULT_APP_PORT),
    appId: '1',
    key: 'app-key',
    secret: 'app-secret',
    encryptionMasterKeyBase64: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=',
    tokens: {
      'ann-token': { id: 1, name: 'Ann', email: 'ann@example.com' },
      'bob-token': { id: 2, name: 'Bob', email: 'bob@example.com' },
    },
    sessionToken: 'ann-token',
    password: 'password',
  };
}

function port(env: Env, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a port number from 1 to 65535 (got ${JSON.stringify(text)})`);
  }
  return value;
}

/** `PUSHER_PORT=7001 APP_PORT=7002 ` when the ports are not the defaults: what to put before other commands. */
export function portPrefix(settings: Pick<DevSettings, 'pusherPort' | 'appPort'>): string {
  const parts: string[] = [];
  if (settings.pusherPort !== DEFAULT_PUSHER_PORT) parts.push(`${PORT_VARIABLES.pusherPort}=${settings.pusherPort}`);
  if (settings.appPort !== DEFAULT_APP_PORT) parts.push(`${PORT_VARIABLES.appPort}=${settings.appPort}`);
  return parts.length ? `${parts.join(' ')} ` : '';
}
