import type { QueryClient, QueryKey } from '@tanstack/query-core';
import { messageOf, RealtimeError } from './errors';
import type {
  ChannelSnapshot,
  ChannelStatus,
  ChannelType,
  CoalesceOptions,
  PresenceMember,
  PresenceSnapshot,
} from './types';

/** pusher-js's presence `Members` object, as far as we read it. */
interface PusherMembersLike {
  members?: Record<string, PresenceMember>;
  myID?: string | number | null;
  me?: { id: string | number; info: PresenceMember } | null;
}

/** The slice of a laravel-echo channel the registry uses; Echo's Pusher, socket.io and null channels fit it. */
export interface EchoChannelLike {
  listen(event: string, callback: CallableFunction): unknown;
  stopListening(event: string, callback?: CallableFunction): unknown;
  subscribed(callback: CallableFunction): unknown;
  error(callback: CallableFunction): unknown;
  whisper?(event: string, data: Record<string, unknown>): unknown;
  here?(callback: CallableFunction): unknown;
  joining?(callback: CallableFunction): unknown;
  leaving?(callback: CallableFunction): unknown;
  /** The pusher-js channel, present on Echo's Pusher-family channels. */
  subscription?: { subscribed?: boolean; members?: PusherMembersLike };
}

/** The slice of a laravel-echo instance the registry uses. */
export interface EchoLike {
  channel(name: string): unknown;
  private(name: string): unknown;
  join(name: string): unknown;
  encryptedPrivate(name: string): unknown;
  leaveChannel(fullName: string): void;
}

/** Something that reacts to one event; the registry calls it and catches what it throws. */
export interface EventHandler {
  handle(payload: unknown): void;
  /** What to refetch after the socket comes back from a drop. */
  recovery?(): RecoveryRequest | null;
}

/** Keys one handler wants refetched after a reconnect. */
export interface RecoveryRequest {
  queryClient: QueryClient;
  keys: QueryKey[];
  options: CoalesceOptions;
}

/** Join / leave callbacks for a presence channel. */
export interface PresenceListener {
  onJoin?(member: PresenceMember): void;
  onLeave?(member: PresenceMember): void;
}

/**
 * A hold on one channel. Leases are the only way to use a channel; only the registry counts them,
 * and `release()` is idempotent, so nothing outside can unsubscribe a channel someone else still uses.
 */
export interface ChannelLease {
  /** `type:name`, the registry's key for the channel. */
  readonly id: string;
  /** The channel's name on the wire, e.g. `private-orders.1`. */
  readonly channel: string;
  /** Adds a handler for an event (Echo naming rules). Returns a function that removes it. */
  listen(event: string, handler: EventHandler): () => void;
  /** Adds presence join/leave callbacks. Returns a function that removes them. */
  onPresence(listener: PresenceListener): () => void;
  /** Sends a client event (`client-<event>`) to the other members. False if not possible right now. */
  whisper(event: string, data: Record<string, unknown>): boolean;
  /** Gives the hold back, removing everything added through this lease. */
  release(): void;
}

/** What the registry needs from its client. */
export interface RegistryHost {
  /** The live Echo, or null when realtime could not start. */
  getEcho(): EchoLike | null;
  /** Why `getEcho()` is null. */
  startError(): Error | null;
  /** Echo's event-name rules (`.Name` verbatim, otherwise namespaced). */
  formatEvent(event: string): string;
  reportError(error: RealtimeError): void;
  /**
   * True when the broadcaster never acknowledges a subscription of this type, so a joined channel
   * counts as subscribed at once: Echo's null broadcaster, and laravel-echo-server (socket.io),
   * which only answers errors (and the member list, for presence channels).
   */
  confirmsImmediately(type: ChannelType): boolean;
  leaveGraceMs: number;
}

interface PresenceState {
  members: Map<string, PresenceMember>;
  meId: string | null;
  initialized: boolean;
  snapshot: PresenceSnapshot;
  listeners: Set<PresenceListener>;
}

interface ChannelEntry {
  id: string;
  name: string;
  type: ChannelType;
  fullName: string;
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
  presence: PresenceState | null;
}

/** Every channel type. */
export const CHANNEL_TYPES: readonly ChannelType[] = ['public', 'private', 'presence', 'encrypted'];

