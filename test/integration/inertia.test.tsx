// echo-react-query/inertia with the real @inertiajs/react router against the Laravel stand-in
// speaking Inertia's protocol (test/server/inertia.ts), over real WebSockets: seed 002's
// provisioning page, whose steps arrive as `.ServerProvisionUpdated` on `servers.{id}.provision`.
import { App, router } from '@inertiajs/react';
import { act, cleanup, render, waitFor, type RenderResult } from '@testing-library/react';
import { JSDOM } from 'jsdom';
import Pusher from 'pusher-js';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';

// jsdom's performance has no navigation entries, which Inertia reads when it loads.
vi.hoisted(() => {
  const performance = (globalThis as { window?: { performance?: { getEntriesByType?: unknown } } }).window?.performance;
  if (performance && typeof performance.getEntriesByType !== 'function') performance.getEntriesByType = () => [];
});
import { useRealtimeGlobalSubscriber } from '../../src';
import { createRealtimeClient, RealtimeProvider, useRealtimeReload, type RealtimeClient, type RealtimeError } from '../../src/inertia';
import { InertiaServer } from '../server/inertia';
import { LaravelAppStub } from '../server/laravel-app';
import { PusherTestServer } from '../server/pusher-server';
import { RULES, USERS } from './stack';

/** The server's state: the provisioning step, and an activity log shown by another component. */
const db = { step: 0, activity: 0, slowReloadMs: 0 };

function ServerShow({ server, activity }: { server: { id: number; step: number }; activity: number }) {
  return (
    <>
      <Steps id={server.id} />
      <Activity id={server.id} />
      <p data-testid="page">{`step ${server.step}, activity ${activity}`}</p>
    </>
  );
}
/** The provisioning steps: seed 002's page, reloading its `server` prop. */
function Steps({ id }: { id: number }) {
  useRealtimeReload({ channel: `servers.${id}.provision`, event: '.ServerProvisionUpdated', only: ['server'] });
  return null;
}
/** Another component on the same page and event, reloading another prop. */
function Activity({ id }: { id: number }) {
  useRealtimeReload({ channel: `servers.${id}.provision`, event: '.ServerProvisionUpdated', only: ['activity'] });
  return null;
}
function ServerIndex({ activity }: { activity: number }) {
  return <p data-testid="page">{`index, activity ${activity}`}</p>;
}
/** A page reloading every prop but one. */
function ServerLog({ server, activity }: { server: { step: number }; activity: number }) {
  useRealtimeReload({ channel: 'servers.1.provision', event: '.ServerProvisionUpdated', except: ['activity'] });
  return <p data-testid="page">{`log: step ${server.step}, activity ${activity}`}</p>;
}
/** An app-wide rule, mounted once beside the pages. */
function Rules() {
  useRealtimeGlobalSubscriber({ bindings: [{ channel: 'servers.1.provision', event: '.ServerProvisionUpdated', reload: { only: ['activity'] } }] });
  return null;
}
const components: Record<string, (props: never) => React.ReactNode> = { 'Servers/Show': ServerShow, 'Servers/Index': ServerIndex, 'Servers/Log': ServerLog };

let server: PusherTestServer;
let app: LaravelAppStub;
let inertia: InertiaServer;
let client: RealtimeClient;
const errors: RealtimeError[] = [];
const saved: Record<string, unknown> = {};

beforeEach(async () => {
  Object.assign(db, { step: 0, activity: 0, slowReloadMs: 0 });
  server = await new PusherTestServer().start();
  inertia = new InertiaServer({
    '/servers/1': () => ({ component: 'Servers/Show', props: { server: () => ({ id: 1, step: db.step }), activity: () => db.activity } }),
    '/servers': () => ({ component: 'Servers/Index', props: { activity: () => db.activity } }),
    '/servers/1/log': () => ({ component: 'Servers/Log', props: { server: () => ({ id: 1, step: db.step }), activity: () => db.activity } }),
  });
  app = await new LaravelAppStub({
    server,
    users: USERS,
    channels: [...RULES, { pattern: 'servers.{id}.provision', authorize: () => true }],
    routes: async (request) => {
      if (request.headers['x-inertia-partial-data'] && db.slowReloadMs) await new Promise((r) => setTimeout(r, db.slowReloadMs));
      return inertia.routes(request);
    },
  }).start();
  client = createRealtimeClient({
    echo: { broadcaster: 'reverb', ...server.clientOptions(), authEndpoint: app.authEndpoint, Pusher },
    getToken: () => 'ann-token',
    onError: (error) => errors.push(error),
    leaveGraceMs: 0,
  });
});

afterEach(async () => {
  cleanup();
  client.dispose();
  await server.stop();
  await app.stop();
  for (const [name, value] of Object.entries(saved)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  expect(errors).toEqual([]);
});

let view: RenderResult;
/** Inertia's router was set up by an earlier test's App. */
let routerReady = false;
/** The browser, at `url` on the app's origin: Inertia's requests are same-origin, as in a Laravel app. */
function openBrowserAt(url: string) {
  const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: `http://${app.host}:${app.port}${url}`, pretendToBeVisual: true });
  (dom.window.performance as { getEntriesByType?: unknown }).getEntriesByType ??= () => [];
  dom.window.scrollTo = () => {}; // jsdom has no layout: Inertia resets the scroll on a visit
  const globals = ['window', 'document', 'navigator', 'location', 'history', 'XMLHttpRequest', 'sessionStorage', 'Event', 'CustomEvent', 'requestAnimationFrame', 'cancelAnimationFrame'];
  for (const name of globals) {
    saved[name] = (globalThis as Record<string, unknown>)[name];
    Object.defineProperty(globalThis, name, { value: (dom.window as unknown as Record<string, unknown>)[name], configurable: true, writable: true });
  }
}

