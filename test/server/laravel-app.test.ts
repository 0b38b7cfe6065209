// The Laravel stand-in over HTTP: who a request is (Bearer token, dev session user, Sanctum SPA
// cookie), the one log line a refused channel prints, and config/cors.php's headers.
import { afterEach, describe, expect, test } from 'vitest';
import type { ChannelRule } from './channel-rules';
import { LaravelAppStub, type LaravelAppOptions } from './laravel-app';
import { PusherTestServer } from './pusher-server';

const users = { 'ann-token': { id: 1, name: 'Ann', email: 'ann@example.com' }, 'bob-token': { id: 2, name: 'Bob', email: 'bob@example.com' } };
const channels: ChannelRule[] = [
  { pattern: 'room.{id}', authorize: (user) => ({ id: user.id, name: user.name }) },
  { pattern: 'orders.{id}', authorize: () => true },
  { pattern: 'admin.dashboard', authorize: () => false },
];
const running: { stop(): Promise<void> }[] = [];

afterEach(async () => {
  for (const s of running.splice(0).reverse()) await s.stop();
});

async function start(options: Partial<LaravelAppOptions> = {}) {
  const server = await new PusherTestServer().start();
  running.push(server);
  const log: string[] = [];
  const app = await new LaravelAppStub({ server, users, channels, log: (line) => log.push(line), ...options }).start();
  running.push(app);
  const base = `http://${app.host}:${app.port}`;
  const auth = (channel: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/broadcasting/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: `socket_id=1.2&channel_name=${channel}`,
    });
  /** The presence member an auth answer signs for: who the stand-in took the request for. */
  const member = async (headers: Record<string, string> = {}) => {
    const response = await auth('presence-room.1', headers);
    if (response.status !== 200) return response.status;
    return (JSON.parse(((await response.json()) as { channel_data: string }).channel_data) as { user_info: unknown }).user_info;
  };
  return { app, base, log, auth, member };
}

describe('who a request is', () => {
  test('no Authorization header: a guest (403) by default, the session user with sessionUser; a Bearer token is its own user either way', async () => {
    const plain = await start();
    expect(await plain.member()).toBe(403);
    expect(await plain.member({ authorization: 'Bearer bob-token' })).toEqual({ id: 2, name: 'Bob' });

    const session = await start({ sessionUser: users['ann-token'] });
    expect(await session.member()).toEqual({ id: 1, name: 'Ann' });
    expect(await session.member({ authorization: 'Bearer bob-token' })).toEqual({ id: 2, name: 'Bob' });
    // A token the app does not know is a guest, not the session user.
    expect(await session.member({ authorization: 'Bearer stale-token' })).toBe(403);
  });

  test("the app's routes get the same user", async () => {
    const seen: unknown[] = [];
    const { base } = await start({
      sessionUser: users['ann-token'],
      routes: ({ path, user }) => (path === '/api/me' ? (seen.push(user?.name), { status: 200, body: user }) : undefined),
    });
    expect(await (await fetch(`${base}/api/me`)).json()).toMatchObject({ id: 1 });
    expect(await (await fetch(`${base}/api/me`, { headers: { authorization: 'Bearer bob-token' } })).json()).toMatchObject({ id: 2 });
    expect((await fetch(`${base}/api/other`)).status).toBe(404);
    expect(seen).toEqual(['Ann', 'Bob']);
  });
});

test('a refused channel logs one line with the channel and why: no user, no rule, the rule said no', async () => {
  const { auth, log } = await start();
  expect((await auth('private-orders.1')).status).toBe(403);
  expect((await auth('private-orders.1.items', { authorization: 'Bearer ann-token' })).status).toBe(403);
  expect((await auth('private-admin.dashboard', { authorization: 'Bearer ann-token' })).status).toBe(403);
  expect((await auth('private-orders.1', { authorization: 'Bearer ann-token' })).status).toBe(200);
  expect(log).toEqual([
    'Refused private-orders.1 (403): no user: no Authorization header (tokens: ann-token, bob-token)',
    'Refused private-orders.1.items (403): no rule in routes/channels.php matches "orders.1.items"',
    'Refused private-admin.dashboard (403): the rule "admin.dashboard" returned false for Ann (id 1)',
  ]);
});

