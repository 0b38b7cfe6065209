// `npm run check:next`: docs/nextjs.md works as printed, in a real Next.js App Router app.
//
// 1. The docs' files are examples/next's, verbatim (every ts/tsx block named `// app/...` is that
//    file, and every file under examples/next/app/ is in the docs). `--verbatim` stops here.
// 2. A fresh clone's tarball (scripts/pack.mjs) is installed into a copy of examples/next after
//    `npm ci` of its own lockfile, without saving.
// 3. The project's Pusher-protocol server and Laravel stand-in start on free ports, and
//    `next build` runs with the NEXT_PUBLIC_* variables pointing at them (so they are inlined).
// 4. `next start` on a free port: the server HTML has the page and no error; then Chromium opens
//    it as a logged-in user, the order shows, one socket opens and subscribes, a broadcast made
//    the way Laravel makes it (LaravelAppStub.broadcast, the pusher SDK) arrives, and the console
//    stays clean.
// 5. `next dev` (`--skip-dev` leaves it out): the page in Chromium, StrictMode and all, holds one
//    socket; then app/realtime.ts is edited as a person would (a comment appended): fast refresh
//    runs the module again and makes a new client, the old one must let go of its socket (the
//    server is back to one connection), and a broadcast still shows (the QueryClient survived).
//
// Run with tsx (`node --import tsx`), for the test servers' TypeScript.
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { packFreshClone, root, tempDir } from './pack.mjs';

const args = new Set(process.argv.slice(2));
const example = join(root, 'examples', 'next');
const started = Date.now();
const elapsed = (since = started) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const log = (line) => console.log(`[check:next ${elapsed()}] ${line}`);

// ---- 1. The docs' blocks are the example's files ---------------------------------------------

function verbatim() {
  const docs = readFileSync(join(root, 'docs', 'nextjs.md'), 'utf8').split('\n');
  const problems = [];
  const quoted = new Set();
  for (let i = 0; i < docs.length; i++) {
    const open = /^```(\w*)\s*$/.exec(docs[i]);
    if (!open || !open[1]) continue;
    let end = i + 1;
    while (end < docs.length && !docs[end].startsWith('```')) end++;
    const code = docs.slice(i + 1, end).join('\n');
    const start = i + 1;
    i = end;
    const file = /^\/\/ (app\/[^\s:]+\.tsx?)(?=[\s:]|$)/.exec(code)?.[1];
    if (!file) continue;
    quoted.add(file);
    let actual;
    try {
      actual = readFileSync(join(example, file), 'utf8');
    } catch {
      problems.push(`docs/nextjs.md line ${start} is ${file}, which examples/next does not have`);
      continue;
    }
    if (actual.trimEnd() !== code.trimEnd()) problems.push(`docs/nextjs.md line ${start} differs from examples/next/${file}`);
  }
  const files = (dir) =>
    readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
  for (const file of files(join(example, 'app')).map((f) => relative(example, f))) {
    if (/\.tsx?$/.test(file) && !quoted.has(file)) problems.push(`examples/next/${file} is not in docs/nextjs.md`);
  }
  if (problems.length) throw new Error(problems.join('\n'));
  log(`docs/nextjs.md holds examples/next's ${quoted.size} source files verbatim`);
}

verbatim();
if (args.has('--verbatim')) process.exit(0);

// ---- helpers --------------------------------------------------------------------------------

