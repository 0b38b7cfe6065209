import { useEffect, type ReactNode } from 'react';
import type { RealtimeClient } from '../core/client';
import { RealtimeContext } from './context';

/** Props of {@link RealtimeProvider}. */
export interface RealtimeProviderProps {
  /** The client from `createRealtimeClient`. `null` / `undefined` turns realtime off: every hook is a no-op. */
  client: RealtimeClient | null | undefined;
  children?: ReactNode;
}

/**
 * Makes a realtime client available to the hooks. Place it inside `QueryClientProvider`: the hooks
 * invalidate through the surrounding QueryClient. It connects on mount (never on the server) and
 * does not dispose the client on unmount: the client outlives it (call `client.dispose()` yourself).
 */
export function RealtimeProvider({ client, children }: RealtimeProviderProps) {
  useEffect(() => {
    client?.connect();
  }, [client]);
  return <RealtimeContext.Provider value={client ?? null}>{children}</RealtimeContext.Provider>;
}
