/**
 * Fleet reconnect benchmark: N clients (each its own createRealtimeClient, pusher-js over real
 * WebSockets, QueryClient and React root) watch one query bound to a public channel; the
 * Pusher-protocol server dies for a while and comes back on the same port. Measured per outage and
 * contender: how long each client takes to be connected again with the server's new data (through
 * the recovery refetch alone), the connection attempts a load balancer in front of the server sees
 * (a counting TCP proxy, so attempts are counted during the outage too), and the requests the API
 * sees. Contenders: this package's reconnect driver (`reconnect: {}`) and pusher-js's own retry
 * (`reconnect: false`). Run: `npm run bench:reconnect` (BENCH_CLIENTS, BENCH_OUTAGES in seconds,
 * BENCH_TIMEOUT_S, BENCH_TIMELINE_OUTAGE).
 */
import { act, erq, QueryClient, QueryClientProvider, React, sleep, useQuery } from './harness';
import { execSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import Pusher from 'pusher-js';
import { PusherTestServer } from '../test/server/pusher-server';
import { CountingProxy, StateApi } from './fleet-servers';

type RealtimeClient = ReturnType<typeof erq.createRealtimeClient>;
type Root = ReturnType<(typeof import('react-dom/client'))['createRoot']>;
const { createRoot } = await import('react-dom/client');
void React;

const N = Number(process.env.BENCH_CLIENTS ?? 200);
const OUTAGES = (process.env.BENCH_OUTAGES ?? '1,3,10,60').split(',').map((s) => Number(s.trim())).filter((s) => s > 0);
/**
 * How long after the server is back a client may take before it counts as never current. pusher-js
 * alone waits 15, 30, then 60 s between attempts (its SequentialStrategy doubles the timeout up to
 * 60 s): after a 60 s outage its next attempt is about 46 s after the restart, hence 60 s.
 */
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 60) * 1000;
/** The outage whose first seconds after the restart are printed bucket by bucket. */
const TIMELINE_OUTAGE = Number(process.env.BENCH_TIMELINE_OUTAGE ?? 3);
const BATCH = 20;
/** Counting goes on this long after the last client is current (late attempts, duplicate refetches). */
const SETTLE_MS = 2000;
const BUCKET_MS = 100;

/** Which code was measured: the commit, and whether src/ had uncommitted changes when the modules were loaded. */
function provenance(): string {
  try {
    const head = execSync('git rev-parse --short HEAD', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execSync('git status --porcelain -- src', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `commit ${head}${dirty ? ' + uncommitted changes in src/' : ', src/ clean'}`;
  } catch {
    return 'commit unknown (no git)';
  }
}
const loadedFrom = provenance();

const startedAt = performance.now();
const log = (...args: unknown[]) => console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(6)} s]`, ...args);

interface Contender {
  name: string;
  short: string;
  reconnect: Parameters<typeof erq.createRealtimeClient>[0]['reconnect'];
}
const contenders: Contender[] = [
  { name: 'echo-react-query (default reconnect)', short: 'ours', reconnect: {} },
  { name: "pusher-js's own retry (reconnect: false)", short: 'pusher-js', reconnect: false },
];

// ---- servers ------------------------------------------------------------------------------------
const server = await new PusherTestServer().start();
const proxy = await new CountingProxy(server.host, () => server.port).start();
const api = await new StateApi().start();
const stateUrl = `http://127.0.0.1:${api.port}/state`;
log(`${loadedFrom}; backend :${server.port}, proxy :${proxy.port}, API :${api.port}; ${N} clients; outages ${OUTAGES.join(', ')} s`);

// ---- one client of the fleet --------------------------------------------------------------------
interface ErrorRecord {
  at: number;
  code: string;
  message: string;
}

/** What the clients watch for: the version to reach, and the moment the server came back. */
const watch: { version: number; t0: number | null } = { version: 0, t0: null };

interface Member {
  client: RealtimeClient;
  queryClient: InstanceType<typeof QueryClient>;
  root: Root;
  container: HTMLElement;
  /** ms after t0. */
  connectedAt: number | null;
  currentAt: number | null;
  check: () => void;
  stop: () => void;
}

function StateView() {
  erq.useRealtimeEvent({ channel: 'feed', type: 'public', event: '.StateChanged', invalidate: ['state'] });
  const { data } = useQuery({
    queryKey: ['state'],
    queryFn: async () => {
      const res = await fetch(stateUrl);
      return ((await res.json()) as { version: number }).version;
    },
  });
  return <p>{data ?? '-'}</p>;
}

