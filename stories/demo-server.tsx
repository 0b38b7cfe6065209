/// <reference types="vite/client" />
// The demos' embedded backend: a Laravel app simulated in the browser. It owns the data, serves it
// to queryFns with a realistic delay (counting every request), and broadcasts events through the
// testing kit's fake Pusher server exactly as Laravel would. No backend, no network.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createRealtimeClient, RealtimeProvider, type RealtimeClient } from 'echo-react-query';
// The production path: the demos show the panel in every build, `storybook build` too.
import { RealtimeDevtoolsPanel } from 'echo-react-query/devtools/production';
import { createFakeEcho, type FakeEcho } from 'echo-react-query/testing';
import Pusher from 'pusher-js';
import { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { devSettings } from '../test/server/dev-settings';

/** Where the realtime side runs: in the page (the default), or on `npm run dev:server`. */
export type Backend = 'embedded' | 'dev-server';
/**
 * `npm run dev:server`'s settings, from the module dev:server and `npm run trigger` read:
 * .storybook/main.ts hands PUSHER_PORT / APP_PORT to the page as STORYBOOK_PUSHER_PORT / _APP_PORT.
 */
const dev = devSettings({ PUSHER_PORT: import.meta.env.STORYBOOK_PUSHER_PORT, APP_PORT: import.meta.env.STORYBOOK_APP_PORT });
export const DEV_SERVER = { key: dev.key, host: dev.host, wsPort: dev.pusherPort, app: `http://${dev.host}:${dev.appPort}` };
const tokenOf = (id: number) => Object.keys(dev.tokens).find((token) => dev.tokens[token].id === id) ?? null;
export const BackendContext = createContext<Backend>('embedded');

export type Room = { id: number; name: string; free: number };
export type Booking = { reference: string; status: 'pending' | 'confirmed' | 'checked-in' };
export type Todo = { id: string; title: string; done: boolean; commandId: string | null; pending?: boolean };
export type Post = { id: number; title: string; status: 'draft' | 'published' };

/**
 * A Laravel app in the browser: data, endpoints with latency, broadcasts. With `backend:
 * 'dev-server'`, the data stays here but the sockets, auth and broadcasts go through the project's
 * Pusher-protocol server and Laravel stand-in (`npm run dev:server`).
 */
export class DemoServer {
  readonly fake: FakeEcho = createFakeEcho({ user: { id: 1, name: 'Ann' } });
  private readonly clients: RealtimeClient[] = [];

  constructor(readonly backend: Backend = 'embedded') {}
  latencyMs = 120;
  rooms: Room[] = [
    { id: 1, name: 'Lisbon', free: 3 },
    { id: 2, name: 'Porto', free: 1 },
    { id: 3, name: 'Faro', free: 0 },
  ];
  booking: Booking = { reference: 'BK-1042', status: 'pending' };
  todos: Todo[] = [{ id: 't1', title: 'Read the README', done: true, commandId: null }];
  post: Post = { id: 5, title: 'Realtime in Laravel', status: 'draft' };
  provisionedSteps = 0;
  /** Requests per endpoint, for the fetch counters. */
  private readonly counts = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  /** What the clients reported to `onError` (a story shows it where it matters). */
  readonly errors: Error[] = [];

  /** A client for one tab: its own Echo connection on the same server. */
  client(user?: { id: number; name: string }): RealtimeClient {
    const live = this.backend === 'dev-server';
    const client = createRealtimeClient({
      echo: live
        ? {
            broadcaster: 'reverb',
            key: DEV_SERVER.key,
            wsHost: DEV_SERVER.host,
            wsPort: DEV_SERVER.wsPort,
            wssPort: DEV_SERVER.wsPort,
            forceTLS: false,
            enabledTransports: ['ws'],
            authEndpoint: `${DEV_SERVER.app}/broadcasting/auth`,
            Pusher,
          }
        : user
          ? this.fake.createEcho({ user })
          : this.fake.echo,
      getToken: () => tokenOf(user?.id ?? 1),
      defaults: { wait: 100 },
      onError: (error) => this.errors.push(error),
    });
    this.clients.push(client);
    return client;
  }

  /** The socket drops (in the page), or this page's sockets close (on the dev server). */
  dropSocket(): void {
    if (this.backend === 'embedded') this.fake.setConnectionState('unavailable');
    else for (const client of this.clients) client.disconnect();
  }

  restoreSocket(): void {
    if (this.backend === 'embedded') this.fake.setConnectionState('connected');
    else for (const client of this.clients) client.connect();
  }

  /** `/broadcasting/auth` refuses this channel (on the dev server, its routes/channels.php does). */
  refuse(channel: string): void {
    if (this.backend === 'embedded') this.fake.failAuth(channel, 403);
  }

  /** GET `endpoint`: counts it, waits the latency, answers a copy of what `read` gives then. */
  async get<T>(endpoint: string, read: () => T): Promise<T> {
    this.counts.set(endpoint, (this.counts.get(endpoint) ?? 0) + 1);
    this.changed();
    const answer = structuredClone(read());
    await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    return answer;
  }

  fetches(endpoint: string): number {
    return this.counts.get(endpoint) ?? 0;
  }

  /** Changes data on the server (what a controller does), then tells the counters. */
  update(change: (db: DemoServer) => void): void {
    change(this);
    this.changed();
  }

  /** `broadcast(new Event(...))`: wire channel name, Echo event name. */
  broadcast(channel: string, event: string, payload: unknown = {}): void {
    if (this.backend === 'embedded') {
      this.fake.emit(channel, event, payload);
      return;
    }
    // A leading dot is Echo's "verbatim" marker: on the wire the name has none.
    fetch(`${DEV_SERVER.app}/broadcast`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ channel, event: event.replace(/^\./, ''), data: payload }),
    }).catch((cause) => console.warn(`Broadcast failed: is \`npm run dev:server\` running on ${DEV_SERVER.app}? (${String(cause)})`));
  }

  /** Closes every client this server made. */
  dispose(): void {
    for (const client of this.clients.splice(0)) client.dispose();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

const ServerContext = createContext<DemoServer | null>(null);

/** The story's server. */
export function useDemoServer(): DemoServer {
  const server = useContext(ServerContext);
  if (!server) throw new Error('Wrap the story in <DemoApp>');
  return server;
}

/** Re-renders when the server's counters or data change. */
export function useServerState<T>(read: (server: DemoServer) => T): T {
  const server = useDemoServer();
  const subscribe = useCallback((onChange: () => void) => server.subscribe(onChange), [server]);
  return useSyncExternalStore(subscribe, () => read(server));
}

/** What a story tells its reader, in two lines: what to do, and what to look at. */
export interface DemoGuide {
  /** What to try. */
  try: ReactNode;
  /** What to watch, on the page and in the devtools panel beside it. */
  watch: ReactNode;
}

/**
 * A fresh server, realtime client and QueryClient per story, disposed when the story unmounts, with
 * the story's two lines above it and the realtime devtools panel beside it. StrictMode unmounts
 * and remounts at once: the dispose waits a tick and is skipped if the story is back (a disposed
 * client stays disposed). An app makes its client once, at module scope (see the README's Quick
 * start), and needs none of this.
 */
export function DemoApp({ children, setup, guide }: { children: ReactNode; setup?: (server: DemoServer) => void; guide: DemoGuide }) {
  const backend = useContext(BackendContext);
  const [app] = useState(() => {
    const server = new DemoServer(backend);
    setup?.(server);
    const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
    return { server, realtime: server.client(), queryClient };
  });
  const mounted = useRef(0);
  useEffect(() => {
    mounted.current += 1;
    return () => {
      mounted.current -= 1;
      setTimeout(() => {
        if (mounted.current === 0) app.server.dispose();
      });
    };
  }, [app]);
  return (
    <ServerContext.Provider value={app.server}>
      <QueryClientProvider client={app.queryClient}>
        <RealtimeProvider client={app.realtime}>
          <div className="demo-shell">
            <main className="demo-main">
              <div className="demo-explain" aria-label="About this demo">
                <p>
                  <strong>Try:</strong> {guide.try}
                </p>
                <p>
                  <strong>Watch:</strong> {guide.watch}
                </p>
              </div>
              <div className="demo-card">{children}</div>
            </main>
            <RealtimeDevtoolsPanel className="demo-devtools" theme="light" />
          </div>
        </RealtimeProvider>
      </QueryClientProvider>
    </ServerContext.Provider>
  );
}

/** "On the server": the controls a story offers to change data as Laravel would. */
export function ServerPanel({ children }: { children: ReactNode }) {
  return (
    <aside aria-label="Server" className="demo-server">
      <strong>On the server</strong>
      <div className="demo-server-actions">{children}</div>
    </aside>
  );
}

/** How many times an endpoint was requested. */
export function FetchCounter({ endpoint, label = endpoint }: { endpoint: string; label?: string }) {
  const count = useServerState((server) => server.fetches(endpoint));
  return (
    <p className="counter">
      {label} fetches: <output aria-label={`${label} fetches`}>{count}</output>
    </p>
  );
}

/** The demo's side of the page (not the devtools panel), for play tests: `within(demo(canvasElement))`. */
export function demo(canvasElement: HTMLElement): HTMLElement {
  return canvasElement.querySelector<HTMLElement>('.demo-main') ?? canvasElement;
}

/** The devtools panel beside the demo, for play tests that read what it shows. */
export function devtools(canvasElement: HTMLElement): HTMLElement {
  const panel = canvasElement.querySelector<HTMLElement>('.demo-devtools');
  if (!panel) throw new Error('No devtools panel beside this demo');
  return panel;
}
