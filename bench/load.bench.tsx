/**
 * Load benchmarks: fan-out to many handlers, mount/unmount churn, and a steady stream of events on
 * a watched query. Same contenders and fake server as realtime.bench.tsx. Run: `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import {
  act,
  contenders,
  createFakeEcho,
  erq,
  median,
  mount,
  QueryClient,
  QueryClientProvider,
  React,
  runs,
  sleep,
  useQuery,
  type Contender,
  type ListenOptions,
} from './harness';

const { StrictMode } = React;
const { createRoot } = await import('react-dom/client');
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));
const spread = (values: number[]) => `${fmt(median(values))} (${fmt(Math.min(...values))}-${fmt(Math.max(...values))})`;

// ---- fan-out: N components on one channel and event ------------------------------------------
async function fanOut(contender: Contender, n: number) {
  let calls = 0;
  function C({ useListen }: { useListen: (o: ListenOptions) => void }) {
    useListen({ channel: 'feed', type: 'public', event: '.Tick', onEvent: () => (calls += 1) });
    return null;
  }
  const m = await mount(contender, (useListen) => Array.from({ length: n }, (_, i) => <C key={i} useListen={useListen} />));
  const events = 200;
  const t0 = performance.now();
  for (let i = 0; i < events; i++) m.fake.emit('feed', '.Tick', { i });
  const perEventUs = ((performance.now() - t0) / events) * 1000;
  const stats = m.fake.stats('feed');
  if (calls !== events * n) throw new Error(`${contender.name}: ${calls} handler calls, expected ${events * n}`);
  await m.unmount();
  return { subscribes: stats.subscribes, listeners: stats.listeners, perEventUs };
}

/** The floor: N callbacks bound straight on the (fake) pusher-js channel, no Echo, no React. */
async function rawBind(n: number) {
  const fake = createFakeEcho();
  const channel = (fake.echo.channel('feed') as unknown as { subscription: { bind(e: string, cb: () => void): void } }).subscription;
  await fake.flush();
  let calls = 0;
  for (let i = 0; i < n; i++) channel.bind('Tick', () => (calls += 1));
  const events = 200;
  const t0 = performance.now();
  for (let i = 0; i < events; i++) fake.emit('feed', '.Tick', { i });
  const perEventUs = ((performance.now() - t0) / events) * 1000;
  if (calls !== events * n) throw new Error(`raw: ${calls} calls`);
  fake.echo.disconnect();
  return { perEventUs };
}

// ---- churn: 10,000 mount/unmount cycles of each hook under StrictMode ------------------------
const hooks: Record<string, () => void> = {
  'control: a component with no hook': () => {},
  useRealtimeEvent: () => erq.useRealtimeEvent({ channel: 'orders', event: '.X', onEvent: () => {} }),
  useRealtimeChannel: () => void erq.useRealtimeChannel({ channel: 'orders', events: { '.X': () => {} } }),
  usePresence: () => void erq.usePresence({ channel: 'room' }),
  useRealtimeGlobalSubscriber: () =>
    erq.useRealtimeGlobalSubscriber({ bindings: [{ channel: 'orders', event: '.X', invalidate: ['orders'] }] }),
};

function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

async function churn(name: string, cycles: number) {
  const fake = createFakeEcho();
  const client = erq.createRealtimeClient({ echo: fake.echo, leaveGraceMs: 50 });
  const queryClient = new QueryClient();
  const container = document.body.appendChild(document.createElement('div'));
  const root = createRoot(container);
  const Hook = () => (hooks[name](), null);
  const tree = (show: boolean) => (
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <erq.RealtimeProvider client={client}>{show ? <Hook /> : null}</erq.RealtimeProvider>
      </QueryClientProvider>
    </StrictMode>
  );
  await act(async () => root.render(tree(true)));
  await act(() => fake.flush());
  await act(async () => root.render(tree(false)));
  await sleep(100); // past the grace period: the channel is left
  await act(() => fake.flush());
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const timersBefore = timers();
  const framesBefore = fake.stats(name === 'usePresence' ? 'presence-room' : 'private-orders');
  const t0 = performance.now();
  for (let i = 0; i < cycles; i++) {
    await act(async () => root.render(tree(true)));
    await act(async () => root.render(tree(false)));
  }
  const ms = performance.now() - t0;
  await sleep(100);
  await act(() => fake.flush());
  gc();
  const wire = name === 'usePresence' ? 'presence-room' : 'private-orders';
  const after = fake.stats(wire);
  const result = {
    msPerCycle: ms / cycles,
    subscribeFrames: after.subscribes - framesBefore.subscribes,
    unsubscribeFrames: after.unsubscribes - framesBefore.unsubscribes,
    heldChannels: client.channels.size,
    listeners: fake.listenerCount(),
    timers: timers() - timersBefore,
    heapGrowthKB: Math.round((process.memoryUsage().heapUsed - heapBefore) / 1024),
  };
  await act(async () => root.unmount());
  container.remove();
  client.dispose();
  queryClient.clear();
  return result;
}

