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

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
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
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
type Mode = 'isolated' | 'back-to-back';
const samples: Record<string, Record<Mode, number[]>> = {};
/** The rate limit's cases: a short sequence, a burst, a sustained stream (per contender, all rounds). */
const SEQUENCES = Number(process.env.BENCH_SEQUENCES ?? 10); // per round: 3 events 50 ms apart
const BURSTS = Number(process.env.BENCH_BURSTS ?? 3); // per round: 50 events at once
const series: Record<string, { sequence: number[]; burstFetches: number[]; sustainedFetches: number[]; sustainedEvents: number }> = {};
const roundMedians: Record<string, Record<Mode, number[]>> = {};
const fetchCounts: Record<string, Record<Mode, number>> = {};
let v = 0;
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(web.address() as AddressInfo).port}/index.html?app=${encodeURIComponent(`http://${app.host}:${app.port}`)}&wsPort=${server.port}`);
  // Rounds in rotated order (ABCD, BCDA, ...), so warm-up and drift do not favour one contender.
  for (let round = 0; round < ROUNDS; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
    for (const contender of order) {
      await page.evaluate((c) => window.bench.mount(c), contender);
      for (let i = 0; i < 10; i++) {
        await page.evaluate((x) => window.bench.sample(x), ++v);
        await new Promise((r) => setTimeout(r, IDLE_MS));
      }
      for (const mode of ['isolated', 'back-to-back'] as const) {
        const before = await page.evaluate(() => window.bench.fetches());
        const times: number[] = [];
        for (let i = 0; i < Math.ceil(SAMPLES / ROUNDS); i++) {
          times.push(await page.evaluate((x) => window.bench.sample(x), ++v));
          if (mode === 'isolated') await new Promise((r) => setTimeout(r, IDLE_MS));
        }
        await new Promise((r) => setTimeout(r, 1000)); // trailing refetches land before counting
        ((samples[contender] ??= { isolated: [], 'back-to-back': [] })[mode]).push(...times);
        ((roundMedians[contender] ??= { isolated: [], 'back-to-back': [] })[mode]).push(stats(times).median);
        (fetchCounts[contender] ??= { isolated: 0, 'back-to-back': 0 })[mode] += (await page.evaluate(() => window.bench.fetches())) - before;
      }
      const cell = (series[contender] ??= { sequence: [], burstFetches: [], sustainedFetches: [], sustainedEvents: 0 });
      const quiet = () => new Promise((r) => setTimeout(r, 1000)); // the bucket refills (3 x 250 ms)
      for (let i = 0; i < SEQUENCES; i++) {
        await quiet();
        cell.sequence.push(...(await page.evaluate(([from]) => window.bench.series(from!, 3, 50), [v + 1])));
        v += 3;
      }
      for (let i = 0; i < BURSTS; i++) {
        await quiet();
        const before = await page.evaluate(() => window.bench.fetches());
        await page.evaluate(([from]) => window.bench.series(from!, 50, 0), [v + 1]);
        v += 50;
        await quiet(); // trailing refetches land before counting
        cell.burstFetches.push((await page.evaluate(() => window.bench.fetches())) - before);
      }
      await quiet();
      const before = await page.evaluate(() => window.bench.fetches());
      await page.evaluate(([from]) => window.bench.series(from!, 60, 50), [v + 1]); // 20 events/s for 3 s
      v += 60;
      await quiet();
      cell.sustainedFetches.push((await page.evaluate(() => window.bench.fetches())) - before);
      cell.sustainedEvents += 60;
      await page.evaluate(() => window.bench.unmount());
    }
    console.error(`round ${round + 1} of ${ROUNDS} done`);
  }
} finally {
  await browser.close();
  web.close();
  await app.stop();
  await server.stop();
}

const f = (x: number) => x.toFixed(1);
const n = Math.ceil(SAMPLES / ROUNDS) * ROUNDS;
console.log(`\n${n} events per row (${ROUNDS} rounds, rotated order); ms from the change on the server to the DOM; Chromium ${browser.version()}\n`);
console.log('| mode | contender | median | p95 | min-max | round medians | x hand-written (median) | fetches |');
console.log('|---|---|---|---|---|---|---|---|');
for (const mode of ['isolated', 'back-to-back'] as const) {
  for (const c of contenders) {
    const r = stats(samples[c]![mode]);
    const ratio = r.median / stats(samples.naive![mode]).median;
    const rounds = roundMedians[c]![mode].map(f).join(' / ');
    console.log(`| ${mode} | ${names[c]} | ${f(r.median)} | ${f(r.p95)} | ${f(r.min)}-${f(r.max)} | ${rounds} | ${ratio.toFixed(2)}x | ${fetchCounts[c]![mode]} |`);
  }
}

console.log(`\nThe rate limit's cases (${ROUNDS} rounds): a sequence of 3 events 50 ms apart, ${SEQUENCES} per round (ms from each change to the DOM showing it or a later value); a burst of 50 changes at once, ${BURSTS} per round (fetches each); 20 events/s for 3 s, once per round (fetches)\n`);
console.log('| contender | sequence of 3: median / p95 ms | x hand-written (median) | burst of 50: fetches (max) | 20 events/s for 3 s: fetches per round |');
console.log('|---|---|---|---|---|');
for (const c of contenders) {
  const cell = series[c]!;
  const seq = stats(cell.sequence);
  const ratio = seq.median / stats(series.naive!.sequence).median;
  console.log(`| ${names[c]} | ${f(seq.median)} / ${f(seq.p95)} | ${ratio.toFixed(2)}x | ${cell.burstFetches.join(', ')} (${Math.max(...cell.burstFetches)}) | ${cell.sustainedFetches.join(', ')} |`);
}