/** True for a valid {@link ChannelType} (input from JavaScript callers is not type-checked). */
export function isChannelType(value: unknown): value is ChannelType {
  return (CHANNEL_TYPES as readonly unknown[]).includes(value);
}

/** The channel type used when none is given. See {@link ChannelType}. */
export const DEFAULT_CHANNEL_TYPE: ChannelType = 'private';

const PREFIX: Record<ChannelType, string> = {
  public: '',
  private: 'private-',
  presence: 'presence-',
  encrypted: 'private-encrypted-',
};

/** Snapshot of a channel nobody holds. */
export const IDLE_CHANNEL: ChannelSnapshot = Object.freeze({ status: 'idle', error: null });
/** Presence snapshot of a channel nobody holds. */
export const EMPTY_PRESENCE: PresenceSnapshot = Object.freeze({ members: Object.freeze([]), me: null, count: 0 });

/** The registry's key for a channel. */
export function channelId(name: string, type: ChannelType): string {
  return `${type}:${name}`;
}

/**
 * One Echo subscription per channel (name + type), shared by every hook and binding, ref-counted
 * here and nowhere else. One Echo listener per (channel, event) fans out to all handlers. The last
 * release leaves only after a grace period, so StrictMode's double effects and route changes that
 * re-mount the same channel never leave and re-join (no second auth request).
 */
export class ChannelRegistry {
  private readonly entries = new Map<string, ChannelEntry>();
  private readonly watchers = new Map<string, Set<() => void>>();
  /** After `detachAll()` for a new connection: held channels re-join only when it is up. */
  private deferAttach = false;
  /** Waiting for held channels to be confirmed again after a reconnect (see `whenResubscribed`). */
  private settling: { pending: Set<ChannelEntry>; done: () => void; timer: ReturnType<typeof setTimeout> } | null = null;

  constructor(private readonly host: RegistryHost) {}

  /** Takes a hold on a channel, joining it if this is the first. */
  acquire(name: string, type: ChannelType): ChannelLease {
    const id = channelId(name, type);
    let entry = this.entries.get(id);
    if (!entry) {
      entry = {
        id,
        name,
        type,
        fullName: PREFIX[type] + name,
        refs: 0,
        leaveTimer: undefined,
        channel: null,
        unbinders: [],
        events: new Map(),
        dispatchers: new Map(),
        snapshot: { status: 'subscribing', error: null },
        presence: type === 'presence' ? newPresenceState() : null,
      };
      this.entries.set(id, entry);
      if (!this.deferAttach) this.attach(entry);
      this.notify(id);
    }
    clearTimeout(entry.leaveTimer);
    entry.leaveTimer = undefined;
    entry.refs += 1;
    return this.createLease(entry);
  }

  /** Current state of a channel, stable between changes (for `useSyncExternalStore`). */
  getSnapshot(id: string): ChannelSnapshot {
    return this.entries.get(id)?.snapshot ?? IDLE_CHANNEL;
  }

  /** Current presence members of a channel, stable between changes. */
  getPresence(id: string): PresenceSnapshot {
    return this.entries.get(id)?.presence?.snapshot ?? EMPTY_PRESENCE;
  }

