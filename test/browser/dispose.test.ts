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

const RULES = [{ pattern: 'orders.{id}', authorize: () => true }];

describe.skipIf(!hasChromium)('dispose() and disconnect() in Chromium', () => {
  let browser: Browser;
  let script: string;
  let server: PusherTestServer;
  let app: LaravelAppStub;
  let web: PageServer;
  let page: Page;
  let logged: ConsoleEntry[];

  beforeAll(async () => {
    [browser, script] = await Promise.all([launchChromium(), bundlePage(new URL('./dispose/page.ts', import.meta.url).pathname)]);
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    server = await new PusherTestServer().start();
    app = await new LaravelAppStub({ server, users: { 'ann-token': { id: 1, name: 'Ann' } }, channels: RULES }).start();
    web = await servePage(script);
    page = await browser.newPage();
    logged = recordConsole(page);
    await page.goto(`${web.origin}/?ws=${server.port}&auth=${encodeURIComponent(app.authEndpoint)}`);
    await run((d) => d.create());
  });
  afterEach(async () => {
    await page?.close();
    await Promise.all([web?.stop(), server?.stop(), app?.stop()]);
  });

  /** Runs `fn` in the page with its driver (`window.page`), and JSON arguments. */
  const run = <T, A extends unknown[] = []>(fn: (driver: Driver, ...args: A) => T, ...args: A) =>
    page.evaluate(`(${fn.toString()})(window.page, ...${JSON.stringify(args)})`) as Promise<Awaited<T>>;
  const hold = (channel: string, type: string) => run((d, c, t) => d.hold(c, t), channel, type);
  const release = (channel: string, type: string) => run((d, c, t) => d.release(c, t), channel, type);
  const channelStatus = (channel: string, type: string) => run((d, c, t) => d.channel(c, t), channel, type);

  /** Waits until the page's client and the server agree that these channels are subscribed. */
  async function subscribed(channels: [name: string, type: string, wire: string][]) {
    await vi.waitFor(
      async () => {
        for (const [name, type, wire] of channels) {
          expect(await channelStatus(name, type)).toBe('subscribed');
          expect(server.subscribers(wire)).toHaveLength(1);
        }
      },
      { timeout: 10_000, interval: 20 },
    );
  }

  /** Waits until the server has no connection left, then lets the page run what it had deferred. */
  async function closed() {
    await vi.waitFor(() => expect(server.connectionCount).toBe(0), { timeout: 10_000, interval: 20 });
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
    expect(server.subscribers('private-orders.1')).toHaveLength(1);

    await run((d) => d.dispose());
    await closed();

    expect(problems(logged)).toEqual([]);
    expect(await run((d) => d.status())).toBe('idle');
    expect(server.subscribers('news')).toEqual([]);
    expect(server.subscribers('private-orders.1')).toEqual([]);
    expect(server.frameCount('pusher:subscribe', 'news')).toBe(1);
    expect(server.frameCount('pusher:subscribe', 'private-orders.1')).toBe(1);
    expect(app.authLog.map((r) => r.status)).toEqual([200]);
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
    expect(problems(logged)).toEqual([]);

    await run((d) => d.connect());
    await subscribed([
      ['news', 'public', 'news'],
      ['orders.1', 'private', 'private-orders.1'],
    ]);
    expect(await run((d) => d.status())).toBe('connected');
    expect(server.connectionCount).toBe(1);
    // One subscribe per connection for each held channel; the released one is not joined again.
    expect(server.frameCount('pusher:subscribe', 'news')).toBe(2);
    expect(server.frameCount('pusher:subscribe', 'private-orders.1')).toBe(2);
    expect(server.frameCount('pusher:subscribe', 'private-orders.2')).toBe(1);
    expect(server.subscribers('private-orders.2')).toEqual([]);

    await run((d) => d.disconnect());
    await closed();
    expect(problems(logged)).toEqual([]);
    for (const wire of ['news', 'private-orders.1', 'private-orders.2']) expect(server.subscribers(wire)).toEqual([]);
    expect(app.authLog.map((r) => r.channel)).toEqual(['private-orders.1', 'private-orders.2', 'private-orders.1']);

    // Still usable: the channels held throughout join again once more.
    await run((d) => d.connect());
    await subscribed([
      ['news', 'public', 'news'],
      ['orders.1', 'private', 'private-orders.1'],
    ]);
    expect(server.frameCount('pusher:subscribe', 'news')).toBe(3);
    await run((d) => d.dispose());
    await closed();
    expect(problems(logged)).toEqual([]);
  });
});
