// The browser benchmark's page: one contender at a time shows the server's value; `window.bench`
// changes it on the server (HTTP -> Laravel stand-in -> Pusher HTTP API -> WebSocket) and times
// until the DOM shows it. The runner (run.ts) drives it from Chromium.
import { configureEcho, echo, useEcho } from '@laravel/echo-react';
import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import Echo from 'laravel-echo';
import Pusher from 'pusher-js';
import { StrictMode, useEffect } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { createRealtimeClient, RealtimeProvider, useRealtimeEvent, type RealtimeClient } from '../../src';

const params = new URLSearchParams(location.search);
const app = params.get('app')!;
const ws = { key: 'app-key', wsHost: '127.0.0.1', wsPort: Number(params.get('wsPort')), wssPort: Number(params.get('wsPort')), forceTLS: false, enabledTransports: ['ws'] as ['ws'] };

let fetches = 0;
const readValue = async (): Promise<number> => {
  fetches += 1;
  return ((await (await fetch(`${app}/value`)).json()) as { v: number }).v;
};

function Value() {
  const { data } = useQuery({ queryKey: ['v'], queryFn: readValue });
  return <output id="value">{data ?? ''}</output>;
}

function Ours() {
  useRealtimeEvent({ channel: 'bench', type: 'public', event: '.ValueChanged', invalidate: ['v'] });
  return <Value />;
}

let naiveEcho: Echo<'reverb'> | null = null;
function Naive() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const channel = naiveEcho!.channel('bench');
    const onChange = () => void queryClient.invalidateQueries({ queryKey: ['v'] });
    channel.listen('.ValueChanged', onChange);
    return () => void channel.stopListening('.ValueChanged', onChange);
  }, [queryClient]);
  return <Value />;
}

function Official() {
  const queryClient = useQueryClient();
  useEcho('bench', '.ValueChanged', () => void queryClient.invalidateQueries({ queryKey: ['v'] }), [queryClient], 'public');
  return <Value />;
}

let root: Root | null = null;
let realtime: RealtimeClient | null = null;

declare global {
  interface Window {
    bench: {
      mount(contender: string): Promise<void>;
      sample(v: number): Promise<number>;
      /** Sets `count` values from `from` on, `gapMs` apart (0: all at once); ms until each is shown (or a later one). */
      series(from: number, count: number, gapMs: number): Promise<number[]>;
      fetches(): number;
      unmount(): void;
    };
  }
}

/** Resolves when #value shows `v` (or, with `orLater`, a later value). */
function shown(v: number, orLater = false): Promise<number> {
  return new Promise((resolve) => {
    const check = () => {
      const text = document.getElementById('value')?.textContent;
      if (text === String(v) || (orLater && Number(text) > v)) {
        observer.disconnect();
        resolve(performance.now());
        return true;
      }
      return false;
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    check();
  });
}

window.bench = {
  async mount(contender) {
    const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
    let tree: React.ReactNode;
    if (contender === 'ours' || contender === 'ours-wait-0') {
      // `wait: 0`: no time window, only the fetch in flight bounds the refetches.
      realtime = createRealtimeClient({ echo: { broadcaster: 'reverb', ...ws, Pusher }, defaults: contender === 'ours' ? {} : { wait: 0 } });
      tree = (
        <RealtimeProvider client={realtime}>
          <Ours />
        </RealtimeProvider>
      );
    } else if (contender === 'naive') {
      naiveEcho = new Echo({ broadcaster: 'reverb', ...ws, Pusher });
      tree = <Naive />;
    } else {
      configureEcho({ broadcaster: 'reverb', ...ws, Pusher } as never);
      tree = <Official />;
    }
    root = createRoot(document.getElementById('root')!);
    root.render(
      <StrictMode>
        <QueryClientProvider client={queryClient}>{tree}</QueryClientProvider>
      </StrictMode>,
    );
    await shown(await readValue());
    // Every contender's subscription confirmed before the first event: an event sent earlier is
    // lost for the two that do not refetch on subscribe.
    type WithPusher = { connector: { pusher: { channel(name: string): { subscribed: boolean } | undefined } } };
    const echoOf = () => (contender === 'naive' ? naiveEcho : contender === 'official' ? echo() : realtime!.getEcho()) as unknown as WithPusher;
    while (!echoOf().connector.pusher.channel('bench')?.subscribed) await new Promise((r) => setTimeout(r, 10));
  },
  /** Sets the value on the server; ms until the DOM shows it. */
  async sample(v) {
    const done = shown(v);
    const start = performance.now();
    await fetch(`${app}/value`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ v }) });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`value ${v} never shown`)), 5000));
    return (await Promise.race([done, timeout])) - start;
  },
  async series(from, count, gapMs) {
    const times: Promise<number>[] = [];
    for (let i = 0; i < count; i++) {
      const v = from + i;
      const done = shown(v, true);
      const start = performance.now();
      void fetch(`${app}/value`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ v }) });
      times.push(done.then((at) => at - start));
      if (gapMs > 0 && i < count - 1) await new Promise((r) => setTimeout(r, gapMs));
    }
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`series from ${from} never shown`)), 10_000));
    return Promise.race([Promise.all(times), timeout]);
  },
  fetches: () => fetches,
  unmount() {
    root?.unmount();
    realtime?.dispose();
    naiveEcho?.disconnect();
  },
};
