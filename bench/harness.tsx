/**
 * What every benchmark shares: the three contenders (echo-react-query, the hand-written effect,
 * @laravel/echo-react 2.5) as interchangeable listen hooks, a mount on a fresh in-memory Pusher
 * server with real laravel-echo, React 19 (production build) and TanStack Query, and helpers.
 */
import './dom';

export const React = await import('react');
const { StrictMode, useEffect } = React;

// Measured on React's production build (NODE_ENV=production, as users ship), where `act` does
// not exist: run the work, then let the scheduler (setImmediate in Node) commit and run effects.
export async function act(work: () => unknown): Promise<void> {
  await work();
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
const { createRoot } = await import('react-dom/client');
export const { QueryClient, QueryClientProvider, useQuery, useQueryClient } = await import('@tanstack/react-query');
export const erq = await import('../src');
export const { createFakeEcho } = await import('../src/testing');
export type FakeEcho = ReturnType<typeof createFakeEcho>;
export type FakeEchoOptions = Parameters<typeof createFakeEcho>[0];
export type Node = React.ReactNode;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const runs = Number(process.env.BENCH_RUNS ?? 5);

export interface ListenOptions {
  channel: string;
  type: 'public' | 'private';
  event: string;
  /** Invalidate this key on every event. */
  invalidate?: unknown[];
  onEvent?: (payload: unknown) => void;
  deps?: unknown[];
}

export interface Contender {
  name: string;
  /** Prepares a fresh instance on `fake`; returns the provider and the per-component listen hook. */
  setup(fake: FakeEcho, queryClient: InstanceType<typeof QueryClient>): Promise<{
    Provider: (props: { children?: Node }) => React.ReactElement;
    useListen: (o: ListenOptions) => void;
    dispose: () => void;
  }>;
}

export const ours: Contender = {
  name: 'echo-react-query',
  async setup(fake, queryClient) {
    const client = erq.createRealtimeClient({ echo: fake.echo });
    return {
      Provider: ({ children }) => (
        <QueryClientProvider client={queryClient}>
          <erq.RealtimeProvider client={client}>{children}</erq.RealtimeProvider>
        </QueryClientProvider>
      ),
      useListen: (o) =>
        erq.useRealtimeEvent({ channel: o.channel, type: o.type, event: o.event, invalidate: o.invalidate, onEvent: o.onEvent }),
      dispose: () => client.dispose(),
    };
  },
};

/** What users write by hand today (seed 001): listen in an effect, leave the channel on unmount. */
export const naive: Contender = {
  name: 'naive useEffect',
  async setup(fake, queryClient) {
    const echo = fake.echo;
    return {
      Provider: ({ children }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>,
      useListen: (o) => {
        const qc = useQueryClient();
        useEffect(() => {
          const channel = o.type === 'private' ? echo.private(o.channel) : echo.channel(o.channel);
          const cb = (p: unknown) => {
            if (o.invalidate) void qc.invalidateQueries({ queryKey: o.invalidate });
            o.onEvent?.(p);
          };
          channel.listen(o.event, cb);
          return () => {
            channel.stopListening(o.event, cb);
            echo.leaveChannel((o.type === 'private' ? 'private-' : '') + o.channel);
          };
          // eslint-disable-next-line react-hooks/exhaustive-deps
        }, o.deps ?? []);
      },
      dispose: () => {},
    };
  },
};

let echoReactInstance = 0;
/** @laravel/echo-react 2.5: a fresh module per run (it keeps its Echo in module state). */
export const official: Contender = {
  name: '@laravel/echo-react 2.5',
  async setup(fake, queryClient) {
    const url = `${import.meta.resolve('@laravel/echo-react')}?instance=${++echoReactInstance}`;
    const mod = await import(url);
    mod.configureEcho({ broadcaster: 'pusher', key: 'k', cluster: 'c', Pusher: fake.Pusher, withoutInterceptors: true });
    return {
      Provider: ({ children }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>,
      useListen: (o) => {
        const qc = useQueryClient();
        mod.useEcho(
          o.channel,
          o.event,
          (p: unknown) => {
            if (o.invalidate) void qc.invalidateQueries({ queryKey: o.invalidate });
            o.onEvent?.(p);
          },
          o.deps ?? [],
          o.type,
        );
      },
      dispose: () => mod.echo().disconnect(),
    };
  },
};

export const contenders = [ours, naive, official];

export type App = (useListen: (o: ListenOptions) => void) => Node;

/** Mounts `app` once the socket is connected (so subscribing sends frames, as on a live page). */
export async function mount(contender: Contender, app: App, strict = false, fakeOptions?: FakeEchoOptions) {
  const fake = createFakeEcho(fakeOptions);
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  const { Provider, useListen, dispose } = await contender.setup(fake, queryClient);
  const container = document.body.appendChild(document.createElement('div'));
  const root = createRoot(container);
  const render = async (next: App) => {
    const tree = <Provider>{next(useListen)}</Provider>;
    await act(async () => root.render(strict ? <StrictMode>{tree}</StrictMode> : tree));
    await act(() => fake.flush());
  };
  void fake.echo; // open the socket
  await render(() => null);
  await render(app);
  return {
    fake,
    queryClient,
    root,
    container,
    render,
    async unmount() {
      await act(async () => root.unmount());
      dispose();
      container.remove();
    },
  };
}

export async function idle(queryClient: InstanceType<typeof QueryClient>, quietMs: number) {
  await act(async () => {
    await sleep(quietMs);
    while (queryClient.isFetching() > 0) await sleep(5);
  });
}

export function median(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
