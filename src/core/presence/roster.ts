import { bindEchoEvent, kindOf, type EchoChannelLike, type PusherMembersLike } from '../channels';
import type { PresenceMember, PresenceSnapshot } from './types';

/** Join / leave callbacks for a presence channel. */
export interface PresenceListener {
  onJoin?(member: PresenceMember): void;
  onLeave?(member: PresenceMember): void;
}

/** Presence snapshot of a channel nobody holds. */
export const EMPTY_PRESENCE: PresenceSnapshot = Object.freeze({ members: Object.freeze([]), me: null, count: 0 });

/**
 * The members of one presence channel, one per user, kept from the protocol's member events. It
 * survives re-subscriptions: after a drop the new list is compared with the old one and who came or
 * went meanwhile is announced.
 */
export class PresenceRoster {
  snapshot: PresenceSnapshot = EMPTY_PRESENCE;
  readonly listeners = new Set<PresenceListener>();
  private members = new Map<string, PresenceMember>();
  private meId: string | null = null;
  private initialized = false;

  constructor(
    /** The snapshot changed. */
    private readonly changed: () => void,
    /** Calls one listener callback, isolating what it throws. */
    private readonly announce: (listener: PresenceListener, which: 'onJoin' | 'onLeave', member: PresenceMember) => void,
  ) {}

  /**
   * Binds the member events of `channel`; returns the undo functions. `isCurrent` is false once the
   * channel was replaced (callbacks of kind 'other' cannot be unbound).
   */
  bind(channel: EchoChannelLike, isCurrent: () => boolean, onListed: () => void): (() => void)[] {
    switch (kindOf(channel)) {
      case 'pusher': {
        const fromPusher = (members: PusherMembersLike | undefined) => {
          const map = new Map<string, PresenceMember>();
          for (const [id, info] of Object.entries(members?.members ?? {})) map.set(id, info);
          const myId = members?.myID ?? members?.me?.id;
          this.sync(map, myId === undefined || myId === null ? null : String(myId));
        };
        if (channel.subscription?.subscribed) fromPusher(channel.subscription.members);
        return [
          bindEchoEvent(channel, 'pusher:subscription_succeeded', fromPusher),
          bindEchoEvent(channel, 'pusher:member_added', (m: { id?: unknown; info?: PresenceMember } | null) => {
            if (m && m.id !== undefined) this.added(String(m.id), m.info ?? {});
          }),
          bindEchoEvent(channel, 'pusher:member_removed', (m: { id?: unknown } | null) => {
            if (m && m.id !== undefined) this.removed(String(m.id));
          }),
        ];
      }
      case 'socket.io': {
        // laravel-echo-server's events, bound by name so they can be unbound (Echo's here/joining/
        // leaving cannot): each member is `{ user_id, user_info, socketId }`, so `me` is the member
        // listed with this connection's socket id.
        type Raw = { user_id?: unknown; user_info?: PresenceMember; socketId?: unknown } | null;
        const idOf = (m: Raw) => (m && m.user_id !== undefined ? String(m.user_id) : null);
        return [
          bindEchoEvent(channel, 'presence:subscribed', (list: unknown) => {
            if (!Array.isArray(list)) return;
            const mySocket = (channel.socket as { id?: unknown } | undefined)?.id;
            const map = new Map<string, PresenceMember>();
            let meId: string | null = null;
            for (const m of list as Raw[]) {
              const id = idOf(m);
              if (id === null) continue;
              map.set(id, m?.user_info ?? {});
              if (mySocket !== undefined && m?.socketId === mySocket) meId = id;
            }
            this.sync(map, meId);
            // The member list is the only acknowledgement laravel-echo-server sends for presence.
            onListed();
          }),
          bindEchoEvent(channel, 'presence:joining', (m: Raw) => {
            const id = idOf(m);
            if (id !== null) this.added(id, m?.user_info ?? {});
          }),
          bindEchoEvent(channel, 'presence:leaving', (m: Raw) => {
            const id = idOf(m);
            if (id !== null) this.removed(id);
          }),
        ];
      }
      case 'other':
        // Other connectors: Echo's here/joining/leaving, members keyed by their `id`.
        channel.here?.((list: unknown) => {
          if (!isCurrent() || !Array.isArray(list)) return;
          const map = new Map<string, PresenceMember>();
          for (const member of list as PresenceMember[]) map.set(memberId(member), member);
          this.sync(map, null);
          onListed();
        });
        channel.joining?.((member: PresenceMember) => {
          if (isCurrent() && member) this.added(memberId(member), member);
        });
        channel.leaving?.((member: PresenceMember) => {
          if (isCurrent() && member) this.removed(memberId(member));
        });
        return [];
    }
  }

  private sync(members: Map<string, PresenceMember>, meId: string | null): void {
    const before = this.members;
    const announce = this.initialized;
    this.members = members;
    this.meId = meId;
    this.initialized = true;
    this.update();
    if (!announce) return;
    // Re-subscribed after a drop: tell listeners who came and went meanwhile.
    for (const [id, member] of members) if (!before.has(id)) this.emit('onJoin', member);
    for (const [id, member] of before) if (!members.has(id)) this.emit('onLeave', member);
  }

  private added(id: string, member: PresenceMember): void {
    const isNew = !this.members.has(id);
    this.members.set(id, member);
    this.update();
    if (isNew) this.emit('onJoin', member);
  }

  private removed(id: string): void {
    const member = this.members.get(id);
    if (member === undefined) return;
    this.members.delete(id);
    this.update();
    this.emit('onLeave', member);
  }

  private update(): void {
    const members = Object.freeze([...this.members.values()]);
    const me = this.meId === null ? null : (this.members.get(this.meId) ?? null);
    this.snapshot = Object.freeze({ members, me, count: members.length });
    this.changed();
  }

  private emit(which: 'onJoin' | 'onLeave', member: PresenceMember): void {
    for (const listener of [...this.listeners]) this.announce(listener, which, member);
  }
}

function memberId(member: PresenceMember): string {
  const id = member.id ?? member.user_id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : JSON.stringify(member);
}
