import { useCallback, useSyncExternalStore } from 'react';
import type { ConnectionStatus } from '../core/connection';
import { useEnabledClient } from './context';
import { noop } from './internal';

/**
 * The connection status as React state: `'connecting'`, `'connected'`, `'reconnecting'` (dropped
 * after being connected; pusher-js is retrying), `'disconnected'`, `'failed'`, or `'idle'` when
 * realtime is off or not started.
 */
export function useConnectionStatus(): ConnectionStatus {
  const client = useEnabledClient('useConnectionStatus');
  const subscribe = useCallback((onChange: () => void) => client?.subscribe(onChange) ?? noop, [client]);
  return useSyncExternalStore(
    subscribe,
    () => client?.getConnectionStatus() ?? 'idle',
    () => 'idle',
  );
}