  /** Calls `listener` whenever the channel's snapshot or presence changes, held or not. */
  watch(id: string, listener: () => void): () => void {
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.watchers.get(id) === set) this.watchers.delete(id);
    };
  }

  /** Channels currently held (for inspection and tests). */
  get size(): number {
    return this.entries.size;
  }

  /** The socket dropped: subscriptions are void until the connection is back. */
  connectionLost(): void {
    for (const entry of this.entries.values()) {
      if (entry.channel && entry.snapshot.status === 'subscribed') this.setStatus(entry, 'subscribing', null);
    }
  }

  /** The socket is (back) up: the transport re-subscribes attached channels; detached ones join now. */
  connectionRestored(): void {
    this.deferAttach = false;
    for (const entry of this.entries.values()) {
      // A channel that could not even be opened (e.g. encrypted on socket.io) already reported why.
      if (!entry.channel) {
        if (entry.snapshot.status !== 'error') this.attach(entry);
      } else if (this.host.confirmsImmediately(entry.type)) this.setStatus(entry, 'subscribed', null);
      else if (entry.snapshot.status === 'error') this.setStatus(entry, 'subscribing', null);
    }
  }

  /**
   * Leaves every channel on the current connection (before it is replaced). Held channels stay in the
   * registry and re-join on the next connection once it is up; those released meanwhile never re-join.
   */
  detachAll(): void {
    this.deferAttach = true;
    for (const entry of [...this.entries.values()]) {
      this.detach(entry);
      if (entry.refs === 0) this.remove(entry);
      else this.setStatus(entry, 'subscribing', null);
    }
  }

  /**
   * Calls `done` once every held channel is confirmed (or refused) on the current connection, or
   * after `timeoutMs`: refetching before that would leave a gap in which events are still lost.
   */
  whenResubscribed(done: () => void, timeoutMs: number): void {
    this.cancelResubscribed();
    const pending = new Set([...this.entries.values()].filter((e) => e.refs > 0 && e.snapshot.status === 'subscribing'));
    if (pending.size === 0) {
      done();
      return;
    }
    this.settling = { pending, done, timer: setTimeout(() => this.finishSettling(), timeoutMs) };
  }

  /** Drops a pending `whenResubscribed`; true if there was one. */
  cancelResubscribed(): boolean {
    const settling = this.settling;
    if (!settling) return false;
    clearTimeout(settling.timer);
    this.settling = null;
    return true;
  }

  private settled(entry: ChannelEntry): void {
    const settling = this.settling;
    if (!settling || !settling.pending.delete(entry)) return;
    if (settling.pending.size === 0) this.finishSettling();
  }

  /** Runs inside transport callbacks and timers: nothing may escape. */
  private finishSettling(): void {
    const settling = this.settling;
    if (!settling) return;
    this.cancelResubscribed();
    try {
      settling.done();
    } catch (cause) {
      this.host.reportError(new RealtimeError('handler', `Reconnect recovery failed: ${messageOf(cause)}`, { cause }));
    }
  }

  /** What every held channel's handlers want refetched after a reconnect. */
  collectRecovery(): RecoveryRequest[] {
    const requests: RecoveryRequest[] = [];
    for (const entry of this.entries.values()) {
      if (entry.refs === 0) continue;
      for (const handlers of entry.events.values()) {
        for (const handler of handlers) {
          const request = handler.recovery?.();
          if (request && request.keys.length > 0) requests.push(request);
        }
      }
    }
    return requests;
  }

  /** Leaves everything and forgets every hold. */
  dispose(): void {
    this.cancelResubscribed();
    for (const entry of [...this.entries.values()]) {
      this.detach(entry);
      this.remove(entry);
    }
    this.deferAttach = false;
  }

  private createLease(entry: ChannelEntry): ChannelLease {
    return new Lease(this, entry);
  }

  /** @internal Adds a handler (Lease.listen); returns its remover. */
  addHandler(entry: ChannelEntry, event: string, handler: EventHandler): () => void {
    const formatted = this.host.formatEvent(event);
    let handlers = entry.events.get(formatted);
    if (!handlers) {
      entry.events.set(formatted, (handlers = new Set()));
      if (entry.channel) this.bindEvent(entry, formatted);
    }
    handlers.add(handler);
    const set = handlers;
    return () => {
      set.delete(handler);
      if (set.size === 0 && entry.events.get(formatted) === set) {
        entry.events.delete(formatted);
        this.unbindEvent(entry, formatted);
      }
    };
  }

  /** @internal Gives one hold back (Lease.release). */
  release(entry: ChannelEntry): void {
    entry.refs -= 1;
    if (entry.refs > 0) return;
    if (!entry.channel || this.host.leaveGraceMs <= 0) {
      // Nothing is subscribed on the wire (e.g. waiting for a new connection): no reason to linger.
      this.detach(entry);
      this.remove(entry);
      return;
    }
    entry.leaveTimer = setTimeout(() => {
      entry.leaveTimer = undefined;
      if (entry.refs > 0) return;
      this.detach(entry);
      this.remove(entry);
    }, this.host.leaveGraceMs);
  }

  private remove(entry: ChannelEntry): void {
    clearTimeout(entry.leaveTimer);
    entry.leaveTimer = undefined;
    if (this.entries.get(entry.id) !== entry) return;
    this.entries.delete(entry.id);
    this.notify(entry.id);
    this.settled(entry);
  }

  private attach(entry: ChannelEntry): void {
    const echo = this.host.getEcho();
    if (!echo) {
      this.setStatus(entry, 'error', this.host.startError() ?? new RealtimeError('config', 'Realtime is not connected.'));
      return;
    }
    let channel: EchoChannelLike;
    try {
      channel = openChannel(echo, entry.type, entry.name);
    } catch (cause) {
      const error = new RealtimeError(
        'subscription',
        `Could not join ${entry.type} channel "${entry.name}": ${messageOf(cause)}`,
        { channel: entry.fullName, cause },
      );
      this.setStatus(entry, 'error', error);
      this.host.reportError(error);
      return;
    }
    entry.channel = channel;
    const isCurrent = () => entry.channel === channel;
    const onSubscribed = () => {
      if (isCurrent()) this.setStatus(entry, 'subscribed', null);
    };
    const onFailed = (info: unknown) => {
      if (!isCurrent()) return;
      const error = subscriptionError(entry.fullName, info);
      this.setStatus(entry, 'error', error);
      this.host.reportError(error);
    };
    if (entry.presence) this.bindPresence(entry, channel, isCurrent);
    if (channel.subscription) {
      // Pusher-family channels: bind the protocol events directly so they can be unbound on leave.
      entry.unbinders.push(
        bindEchoEvent(channel, '.pusher:subscription_succeeded', onSubscribed),
        bindEchoEvent(channel, '.pusher:subscription_error', onFailed),
      );
    } else {
      // Echo offers no way to unbind these (laravel/echo#312); isCurrent() makes stale ones no-ops.
      channel.subscribed(onSubscribed);
      channel.error(onFailed);
      // Echo's socket.io channel ignores error(); laravel-echo-server emits this with the HTTP status.
      entry.unbinders.push(bindEchoEvent(channel, '.subscription_error', onFailed));
    }
    for (const formatted of entry.events.keys()) this.bindEvent(entry, formatted);
    if (channel.subscription?.subscribed === true || this.host.confirmsImmediately(entry.type)) onSubscribed();
  }

  private detach(entry: ChannelEntry): void {
    const channel = entry.channel;
    if (!channel) return;
    for (const formatted of [...entry.dispatchers.keys()]) this.unbindEvent(entry, formatted);
    for (const unbind of entry.unbinders.splice(0)) unbind();
    entry.channel = null;
    try {
      this.host.getEcho()?.leaveChannel(entry.fullName);
    } catch (cause) {
      this.host.reportError(
        new RealtimeError('subscription', `Leaving "${entry.fullName}" failed: ${messageOf(cause)}`, {
          channel: entry.fullName,
          cause,
        }),
      );
    }
  }

  private bindEvent(entry: ChannelEntry, formatted: string): void {
    const channel = entry.channel;
    if (!channel || entry.dispatchers.has(formatted)) return;
    const dispatch = (payload: unknown) => this.dispatch(entry, formatted, payload);
    entry.dispatchers.set(formatted, dispatch);
    // A leading dot makes Echo use the name verbatim: it is already formatted.
    channel.listen('.' + formatted, dispatch);
  }

  private unbindEvent(entry: ChannelEntry, formatted: string): void {
    const dispatch = entry.dispatchers.get(formatted);
    if (!dispatch) return;
    entry.dispatchers.delete(formatted);
    entry.channel?.stopListening('.' + formatted, dispatch);
  }

  /** Runs inside a transport callback: nothing may escape. */
  private dispatch(entry: ChannelEntry, formatted: string, payload: unknown): void {
    const handlers = entry.events.get(formatted);
    if (!handlers) return;
    for (const handler of handlers) {
      try {
        handler.handle(payload);
      } catch (cause) {
        this.host.reportError(
          cause instanceof RealtimeError
            ? cause
            : new RealtimeError('handler', `A handler for "${formatted}" on "${entry.fullName}" threw: ${messageOf(cause)}`, {
                channel: entry.fullName,
                event: formatted,
                payload,
                cause,
              }),
        );
      }
    }
  }

  /** @internal Lease.whisper. */
  whisper(entry: ChannelEntry, event: string, data: Record<string, unknown>): boolean {
    const channel = entry.channel;
    if (!channel?.whisper || entry.snapshot.status !== 'subscribed') return false;
    try {
      channel.whisper(event, data);
      return true;
    } catch (cause) {
      this.host.reportError(
        new RealtimeError('subscription', `Whisper "${event}" on "${entry.fullName}" failed: ${messageOf(cause)}`, {
          channel: entry.fullName,
          event,
          cause,
        }),
      );
      return false;
    }
  }

  private bindPresence(entry: ChannelEntry, channel: EchoChannelLike, isCurrent: () => boolean): void {
    const presence = entry.presence;
    if (!presence) return;
    const sync = (members: Map<string, PresenceMember>, meId: string | null) => {
      const before = presence.members;
      const announce = presence.initialized;
      presence.members = members;
      presence.meId = meId;
      presence.initialized = true;
      this.updatePresence(entry);
      if (!announce) return;
      // Re-subscribed after a drop: tell listeners who came and went meanwhile.
      for (const [id, member] of members) if (!before.has(id)) this.announce(entry, 'onJoin', member);
      for (const [id, member] of before) if (!members.has(id)) this.announce(entry, 'onLeave', member);
    };
    const added = (id: string, member: PresenceMember) => {
      const isNew = !presence.members.has(id);
      presence.members.set(id, member);
      this.updatePresence(entry);
      if (isNew) this.announce(entry, 'onJoin', member);
    };
    const removed = (id: string) => {
      const member = presence.members.get(id);
      if (member === undefined) return;
      presence.members.delete(id);
      this.updatePresence(entry);
      this.announce(entry, 'onLeave', member);
    };

    if (channel.subscription) {
      const fromPusher = (members: PusherMembersLike | undefined) => {
        const map = new Map<string, PresenceMember>();
        for (const [id, info] of Object.entries(members?.members ?? {})) map.set(id, info);
        const myId = members?.myID ?? members?.me?.id;
        sync(map, myId === undefined || myId === null ? null : String(myId));
      };
      entry.unbinders.push(
        bindEchoEvent(channel, '.pusher:subscription_succeeded', (members: PusherMembersLike) => fromPusher(members)),
        bindEchoEvent(channel, '.pusher:member_added', (m: { id?: unknown; info?: PresenceMember } | null) => {
          if (m && m.id !== undefined) added(String(m.id), m.info ?? {});
        }),
        bindEchoEvent(channel, '.pusher:member_removed', (m: { id?: unknown } | null) => {
          if (m && m.id !== undefined) removed(String(m.id));
        }),
      );
      if (channel.subscription.subscribed) fromPusher(channel.subscription.members);
      return;
    }
    // Other broadcasters: Echo's here/joining/leaving, members keyed by their `id`.
    channel.here?.((list: unknown) => {
      if (!isCurrent() || !Array.isArray(list)) return;
      const map = new Map<string, PresenceMember>();
      for (const member of list as PresenceMember[]) map.set(memberId(member), member);
      sync(map, null);
      // The member list is the only acknowledgement these broadcasters send for presence channels.
      this.setStatus(entry, 'subscribed', null);
    });
    channel.joining?.((member: PresenceMember) => {
      if (isCurrent() && member) added(memberId(member), member);
    });
    channel.leaving?.((member: PresenceMember) => {
      if (isCurrent() && member) removed(memberId(member));
    });
  }

  private updatePresence(entry: ChannelEntry): void {
    const presence = entry.presence;
    if (!presence) return;
    const members = Object.freeze([...presence.members.values()]);
    const me = presence.meId === null ? null : (presence.members.get(presence.meId) ?? null);
    presence.snapshot = Object.freeze({ members, me, count: members.length });
    this.notify(entry.id);
  }

  private announce(entry: ChannelEntry, which: 'onJoin' | 'onLeave', member: PresenceMember): void {
    for (const listener of entry.presence?.listeners ?? []) {
      try {
        listener[which]?.(member);
      } catch (cause) {
        this.host.reportError(
          new RealtimeError('handler', `${which} on "${entry.fullName}" threw: ${messageOf(cause)}`, {
            channel: entry.fullName,
            payload: member,
            cause,
          }),
        );
      }
    }
  }

  private setStatus(entry: ChannelEntry, status: ChannelStatus, error: Error | null): void {
    if (entry.snapshot.status === status && entry.snapshot.error === error) return;
    entry.snapshot = Object.freeze({ status, error });
    this.notify(entry.id);
    if (status !== 'subscribing') this.settled(entry);
  }

  private notify(id: string): void {
    const set = this.watchers.get(id);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener();
      } catch (cause) {
        this.host.reportError(new RealtimeError('handler', `A channel watcher threw: ${messageOf(cause)}`, { cause }));
      }
    }
  }
}

