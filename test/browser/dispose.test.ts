/**
 * dispose() and disconnect() in a real browser print nothing: pusher-js sends each frame on a
 * zero-delay timer, so an unsubscribe sent in the same tick as the close reached a closed
 * WebSocket ("WebSocket is already in CLOSING or CLOSED state", a console error in Chromium).
 * The page is the package from src/ with real laravel-echo and pusher-js, against the project's
 * Pusher-protocol server and Laravel stand-in; the server says which frames it saw.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { LaravelAppStub } from '../server/laravel-app';
import { PusherTestServer } from '../server/pusher-server';
import { bundlePage, hasChromium, launchChromium, problems, recordConsole, servePage, type ConsoleEntry, type PageServer } from './chromium';

type Driver = {
  create(): void;
  hold(channel: string, type: string): void;
  release(channel: string, type: string): void;
  channel(channel: string, type: string): string;
  status(): string;
  connect(): void;
  disconnect(): void;
  dispose(): void;
  turn(): Promise<void>;
};

type ProviderDriver = {
  reload(): void;
  mount(mounted: boolean): void;
  status(index: number): string;
  orders(): string;
  busy(inMs: number, forMs: number): void;
  turn(): Promise<void>;
};

const RULES = [{ pattern: 'orders.{id}', authorize: () => true }];
const until = { timeout: 10_000, interval: 20 };

/**
 * Per test: the Pusher-protocol server, the Laravel stand-in, and a Chromium page bundled from
 * `entry` that reaches them (their addresses in its query string), its console recorded.
 */
function pagePerTest<D>(entry: string) {
  let browser: Browser;
  let script: string;
  const t = {} as { server: PusherTestServer; app: LaravelAppStub; web: PageServer; page: Page; logged: ConsoleEntry[] };
  beforeAll(async () => {
    [browser, script] = await Promise.all([launchChromium(), bundlePage(new URL(entry, import.meta.url).pathname)]);
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    t.server = await new PusherTestServer().start();
    t.app = await new LaravelAppStub({ server: t.server, users: { 'ann-token': { id: 1, name: 'Ann' } }, channels: RULES }).start();
    t.web = await servePage(script);
    t.page = await browser.newPage();
    t.logged = recordConsole(t.page);
    await t.page.goto(`${t.web.origin}/?ws=${t.server.port}&auth=${encodeURIComponent(t.app.authEndpoint)}`);
  });
  afterEach(async () => {
    await t.page?.close();
    await Promise.all([t.web?.stop(), t.server?.stop(), t.app?.stop()]);
  });
  /** Runs `fn` in the page with its driver (`window.page`), and JSON arguments. */
  const run = <T, A extends unknown[] = []>(fn: (driver: D, ...args: A) => T, ...args: A) =>
    t.page.evaluate(`(${fn.toString()})(window.page, ...${JSON.stringify(args)})`) as Promise<Awaited<T>>;
  return Object.assign(t, { run });
}

describe.skipIf(!hasChromium)('dispose() and disconnect() in Chromium', () => {
  const t = pagePerTest<Driver>('./dispose/page.ts');
  const { run } = t;
  beforeEach(() => run((d) => d.create()));
  const hold = (channel: string, type: string) => run((d, c, tp) => d.hold(c, tp), channel, type);
  const release = (channel: string, type: string) => run((d, c, tp) => d.release(c, tp), channel, type);
  const channelStatus = (channel: string, type: string) => run((d, c, tp) => d.channel(c, tp), channel, type);

  /** Waits until the page's client and the server agree that these channels are subscribed. */
  async function subscribed(channels: [name: string, type: string, wire: string][]) {
    await vi.waitFor(async () => {
      for (const [name, type, wire] of channels) {
        expect(await channelStatus(name, type)).toBe('subscribed');
        expect(t.server.subscribers(wire)).toHaveLength(1);
      }
    }, until);
  }

  /** Waits until the server has no connection left, then lets the page run what it had deferred. */
  async function closed() {
    await vi.waitFor(() => expect(t.server.connectionCount).toBe(0), until);
    await run((d) => d.turn());
    await run((d) => d.turn());
  }

  test('dispose() with a public channel held and a private one in its grace period: a clean console, the socket closed, nothing left on the server', async () => {
    await hold('news', 'public');
    await hold('orders.1', 'private');
    await subscribed([
      ['news', 'public', 'news'],
      ['orders.1', 'private', 'private-orders.1'],
    ]);
    await release('orders.1', 'private'); // within its 1 s grace period: still subscribed
    expect(t.server.subscribers('private-orders.1')).toHaveLength(1);

    await run((d) => d.dispose());
    await closed();

    expect(problems(t.logged)).toEqual([]);
    expect(await run((d) => d.status())).toBe('idle');
    expect(t.server.subscribers('news')).toEqual([]);
    expect(t.server.subscribers('private-orders.1')).toEqual([]);
    expect(t.server.frameCount('pusher:subscribe', 'news')).toBe(1);
    expect(t.server.frameCount('pusher:subscribe', 'private-orders.1')).toBe(1);
    expect(t.app.authLog.map((r) => r.status)).toEqual([200]);
  });

  test('disconnect(), connect(), disconnect(): a clean console; held channels re-join once, a released one never', async () => {
    await hold('news', 'public');
    await hold('orders.1', 'private');
    await hold('orders.2', 'private');
    await subscribed([
      ['news', 'public', 'news'],
      ['orders.1', 'private', 'private-orders.1'],
      ['orders.2', 'private', 'private-orders.2'],
    ]);
    await release('orders.2', 'private'); // in its grace period when the socket closes

    await run((d) => d.disconnect());
    await closed();
    expect(await run((d) => d.status())).toBe('disconnected');
    expect(problems(t.logged)).toEqual([]);

    await run((d) => d.connect());
    await subscribed([
      ['news', 'public', 'news'],
      ['orders.1', 'private', 'private-orders.1'],
    ]);
    expect(await run((d) => d.status())).toBe('connected');
    expect(t.server.connectionCount).toBe(1);
    // One subscribe per connection for each held channel; the released one is not joined again.
    expect(t.server.frameCount('pusher:subscribe', 'news')).toBe(2);
    expect(t.server.frameCount('pusher:subscribe', 'private-orders.1')).toBe(2);
    expect(t.server.frameCount('pusher:subscribe', 'private-orders.2')).toBe(1);
    expect(t.server.subscribers('private-orders.2')).toEqual([]);

    await run((d) => d.disconnect());
    await closed();
    expect(problems(t.logged)).toEqual([]);
    for (const wire of ['news', 'private-orders.1', 'private-orders.2']) expect(t.server.subscribers(wire)).toEqual([]);
    expect(t.app.authLog.map((r) => r.channel)).toEqual(['private-orders.1', 'private-orders.2', 'private-orders.1']);

    // Still usable: the channels held throughout join again once more.
    await run((d) => d.connect());
    await subscribed([
      ['news', 'public', 'news'],
      ['orders.1', 'private', 'private-orders.1'],
    ]);
    expect(t.server.frameCount('pusher:subscribe', 'news')).toBe(3);
    await run((d) => d.dispose());
    await closed();
    expect(problems(t.logged)).toEqual([]);
  });
});

