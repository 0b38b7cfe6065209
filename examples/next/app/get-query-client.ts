// app/get-query-client.ts
import { environmentManager, QueryClient } from '@tanstack/react-query';

// The socket says when data changes, so queries need not refetch on their own.
function makeQueryClient() {
  return new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
}

let browserQueryClient: QueryClient | undefined;

// TanStack's advice for the App Router: a new QueryClient per request on the server, one for the
// life of the page in the browser (not useState: React may discard it if the first render suspends).
// A module of its own: fast refresh re-runs providers.tsx when realtime.ts changes, and a new
// QueryClient there would leave mounted queries reading the old one.
export function getQueryClient() {
  if (environmentManager.isServer()) return makeQueryClient();
  return (browserQueryClient ??= makeQueryClient());
}
