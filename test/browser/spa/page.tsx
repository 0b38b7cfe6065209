// The test page: the guide's files as an SPA on its own origin. spa.test.ts bundles it with
// import.meta.env defined, and with ./realtime and ./api swapped for the cookie versions.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RealtimeProvider } from 'echo-react-query';
import { createRoot } from 'react-dom/client';
import { Order } from './Order';
import { realtime } from './realtime';
import { login } from './session';

const root = createRoot(document.getElementById('root')!);
const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
const email = new URLSearchParams(location.search).get('login');
try {
  if (email) await login(email, 'password');
  root.render(
    <QueryClientProvider client={queryClient}>
      <RealtimeProvider client={realtime}>
        <Order id={1} />
      </RealtimeProvider>
    </QueryClientProvider>,
  );
} catch (error) {
  root.render(<p>{String(error)}</p>);
}
