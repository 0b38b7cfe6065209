import type { ChannelSnapshot, ChannelType, EventHandler, PresenceListener, PresenceSnapshot } from './types';
import type { ChannelWire, EchoChannelLike } from './wire';

// One wire channel as the registry keeps it, and the constants of a channel nobody holds.

/**
 * What presence (core/presence) keeps on a presence channel, once installed with `trackMembers`:
 * the members, and the listeners told who joins and leaves.
 */
export interface MemberTracker {
  readonly snapshot: PresenceSnapshot;
  readonly listeners: Set<PresenceListener>;
  /**
   * Binds the member events of the channel just opened; returns the undo functions. `isCurrent` is
   * false once the channel was replaced; `onListed`: the member list is an acknowledgement.
   */
  bind(channel: EchoChannelLike, isCurrent: () => boolean, onListed: () => void, wire: ChannelWire | undefined): (() => void)[];
}

/** One wire channel and everything held on it. */
export interface ChannelEntry {
  /** The name on the wire, the registry's key. */
  readonly wire: string;
  readonly name: string;
  readonly type: ChannelType;
  refs: number;
  leaveTimer: ReturnType<typeof setTimeout> | undefined;
  /** The Echo channel on the current connection; null while detached. */
  channel: EchoChannelLike | null;
  /** Undo functions for the status / presence bindings on `channel`. */
  unbinders: (() => void)[];
  /** Handlers per formatted event name; one Echo listener per name fans out to them. */
  events: Map<string, Set<EventHandler>>;
  dispatchers: Map<string, (payload: unknown) => void>;
  snapshot: ChannelSnapshot;
  /** Confirmed at least once: the next confirmation follows a drop. */
  confirmedBefore: boolean;
  /** A confirmation is queued for the host (see setStatus): not yet done with. */
  confirming: boolean;
  /** The members, on a presence channel of a registry that tracks them. */
  presence: MemberTracker | null;
  /** What a holder asking for another type (same wire name) sees; made on first need. */
  conflict: ChannelSnapshot | null;
}

/** Snapshot of a channel nobody holds. */
export const IDLE_CHANNEL: ChannelSnapshot = Object.freeze({ status: 'idle', error: null });

/** Members of a presence channel nobody holds, or whose members nobody tracks. */
export const EMPTY_PRESENCE: PresenceSnapshot = Object.freeze({ members: Object.freeze([]), me: null, count: 0 });
