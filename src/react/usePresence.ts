import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { EMPTY_PRESENCE, type ChannelLease, type ChannelSnapshot, type PresenceMember, type PresenceSnapshot } from '../core/channels';
import { registryOf } from '../core/client';
import { trackPresence } from '../core/presence';
import { useProvidedClient } from './context';
import { acquireLease, activeChannel, useChannelSnapshot, useLatest, useWatchChannel, useWhisper } from './internal';
import type { WhisperFunction } from './useRealtimeChannel';

/** Options of {@link usePresence}. */
export interface UsePresenceOptions<M> {
  /** Presence channel name as in `routes/channels.php` (no `presence-` prefix). */
  channel: string | null | undefined;
  /** Default true. */
  enabled?: boolean;
  /** Someone joined (once per user, not per connection or per component). */
  onJoin?: (member: M) => void;
  /** Someone left (their last connection closed). */
  onLeave?: (member: M) => void;
}

/** What {@link usePresence} returns. */
export interface PresenceState<M> extends PresenceSnapshot<M>, ChannelSnapshot {
  /** Sends a client event to the other members; false until subscribed. */
  whisper: WhisperFunction;
}

/**
 * Joins a presence channel and returns its members as React state: one entry per user (as your
 * channel callback returned it), `me`, `count`, status and error. Any number of components can use
 * the same channel; they share one subscription and see the same members.
 */
export function usePresence<M = PresenceMember>(options: UsePresenceOptions<M>): PresenceState<M> {
  const client = useProvidedClient('usePresence');
  const { channel, enabled = true } = options;
  const wire = activeChannel(client, channel, 'presence', enabled);
  // Presence is loaded by this hook: installed before any effect of this commit holds the channel.
  if (client) trackPresence(client);
  const latest = useLatest(options);
  const leaseRef = useRef<ChannelLease | null>(null);

  useEffect(() => {
    const lease = acquireLease(client, wire, channel, 'presence');
    if (!lease) return;
    leaseRef.current = lease;
    lease.onPresence({
      onJoin: (member) => latest.current.onJoin?.(member as M),
      onLeave: (member) => latest.current.onLeave?.(member as M),
    });
    return () => {
      leaseRef.current = null;
      lease.release();
    };
  }, [client, wire, channel, latest]);

  const snapshot = useChannelSnapshot(client, wire, 'presence');
  const subscribe = useWatchChannel(client, wire);
  const read = () => (client && wire ? registryOf(client).find(wire)?.presence?.snapshot : undefined) ?? EMPTY_PRESENCE;
  const presence = useSyncExternalStore(subscribe, read, serverPresence) as PresenceSnapshot<M>;
  const whisper: WhisperFunction = useWhisper(client, leaseRef);
  return useMemo(() => ({ ...presence, ...snapshot, whisper }), [presence, snapshot, whisper]);
}

/** What the server rendered: no members (see useChannelSnapshot). */
function serverPresence(): PresenceSnapshot {
  return EMPTY_PRESENCE;
}