async function createMember(contender: Contender, errors: ErrorRecord[]): Promise<Member> {
  const client = erq.createRealtimeClient({
    echo: { broadcaster: 'reverb', ...server.clientOptions(), wsPort: proxy.port, wssPort: proxy.port, Pusher },
    reconnect: contender.reconnect,
    onError: (e) => errors.push({ at: performance.now(), code: e.code, message: e.message }),
  });
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false, refetchOnMount: false } },
  });
  const container = document.body.appendChild(document.createElement('div'));
  const root = createRoot(container);
  const m: Member = {
    client,
    queryClient,
    root,
    container,
    connectedAt: null,
    currentAt: null,
    check: () => {
      if (watch.t0 === null) return;
      if (client.getConnectionStatus() !== 'connected') return;
      const now = performance.now() - watch.t0;
      if (m.connectedAt === null) m.connectedAt = now;
      if (m.currentAt === null && queryClient.getQueryData(['state']) === watch.version) m.currentAt = now;
    },
    stop: () => {},
  };
  const offStatus = client.subscribe(m.check);
  const offCache = queryClient.getQueryCache().subscribe(m.check);
  m.stop = () => {
    offStatus();
    offCache();
  };
  await act(async () =>
    root.render(
      <QueryClientProvider client={queryClient}>
        <erq.RealtimeProvider client={client}>
          <StateView />
        </erq.RealtimeProvider>
      </QueryClientProvider>,
    ),
  );
  return m;
}

async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const settled = (m: Member) =>
  m.client.getConnectionStatus() === 'connected' && m.queryClient.getQueryData(['state']) === api.version && m.queryClient.isFetching() === 0;

async function createFleet(contender: Contender, errors: ErrorRecord[]): Promise<Member[]> {
  const fleet: Member[] = [];
  for (let i = 0; i < N; i += BATCH) {
    for (let j = i; j < Math.min(N, i + BATCH); j++) fleet.push(await createMember(contender, errors));
    await until(`${fleet.length} subscribers`, () => server.subscribers('feed').length === fleet.length, 30_000);
  }
  await until('every first fetch', () => fleet.every(settled), 30_000);
  // The refetch once subscribed (refetchOnSubscribe) and its coalescing window: let them pass.
  await sleep(1000);
  await until('quiet', () => fleet.every(settled), 30_000);
  return fleet;
}

async function disposeFleet(fleet: Member[]): Promise<void> {
  for (const m of fleet) m.stop();
  await act(async () => {
    for (const m of fleet) m.root.unmount();
  });
  for (const m of fleet) {
    m.client.dispose();
    m.queryClient.clear();
    m.container.remove();
  }
  await until('the fleet to close its sockets', () => server.connectionCount === 0, 10_000).catch((e) => log(String(e)));
}

// ---- one outage ---------------------------------------------------------------------------------
interface Result {
  contender: Contender;
  outageS: number;
  actualOutageMs: number;
  downBeforeRestart: number;
  current: number[];
  connected: number[];
  never: number;
  attemptsDuring: number;
  attemptsAfter: number;
  peakAttemptsAfter: number;
  peakAttemptsAfterAt: number;
  peakAttemptsOverall: number;
  requestsDuring: number;
  requestsAfter: number;
  peakRequestsAfter: number;
  peakRequestsAfterAt: number;
  errors: ErrorRecord[];
  setupErrors: number;
  /** Relative to t0, ms. */
  attempts: number[];
  requests: number[];
  windowMs: number;
}

function buckets(times: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const t of times) {
    const b = Math.floor(t / BUCKET_MS);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  return counts;
}

function peak(times: number[]): { count: number; at: number } {
  let best = { count: 0, at: 0 };
  for (const [b, count] of buckets(times)) if (count > best.count) best = { count, at: b * BUCKET_MS };
  return best;
}

