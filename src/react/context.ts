import { createContext, useContext } from 'react';
import type { RealtimeClient } from '../core/client';
import { warnOnce } from '../core/shared';

/**
 * Carries the client from `RealtimeProvider` to the hooks. `null` means realtime is off on
 * purpose (`client={null}`); `undefined`, the default, means there is no provider at all.
 */
export const RealtimeContext = createContext<RealtimeClient | null | undefined>(undefined);
RealtimeContext.displayName = 'RealtimeContext';

/** The provider's client for a hook, or null; warns (development builds) when there is no provider. */
export function useProvidedClient(hook: string): RealtimeClient | null {
  const client = useContext(RealtimeContext);
  if (process.env.NODE_ENV !== 'production' && client === undefined) {
    warnOnce(
      `${hook} is used outside <RealtimeProvider>, so it does nothing. Wrap the app in ` +
        '<RealtimeProvider client={realtime}> (client={null} turns realtime off without this warning).',
    );
  }
  return client ?? null;
}

/**
 * The {@link RealtimeClient} from the nearest `RealtimeProvider`, or null when there is none or
 * realtime is off. The escape hatch for `getEcho()`, `getSocketIdHeader()`, `reconnect()`.
 */
export function useRealtimeClient(): RealtimeClient | null {
  return useEnabledClient('useRealtimeClient');
}

/** The provider's client when realtime is on, else null (see {@link useProvidedClient}). */
export function useEnabledClient(hook: string): RealtimeClient | null {
  const client = useProvidedClient(hook);
  return client?.enabled ? client : null;
}