function renderPage(url = '/servers/1', rules = false) {
  openBrowserAt(url);
  const initialPage = inertia.initialPage(url);
  // Inertia's router is set up once per page load (a module flag): this test's page is made the
  // router's current one, as a fresh load would.
  if (routerReady) router.replace({ ...initialPage, preserveState: true } as never);
  routerReady = true;
  view = render(
    <RealtimeProvider client={client}>
      {rules && <Rules />}
      <App initialPage={initialPage as never} initialComponent={components[initialPage.component] as never} resolveComponent={(name) => components[name] as never} />
    </RealtimeProvider>,
    // The test's own document (screen is bound to the one of the setup).
    { container: document.body.appendChild(document.createElement('div')) },
  );
}

/** Publishes a step, as the installer job does: the row is saved, then the event is sent. */
async function step(n: number) {
  db.step = n;
  db.activity += 1;
  await app.broadcast('private-servers.1.provision', 'ServerProvisionUpdated', { server_id: 1 });
}

const page = () => view.getByTestId('page').textContent;

/** Resolves once the subscription's first reload has landed (the page's props may predate it). */
async function subscribed() {
  await waitFor(() => expect(server.subscribers('private-servers.1.provision')).toHaveLength(1));
  await waitFor(() => expect(inertia.reloads('/servers/1')).toHaveLength(1));
  await act(() => new Promise((r) => setTimeout(r, 50)));
}

test('a burst of 20 step events: at most 2 reloads, the last step shown', async () => {
  renderPage();
  await subscribed();
  const before = inertia.reloads('/servers/1').length;
  // The installer's 20 steps in quick succession (sent together: on a loaded machine 20 requests
  // one after another would spread over more than one `wait`, and no longer be a burst).
  await Promise.all(Array.from({ length: 20 }, (_, i) => step(i + 1)));
  await waitFor(() => expect(page()).toBe('step 20, activity 20'), { timeout: 5000 });
  await act(() => new Promise((r) => setTimeout(r, 600))); // past the rate limit: a late reload would show by now
  expect(inertia.reloads('/servers/1').length - before).toBeLessThanOrEqual(2);
});

test('two components reloading different props: one request carries both', async () => {
  renderPage();
  await subscribed();
  expect(inertia.reloads('/servers/1')[0]!.only?.sort()).toEqual(['activity', 'server']);
  const before = inertia.reloads('/servers/1').length;
  await step(1);
  await waitFor(() => expect(page()).toBe('step 1, activity 1'));
  const reloads = inertia.reloads('/servers/1').slice(before);
  expect(reloads).toHaveLength(1);
  expect(reloads[0]!.only?.sort()).toEqual(['activity', 'server']);
});

test('drop the socket, change the server, reconnect: the page shows the change with no event', async () => {
  renderPage();
  await subscribed();
  server.dropConnection();
  db.step = 7; // changed while the client is away: no event reaches it
  await waitFor(() => expect(page()).toBe('step 7, activity 0'), { timeout: 10_000 });
});

test('an event broadcast while the first subscription is authorising is not lost', async () => {
  app.authDelayMs = 400;
  renderPage();
  await waitFor(() => expect(client.channels.getSnapshot({ channel: 'servers.1.provision' }).status).toBe('subscribing'));
  await step(3); // reaches no one: the channel is not subscribed yet
  expect(server.subscribers('private-servers.1.provision')).toHaveLength(0);
  await waitFor(() => expect(page()).toBe('step 3, activity 1'), { timeout: 5000 });
});

test('a visit to another page mid-reload: nothing reloads the old page props afterwards', async () => {
  renderPage();
  await subscribed();
  db.slowReloadMs = 300;
  await step(1); // a reload starts, slow
  for (let n = 2; n <= 5; n++) await step(n); // more are owed behind it
  act(() => router.visit('/servers'));
  await waitFor(() => expect(page()).toMatch(/^index/), { timeout: 5000 });
  await act(() => new Promise((r) => setTimeout(r, 1000))); // the owed reloads' time has passed
  expect(inertia.log.filter((entry) => entry.url === '/servers' && entry.only)).toEqual([]);
  expect(inertia.reloads('/servers/1').filter((entry) => entry.status === 200).length).toBeLessThanOrEqual(2);
});

test('an app-wide rule (a global binding with `reload`) reloads its props on whatever page is shown', async () => {
  renderPage('/servers', true);
  await waitFor(() => expect(inertia.reloads('/servers')).toHaveLength(1), { timeout: 5000 }); // at its first subscription
  await step(1);
  await waitFor(() => expect(page()).toBe('index, activity 1'));
  expect(inertia.reloads('/servers').map((entry) => entry.only)).toEqual([['activity'], ['activity']]);
});

test('`except` reloads every prop but those named', async () => {
  renderPage('/servers/1/log');
  await waitFor(() => expect(inertia.reloads('/servers/1/log')).toHaveLength(1), { timeout: 5000 });
  await step(4);
  await waitFor(() => expect(page()).toBe('log: step 4, activity 0'));
  expect(inertia.reloads('/servers/1/log').map((entry) => [entry.only, entry.except])).toEqual([
    [null, ['activity']],
    [null, ['activity']],
  ]);
});
