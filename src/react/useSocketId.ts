import { useCallback, useSyncExternalStore } from 'react';
import { useEnabledClient } from './context';
import { noop } from './internal';

/**
 * The current socket id (undefined until connected, new after every reconnect). Send it as
 * `X-Socket-ID` so Laravel's `broadcast(...)->toOthers()` skips this tab; Echo only does that for
 * axios. Outside React use `client.getSocketIdHeader()`.
 */
export function useSocketId(): string | undefined {
  const client = useEnabledClient('useSocketId');
  const subscribe = useCallback((onChange: () => void) => client?.subscribe(onChange) ?? noop, [client]);
  return useSyncExternalStore(
    subscribe,
    () => client?.getSocketId(),
    () => undefined,
  );
}