/** A hold on one entry. A class, not closures: apps hold one per mounted hook. */
class Lease implements ChannelLease {
  private released = false;
  /** Removers for what was added through this lease, run on release. */
  private undo: (() => void)[] | null = null;

  constructor(
    private readonly registry: ChannelRegistry,
    private readonly entry: ChannelEntry,
  ) {}

  get id(): string {
    return this.entry.id;
  }

  get channel(): string {
    return this.entry.fullName;
  }

  listen(event: string, handler: EventHandler): () => void {
    if (this.released) return noop;
    return this.track(this.registry.addHandler(this.entry, event, handler));
  }

  onPresence(listener: PresenceListener): () => void {
    const presence = this.entry.presence;
    if (this.released || !presence) return noop;
    presence.listeners.add(listener);
    return this.track(() => presence.listeners.delete(listener));
  }

  whisper(event: string, data: Record<string, unknown>): boolean {
    return !this.released && this.registry.whisper(this.entry, event, data);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    const undo = this.undo;
    this.undo = null;
    if (undo) for (const fn of undo) fn();
    this.registry.release(this.entry);
  }

  /** Wraps a remover so it runs once, whether called directly or by release(). */
  private track(remove: () => void): () => void {
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      remove();
      const undo = this.undo;
      const index = undo ? undo.indexOf(once) : -1;
      if (index >= 0) undo!.splice(index, 1);
    };
    (this.undo ??= []).push(once);
    return once;
  }
}

