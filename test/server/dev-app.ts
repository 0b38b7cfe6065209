/**
 * What `npm run dev:server` runs: the Pusher-protocol server and the Laravel stand-in with the
 * README's channels, users and orders API, and the text it prints so a new user knows what to put
 * in their app. Separate from dev.ts (the process: env, signals, exit codes) so tests can start it.
 */
import { CATCH_ALL, type AppUser, type ChannelRule } from './channel-rules';
import { portPrefix, PORT_VARIABLES, type DevSettings } from './dev-settings';
import { LaravelAppStub } from './laravel-app';
import { PusherTestServer, type TriggeredEvent } from './pusher-server';

const member = (user: AppUser) => ({ id: user.id, name: user.name });
const anyUser = () => true;

/** routes/channels.php of the dev app: the README's, the Storybook demos', and a dev-only catch-all. */
export const DEV_CHANNELS: ChannelRule[] = [
  { pattern: 'orders.{id}', authorize: anyUser, description: 'any user (the Quick Start)' },
  { pattern: 'App.Models.User.{id}', authorize: (user, { id }) => String(user.id) === id, description: 'only that user' },
  { pattern: 'presence.{room}', authorize: member, description: "presence: joins as ['id', 'name']" },
  { pattern: 'room.{id}', authorize: member, description: "presence: joins as ['id', 'name'] (Storybook: who is here)" },
  { pattern: 'admin.dashboard', authorize: () => false, description: 'nobody (Storybook: a refused channel)' },
  { pattern: 'booking.{reference}', authorize: anyUser, description: 'any user (Storybook)' },
  { pattern: 'servers.{id}.provision', authorize: anyUser, description: 'any user (Storybook)' },
  { pattern: 'App.Models.Post.{id}', authorize: anyUser, description: 'any user (Storybook)' },
  // Returns member info, so any presence room works too.
  { pattern: CATCH_ALL, authorize: member, description: 'any other name, private or presence: dev only, Laravel has no catch-all' },
];

/** The orders behind `GET /api/orders/{id}`, in memory. */
export class OrderStore {
  private readonly orders = new Map<string, Record<string, unknown>>();

  get(id: string): Record<string, unknown> {
    return this.orders.get(id) ?? { id: Number(id), status: 'paid' };
  }

  /** An event on `orders.{id}` carrying fields saves them, as a controller saves before it broadcasts. */
  follow(event: TriggeredEvent): void {
    const id = /^(?:private-|presence-)?orders\.([^.]+)$/.exec(event.channel)?.[1];
    if (id === undefined) return;
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (data && typeof data === 'object' && !Array.isArray(data)) this.orders.set(id, { ...this.get(id), ...data, id: Number(id) });
  }
}

/** A port the dev server could not listen on, with the one line that says what to do. */
export class PortError extends Error {}

/** Starts both servers on the settings' ports. Throws {@link PortError} for a busy or forbidden port. */
export async function startDevServers(settings: DevSettings, log: (line: string) => void) {
  const server = new PusherTestServer({ host: settings.host, port: settings.pusherPort, appId: settings.appId, key: settings.key, secret: settings.secret });
  await listen(() => server.start(), settings.pusherPort, PORT_VARIABLES.pusherPort);
  const orders = new OrderStore();
  server.onTriggered = (event) => orders.follow(event);
  const users = Object.fromEntries(Object.entries(settings.tokens).map(([token, user]) => [token, { ...user }]));
  const app = new LaravelAppStub({
    server,
    users,
    channels: DEV_CHANNELS,
    host: settings.host,
    port: settings.appPort,
    broadcastEndpoint: true,
    sessionUser: users[settings.sessionToken],
    encryptionMasterKeyBase64: settings.encryptionMasterKeyBase64,
    log,
    routes: ({ method, path }) => {
      const id = /^\/api\/orders\/([^/]+)$/.exec(path)?.[1];
      if (id === undefined) return undefined;
      return method === 'GET' ? { status: 200, body: orders.get(id) } : { status: 405, body: { message: 'Method Not Allowed' } };
    },
  });
  try {
    await listen(() => app.start(), settings.appPort, PORT_VARIABLES.appPort);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    server,
    app,
    orders,
    stop: async () => {
      await app.stop();
      await server.stop();
    },
  };
}