/**
 * RealtimeProvider closes the socket of a client no provider shows any more, after its grace
 * period: fast refresh re-running realtime.ts leaves no socket behind, and the close waits for the
 * frames pusher-js deferred (the old client's channels are left in the same instant).
 */
describe.skipIf(!hasChromium)('RealtimeProvider in Chromium: a replaced or unmounted client closes its socket', () => {
  const t = pagePerTest<ProviderDriver>('./provider/page.tsx');
  const { run } = t;

  /** Waits until the page shows the channel subscribed and the server has `sockets` connections, each channel subscribed once. */
  async function settled(sockets: number) {
    await vi.waitFor(async () => {
      expect(await run((d) => d.orders())).toBe('subscribed');
      expect(t.server.connectionCount).toBe(sockets);
      for (const wire of ['news', 'private-orders.1']) expect(t.server.subscribers(wire)).toHaveLength(1);
    }, until);
  }

  test('StrictMode costs nothing; a hot-reloaded client replaces the old one, whose socket closes after the grace period; unmount and mount again', async () => {
    const { server, app } = t;
    await settled(1);
    // StrictMode mounted, unmounted and mounted again: one socket, one subscribe and auth each.
    expect(server.frameCount('pusher:subscribe', 'news')).toBe(1);
    expect(app.authLog).toHaveLength(1);
    const first = server.subscribers('news')[0];

    await run((d) => d.reload());
    await vi.waitFor(async () => expect(await run((d) => d.status(0))).toBe('disconnected'), until);
    await settled(1);
    await run((d) => d.turn());
    expect(server.subscribers('news')).not.toEqual([first]); // the new client's socket
    expect(await run((d) => d.status(1))).toBe('connected');
    // The old client left its channels before its socket closed, and nothing after.
    expect(server.frameCount('pusher:unsubscribe', 'news')).toBe(1);
    expect(server.frameCount('pusher:unsubscribe', 'private-orders.1')).toBe(1);
    expect(problems(t.logged)).toEqual([]);

    // The whole realtime part unmounted (the provider's cleanup runs before its hooks' then), with
    // the main thread busy when the grace periods end: the timers due then run late, one after
    // the other, and the socket still closes only after the channels' unsubscribe frames went.
    await run((d) => {
      d.busy(900, 250);
      d.mount(false);
    });
    await vi.waitFor(async () => expect(await run((d) => d.status(1))).toBe('disconnected'), until);
    await vi.waitFor(() => expect(server.connectionCount).toBe(0), until);
    await run((d) => d.turn());
    expect(problems(t.logged)).toEqual([]);
    expect(server.frameCount('pusher:unsubscribe', 'news')).toBe(2);
    for (const wire of ['news', 'private-orders.1']) expect(server.subscribers(wire)).toEqual([]);

    // Mounted again: the same client reconnects and joins its channels again.
    await run((d) => d.mount(true));
    await settled(1);
    expect(await run((d) => d.status(1))).toBe('connected');
    expect(server.frameCount('pusher:subscribe', 'news')).toBe(3);
    await run((d) => d.turn());
    expect(problems(t.logged)).toEqual([]);
  });
});