/** Polls `check` every 50 ms until it returns something truthy; fails after `ms` saying `what`. */
async function waitFor(what, check, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Runs a command to its end; its output is printed only when it fails. */
function run(cmd, argv, cwd, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${cmd} ${argv.join(' ')} failed (${code}):\n${output}`))));
  });
}

/** Starts a long-running server in its own process group; `stop()` ends that group. */
function serve(cmd, argv, cwd, env) {
  const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const server = { output: '', exited: null, child };
  child.stdout.on('data', (d) => (server.output += d));
  child.stderr.on('data', (d) => (server.output += d));
  child.on('exit', (code) => (server.exited = code ?? 'signal'));
  const kill = () => {
    if (server.exited === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', kill);
  server.stop = async () => {
    kill();
    await waitFor(`${cmd} ${argv[0]} to exit`, () => server.exited !== null, 10_000).catch(() => process.kill(-child.pid, 'SIGKILL'));
  };
  return server;
}

async function httpReady(origin, server) {
  await waitFor(`${origin} to answer`, async () => {
    if (server.exited !== null) throw new Error(`the server exited (${server.exited}):\n${server.output}`);
    return fetch(origin, { signal: AbortSignal.timeout(30_000) }).then(
      () => true,
      () => false,
    );
  }, 120_000);
}

// ---- 2-5 ------------------------------------------------------------------------------------

const { LaravelAppStub } = await import('../test/server/laravel-app.ts');
const { PusherTestServer } = await import('../test/server/pusher-server.ts');
const { launchChromium, problems, recordConsole } = await import('../test/browser/chromium.ts');

const work = tempDir('erq-next-');
const app = join(work, 'app');
const timings = {};
let pusher;
let laravel;
let browser;
const servers = [];

try {
  const packStart = Date.now();
  const { tarball, size } = packFreshClone(work);
  timings.pack = elapsed(packStart);
  log(`packed ${relative(work, tarball)} (${size} B) from a fresh copy in ${timings.pack}`);

  // The example as committed: no node_modules, no .next (a person may have built it in place).
  cpSync(example, app, { recursive: true, filter: (from) => !/[/\\](node_modules|\.next)$/.test(from) && !from.endsWith('next-env.d.ts') });
  const installStart = Date.now();
  await run('npm', ['ci', '--no-audit', '--no-fund'], app);
  await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', tarball], app);
  timings.install = elapsed(installStart);
  const installed = JSON.parse(readFileSync(join(app, 'node_modules', 'next', 'package.json'), 'utf8')).version;
  log(`npm ci (next ${installed}) and the tarball installed in ${timings.install}`);

  // The backend: a Pusher-protocol server and Laravel's /broadcasting/auth, a user with a token.
  pusher = await new PusherTestServer().start();
  laravel = await new LaravelAppStub({
    server: pusher,
    users: { 'ann-token': { id: 1, name: 'Ann' } },
    channels: [{ pattern: 'orders.{id}', authorize: (user, { id }) => user.id === Number(id) }],
  }).start();
  const env = {
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_PUBLIC_REVERB_APP_KEY: pusher.key,
    NEXT_PUBLIC_REVERB_HOST: pusher.host,
    NEXT_PUBLIC_REVERB_PORT: String(pusher.port),
    NEXT_PUBLIC_REVERB_SCHEME: 'http',
    NEXT_PUBLIC_BACKEND_URL: `http://${laravel.host}:${laravel.port}`,
  };
  const next = join(app, 'node_modules', '.bin', 'next');

  const buildStart = Date.now();
  await run(next, ['build'], app, env);
  timings.build = elapsed(buildStart);
  log(`next build in ${timings.build}`);

  browser = await launchChromium();

  /** Opens the page as the logged-in user; resolves once the order shows and its channel is joined. */
  async function open(origin) {
    const page = await browser.newPage();
    const consoleEntries = recordConsole(page);
    const navigations = [];
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations.push(frame.url()));
    await page.addInitScript(() => localStorage.setItem('token', 'ann-token'));
    await page.goto(origin);
    await page.getByText('Order 1: paid').waitFor({ timeout: 60_000 });
    await waitFor('the page to join private-orders.1', () => pusher.subscribers('private-orders.1').length === 1, 15_000);
    return { page, consoleEntries, navigations };
  }

  /** Broadcasts as Laravel would and waits for the page to show it. */
  async function broadcastReaches(page, status) {
    await laravel.broadcast('private-orders.1', 'OrderShipped', { id: 1, status });
    await page
      .getByText(`Order 1: ${status}`)
      .waitFor({ timeout: 10_000 })
      .catch(async () => {
        const shown = await page.locator('main').textContent();
        throw new Error(`the broadcast (${status}) did not show within 10 s: the page shows "${shown}" (${pusher.subscribers('private-orders.1').length} subscriber(s) on the server)`);
      });
  }

  // ---- next start ----
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const start = serve(next, ['start', '-p', String(port), '-H', '127.0.0.1'], app, env);
  servers.push(start);
  await httpReady(origin, start);
  const response = await fetch(origin);
  const html = await response.text();
  if (response.status !== 200) throw new Error(`GET / answered ${response.status}:\n${html.slice(0, 2000)}`);
  if (!html.includes('<h1>Orders</h1>') || !/Order (<!-- -->)?1(<!-- -->)?: (<!-- -->)?loading…/.test(html)) {
    throw new Error(`the server HTML lacks the page:\n${html.slice(0, 2000)}`);
  }
  if (/__next_error__|Internal Server Error|Application error/.test(html)) throw new Error(`the server HTML is an error page:\n${html.slice(0, 2000)}`);
  log(`next start: GET / rendered the page on the server (${html.length} B of HTML)`);

  const probeStart = Date.now();
  const { page, consoleEntries } = await open(origin);
  if (pusher.connectionCount !== 1) throw new Error(`${pusher.connectionCount} sockets open for one page`);
  await broadcastReaches(page, 'shipped');
  const bad = [...problems(consoleEntries), ...consoleEntries.filter((e) => /realtime|echo|pusher/i.test(e.text))];
  if (bad.length) throw new Error(`the page's console:\n${bad.map((e) => `${e.type}: ${e.text}`).join('\n')}`);
  if (/error/i.test(start.output)) throw new Error(`next start printed an error:\n${start.output}`);
  log(`Chromium: the order showed, one socket joined private-orders.1, the broadcast arrived, console clean (${elapsed(probeStart)})`);
  await page.close();
  await waitFor('the closed page to let go of its socket', () => pusher.connectionCount === 0, 10_000);
  await start.stop();

  // ---- next dev: edit app/realtime.ts ----
  if (!args.has('--skip-dev')) {
    const devPort = await freePort();
    const devOrigin = `http://127.0.0.1:${devPort}`;
    const dev = serve(next, ['dev', '-p', String(devPort), '-H', '127.0.0.1'], app, env);
    servers.push(dev);
    const devStart = Date.now();
    await httpReady(devOrigin, dev);
    const { page: devPage, consoleEntries: devConsole, navigations } = await open(devOrigin);
    await waitFor('one socket under StrictMode', () => pusher.connectionCount === 1, 10_000);
    log(`next dev: the page is live with one socket (${elapsed(devStart)}, first compile included)`);

    const subscribes = pusher.frameCount('pusher:subscribe', 'private-orders.1');
    const loads = navigations.length;
    appendFileSync(join(app, 'app', 'realtime.ts'), '// edited\n');
    const editedAt = Date.now();
    // The module ran again: its new client joined the channel on a socket of its own.
    await waitFor('fast refresh to make a new client (a second subscribe)', () => pusher.frameCount('pusher:subscribe', 'private-orders.1') > subscribes, 60_000);
    const reloaded = navigations.length > loads;
    // A full reload would close the old page's socket by itself, and prove nothing about the provider.
    if (reloaded) throw new Error(`editing app/realtime.ts reloaded the page instead of a fast refresh: the provider rule was not exercised`);
    log(`edited app/realtime.ts: a new client subscribed after ${elapsed(editedAt)} (fast refresh, no reload); sockets open: ${pusher.connectionCount}`);
    const leaveGraceMs = 1000;
    try {
      await waitFor('the old client to close its socket', () => pusher.connectionCount === 1, leaveGraceMs + 10_000);
    } catch {
      throw new Error(
        `${pusher.connectionCount} sockets open ${elapsed(editedAt)} after the edit: the client that fast refresh replaced kept its socket ` +
          '(RealtimeProvider should disconnect a client no provider shows any more, after leaveGraceMs)',
      );
    }
    log(`back to one socket ${elapsed(editedAt)} after the edit`);
    await broadcastReaches(devPage, 'delivered');
    const devBad = problems(devConsole).filter((e) => !/Download the React DevTools/.test(e.text));
    if (devBad.length) throw new Error(`the dev page's console:\n${devBad.map((e) => `${e.type}: ${e.text}`).join('\n')}`);
    log('a broadcast reaches the page after the edit; console clean');
    await devPage.close();
    await dev.stop();
  }

  log(`done: pack ${timings.pack}, install ${timings.install}, next build ${timings.build}, total ${elapsed()}`);
} finally {
  await browser?.close();
  for (const server of servers) await server.stop();
  await laravel?.stop();
  await pusher?.stop();
}
