/**
 * The first hour, as a test. A new user pastes the README's Quick Start into a new Vite app
 * (create-vite's react-ts template, as `npm create vite` makes it), installs the package from the
 * tarball a fresh clone's `npm pack` makes, starts `npm run dev:server`, runs the README's
 * `npm run trigger` line, and sees the order ship in Chromium, with a clean console: under
 * `npm run dev` (development build, StrictMode, the development warnings) and as the template's
 * `npm run build` served by `vite preview`. Every file and command comes from README.md as printed;
 * only the ports are swapped for free ones (as PUSHER_PORT / APP_PORT would).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import Pusher from 'pusher';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { packFreshClone } from '../../scripts/pack.mjs';
import { devSettings } from '../server/dev-settings';
import { freePorts, startProcess, stopProcess } from '../server/processes';
import { launchChromium, problems, recordConsole } from './chromium';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'erq-quick-start-'));
const app = join(work, 'shop');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const readme = readFileSync(join(root, 'README.md'), 'utf8');
let running: ChildProcess[] = [];
let browser: Browser | undefined;

/** The README's code block that starts with `first`, or includes `text`. */
function readmeBlock(find: { first?: string; text?: string }): string {
  const blocks = [...readme.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map(([, code]) => code!);
  const block = blocks.find((code) => (find.first ? code.startsWith(find.first) : code.includes(find.text!)));
  if (!block) throw new Error(`README.md has no block ${JSON.stringify(find)}`);
  return block;
}

/** A shell's environment on these ports: not vitest's NODE_ENV=test. */
function shellEnv(pusherPort: number, appPort: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PUSHER_PORT: String(pusherPort), APP_PORT: String(appPort) };
  delete env.NODE_ENV;
  return env;
}

beforeAll(async () => {
  // `npm create vite@latest shop -- --template react-ts`: create-vite copies this template.
  cpSync(join(root, 'node_modules', 'create-vite', 'template-react-ts'), app, { recursive: true });
  renameSync(join(app, '_gitignore'), join(app, '.gitignore'));

  // The Install line, from the tarball. What `npm install` would fetch besides (react, vite, the
  // peers) is linked from this repository's node_modules, which holds the same packages.
  const { tarball } = packFreshClone(work);
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, 'echo-react-query'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', join(modules, 'echo-react-query'), '--strip-components=1']);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry !== 'echo-react-query' && entry !== '.bin') symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }

  // The README's four files into src/ (main.tsx and App.tsx replace the template's).
  for (const name of ['realtime.ts', 'main.tsx', 'App.tsx', 'Order.tsx']) {
    writeFileSync(join(app, 'src', name), readmeBlock({ first: `// ${name}\n` }));
  }
  // The template's `npm run build` begins with its own typecheck of them.
  execFileSync(bin('tsc'), ['-b'], { cwd: app, stdio: 'pipe' });
  browser = await launchChromium();
}, 120_000);

afterEach(async () => {
  await Promise.all(running.map((child) => stopProcess(child)));
  running = [];
});

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/**
 * The README from "Run it without Laravel" on: the dev server (fresh: the order is paid), the
 * `.env.local` and `vite.config.ts` blocks on its ports, the app served by `serve`, then the page
 * before and after the README's trigger line.
 */
async function firstHour(serve: (env: NodeJS.ProcessEnv, port: number) => Promise<void>): Promise<void> {
  const [pusherPort, appPort, pagePort] = await freePorts(3);
  const env = shellEnv(pusherPort!, appPort!);
  const ports = (text: string) => text.replaceAll('6001', String(pusherPort)).replaceAll('6002', String(appPort));
  writeFileSync(join(app, '.env.local'), ports(readmeBlock({ text: 'VITE_REVERB_APP_KEY=' })));
  writeFileSync(join(app, 'vite.config.ts'), ports(readmeBlock({ first: '// vite.config.ts\n' })));
  running.push(await startProcess('npm', ['run', 'dev:server'], { cwd: root, env, ready: /Ctrl-C/ }));
  await serve(env, pagePort!);

  const page = await browser!.newPage();
  const log = recordConsole(page);
  await page.goto(`http://localhost:${pagePort}/`);
  await page.getByText('Order 1: paid').waitFor();
  // A person reads the page before typing the command; the test waits for the page's subscription.
  const settings = devSettings(env);
  const api = new Pusher({ appId: settings.appId, key: settings.key, secret: settings.secret, host: settings.host, port: String(settings.pusherPort) });
  const subscribers = async () =>
    ((await (await api.get({ path: '/channels/private-orders.1', params: { info: 'subscription_count' } })).json()) as { subscription_count?: number })
      .subscription_count;
  await expect.poll(subscribers).toBe(1);

  // The README's line, run as printed in the clone.
  const trigger = readme.match(/^npm run trigger -- .*$/m)?.[0];
  expect(trigger).toBeDefined();
  const said = execFileSync('sh', ['-c', trigger!], { cwd: root, env, stdio: 'pipe' }).toString();
  expect(said).toMatch(/1 connection subscribed to private-orders\.1 received it/);

  await page.getByText('Order 1: shipped').waitFor({ timeout: 10_000 });
  expect(problems(log)).toEqual([]);
  await page.close();
}

test("npm run dev: the README's Quick Start in a new Vite app shows the order ship when the README's trigger runs", async () => {
  await firstHour(async (env, port) => {
    running.push(await startProcess(bin('vite'), ['--port', String(port), '--strictPort'], { cwd: app, env, ready: { port } }));
  });
});

test("npm run build, served by vite preview: the same, from the production build", async () => {
  await firstHour(async (env, port) => {
    execFileSync(bin('vite'), ['build', '--logLevel', 'error'], { cwd: app, env, stdio: 'pipe' });
    running.push(await startProcess(bin('vite'), ['preview', '--port', String(port), '--strictPort'], { cwd: app, env, ready: { port } }));
  });
});