async function runOutage(contender: Contender, outageS: number): Promise<Result> {
  const errors: ErrorRecord[] = [];
  log(`${contender.short}, ${outageS} s outage: creating ${N} clients`);
  const fleet = await createFleet(contender, errors);
  const setupErrors = errors.length;
  log(`${contender.short}: ${N} connected, subscribed, first fetch done`);

  for (const m of fleet) m.connectedAt = m.currentAt = null;
  api.version += 1;
  watch.version = api.version;
  watch.t0 = null;
  proxy.reset();
  api.requests.length = 0;
  const tStop = performance.now();
  proxy.backendUp = false;
  await server.stop();
  await sleep(Math.max(0, outageS * 1000 - (performance.now() - tStop)));
  const downBeforeRestart = fleet.filter((m) => m.client.getConnectionStatus() !== 'connected').length;
  await server.start();
  proxy.backendUp = true;
  const t0 = performance.now();
  watch.t0 = t0;
  log(`${contender.short}: server back after ${((t0 - tStop) / 1000).toFixed(2)} s down (${downBeforeRestart}/${N} clients saw the drop)`);

  let lastReport = t0;
  while (performance.now() - t0 < TIMEOUT_MS) {
    for (const m of fleet) m.check(); // a cheap poll as well as the subscriptions
    const left = fleet.filter((m) => m.currentAt === null).length;
    if (left === 0) break;
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      log(`${contender.short}: ${N - left}/${N} current at t0 + ${((lastReport - t0) / 1000).toFixed(0)} s`);
    }
    await sleep(20);
  }
  await sleep(SETTLE_MS);
  const tEnd = performance.now();

  const rel = (t: number) => t - t0;
  const attempts = proxy.accepted.map(rel);
  const requests = api.requests.map(rel);
  const after = (ts: number[]) => ts.filter((t) => t >= 0 && t <= tEnd - t0);
  const current = fleet.flatMap((m) => (m.currentAt === null ? [] : [m.currentAt]));
  const connected = fleet.flatMap((m) => (m.connectedAt === null ? [] : [m.connectedAt]));
  const pa = peak(after(attempts));
  const pr = peak(after(requests));
  const result: Result = {
    contender,
    outageS,
    actualOutageMs: t0 - tStop,
    downBeforeRestart,
    current,
    connected,
    never: N - current.length,
    attemptsDuring: attempts.filter((t) => t < 0).length,
    attemptsAfter: after(attempts).length,
    peakAttemptsAfter: pa.count,
    peakAttemptsAfterAt: pa.at,
    peakAttemptsOverall: peak(attempts).count,
    requestsDuring: requests.filter((t) => t < 0).length,
    requestsAfter: after(requests).length,
    peakRequestsAfter: pr.count,
    peakRequestsAfterAt: pr.at,
    errors: errors.slice(setupErrors),
    setupErrors,
    attempts,
    requests,
    windowMs: tEnd - t0,
  };
  log(
    `${contender.short}, ${outageS} s: current ${current.length}/${N}, median ${fmtS(pct(current, 50))}, p90 ${fmtS(pct(current, 90))}, ` +
      `max ${fmtS(pct(current, 100))}; attempts ${result.attemptsDuring} during / ${result.attemptsAfter} after (peak ${pa.count}/100 ms at +${fmtS(pa.at)}); ` +
      `API ${result.requestsAfter} (peak ${pr.count}/100 ms); errors ${result.errors.length}`,
  );
  await disposeFleet(fleet);
  watch.t0 = null;
  return result;
}

// ---- statistics and printing --------------------------------------------------------------------
/** Nearest-rank percentile (100: the maximum). */
function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const fmtS = (ms: number) => (Number.isNaN(ms) ? '-' : `${(ms / 1000).toFixed(2)} s`);
const fmtRatio = (x: number) => (!Number.isFinite(x) ? '-' : x >= 10 ? `${x.toFixed(0)}x` : `${x.toPrecision(2)}x`);

/** `count` buckets from `from` (ms after t0), and their sum. */
function row(values: number[], from: number, count: number): string {
  const counts = buckets(values);
  const cells: string[] = [];
  let sum = 0;
  for (let b = Math.floor(from / BUCKET_MS); cells.length < count; b++) {
    sum += counts.get(b) ?? 0;
    cells.push(String(counts.get(b) ?? 0).padStart(3));
  }
  return `${cells.join('')} | ${sum}`;
}

const results: Result[] = [];
const order = (i: number) => (i % 2 === 0 ? contenders : [...contenders].reverse());
for (const [i, outageS] of OUTAGES.entries()) {
  for (const contender of order(i)) results.push(await runOutage(contender, outageS));
}

