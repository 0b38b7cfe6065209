/**
 * The first hour, as a test. A new user pastes the README's Quick Start into a new Vite app
 * (create-vite's react-ts template, as `npm create vite` makes it), installs the package from the
 * tarball `npm pack` makes, starts `npm run dev:server`, runs the README's `npm run trigger` line,
 * and sees the order ship in Chromium, with a clean console. Every file and command comes from
 * README.md as printed; only the ports are swapped for free ones (as PUSHER_PORT / APP_PORT would).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import Pusher from 'pusher';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { devSettings } from '../server/dev-settings';
import { launchChromium, problems, recordConsole } from './chromium';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'erq-quick-start-'));
const app = join(work, 'shop');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const children: ChildProcess[] = [];
let browser: Browser | undefined;
let env: NodeJS.ProcessEnv;
let pageUrl = '';

/** The README's code blocks: `{ lang, code }` in order. */
function readmeBlocks() {
  return [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(([, lang, code]) => ({ lang, code: code! }));
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
    probe.on('error', fail);
  });
}

/** Starts a long-running command; resolves once its output matches `ready`. */
function start(command: string, args: string[], options: { cwd: string; ready: RegExp }): Promise<ChildProcess> {
  const child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  let output = '';
  return new Promise((done, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.ready.test(output)) done(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => fail(new Error(`${command} ${args.join(' ')} exited (${code}):\n${output}`)));
  });
}

beforeAll(async () => {
  const [pusherPort, appPort] = [await freePort(), await freePort()];
  // As a shell would have it: not vitest's NODE_ENV=test.
  env = { ...process.env, PUSHER_PORT: String(pusherPort), APP_PORT: String(appPort) };
  delete env.NODE_ENV;
  const ports = (text: string) => text.replaceAll('6001', String(pusherPort)).replaceAll('6002', String(appPort));

  // `npm create vite@latest shop -- --template react-ts`: create-vite copies this template.
  cpSync(join(root, 'node_modules', 'create-vite', 'template-react-ts'), app, { recursive: true });
  renameSync(join(app, '_gitignore'), join(app, '.gitignore'));

  // The Install line, from the tarball. What `npm install` would fetch besides (react, vite, the
  // peers) is linked from this repository's node_modules, which holds the same packages.
  // (prepack builds dist first, and its output comes before npm's JSON.)
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  const packed = JSON.parse(out.slice(out.lastIndexOf('\n[') + 1))[0];
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, 'echo-react-query'), { recursive: true });
  execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', join(modules, 'echo-react-query'), '--strip-components=1']);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry !== 'echo-react-query' && entry !== '.bin') symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }

  // The README's files: the four named blocks into src/, vite.config.ts, and .env.local.
  const blocks = readmeBlocks();
  for (const name of ['realtime.ts', 'main.tsx', 'App.tsx', 'Order.tsx']) {
    const block = blocks.find((b) => b.code.startsWith(`// ${name}\n`));
    expect(block, `README block // ${name}`).toBeDefined();
    writeFileSync(join(app, 'src', name), block!.code);
  }
  const viteConfig = blocks.find((b) => b.code.startsWith('// vite.config.ts\n'));
  expect(viteConfig, 'README block // vite.config.ts').toBeDefined();
  writeFileSync(join(app, 'vite.config.ts'), ports(viteConfig!.code));
  const dotenv = blocks.find((b) => b.code.includes('VITE_REVERB_APP_KEY='));
  expect(dotenv, 'README .env.local block').toBeDefined();
  writeFileSync(join(app, '.env.local'), ports(dotenv!.code));

  // `npm run build` of the template: its own typecheck (tsc -b), then vite build; `vite preview` serves it.
  execFileSync(bin('tsc'), ['-b'], { cwd: app, env, stdio: 'pipe' });
  execFileSync(bin('vite'), ['build', '--logLevel', 'error'], { cwd: app, env, stdio: 'pipe' });
  const previewPort = await freePort();
  await start(bin('vite'), ['preview', '--port', String(previewPort), '--strictPort'], { cwd: app, ready: new RegExp(`:${previewPort}`) });
  pageUrl = `http://localhost:${previewPort}/`;

  // The README's command for the backend.
  await start('npm', ['run', 'dev:server'], { cwd: root, ready: /Ctrl-C/ });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const child of children) {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
  }
  rmSync(work, { recursive: true, force: true });
});

test("the README's Quick Start, pasted into a new Vite app, shows the order ship when the README's trigger runs", async () => {
  const page = await browser!.newPage();
  const log = recordConsole(page);
  await page.goto(pageUrl);
  await page.getByText('Order 1: paid').waitFor();
  // A person reads the page before typing the command; the test waits for the page's subscription.
  const settings = devSettings(env);
  const api = new Pusher({ appId: settings.appId, key: settings.key, secret: settings.secret, host: settings.host, port: String(settings.pusherPort) });
  await expect
    .poll(async () => ((await (await api.get({ path: '/channels/private-orders.1', params: { info: 'subscription_count' } })).json()) as { subscription_count?: number }).subscription_count)
    .toBe(1);

  // The README's line, run as printed in the clone.
  const trigger = readFileSync(join(root, 'README.md'), 'utf8').match(/^npm run trigger -- .*$/m)?.[0];
  expect(trigger).toBeDefined();
  const said = execFileSync('sh', ['-c', trigger!], { cwd: root, env, stdio: 'pipe' }).toString();
  expect(said).toMatch(/1 connection subscribed to private-orders\.1 received it/);

  await page.getByText('Order 1: shipped').waitFor({ timeout: 10_000 });
  expect(problems(log)).toEqual([]);
});
