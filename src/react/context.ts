import { createContext, useContext } from 'react';
import type { RealtimeClient } from '../core/client';

/** Carries the client from `RealtimeProvider` to the hooks; null means realtime is off. */
export const RealtimeContext = createContext<RealtimeClient | null>(null);
RealtimeContext.displayName = 'RealtimeContext';

/**
 * The {@link RealtimeClient} from the nearest `RealtimeProvider`, or null when there is none or
 * realtime is off. The escape hatch for `getEcho()`, `getSocketIdHeader()`, `reconnect()`.
 */
export function useRealtimeClient(): RealtimeClient | null {
  const client = useContext(RealtimeContext);
  return client?.enabled ? client : null;
}
