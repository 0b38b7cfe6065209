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

/** pusher-js's channel and its connection, as far as the roster reads them. */
interface PusherChannelLike {
  name?: string;
  subscribed?: boolean;
  members?: unknown;
  pusher?: { connection?: { bind(event: string, cb: CallableFunction): unknown; unbind(event: string, cb: CallableFunction): unknown } };
}

/** A protocol frame as pusher-js's connection emits it (`data` parsed). */
type PusherFrame = { event?: string; channel?: string; data?: { user_id?: unknown } | null };

/**
 * The members of one presence channel, one per user, kept from the protocol's member events. It
 * survives re-subscriptions: after a drop the new list is compared with the old one and who came or
 * went meanwhile is announced. Member events that come between (re)subscribing and the list (a
 * cluster of servers sends them first, with a list computed before them) are held and applied, in
 * order, on top of the list.
 */
export class PresenceRoster implements MemberTracker, MemberSink {
  snapshot: PresenceSnapshot = EMPTY_PRESENCE;
  readonly listeners = new Set<PresenceListener>();
  #members = new Map<string, PresenceMember>();
  #meId: string | null = null;
  #initialized = false;
  /** Joins (a member) and leaves (null) since (re)subscribing, until the list comes; null once listed. */
  #held: [string, PresenceMember | null][] | null = [];

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
    this.subscribing();
    if (wire) return wire.members(channel, this, onListed);
    switch (kindOf(channel)) {
      case 'pusher': {
        const subscription = channel.subscription as PusherChannelLike;
        const fromPusher = (members: PusherMembersLike | undefined) => {
          const map = new Map<string, PresenceMember>();
          for (const [id, info] of Object.entries(members?.members ?? {})) map.set(id, info);
          const myId = members?.myID ?? members?.me?.id;
          this.list(map, myId === undefined || myId === null ? null : String(myId));
        };
        if (subscription.subscribed) fromPusher(subscription.members as PusherMembersLike);
        // pusher-js drops a leave of a member its own list lacks (before the list it lists nobody; a
        // join it saw then is gone once the list replaces its members): leaves are also read off the
        // connection's frames (a second removal changes nothing). A drop starts a new subscription.
        const connection = subscription.pusher?.connection;
        const onFrame = (frame: PusherFrame) => {
          if (frame?.channel === subscription.name && frame.event === 'pusher_internal:member_removed') left(frame.data);
        };
        const onState = ({ current }: { current?: string }) => {
          if (current !== 'connected') this.subscribing();
        };
        const left = (m: { user_id?: unknown; id?: unknown } | null | undefined) => {
          const id = m?.user_id ?? m?.id;
          if (id !== undefined) this.removed(String(id));
        };
        connection?.bind('message', onFrame);
        connection?.bind('state_change', onState);
        return [
          bindEchoEvent(channel, 'pusher:subscription_succeeded', fromPusher),
          bindEchoEvent(channel, 'pusher:member_added', (m: { id?: unknown; info?: PresenceMember } | null) => {
            if (m && m.id !== undefined) this.added(String(m.id), m.info ?? {});
          }),
          bindEchoEvent(channel, 'pusher:member_removed', left),
          () => {
            connection?.unbind('message', onFrame);
            connection?.unbind('state_change', onState);
          },
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

  /** A (re)subscription starts: member events are held until its list comes (those held before are void). */
  subscribing(): void {
    this.#held = [];
  }

  /**
   * The member list (at each subscription), with the events held since subscribing applied on top:
   * replaces what was known, announcing who came and went meanwhile (after the first list: only
   * what the held events changed, as if the list had come first). A leave of `me` is never applied
   * (see `removed`).
   */
  list(members: Map<string, PresenceMember>, meId: string | null): void {
    const before = this.#initialized ? this.#members : new Map(members);
    for (const [id, member] of this.#held ?? []) {
      if (member) members.set(id, member);
      else if (id !== meId) members.delete(id);
    }
    this.#held = null;
    this.#members = members;
    this.#meId = meId;
    this.#initialized = true;
    this.#update();
    for (const [id, member] of members) if (!before.has(id)) this.#emit('onJoin', member);
    for (const [id, member] of before) if (!members.has(id)) this.#emit('onLeave', member);
  }

  added(id: string, member: PresenceMember): void {
    if (this.#held) {
      this.#held.push([id, member]);
      return;
    }
    const isNew = !this.#members.has(id);
    this.#members.set(id, member);
    this.#update();
    if (isNew) this.#emit('onJoin', member);
  }

  removed(id: string): void {
    if (this.#held) {
      this.#held.push([id, null]);
      return;
    }
    // Never `me`: this connection is subscribed as that user (a leave of theirs is another
    // connection's, e.g. this one's before a drop that the server noticed late).
    const member = this.#members.get(id);
    if (member === undefined || id === this.#meId) return;
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
