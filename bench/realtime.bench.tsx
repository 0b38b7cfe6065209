/**
 * Benchmarks echo-react-query against the hand-written way ("naive": Echo in a useEffect) and
 * against @laravel/echo-react 2.5, in the same run, on the same in-memory Pusher server, with real
 * laravel-echo, React 19 and TanStack Query. Run: `npm run bench` (prints the tables in BENCHMARKS.md).
 */
import { performance } from 'node:perf_hooks';
import {
  act,
  contenders,
  median,
  idle,
  mount,
  React,
  runs,
  sleep,
  useQuery,
  type Contender,
  type ListenOptions,
} from './harness';

const { useState } = React;

// ---- 1. burst -----------------------------------------------------------------------------
async function burst(contender: Contender) {
  let calls = 0;
  const queryFn = async () => {
    calls += 1;
    await sleep(2);
    return calls;
  };
  function Room({ useListen }: { useListen: (o: ListenOptions) => void }) {
    useQuery({ queryKey: ['rooms'], queryFn });
    useListen({ channel: 'rooms', type: 'public', event: '.RoomsUpdated', invalidate: ['rooms'] });
    return null;
  }
  const m = await mount(contender, (useListen) => Array.from({ length: 20 }, (_, i) => <Room key={i} useListen={useListen} />));
  await idle(m.queryClient, 300); // past the coalescing window of the refetch on subscribe
  const before = calls;
  const t0 = performance.now();
  await act(async () => {
    for (let i = 0; i < 1000; i++) m.fake.emit('rooms', '.RoomsUpdated', { i });
  });
  const dispatchMs = performance.now() - t0;
  await idle(m.queryClient, 600);
  const settledMs = performance.now() - t0 - 600;
  const listeners = m.fake.stats('rooms').listeners;
  await m.unmount();
  return { queryFn: calls - before, dispatchMs, settledMs, listeners };
}

// ---- 2. StrictMode, 50 components on one private channel -------------------------------------
async function strict(contender: Contender) {
  function C({ useListen }: { useListen: (o: ListenOptions) => void }) {
    useListen({ channel: 'orders', type: 'private', event: '.OrderShipped', onEvent: () => {} });
    return null;
  }
  const m = await mount(contender, (useListen) => Array.from({ length: 50 }, (_, i) => <C key={i} useListen={useListen} />), true);
  const s = m.fake.stats('private-orders');
  await m.unmount();
  return s;
}

// ---- 3. a callback that reads state, 3 state changes ------------------------------------------
async function freshCallbacks(contender: Contender) {
  const seen: number[] = [];
  let bump = () => {};
  function C({ useListen }: { useListen: (o: ListenOptions) => void }) {
    const [n, setN] = useState(0);
    bump = () => setN((x) => x + 1);
    // echo-react and the naive effect need deps to see fresh state; ours does not.
    useListen({ channel: 'orders', type: 'private', event: '.OrderShipped', onEvent: () => seen.push(n), deps: [n] });
    return null;
  }
  const m = await mount(contender, (useListen) => <C useListen={useListen} />);
  for (let i = 0; i < 3; i++) {
    await act(async () => bump());
    await act(() => m.fake.flush());
  }
  await act(async () => void m.fake.emit('private-orders', '.OrderShipped', {}));
  const s = m.fake.stats('private-orders');
  await m.unmount();
  return { ...s, sawLatest: seen.at(-1) === 3 };
}

// ---- 3b. route change: page A unmounts, page B mounts, both on the same private channel ----------
async function routeChange(contender: Contender) {
  function PageA({ useListen }: { useListen: (o: ListenOptions) => void }) {
    useListen({ channel: 'team.1', type: 'private', event: '.A', onEvent: () => {} });
    return <p>A</p>;
  }
  function PageB({ useListen }: { useListen: (o: ListenOptions) => void }) {
    useListen({ channel: 'team.1', type: 'private', event: '.B', onEvent: () => {} });
    return <p>B</p>;
  }
  const m = await mount(contender, (useListen) => <PageA useListen={useListen} />);
  await m.render((useListen) => <PageB useListen={useListen} />);
  await m.render((useListen) => <PageA useListen={useListen} />);
  const s = m.fake.stats('private-team.1');
  await m.unmount();
  return s;
}

// ---- 4. two components, one unmounts -------------------------------------------------------
async function unmountOne(contender: Contender) {
  const seen: string[] = [];
  let hideA = () => {};
  function C({ id, useListen }: { id: string; useListen: (o: ListenOptions) => void }) {
    useListen({ channel: 'orders', type: 'private', event: '.OrderShipped', onEvent: () => seen.push(id) });
    return null;
  }
  function Page({ useListen }: { useListen: (o: ListenOptions) => void }) {
    const [showA, setShowA] = useState(true);
    hideA = () => setShowA(false);
    return (
      <>
        {showA && <C id="a" useListen={useListen} />}
        <C id="b" useListen={useListen} />
      </>
    );
  }
  const m = await mount(contender, (useListen) => <Page useListen={useListen} />);
  await act(async () => hideA());
  await act(() => sleep(1200)); // past any grace period
  await act(async () => void m.fake.emit('private-orders', '.OrderShipped', {}));
  await m.unmount();
  return { otherStillReceives: seen.includes('b') };
}

