import {
  bindEchoEvent,
  EMPTY_PRESENCE,
  kindOf,
  type ChannelWire,
  type EchoChannelLike,
  type MemberSink,
  type MemberTracker,
  type PresenceListener,
  type PresenceMember,
  type PresenceSnapshot,
} from '../channels';

/** pusher-js's presence `Members` object, as far as we read it. */
interface PusherMembersLike {
  members?: Record<string, PresenceMember>;
  myID?: string | number | null;
  me?: { id: string | number; info: PresenceMember } | null;
}

/**
 * The members of one presence channel, one per user, kept from the protocol's member events. It
 * survives re-subscriptions: after a drop the new list is compared with the old one and who came or
 * went meanwhile is announced.
 */
export class PresenceRoster implements MemberTracker, MemberSink {
  snapshot: PresenceSnapshot = EMPTY_PRESENCE;
  readonly listeners = new Set<PresenceListener>();
  #members = new Map<string, PresenceMember>();
  #meId: string | null = null;
  #initialized = false;

  /** The snapshot changed. */
  readonly #changed: () => void;
  /** Calls one listener callback, isolating what it throws. */
  readonly #announce: (listener: PresenceListener, which: 'onJoin' | 'onLeave', member: PresenceMember) => void;

  constructor(changed: () => void, announce: (listener: PresenceListener, which: 'onJoin' | 'onLeave', member: PresenceMember) => void) {
    this.#changed = changed;
    this.#announce = announce;
  }

  /**
   * Binds the member events of `channel`; returns the undo functions. `isCurrent` is false once the
   * channel was replaced (Echo's here/joining/leaving cannot be unbound). A broadcaster with its own
   * wire (socket.io) binds its own member events.
   */
  bind(channel: EchoChannelLike, isCurrent: () => boolean, onListed: () => void, wire: ChannelWire | undefined): (() => void)[] {
    if (wire) return wire.members(channel, this, onListed);
    switch (kindOf(channel)) {
      case 'pusher': {
        const fromPusher = (members: PusherMembersLike | undefined) => {
          const map = new Map<string, PresenceMember>();
          for (const [id, info] of Object.entries(members?.members ?? {})) map.set(id, info);
          const myId = members?.myID ?? members?.me?.id;
          this.list(map, myId === undefined || myId === null ? null : String(myId));
        };
        if (channel.subscription?.subscribed) fromPusher(channel.subscription.members as PusherMembersLike);
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
      case 'other':
        // Other connectors: Echo's here/joining/leaving, members keyed by their `id`.
        channel.here?.((list: unknown) => {
          if (!isCurrent() || !Array.isArray(list)) return;
          const map = new Map<string, PresenceMember>();
          for (const member of list as PresenceMember[]) map.set(memberId(member), member);
          this.list(map, null);
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

  /** The member list (at each subscription): replaces what was known, announcing who came and went meanwhile. */
  list(members: Map<string, PresenceMember>, meId: string | null): void {
    const before = this.#members;
    const announce = this.#initialized;
    this.#members = members;
    this.#meId = meId;
    this.#initialized = true;
    this.#update();
    if (!announce) return;
    // Re-subscribed after a drop: tell listeners who came and went meanwhile.
    for (const [id, member] of members) if (!before.has(id)) this.#emit('onJoin', member);
    for (const [id, member] of before) if (!members.has(id)) this.#emit('onLeave', member);
  }

  added(id: string, member: PresenceMember): void {
    const isNew = !this.#members.has(id);
    this.#members.set(id, member);
    this.#update();
    if (isNew) this.#emit('onJoin', member);
  }

  removed(id: string): void {
    const member = this.#members.get(id);
    if (member === undefined) return;
    this.#members.delete(id);
    this.#update();
    this.#emit('onLeave', member);
  }

  #update(): void {
    const members = Object.freeze([...this.#members.values()]);
    const me = this.#meId === null ? null : (this.#members.get(this.#meId) ?? null);
    this.snapshot = Object.freeze({ members, me, count: members.length });
    this.#changed();
  }

  #emit(which: 'onJoin' | 'onLeave', member: PresenceMember): void {
    for (const listener of [...this.listeners]) this.#announce(listener, which, member);
  }
}

function memberId(member: PresenceMember): string {
  const id = member.id ?? member.user_id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : JSON.stringify(member);
}
