/**
 * docs/spa.md in Chromium: an SPA on one origin, the Laravel API (the stand-in) on another, real
 * laravel-echo + pusher-js, and the guide's own files (test/browser/spa/, each a block of the
 * guide verbatim). With the page's origin in config/cors.php's list, a private channel subscribes
 * (Bearer token, or Sanctum's SPA cookies) and a broadcast reaches the DOM; without it, the browser
 * blocks the auth request and the channel shows the error the guide's troubleshooting describes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { LaravelAppStub, type LaravelAppOptions } from '../server/laravel-app';
import { freePort } from '../server/processes';
import { PusherTestServer } from '../server/pusher-server';
import { bundlePage, launchChromium, problems, recordConsole, servePage, type ConsoleEntry } from './chromium';

const dir = join(import.meta.dirname, 'spa');
const users = { 'ann-token': { id: 1, name: 'Ann', email: 'ann@example.com' } };
let browser: Browser;
const running: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const s of running.splice(0).reverse()) await s.stop();
});

/**
 * The page bundled as Vite would build it: `import.meta.env` from `.env.local`, and for the cookie
 * variant the guide's `session.ts` / cookie `realtime.ts` where Order.tsx and the page import
 * `./api` / `./realtime`.
 */
async function bundle(env: Record<string, string>, cookies: boolean): Promise<string> {
  const swap: Plugin = {
    name: 'cookie-variant',
    setup(b) {
      b.onResolve({ filter: /^\.\/(api|realtime)$/ }, ({ path }) =>
        cookies ? { path: join(dir, path === './api' ? 'session.ts' : 'realtime-cookies.ts') } : undefined,
      );
    },
  };
  return bundlePage(join(dir, 'page.tsx'), { define: { 'import.meta.env': JSON.stringify(env) }, plugins: [swap] });
}

/** A free loopback port (the API's, which the bundle names before the app starts). */
/**
 * The Pusher server, the API (the stand-in) on its own port, and the page on another: three origins
 * as in production. `options` gets the page's origin, for config/cors.php and the stateful domains.
 */
async function stack(cookies: boolean, options: (page: string) => Partial<LaravelAppOptions>) {
  const server = await new PusherTestServer().start();
  running.push(server);
  const apiPort = await freePort();
  const env = {
    VITE_REVERB_APP_KEY: server.key,
    VITE_REVERB_HOST: server.host,
    VITE_REVERB_PORT: String(server.port),
    VITE_REVERB_SCHEME: 'http',
    VITE_API_URL: `http://127.0.0.1:${apiPort}`,
  };
  const site = await servePage(await bundle(env, cookies));
  running.push(site);
  const routes: LaravelAppOptions['routes'] = ({ path, user }) =>
    path === '/api/orders/1' ? (user ? { status: 200, body: { id: 1, status: 'paid' } } : { status: 401, body: { message: 'Unauthenticated.' } }) : undefined;
  const channels = [{ pattern: 'orders.{id}', authorize: () => true }];
  const app = await new LaravelAppStub({ server, users, channels, routes, port: apiPort, ...options(site.origin) }).start();
  running.push(app);
  return { server, app, origin: site.origin };
}

async function open(url: string, token?: string): Promise<{ page: Page; log: ConsoleEntry[] }> {
  const page = await browser.newPage();
  const log = recordConsole(page);
  if (token) await page.addInitScript((t) => localStorage.setItem('token', t), token);
  await page.goto(url);
  return { page, log };
}

test('the page files are the guide\'s blocks, verbatim', () => {
  const guide = readFileSync(join(import.meta.dirname, '../../docs/spa.md'), 'utf8');
  const blocks = [...guide.matchAll(/^```tsx?\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  const files = readdirSync(dir).filter((f) => /\.tsx?$/.test(f) && f !== 'page.tsx' && !f.endsWith('.d.ts'));
  expect(files.sort()).toEqual(['Order.tsx', 'api.ts', 'realtime-cookies.ts', 'realtime.ts', 'session.ts']);
  for (const file of files) expect(blocks, file).toContain(readFileSync(join(dir, file), 'utf8'));
});

describe('Sanctum API tokens (getToken)', () => {
  test("the page's origin allowed: the private channel subscribes and a broadcast reaches the DOM, console clean", async () => {
    const { app, origin } = await stack(false, (page) => ({ cors: { allowedOrigins: [page] } }));
    const { page, log } = await open(`${origin}/`, 'ann-token');
    await page.getByText('Order 1: paid').waitFor();
    await page.getByRole('status').getByText('subscribed').waitFor();
    expect(app.authLog).toMatchObject([{ channel: 'private-orders.1', token: 'ann-token', status: 200 }]);
    await app.broadcast('private-orders.1', 'OrderShipped', { id: 1, status: 'shipped' });
    await page.getByText('Order 1: shipped').waitFor();
    expect(problems(log)).toEqual([]);
  });

  test('the origin not in allowed_origins: Chromium blocks the auth request, the channel shows HTTP 0', async () => {
    const { app, origin } = await stack(false, () => ({ cors: { allowedOrigins: ['https://app.example.com'] } }));
    const { page, log } = await open(`${origin}/`, 'ann-token');
    await page.getByText('The auth request for "private-orders.1" got no answer (HTTP 0)', { exact: false }).waitFor();
    // CORS is the browser's doing: the preflight was refused, so the POST never reached the app,
    // which would have authorised it (a Node client, not bound by CORS, gets 200 from the same app).
    expect(app.authLog).toEqual([]);
    expect(problems(log).map((e) => e.text).join('\n')).toContain(`from origin '${origin}' has been blocked by CORS policy`);
    const direct = await fetch(app.authEndpoint, {
      method: 'POST',
      headers: { authorization: 'Bearer ann-token', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'socket_id=1.2&channel_name=private-orders.1',
    });
    expect(direct.status).toBe(200);
  });
});

describe("Sanctum's SPA cookies (a fetch authorizer with credentials and X-XSRF-TOKEN)", () => {
  test('stateful domain, supports_credentials: log in, subscribe with the session cookie, the broadcast reaches the DOM', async () => {
    const { app, origin } = await stack(true, (page) => ({
      cors: { allowedOrigins: [page], supportsCredentials: true },
      cookieSessions: { statefulDomains: [page.replace(/^https?:\/\//, '')] },
    }));
    const { page, log } = await open(`${origin}/?login=ann@example.com`);
    await page.getByText('Order 1: paid').waitFor();
    await page.getByRole('status').getByText('subscribed').waitFor();
    // No token: the session cookie made it Ann.
    expect(app.authLog).toMatchObject([{ channel: 'private-orders.1', token: null, status: 200 }]);
    await app.broadcast('private-orders.1', 'OrderShipped', { id: 1, status: 'shipped' });
    await page.getByText('Order 1: shipped').waitFor();
    expect(problems(log)).toEqual([]);
  });

  test("Laravel's default paths plus login: logged in, but the auth request is blocked: the handler's fetch fails", async () => {
    const { app, origin } = await stack(true, (page) => ({
      cors: { paths: ['api/*', 'sanctum/csrf-cookie', 'login'], allowedOrigins: [page], supportsCredentials: true },
      cookieSessions: { statefulDomains: [page.replace(/^https?:\/\//, '')] },
    }));
    const { page, log } = await open(`${origin}/?login=ann@example.com`);
    await page.getByText('Order 1: paid').waitFor();
    await page.getByText('Not authorised to join "private-orders.1" (Failed to fetch)').waitFor();
    expect(app.authLog).toEqual([]);
    expect(problems(log).map((e) => e.text).join('\n')).toContain('has been blocked by CORS policy');
  });
});