// ---- 5. socket drop while the server changes ---------------------------------------------------
async function reconnect(contender: Contender) {
  let server = 1;
  function C({ useListen }: { useListen: (o: ListenOptions) => void }) {
    const { data } = useQuery({ queryKey: ['rooms'], queryFn: async () => server });
    useListen({ channel: 'rooms', type: 'public', event: '.RoomsUpdated', invalidate: ['rooms'] });
    return <p>{data}</p>;
  }
  const m = await mount(contender, (useListen) => <C useListen={useListen} />);
  await idle(m.queryClient, 20);
  await act(async () => m.fake.setConnectionState('unavailable'));
  server = 2;
  m.fake.emit('rooms', '.RoomsUpdated', {}); // lost: the socket is down
  await act(async () => m.fake.setConnectionState('connected'));
  await act(() => m.fake.flush());
  await idle(m.queryClient, 300); // the refetch may wait out a coalescing window (wait: 250 ms)
  const shown = m.container.textContent;
  await m.unmount();
  return { upToDate: shown === '2' };
}

// ---- 6. an event between the first fetch and the subscription ----------------------------------
async function subscribeGap(contender: Contender) {
  let server = 1;
  let calls = 0;
  let answer: () => void = () => {};
  const held = new Promise<boolean>((resolve) => (answer = () => resolve(true)));
  function C({ useListen }: { useListen: (o: ListenOptions) => void }) {
    const { data } = useQuery({ queryKey: ['order'], queryFn: async () => ((calls += 1), server) });
    useListen({ channel: 'orders', type: 'private', event: '.OrderShipped', invalidate: ['order'] });
    return <p>{data}</p>;
  }
  // /broadcasting/auth answers only after the page has loaded its data.
  const m = await mount(contender, (useListen) => <C useListen={useListen} />, false, { authorize: () => held });
  await idle(m.queryClient, 20);
  server = 2;
  m.fake.emit('private-orders', '.OrderShipped', {}); // lost: not subscribed yet
  answer();
  await act(() => m.fake.flush());
  await idle(m.queryClient, 300);
  const shown = m.container.textContent;
  await m.unmount();
  return { upToDate: shown === '2', queryFnOnOpen: calls };
}

// ---- 7. memory: 1,000 listening components on 10 channels -----------------------------------
async function memory(contender: Contender) {
  const gc = (globalThis as { gc?: () => void }).gc;
  function C({ i, useListen }: { i: number; useListen: (o: ListenOptions) => void }) {
    useListen({ channel: `ch.${i % 10}`, type: 'public', event: '.Tick', onEvent: () => {} });
    return null;
  }
  gc?.();
  const base = process.memoryUsage().heapUsed;
  const m = await mount(contender, (useListen) => Array.from({ length: 1000 }, (_, i) => <C key={i} i={i} useListen={useListen} />));
  gc?.();
  const used = process.memoryUsage().heapUsed - base;
  const listeners = m.fake.listenerCount();
  const t0 = performance.now();
  await act(async () => {
    for (let i = 0; i < 100; i++) m.fake.emit('ch.0', '.Tick', { i });
  });
  const dispatchMs = performance.now() - t0;
  await m.unmount();
  return { heapKB: Math.round(used / 1024), listeners, dispatchMs };
}

// ---- run --------------------------------------------------------------------------------
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const results: Record<string, Record<string, string>> = {};
// Warm up every contender first, so no one pays for JIT and module loading in the measured runs.
for (const c of contenders) {
  await burst(c);
  await memory(c);
}
for (const c of contenders) {
  const b = [];
  for (let i = 0; i < runs; i++) b.push(await burst(c));
  const st = await strict(c);
  const fc = await freshCallbacks(c);
  const rt = await routeChange(c);
  const uo = await unmountOne(c);
  const rc = await reconnect(c);
  const sg = await subscribeGap(c);
  const mem = [];
  for (let i = 0; i < runs; i++) mem.push(await memory(c));
  results[c.name] = {
    'burst: queryFn calls (1,000 events, 20 components)': String(median(b.map((x) => x.queryFn))),
    'burst: dispatch ms (median)': fmt(median(b.map((x) => x.dispatchMs))),
    'burst: Echo listeners on the channel': String(b[0].listeners),
    'StrictMode x50 private: subscribe frames / auth requests': `${st.subscribes} / ${st.authRequests}`,
    '3 state changes: subscribes / unsubscribes / auth': `${fc.subscribes} / ${fc.unsubscribes} / ${fc.authRequests}`,
    '3 state changes: callback saw latest state': fc.sawLatest ? 'yes' : 'no',
    'route change A -> B -> A on one private channel: subscribes / auth': `${rt.subscribes} / ${rt.authRequests}`,
    'one of two unmounts: other still receives': uo.otherStillReceives ? 'yes' : 'no',
    'socket drop while data changed: UI up to date after reconnect': rc.upToDate ? 'yes' : 'no',
    'event between first fetch and subscription: UI up to date': sg.upToDate ? 'yes' : 'no',
    '... queryFn calls to open that page (the price of refetchOnSubscribe)': String(sg.queryFnOnOpen),
    '1,000 components / 10 channels: Echo listeners': String(mem[0].listeners),
    '1,000 components / 10 channels: heap KB (median)': String(median(mem.map((x) => x.heapKB))),
    '1,000 components: 100 events dispatch ms (median)': fmt(median(mem.map((x) => x.dispatchMs))),
  };
}

const names = contenders.map((c) => c.name);
const rows = Object.keys(results[names[0]]);
console.log(`| metric | ${names.join(' | ')} |`);
console.log(`|---|${names.map(() => '---').join('|')}|`);
for (const row of rows) console.log(`| ${row} | ${names.map((n) => results[n][row]).join(' | ')} |`);
console.log(`\n(${runs} runs for the burst and memory rows; Node ${process.version}, React ${React.version} ${process.env.NODE_ENV ?? 'development'} build${(globalThis as { gc?: unknown }).gc ? ', --expose-gc' : ', no --expose-gc: heap rows are noisy'})`);
process.exit(0);
