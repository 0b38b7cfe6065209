import { useEffect, type ReactNode } from 'react';
import type { RealtimeClient } from '../core/client';
import { provide } from '../core/provided';
import { RealtimeContext } from './context';

/** Props of {@link RealtimeProvider}. */
export interface RealtimeProviderProps {
  /** The client from `createRealtimeClient`. `null` / `undefined` turns realtime off: every hook is a no-op. */
  client: RealtimeClient | null | undefined;
  children?: ReactNode;
}

/**
 * Makes a realtime client available to the hooks. Place it inside `QueryClientProvider`: the hooks
 * invalidate through the surrounding QueryClient. It connects on mount (never on the server). A
 * client that no mounted provider shows any more (its last provider unmounted, or the `client`
 * prop replaced, as fast refresh does when it re-runs the module that creates the client) is
 * disconnected after its `leaveGraceMs` (1 s), closing its socket; shown again meanwhile
 * (StrictMode, a route change), nothing happens on the wire, and a later mount reconnects it. Only
 * a client that created its own Echo: an Echo you handed in is never closed, nor a socket that a
 * channel held outside React (`acquire()`) still uses. The client itself
 * outlives the provider: it is not disposed (call `client.dispose()` to end it for good).
 */
export function RealtimeProvider({ client, children }: RealtimeProviderProps) {
  useEffect(() => (client ? provide(client) : undefined), [client]);
  return <RealtimeContext.Provider value={client ?? null}>{children}</RealtimeContext.Provider>;
}
