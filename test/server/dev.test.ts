// `npm run dev:server` and `npm run trigger` as a user runs them: child processes on free ports
// (PUSHER_PORT / APP_PORT), what they print, their exit codes, and an event that reaches a real
// laravel-echo + pusher-js client authorised through the stand-in without a token (the Quick Start).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import Echo from 'laravel-echo';
import Pusher from 'pusher-js';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { freePorts } from './processes';

const root = resolve(import.meta.dirname, '../..');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Runs a TypeScript entry as package.json does (tsx), in the repository, with `env` added. */
function run(script: string, args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** `npm run trigger -- ...args`, to the end. */
async function trigger(env: Record<string, string>, ...args: string[]) {
  const r = run('scripts/trigger.ts', args, env);
  const code = await r.exited;
  return { code, stdout: r.stdout(), stderr: r.stderr() };
}

describe('npm run dev:server on PUSHER_PORT / APP_PORT', () => {
  let dev: Run;
  let env: Record<string, string>;
  let pusherPort: number;
  let appPort: number;
  const echos: Echo<'reverb'>[] = [];

  beforeAll(async () => {
    [pusherPort, appPort] = await freePorts(2);
    env = { PUSHER_PORT: String(pusherPort), APP_PORT: String(appPort) };
    dev = run('test/server/dev.ts', [], env);
    await vi.waitFor(() => expect(dev.stdout()).toContain('Ctrl-C to stop'), { timeout: 20_000, interval: 50 });
  });

  afterEach(() => {
    for (const echo of echos.splice(0)) echo.disconnect();
  });

  afterAll(async () => {
    dev.child.kill('SIGTERM');
    expect(await dev.exited).toBe(0);
  });

  /** The README's client: no token, the auth endpoint on the stand-in (the proxy's target). */
  function connect() {
    const echo = new Echo({
      broadcaster: 'reverb',
      key: 'app-key',
      wsHost: '127.0.0.1',
      wsPort: pusherPort,
      wssPort: pusherPort,
      forceTLS: false,
      enabledTransports: ['ws'],
      authEndpoint: `http://127.0.0.1:${appPort}/broadcasting/auth`,
      Pusher,
    });
    echos.push(echo);
    return echo;
  }

  test('prints its ports in what to put in the Vite app, the tokens and the rules', () => {
    const out = dev.stdout();
    for (const line of [
      `ws://127.0.0.1:${pusherPort}`,
      'VITE_REVERB_APP_KEY=app-key\n    VITE_REVERB_HOST=127.0.0.1\n    VITE_REVERB_PORT=' + pusherPort + '\n    VITE_REVERB_SCHEME=http',
      `proxy: { '/api': 'http://127.0.0.1:${appPort}', '/broadcasting': 'http://127.0.0.1:${appPort}' }`,
      `authEndpoint: 'http://127.0.0.1:${appPort}/broadcasting/auth'`,
      `PUSHER_PORT=${pusherPort} APP_PORT=${appPort} npm run trigger -- orders.1 .OrderShipped '{"id":1,"status":"shipped"}'`,
      `PUSHER_PORT=${pusherPort} APP_PORT=${appPort} npm run storybook`,
      'a request with no Authorization header is Ann (id 1)',
      'ann-token = Ann (id 1), bob-token = Bob (id 2)',
      '  orders.{id}  ',
      '  *  ',
    ]) {
      expect(out).toContain(line);
    }
    expect(dev.stderr()).toBe('');
  });

  test("the Quick Start's round trip: a tokenless client on private-orders.1 gets the trigger's .OrderShipped, and the order API follows", async () => {
    expect(await (await fetch(`http://127.0.0.1:${appPort}/api/orders/1`)).json()).toEqual({ id: 1, status: 'paid' });
    const got: unknown[] = [];
    const namespaced: unknown[] = [];
    let subscribed = false;
    connect()
      .private('orders.1')
      .subscribed(() => (subscribed = true))
      .listen('.OrderShipped', (e: unknown) => got.push(e))
      .listen('OrderShipped', (e: unknown) => namespaced.push(e));
    await vi.waitFor(() => expect(subscribed).toBe(true), { timeout: 10_000 });

    const sent = await trigger(env, 'orders.1', '.OrderShipped', '{"id":1,"status":"shipped"}');
    expect(sent).toEqual({
      code: 0,
      stdout: `Sent OrderShipped to private-orders.1 (Echo listens for '.OrderShipped'): {"id":1,"status":"shipped"}\n1 connection subscribed to private-orders.1 received it.\n`,
      stderr: '',
    });
    await vi.waitFor(() => expect(got).toEqual([{ id: 1, status: 'shipped' }]));
    expect(await (await fetch(`http://127.0.0.1:${appPort}/api/orders/1`)).json()).toEqual({ id: 1, status: 'shipped' });

    // Without the dot: Echo's namespace, App\Events\OrderShipped on the wire.
    const plain = await trigger(env, 'orders.1', 'OrderShipped', '{"id":1}');
    expect(plain.stdout).toContain('Sent App\\Events\\OrderShipped to private-orders.1');
    await vi.waitFor(() => expect(namespaced).toEqual([{ id: 1 }]));
    expect(got).toHaveLength(1);
  });

  test('--public reaches new Channel(...); with nobody subscribed the trigger says where to look', async () => {
    const got: unknown[] = [];
    let subscribed = false;
    connect()
      .channel('orders.2')
      .subscribed(() => (subscribed = true))
      .listen('.OrderShipped', (e: unknown) => got.push(e));
    await vi.waitFor(() => expect(subscribed).toBe(true), { timeout: 10_000 });

    const missed = await trigger(env, 'orders.2', '.OrderShipped', '{"id":2}');
    expect(missed.code).toBe(0);
    expect(missed.stdout).toContain('0 connections are subscribed to private-orders.2: is the page open? Channels are private by default: --public for new Channel(...)');
    expect(missed.stdout).toContain('Subscribed now: orders.2.');

    const sent = await trigger(env, 'orders.2', '.OrderShipped', '{"id":2}', '--public');
    expect(sent.stdout).toContain('1 connection subscribed to orders.2 received it.');
    await vi.waitFor(() => expect(got).toEqual([{ id: 2 }]));
  });

  test('--encrypted: the SDK encrypts with the key the stand-in signs shared secrets with; Echo decrypts', async () => {
    const got: unknown[] = [];
    let subscribed = false;
    connect()
      .encryptedPrivate('orders.3')
      .subscribed(() => (subscribed = true))
      .listen('.OrderShipped', (e: unknown) => got.push(e));
    await vi.waitFor(() => expect(subscribed).toBe(true), { timeout: 10_000 });
    const sent = await trigger(env, 'orders.3', '.OrderShipped', '{"id":3,"status":"shipped"}', '--encrypted');
    expect(sent.stdout).toContain('1 connection subscribed to private-encrypted-orders.3 received it.');
    await vi.waitFor(() => expect(got).toEqual([{ id: 3, status: 'shipped' }]));
  });

  test('bad JSON: exit 1 and a line saying so, with how to quote it', async () => {
    const bad = await trigger(env, 'orders.1', '.OrderShipped', '{id:1}');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^The data is not JSON \(.+\): \{id:1\}\nQuote it for the shell: '\{"id":1,"status":"shipped"\}'\n$/);
  });

  test('a refused channel: one line in the dev server log, with the channel and why', async () => {
    let refused = false;
    connect().private('admin.dashboard').error(() => (refused = true));
    await vi.waitFor(() => expect(refused).toBe(true), { timeout: 10_000 });
    await vi.waitFor(() =>
      expect(dev.stdout()).toContain('\nRefused private-admin.dashboard (403): the rule "admin.dashboard" returned false for Ann (id 1)\n'),
    );
  });
});