describe('config/cors.php', () => {
  const preflight = (base: string, origin: string) =>
    fetch(`${base}/broadcasting/auth`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });

  test('by default any origin, no credentials: Access-Control-Allow-Origin *', async () => {
    const { base } = await start();
    const response = await preflight(base, 'http://spa.test:5173');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  test('allowed origins with credentials: the allowed origin echoed with Allow-Credentials, another origin gets nothing', async () => {
    const { base, auth } = await start({ cors: { allowedOrigins: ['http://spa.test:5173', 'http://admin.test'], supportsCredentials: true } });
    const allowed = await preflight(base, 'http://spa.test:5173');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://spa.test:5173');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect((await preflight(base, 'http://evil.test')).headers.get('access-control-allow-origin')).toBeNull();
    // The request itself still runs (CORS is the browser's check): only the header is missing.
    const refused = await auth('private-orders.1', { authorization: 'Bearer ann-token', origin: 'http://evil.test' });
    expect(refused.status).toBe(200);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  test("paths: Laravel's default ['api/*', 'sanctum/csrf-cookie'] leaves broadcasting/auth without CORS", async () => {
    const { base } = await start({ cors: { paths: ['api/*', 'sanctum/csrf-cookie'] } });
    expect((await preflight(base, 'http://spa.test')).headers.get('access-control-allow-origin')).toBeNull();
    const api = await fetch(`${base}/api/orders/1`, { headers: { origin: 'http://spa.test' } });
    expect(api.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe("Sanctum's SPA cookies", () => {
  const spa = 'http://127.0.0.1:5173';
  const options = { cookieSessions: { statefulDomains: ['127.0.0.1:5173'] }, cors: { allowedOrigins: [spa], supportsCredentials: true } };

  /** csrf-cookie then login, as the SPA does: the cookies and the XSRF token to send back. */
  async function login(base: string) {
    const jar = new Map<string, string>();
    const keep = (response: Response) => {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const [name, value] = pair.split('=');
        jar.set(name, value);
      }
    };
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    keep(await fetch(`${base}/sanctum/csrf-cookie`, { headers: { origin: spa } }));
    expect([...jar.keys()].sort()).toEqual(['XSRF-TOKEN', 'laravel_session']);
    const loggedIn = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { origin: spa, cookie: cookie(), 'x-xsrf-token': jar.get('XSRF-TOKEN')!, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bob@example.com', password: 'password' }),
    });
    expect(loggedIn.status).toBe(204);
    keep(loggedIn);
    return { cookie: cookie(), xsrf: jar.get('XSRF-TOKEN')! };
  }

  test('after csrf-cookie and login, the session cookie with X-XSRF-TOKEN is the user; without the token 419', async () => {
    const { base, member, log } = await start(options);
    const { cookie, xsrf } = await login(base);
    expect(await member({ origin: spa, cookie, 'x-xsrf-token': xsrf })).toEqual({ id: 2, name: 'Bob' });
    expect(await member({ origin: spa, cookie })).toBe(419);
    expect(log).toEqual(['Refused presence-room.1 (419): CSRF token mismatch.']);
  });

  test('a login without the XSRF token is refused (419), and the cookie from another origin than a stateful domain is no user', async () => {
    const { base, member, log } = await start(options);
    await fetch(`${base}/sanctum/csrf-cookie`);
    const noToken = await fetch(`${base}/login`, { method: 'POST', headers: { origin: spa }, body: '{}' });
    expect(noToken.status).toBe(419);
    const { cookie, xsrf } = await login(base);
    expect(await member({ origin: 'http://elsewhere.test', cookie, 'x-xsrf-token': xsrf })).toBe(403);
    expect(log).toEqual([expect.stringContaining('the session cookie came from elsewhere.test, not a stateful domain')]);
  });
});
