// The browser benchmark (`npm run bench:browser`): in Debian's Chromium against the project's
// Pusher-protocol server over real WebSockets, the time from a change on the server (an HTTP
// request to the Laravel stand-in, which broadcasts through the Pusher HTTP API) to the DOM showing
// it. Ours vs a hand-written useEffect + Echo.listen + invalidateQueries vs @laravel/echo-react's
// useEcho, one after the other on the same page, in the same run: isolated events (an idle gap
// before each) and back-to-back events (the next as soon as the screen shows the last).
import { createReadStream, existsSync, mkdtempSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { LaravelAppStub } from '../../test/server/laravel-app';
import { PusherTestServer } from '../../test/server/pusher-server';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const IDLE_MS = 400; // longer than the coalescing window (250 ms): every isolated event is a leading one
const contenders = ['ours', 'ours-wait-0', 'naive', 'official'] as const;
const names = {
  ours: 'echo-react-query (default wait 250 ms)',
  'ours-wait-0': 'echo-react-query, wait: 0',
  naive: 'hand-written useEffect',
  official: '@laravel/echo-react useEcho',
};

const root = fileURLToPath(new URL('.', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'erq-bench-'));
// React's production build, as users ship.
await build({ root, logLevel: 'error', build: { outDir: out, emptyOutDir: true }, define: { 'process.env.NODE_ENV': '"production"' } });

const server = await new PusherTestServer().start();
const app = await new LaravelAppStub({ server, broadcastEndpoint: true }).start();
const web = createServer((req, res) => {
  const path = join(out, new URL(req.url!, 'http://x').pathname);
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'index.html') : path;
  if (!existsSync(file)) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': extname(file) === '.html' ? 'text/html' : 'text/javascript' });
  createReadStream(file).pipe(res);
});
await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p95: at(0.95), min: s[0]!, max: s[s.length - 1]! };
};
const results: Record<string, Record<string, ReturnType<typeof stats> & { fetches: number }>> = {};
let v = 0;
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(web.address() as AddressInfo).port}/index.html?app=${encodeURIComponent(`http://${app.host}:${app.port}`)}&wsPort=${server.port}`);
  for (const contender of contenders) {
    await page.evaluate((c) => window.bench.mount(c), contender);
    // Warm-up: the subscription confirmed, JIT and connections warm.
    for (let i = 0; i < 10; i++) {
      await page.evaluate((x) => window.bench.sample(x), ++v);
      await new Promise((r) => setTimeout(r, IDLE_MS));
    }
    results[contender] = {};
    for (const mode of ['isolated', 'back-to-back'] as const) {
      const before = await page.evaluate(() => window.bench.fetches());
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        times.push(await page.evaluate((x) => window.bench.sample(x), ++v));
        if (mode === 'isolated') await new Promise((r) => setTimeout(r, IDLE_MS));
      }
      // Let trailing refetches land before counting.
      await new Promise((r) => setTimeout(r, 1000));
      const fetches = (await page.evaluate(() => window.bench.fetches())) - before;
      results[contender][mode] = { ...stats(times), fetches };
      console.error(`${names[contender]} ${mode}: median ${stats(times).median.toFixed(1)} ms`);
    }
    await page.evaluate(() => window.bench.unmount());
  }
} finally {
  await browser.close();
  web.close();
  await app.stop();
  await server.stop();
}

const f = (x: number) => x.toFixed(1);
console.log(`\n${SAMPLES} events per row; ms from the change on the server to the DOM; Chromium ${browser.version()}\n`);
console.log('| mode | contender | median | p95 | min-max | x hand-written (median) | fetches |');
console.log('|---|---|---|---|---|---|---|');
for (const mode of ['isolated', 'back-to-back'] as const) {
  for (const c of contenders) {
    const r = results[c]![mode]!;
    const ratio = r.median / results.naive![mode]!.median;
    console.log(`| ${mode} | ${names[c]} | ${f(r.median)} | ${f(r.p95)} | ${f(r.min)}-${f(r.max)} | ${ratio.toFixed(2)}x | ${r.fetches} |`);
  }
}