/** What a disposed client hands out: holds nothing, does nothing. */
export const INERT_LEASE: ChannelLease = Object.freeze({
  id: '',
  channel: '',
  listen: () => noop,
  onPresence: () => noop,
  whisper: () => false,
  release: noop,
});

function newPresenceState(): PresenceState {
  return { members: new Map(), meId: null, initialized: false, snapshot: EMPTY_PRESENCE, listeners: new Set() };
}

function openChannel(echo: EchoLike, type: ChannelType, name: string): EchoChannelLike {
  switch (type) {
    case 'public':
      return echo.channel(name) as EchoChannelLike;
    case 'private':
      return echo.private(name) as EchoChannelLike;
    case 'presence':
      return echo.join(name) as EchoChannelLike;
    case 'encrypted':
      return echo.encryptedPrivate(name) as EchoChannelLike;
  }
}

function bindEchoEvent(channel: EchoChannelLike, event: string, callback: CallableFunction): () => void {
  channel.listen(event, callback);
  return () => channel.stopListening(event, callback);
}

/** Turns pusher-js's `pusher:subscription_error` payload into an error a user can act on. */
function subscriptionError(fullName: string, info: unknown): RealtimeError {
  // pusher-js passes { type, error, status }; laravel-echo-server passes the bare HTTP status.
  const detail = (
    typeof info === 'number' ? { status: info } : info && typeof info === 'object' ? info : {}
  ) as { type?: unknown; error?: unknown; status?: unknown };
  const status = typeof detail.status === 'number' ? detail.status : undefined;
  const isAuth = detail.type === 'AuthError' || status !== undefined;
  const reason = status !== undefined ? `HTTP ${status}` : typeof detail.error === 'string' ? detail.error : 'subscription refused';
  return isAuth
    ? new RealtimeError('auth', `Not authorised to join "${fullName}" (${reason}). Check routes/channels.php and the auth token.`, {
        channel: fullName,
        status,
        cause: info,
      })
    : new RealtimeError('subscription', `Subscribing to "${fullName}" failed (${reason}).`, { channel: fullName, cause: info });
}

function memberId(member: PresenceMember): string {
  const id = member.id ?? member.user_id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : JSON.stringify(member);
}


function noop(): void {}