async function listen(start: () => Promise<unknown>, port: number, variable: string): Promise<void> {
  try {
    await start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const fix = `set ${variable}=<another port> (and the same for npm run trigger and npm run storybook)`;
    if (code === 'EADDRINUSE') throw new PortError(`Port ${port} is in use: ${fix}`);
    if (code === 'EACCES') throw new PortError(`Port ${port} needs privileges: ${fix}`);
    throw error;
  }
}

/** What dev:server prints at start: where things are, who you are, the rules, and what to put in a Vite app. */
export function devBanner(settings: DevSettings, channels: readonly ChannelRule[] = DEV_CHANNELS): string {
  const { host, pusherPort, appPort, appId, key, secret } = settings;
  const app = `http://${host}:${appPort}`;
  const env = portPrefix(settings);
  const session = settings.tokens[settings.sessionToken];
  const tokens = Object.entries(settings.tokens).map(([token, u]) => `${token} = ${u.name} (id ${u.id})`).join(', ');
  const width = Math.max(...channels.map((c) => c.pattern.length)) + 2;
  const rules = channels.map((c) => `  ${c.pattern.padEnd(width)}${c.description ?? ''}`.trimEnd()).join('\n');
  return `npm run dev:server: a Pusher-protocol server and a Laravel stand-in, for development only.

  WebSockets + Pusher HTTP API  ws://${host}:${pusherPort}  (app id ${appId}, key ${key}, secret ${secret})
  Laravel stand-in              ${app}  (POST /broadcasting/auth, GET /api/orders/{id})

Who you are: a request with no Authorization header is ${session.name} (id ${session.id}), as if logged in by
Laravel's session cookie. Bearer tokens: ${tokens}.

routes/channels.php (names without private- / presence-; public channels need no rule):
${rules}
  ({param} is one segment, as in Laravel: orders.{id} matches orders.1, not orders.1.items)

GET /api/orders/{id} answers { id, status: 'paid' } until an event on orders.{id} carries new
fields (as a controller saves before it broadcasts).

Your Vite app (the README's Quick Start):
  .env.local
    VITE_REVERB_APP_KEY=${key}
    VITE_REVERB_HOST=${host}
    VITE_REVERB_PORT=${pusherPort}
    VITE_REVERB_SCHEME=http

  vite.config.ts: Laravel serves /api and /broadcasting/auth on the page's origin, and so does
  this proxy (vite preview uses it too)
    import react from '@vitejs/plugin-react';
    import { defineConfig } from 'vite';

    export default defineConfig({
      plugins: [react()],
      server: { proxy: { '/api': '${app}', '/broadcasting': '${app}' } },
    });

  Or no proxy: in realtime.ts pass the endpoint (the stand-in answers CORS for any origin)
    echo: echoConfigFromEnv('reverb', import.meta.env, { Pusher, authEndpoint: '${app}/broadcasting/auth' }),
  and fetch('${app}/api/orders/1'). A separate SPA with Sanctum tokens (docs/spa.md): getToken: () => 'ann-token'.

Broadcast as Laravel does (another terminal, in this repository):
  ${env}npm run trigger -- orders.1 .OrderShipped '{"id":1,"status":"shipped"}'
A Laravel app can broadcast here too (.env): BROADCAST_CONNECTION=reverb REVERB_APP_ID=${appId}
  REVERB_APP_KEY=${key} REVERB_APP_SECRET=${secret} REVERB_HOST=${host} REVERB_PORT=${pusherPort} REVERB_SCHEME=http
Storybook: ${env}npm run storybook, then "Backend: npm run dev:server" in the toolbar.

Refused channels are logged below, with the reason. Ctrl-C to stop.`;
}
