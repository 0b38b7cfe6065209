/**
 * The page of test/browser/devtools.test.ts: an app with one query kept by a public channel's
 * events, and the realtime devtools as the query string says: `?mode=standalone` (the corner
 * button), `tanstack` (a plugin of <TanStackDevtools>), `shipped` (from the production sub-path),
 * with `&ws=<port>`. Real laravel-echo and pusher-js.
 */
import { TanStackDevtools } from '@tanstack/react-devtools';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { RealtimeProvider, useRealtimeEvent } from 'echo-react-query';
import { RealtimeDevtools, realtimeDevtoolsPlugin } from 'echo-react-query/devtools';
import { RealtimeDevtools as ShippedDevtools } from 'echo-react-query/devtools/production';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pageClient } from '../page-client';

const query = new URLSearchParams(location.search);
const mode = query.get('mode');
const realtime = pageClient();
const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
let fetches = 0;

function Orders() {
  const { data } = useQuery({ queryKey: ['orders'], queryFn: async () => ++fetches });
  useRealtimeEvent({ channel: 'orders', type: 'public', event: '.OrderShipped', invalidate: ['orders'], wait: 100 });
  return <p id="orders">loaded {data ?? 0} times</p>;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RealtimeProvider client={realtime}>
        <Orders />
        {mode === 'standalone' && <RealtimeDevtools bufferSize={Number(query.get('buffer') ?? 500)} theme={(query.get('theme') as 'light' | 'dark' | null) ?? 'system'} />}
        {mode === 'shipped' && <ShippedDevtools />}
        {mode === 'tanstack' && <TanStackDevtools plugins={[realtimeDevtoolsPlugin()]} />}
      </RealtimeProvider>
    </QueryClientProvider>
  </StrictMode>,
);
