/**
 * The page of the provider check in test/browser/dispose.test.ts: an app under StrictMode whose RealtimeProvider gets a
 * new client when the test "hot-reloads realtime.ts" (fast refresh re-runs the module that calls
 * createRealtimeClient), and can unmount and mount its realtime part. Real laravel-echo and
 * pusher-js; the servers come in the query string: `?ws=<port>&auth=<auth endpoint URL>`.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { RealtimeProvider, useRealtimeChannel, useRealtimeEvent, type RealtimeClient } from 'echo-react-query';
import { pageClient } from '../page-client';


/** What realtime.ts does, each time the module runs. */
const createClient = (): RealtimeClient => pageClient();

const clients = [createClient()];
const queryClient = new QueryClient();
let control: { setClient(client: RealtimeClient): void; setMounted(mounted: boolean): void } | null = null;

function Orders() {
  const { status } = useRealtimeChannel({ channel: 'orders.1', events: { '.OrderShipped': () => {} } });
  useRealtimeEvent({ channel: 'news', type: 'public', event: '.Published', onEvent: () => {} });
  return <p id="orders">{status}</p>;
}

function App() {
  const [client, setClient] = useState(clients[0]!);
  const [mounted, setMounted] = useState(true);
  useEffect(() => {
    control = { setClient, setMounted };
  }, []);
  return (
    <QueryClientProvider client={queryClient}>
      {mounted && (
        <RealtimeProvider client={client}>
          <Orders />
        </RealtimeProvider>
      )}
    </QueryClientProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

const page = {
  /** Fast refresh re-ran realtime.ts: a new client for the provider. */
  reload(): void {
    const client = createClient();
    clients.push(client);
    control!.setClient(client);
  },
  mount: (mounted: boolean) => control!.setMounted(mounted),
  status: (index: number) => clients[index]!.getConnectionStatus(),
  orders: () => document.getElementById('orders')?.textContent ?? 'none',
  /** Keeps the main thread busy for `forMs` from `inMs` on (a heavy render): timers due meanwhile run late, together. */
  busy(inMs: number, forMs: number): void {
    setTimeout(() => {
      const end = performance.now() + forMs;
      while (performance.now() < end);
    }, inMs);
  },
  /** Resolves after one macrotask: whatever the page deferred before this call has run. */
  turn: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
};

(window as unknown as { page: typeof page }).page = page;
