import { useCallback, useEffect, useLayoutEffect, useRef, useSyncExternalStore, type RefObject } from 'react';
import type { RealtimeClient } from '../core/client';
import { RealtimeError } from '../core/errors';
import { channelId, IDLE_CHANNEL, type ChannelLease } from '../core/registry';
import type { ChannelSnapshot, ChannelType } from '../core/types';

// useLayoutEffect warns during server rendering in React 18; the ref only matters in the browser.
const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

const CHANNEL_TYPES: readonly string[] = ['public', 'private', 'presence', 'encrypted'];

/** Keeps the latest value in a ref so socket callbacks always see the current closure. */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useIsomorphicLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}

/**
 * The registry id of the channel a hook should hold, or null when it should hold nothing
 * (no client, realtime off, `enabled: false`, or no channel name yet).
 */
export function useActiveChannelId(
  client: RealtimeClient | null,
  name: string | null | undefined,
  type: ChannelType,
  enabled: boolean,
): string | null {
  const active = !!client?.enabled && enabled && typeof name === 'string' && name.length > 0;
  const valid = CHANNEL_TYPES.includes(type);
  useEffect(() => {
    if (active && !valid) {
      client?.reportError(
        new RealtimeError('config', `Unknown channel type ${JSON.stringify(type)} for "${name}"; use public, private, presence or encrypted.`),
      );
    }
  }, [active, valid, client, name, type]);
  return active && valid ? channelId(name, type) : null;
}

/** Subscribes a component to one channel's state in the registry. */
export function useChannelSnapshot(client: RealtimeClient | null, id: string | null): ChannelSnapshot {
  const subscribe = useCallback(
    (onChange: () => void) => (client && id ? client.channels.watch(id, onChange) : noop),
    [client, id],
  );
  const read = () => (client && id ? client.channels.getSnapshot(id) : IDLE_CHANNEL);
  return useSyncExternalStore(subscribe, read, read);
}

/**
 * Holds a lease on a channel while mounted and active, and runs `setup` with it (to add handlers).
 * Re-runs only when `deps` (primitives) change; the registry's grace period makes a re-run that
 * keeps the same channel a no-op on the wire.
 */
export function useLease(
  client: RealtimeClient | null,
  id: string | null,
  name: string | null | undefined,
  type: ChannelType,
  setup: (lease: ChannelLease, client: RealtimeClient) => void,
  deps: readonly unknown[],
): RefObject<ChannelLease | null> {
  const leaseRef = useRef<ChannelLease | null>(null);
  const setupRef = useLatest(setup);
  useEffect(() => {
    if (!client || !id || !name) return;
    const lease = client.acquire(name, type);
    leaseRef.current = lease;
    setupRef.current(lease, client);
    return () => {
      leaseRef.current = null;
      lease.release();
    };
    // `setup` is read through a ref; the subscription depends only on what identifies it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, id, ...deps]);
  return leaseRef;
}

export function noop(): void {}
