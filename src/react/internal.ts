import { useCallback, useInsertionEffect, useRef, useSyncExternalStore, type RefObject } from 'react';
import { registryOf, type RealtimeClient } from '../core/client';
import { IDLE_CHANNEL, isChannelType, whisper, wireName, type ChannelLease, type ChannelSnapshot, type ChannelType } from '../core/channels';
import { failure, RealtimeError } from '../core/shared';

/**
 * Keeps the latest value in a ref so socket callbacks always see the current closure. Updated in an
 * insertion effect: during the commit, before any later event can run, never from a render React
 * may discard, and without React 18's useLayoutEffect warning on the server.
 */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useInsertionEffect(() => {
    ref.current = value;
  });
  return ref;
}

/**
 * The wire name of the channel a hook should hold (the registry's key), or null when it should hold
 * nothing (no client, realtime off, `enabled: false`, no channel name yet, or an unknown type).
 */
export function activeChannel(
  client: RealtimeClient | null,
  name: string | null | undefined,
  type: ChannelType,
  enabled: boolean,
): string | null {
  if (!client?.enabled || !enabled || typeof name !== 'string' || name.length === 0) return null;
  return isChannelType(type) ? wireName(name, type) : `invalid:${String(type)}`;
}

/**
 * Takes a lease for an effect, or reports why it cannot (bad input never throws inside an effect).
 * Returns null when there is nothing to hold.
 */
export function acquireLease(
  client: RealtimeClient | null,
  wire: string | null,
  name: string | null | undefined,
  type: ChannelType,
): ChannelLease | null {
  if (!client || !wire || !name) return null;
  try {
    return client.acquire({ channel: name, type });
  } catch (error) {
    client.reportError(error instanceof RealtimeError ? error : failure('config', false, { cause: error }));
    return null;
  }
}

/** Calls `onChange` when the channel's state in the registry changes (for `useSyncExternalStore`). */
export function useWatchChannel(client: RealtimeClient | null, wire: string | null) {
  return useCallback(
    (onChange: () => void) => (client && wire ? registryOf(client).watch(wire, onChange) : noop),
    [client, wire],
  );
}

/** Subscribes a component to one channel's state in the registry. */
export function useChannelSnapshot(client: RealtimeClient | null, wire: string | null, type: ChannelType): ChannelSnapshot {
  const subscribe = useWatchChannel(client, wire);
  const read = () => (client && wire ? registryOf(client).getSnapshot(wire, type) : IDLE_CHANNEL);
  // The server renders nothing held; hydration must start from the same, whatever the client holds.
  return useSyncExternalStore(subscribe, read, serverChannel);
}

/** Sends a client event on the channel the hook holds (`leaseRef`), as `whisper` in its result: false while it holds none. */
export function useWhisper(client: RealtimeClient | null, leaseRef: RefObject<ChannelLease | null>) {
  return useCallback(
    (event: string, data: Record<string, unknown>) => {
      const lease = leaseRef.current;
      return !!client && !!lease && whisper(registryOf(client).find(lease.wireName), event, data, (error) => client.reportError(error));
    },
    [client, leaseRef],
  );
}

export function noop(): void {}

function serverChannel() {
  return IDLE_CHANNEL;
}
