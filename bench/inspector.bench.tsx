/**
 * What the inspector costs (issue #20): the 1,000-event burst of realtime.bench.tsx (20 components
 * on one key) with nobody inspecting, with the inspector recording (a listener subscribed, as the
 * devtools do), and with the package as it was before the inspector existed (commit 06268b5's
 * src, unpacked under node_modules/.cache), next to the hand-written way and @laravel/echo-react, in
 * the same run, rounds interleaved. Run: `npm run bench:inspector`.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { act, erq, idle, median, mount, naive, official, QueryClientProvider, runs, sleep, useQuery, type Contender, type ListenOptions } from './harness';

/** The last commit before the inspector. */
const BEFORE = '06268b5';
const root = resolve(import.meta.dirname, '..');
// Inside this project's node_modules, so its imports reach the very React and TanStack Query the bench uses.
const dir = join(root, 'node_modules', '.cache', `erq-before-${BEFORE}`);
if (!existsSync(join(dir, 'src'))) {
  mkdirSync(dir, { recursive: true });
  execSync(`git archive ${BEFORE} src tsconfig.json | tar -x -C ${dir}`, { cwd: root });
  // ES modules, as the package is (as CommonJS they would load TanStack Query's CommonJS build: another instance).
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
  // tsx compiles files outside this project with the classic JSX runtime: ask for the automatic one.
  for (const file of execSync('find src -name "*.tsx"', { cwd: dir, encoding: 'utf8' }).split('\n').filter(Boolean)) {
    writeFileSync(join(dir, file), `/** @jsxRuntime automatic */\n${readFileSync(join(dir, file), 'utf8')}`);
  }
}
const before = (await import(join(dir, 'src/index.ts'))) as typeof erq;

function oursFrom(name: string, lib: typeof erq, inspect: boolean): Contender {
  return {
    name,
    async setup(fake, queryClient) {
      const client = lib.createRealtimeClient({ echo: fake.echo });
      const stop = inspect ? erq.inspectRealtime(client as never).subscribe(() => {}) : () => {};
      return {
        Provider: ({ children }) => (
          <QueryClientProvider client={queryClient}>
            <lib.RealtimeProvider client={client}>{children}</lib.RealtimeProvider>
          </QueryClientProvider>
        ),
        useListen: (o) => lib.useRealtimeEvent({ channel: o.channel, type: o.type, event: o.event, invalidate: o.invalidate, onEvent: o.onEvent }),
        dispose: () => {
          stop();
          client.dispose();
        },
      };
    },
  };
}

const contenders = [
  oursFrom('echo-react-query, nobody inspecting', erq, false),
  oursFrom('echo-react-query, inspector recording', erq, true),
  oursFrom(`echo-react-query before the inspector (${BEFORE})`, before, false),
  naive,
  official,
];

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
  await idle(m.queryClient, 300);
  const t0 = performance.now();
  await act(async () => {
    for (let i = 0; i < 1000; i++) m.fake.emit('rooms', '.RoomsUpdated', { i });
  });
  const dispatchMs = performance.now() - t0;
  await idle(m.queryClient, 300);
  await m.unmount();
  return dispatchMs;
}

const rounds = Math.max(runs, 9);
for (const c of contenders) await burst(c); // warm-up
const times = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
for (let r = 0; r < rounds; r++) {
  // Each round in another order, so no contender always runs first.
  const order = contenders.map((c, i) => contenders[(i + r) % contenders.length]!);
  for (const c of order) times.get(c.name)!.push(await burst(c));
}
const base = median(times.get(contenders[2]!.name)!);
console.log('| 1,000-event burst, 20 components on one key | dispatch ms (median) | vs before the inspector |');
console.log('|---|---|---|');
for (const c of contenders) {
  const ms = median(times.get(c.name)!);
  console.log(`| ${c.name} | ${ms.toFixed(1)} | ${(ms / base).toFixed(2)}x |`);
}
console.log(`\n(${rounds} rounds, interleaved; Node ${process.version}, ${process.env.NODE_ENV ?? 'development'} build)`);
process.exit(0);