// ---- steady stream: 50 events/s for 10 s on a watched key ------------------------------------
async function steadyStream(contender: Contender, fetchMs: number, seconds: number) {
  let version = 0;
  let fetches = 0;
  const started: { at: number; v: number }[] = [];
  function Feed({ useListen }: { useListen: (o: ListenOptions) => void }) {
    useQuery({
      queryKey: ['feed'],
      queryFn: async () => {
        const v = version;
        fetches += 1;
        started.push({ at: performance.now(), v });
        await sleep(fetchMs);
        return v;
      },
    });
    useListen({ channel: 'feed', type: 'public', event: '.Changed', invalidate: ['feed'] });
    return null;
  }
  const m = await mount(contender, (useListen) => <Feed useListen={useListen} />);
  await sleep(fetchMs + 400); // the first load and, for us, the refetch once subscribed
  const landed: { at: number; v: number }[] = [];
  const stop = m.queryClient.getQueryCache().subscribe((e) => {
    if (e.type === 'updated' && e.action.type === 'success') landed.push({ at: performance.now(), v: e.query.state.data as number });
  });
  const sent: { at: number; v: number }[] = [];
  const fetchesBefore = fetches;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    version += 1;
    sent.push({ at: performance.now(), v: version });
    m.fake.emit('feed', '.Changed', { v: version });
    await sleep(20);
  }
  const streamFetches = fetches - fetchesBefore;
  await sleep(fetchMs * 2 + 1000); // let the last events land
  stop();
  const after = (list: { at: number; v: number }[]) =>
    sent.map((e) => {
      const hit = list.find((l) => l.at >= e.at && l.v >= e.v);
      return hit ? hit.at - e.at : Infinity;
    });
  const lags = after(landed);
  const toFetch = after(started);
  await m.unmount();
  return {
    fetchesPerSecond: streamFetches / seconds,
    medianLagMs: median(lags),
    maxLagMs: Math.max(...lags),
    medianFetchMs: median(toFetch),
    maxFetchMs: Math.max(...toFetch),
  };
}

// ---- run --------------------------------------------------------------------------------
const names = contenders.map((c) => c.name);
const only = process.env.BENCH_ONLY; // 'fanout' | 'churn' | 'stream', to run one section
if (!only || only === 'fanout') {
console.log('### Fan-out: one channel and event, N components (200 events)\n');
console.log(`| N | metric | raw channel.bind | ${names.join(' | ')} |`);
console.log(`|---|---|---|${names.map(() => '---').join('|')}|`);
for (const c of contenders) await fanOut(c, 100); // warm-up
await rawBind(100);
for (const n of [1, 100, 1000]) {
  const raw: number[] = [];
  const per: Record<string, { subscribes: number; listeners: number; perEventUs: number }[]> = {};
  for (let r = 0; r < runs; r++) {
    raw.push((await rawBind(n)).perEventUs);
    for (const c of contenders) (per[c.name] ??= []).push(await fanOut(c, n));
  }
  const cell = (c: Contender) => per[c.name];
  console.log(`| ${n} | subscribe frames | - | ${contenders.map((c) => cell(c)[0].subscribes).join(' | ')} |`);
  console.log(`| ${n} | listeners on the channel | ${n} | ${contenders.map((c) => cell(c)[0].listeners).join(' | ')} |`);
  const rawMedian = median(raw);
  console.log(
    `| ${n} | µs per event to all handlers, median (min-max); x raw | ${spread(raw)} | ${contenders
      .map((c) => `${spread(cell(c).map((x) => x.perEventUs))}; ${(median(cell(c).map((x) => x.perEventUs)) / rawMedian).toFixed(2)}x`)
      .join(' | ')} |`,
  );
}

}

if (!only || only === 'churn') {
const cycles = Number(process.env.BENCH_CHURN ?? 10_000);
console.log(`\n### Churn: ${cycles.toLocaleString('en')} mount/unmount cycles under StrictMode (echo-react-query, leaveGraceMs 50)\n`);
console.log('| hook | ms per cycle | subscribe / unsubscribe frames | channels held after | listeners after | timers left | heap growth KB |');
console.log('|---|---|---|---|---|---|---|');
for (const name of Object.keys(hooks)) {
  const r = await churn(name, cycles);
  console.log(
    `| ${name} | ${fmt(r.msPerCycle)} | ${r.subscribeFrames} / ${r.unsubscribeFrames} | ${r.heldChannels} | ${r.listeners} | ${r.timers} | ${r.heapGrowthKB} |`,
  );
}

}

if (!only || only === 'stream') {
const seconds = Number(process.env.BENCH_STREAM_SECONDS ?? 10);
console.log(`\n### Steady stream: 50 events/s for ${seconds} s on a watched key\n`);
console.log(`| queryFn | metric | ${names.join(' | ')} |`);
console.log(`|---|---|${names.map(() => '---').join('|')}|`);
for (const fetchMs of [20, 1500]) {
  const results: Record<string, Awaited<ReturnType<typeof steadyStream>>> = {};
  for (const c of contenders) results[c.name] = await steadyStream(c, fetchMs, seconds);
  const show = (ms: number) => (Number.isFinite(ms) ? fmt(ms) : 'never');
  console.log(`| ${fetchMs} ms | fetches per second | ${contenders.map((c) => fmt(results[c.name].fetchesPerSecond)).join(' | ')} |`);
  console.log(`| ${fetchMs} ms | event -> a fetch that reads it starts, median / longest ms | ${contenders.map((c) => `${show(results[c.name].medianFetchMs)} / ${show(results[c.name].maxFetchMs)}`).join(' | ')} |`);
  console.log(`| ${fetchMs} ms | event -> its data on screen, median ms | ${contenders.map((c) => show(results[c.name].medianLagMs)).join(' | ')} |`);
  console.log(`| ${fetchMs} ms | event -> its data on screen, longest ms | ${contenders.map((c) => show(results[c.name].maxLagMs)).join(' | ')} |`);
}
}
console.log(`\n(${runs} runs for fan-out; Node ${process.version}, React ${React.version} ${process.env.NODE_ENV ?? 'development'} build)`);
process.exit(0);