test('trigger without a dev server: one line and exit 1', async () => {
  const [port] = await freePorts(1);
  const result = await trigger({ PUSHER_PORT: String(port) }, 'orders.1', '.OrderShipped');
  expect(result).toEqual({
    code: 1,
    stdout: '',
    stderr: `No dev server on 127.0.0.1:${port}: start it with npm run dev:server, or set PUSHER_PORT to the port it runs on.\n`,
  });
});

test.each(['PUSHER_PORT', 'APP_PORT'])('dev:server with %s busy: one line naming the variable, exit 1, no stack', async (variable) => {
  const [pusherPort, appPort] = await freePorts(2);
  const busy = variable === 'PUSHER_PORT' ? pusherPort : appPort;
  const holder = await new Promise<Server>((done) => { const s = createServer().listen(busy, '127.0.0.1', () => done(s)); });
  try {
    const dev = run('test/server/dev.ts', [], { PUSHER_PORT: String(pusherPort), APP_PORT: String(appPort) });
    expect(await dev.exited).toBe(1);
    expect(dev.stderr()).toBe(`Port ${busy} is in use: set ${variable}=<another port> (and the same for npm run trigger and npm run storybook)\n`);
    expect(dev.stdout()).toBe('');
  } finally {
    await new Promise((done) => holder.close(done));
  }
});

test("Storybook's dev:server backend gets the ports dev:server and the trigger read (PUSHER_PORT / APP_PORT)", async () => {
  const { default: storybook } = await import('../../.storybook/main');
  const env = storybook.env as (config: Record<string, string>) => Record<string, string>;
  const saved = { PUSHER_PORT: process.env.PUSHER_PORT, APP_PORT: process.env.APP_PORT };
  try {
    Object.assign(process.env, { PUSHER_PORT: '7001', APP_PORT: '7002' });
    expect(env({ OTHER: 'kept' })).toEqual({ OTHER: 'kept', STORYBOOK_PUSHER_PORT: '7001', STORYBOOK_APP_PORT: '7002' });
    delete process.env.PUSHER_PORT;
    delete process.env.APP_PORT;
    expect(env({})).toEqual({ STORYBOOK_PUSHER_PORT: '6001', STORYBOOK_APP_PORT: '6002' });
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});