// Printed in a fixed order (they ran in alternating order): by outage, ours first.
results.sort((a, b) => a.outageS - b.outageS || contenders.indexOf(a.contender) - contenders.indexOf(b.contender));
const lines: string[] = [];
const out = (s = '') => lines.push(s);
out(`### ${N} clients, outages of ${OUTAGES.join(', ')} s (${loadedFrom})`);
out();
out('Recovery: time from the restart until a client is connected and shows the new version (its recovery refetch done).');
out();
out(`| outage | contender | current within ${TIMEOUT_MS / 1000} s | to current: median / p90 / max | reconnected: median / max | errors (onError) |`);
out('|---|---|---|---|---|---|');
for (const r of results) {
  out(
    `| ${r.outageS} s | ${r.contender.name} | ${r.current.length}/${N} | ${fmtS(pct(r.current, 50))} / ${fmtS(pct(r.current, 90))} / ${fmtS(pct(r.current, 100))} | ` +
      `${fmtS(pct(r.connected, 50))} / ${fmtS(pct(r.connected, 100))} | ${r.errors.length} |`,
  );
}
out();
out(`Load: connection attempts at the proxy and GET /state requests at the API, counted until ${SETTLE_MS / 1000} s after the last client was current (or the timeout).`);
out();
out(
  '| outage | contender | attempts during outage | attempts after restart | their times after restart, 10th-90th percentile | ' +
    'peak attempts per 100 ms after restart (whole run) | API requests after restart | peak API requests per 100 ms |',
);
out('|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const after = r.attempts.filter((t) => t >= 0 && t <= r.windowMs);
  out(
    `| ${r.outageS} s | ${r.contender.name} | ${r.attemptsDuring} | ${r.attemptsAfter} | ${fmtS(pct(after, 10))} - ${fmtS(pct(after, 90))} | ` +
      `${r.peakAttemptsAfter} at +${fmtS(r.peakAttemptsAfterAt)} (${r.peakAttemptsOverall}) | ${r.requestsAfter} | ${r.peakRequestsAfter} at +${fmtS(r.peakRequestsAfterAt)} |`,
  );
}
out();
out('Ratios, echo-react-query / pusher-js (lower is better for all):');
out();
out(
  '| outage | median to current | p90 to current | max to current | peak attempts per 100 ms after restart | peak attempts per 100 ms, whole run | ' +
    'attempts during outage | peak API requests per 100 ms |',
);
out('|---|---|---|---|---|---|---|---|');
for (const outageS of OUTAGES) {
  const a = results.find((r) => r.outageS === outageS && r.contender === contenders[0])!;
  const b = results.find((r) => r.outageS === outageS && r.contender === contenders[1])!;
  out(
    `| ${outageS} s | ${fmtRatio(pct(a.current, 50) / pct(b.current, 50))} | ${fmtRatio(pct(a.current, 90) / pct(b.current, 90))} | ` +
      `${fmtRatio(pct(a.current, 100) / pct(b.current, 100))} | ${fmtRatio(a.peakAttemptsAfter / b.peakAttemptsAfter)} | ` +
      `${fmtRatio(a.peakAttemptsOverall / b.peakAttemptsOverall)} | ` +
      `${fmtRatio(a.attemptsDuring / b.attemptsDuring)} | ${fmtRatio(a.peakRequestsAfter / b.peakRequestsAfter)} |`,
  );
}
const timeline = results.filter((r) => r.outageS === TIMELINE_OUTAGE);
if (timeline.length > 0) {
  const span = 30;
  out();
  out(`Timeline, ${TIMELINE_OUTAGE} s outage: connection attempts (a) and API requests (r) per ${BUCKET_MS} ms bucket, ${(span * BUCKET_MS) / 1000} s from the given start, then their sum:`);
  out();
  out('```');
  for (const r of timeline) {
    const firstAttempt = Math.min(...r.attempts.filter((t) => t >= 0));
    const starts = [0];
    if (Number.isFinite(firstAttempt) && firstAttempt >= span * BUCKET_MS) starts.push(Math.floor(firstAttempt / 1000) * 1000);
    for (const start of starts) {
      out(`${r.contender.short.padEnd(9)} a  t0+${(start / 1000).toFixed(1).padStart(4)} s |${row(r.attempts, start, span)}`);
      out(`${r.contender.short.padEnd(9)} r  t0+${(start / 1000).toFixed(1).padStart(4)} s |${row(r.requests, start, span)}`);
    }
  }
  out('```');
}
const errorKinds = new Map<string, number>();
for (const r of results) {
  for (const e of r.errors) {
    const k = `${r.contender.short}, ${r.outageS} s: [${e.code}] ${e.message}`;
    errorKinds.set(k, (errorKinds.get(k) ?? 0) + 1);
  }
}
const setup = results.reduce((s, r) => s + r.setupErrors, 0);
const requestsDuring = results.reduce((s, r) => s + r.requestsDuring, 0);
out();
out(`Errors via onError during outages: ${errorKinds.size === 0 ? 'none' : ''}`);
for (const [k, n] of errorKinds) out(`- ${n}x ${k}`);
out(`Errors while creating fleets: ${setup}. API requests during outages: ${requestsDuring}.`);
out(`Clients that noticed the drop before the restart: ${results.map((r) => `${r.contender.short} ${r.outageS} s ${r.downBeforeRestart}/${N}`).join(', ')}.`);
out(`Actual outages (proxy down to server listening again): ${results.map((r) => `${(r.actualOutageMs / 1000).toFixed(2)}`).join(', ')} s.`);
console.log('\n' + lines.join('\n'));

const endedFrom = provenance();
if (endedFrom !== loadedFrom) console.log(`Note: the code changed during the run (${endedFrom} now); the modules were loaded from ${loadedFrom}.`);
await proxy.stop();
await server.stop();
await api.stop();
log('done');
process.exit(0);
