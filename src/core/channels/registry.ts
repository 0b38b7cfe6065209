import { failure, messageOf, RealtimeError, tap } from '../shared';
import { warnRefused, watchUnheard } from './dev';
import { IDLE_CHANNEL, type ChannelEntry, type MemberTracker } from './entry';
import { Lease, type ChannelLease, type LeaseOwner } from './lease';
import type { ChannelSnapshot, ChannelStatus, ChannelType, EventHandler } from './types';
import {
  bindSubscriptionStatus,
  hasOtherListeners,
  openChannel,
  subscriptionError,
  wireName,
  type ChannelWire,
  type EchoChannelLike,
  type EchoLike,
} from './wire';

/** What the registry needs from its client. */
export interface RegistryHost {
  /** The live Echo, or null when realtime could not start. */
  getEcho(): EchoLike | null;
  /** Why `getEcho()` is null. */
  startError(): Error | null;
  /** True when the app handed in its own Echo: leave only channels nobody else listens to. */
  sharesEcho: boolean;
  /** Echo's event-name rules (`.Name` verbatim, otherwise namespaced). */
  formatEvent(event: string): string;
  reportError(error: RealtimeError): void;
  /**
   * True when the broadcaster never acknowledges a subscription of this type, so a joined channel
   * counts as subscribed at once: Echo's null broadcaster, and laravel-echo-server (socket.io),
   * which only answers errors (and the member list, for presence channels).
   */
  confirmsImmediately(type: ChannelType): boolean;
  /** A channel's subscription was confirmed (which also settles it): for the first time, or `again` after a drop. */
  confirmed(channel: ChannelEntry, again: boolean): void;
  /** A channel stopped waiting for confirmation without being confirmed: refused, or held by nobody. */
  settled(channel: ChannelEntry): void;
  leaveGraceMs: number;
  /** How the broadcaster's channels speak, when it is not built in (socket.io). */
  wire: ChannelWire | undefined;
  /** Whose inspector hears what the channels do (the client). */
  owner: object;
}

/**
 * One Echo subscription per wire channel, shared by every hook and binding, ref-counted here and
 * nowhere else. One Echo listener per (channel, event) fans out to all handlers. The last release
 * leaves only after a grace period, so StrictMode's double effects and route changes that re-mount
 * the same channel never leave and re-join (no second auth request).
 */
export class ChannelRegistry implements LeaseOwner {
  #entries = new Map<string, ChannelEntry>();
  #watchers = new Map<string, Set<() => void>>();
  /** After `detachAll()` for a new connection: held channels re-join only when it is up. */
  #deferAttach = false;
  /** Makes the member tracker of a presence channel, once presence is installed. */
  #trackerFor: ((entry: ChannelEntry) => MemberTracker) | undefined;

  readonly #host: RegistryHost;

  constructor(host: RegistryHost) {
    this.#host = host;
  }

  /** Takes a hold on a channel, joining it if this is the first. Throws when the wire name is held as another type. */
  acquire(name: string, type: ChannelType): ChannelLease {
    const wire = wireName(name, type);
    let entry = this.#entries.get(wire);
    if (entry && entry.type !== type) throw conflictError(entry);
    if (!entry) {
      entry = {
        wire,
        name,
        type,
        refs: 0,
        leaveTimer: undefined,
        channel: null,
        unbinders: [],
        events: new Map(),
        dispatchers: new Map(),
        snapshot: { status: 'subscribing', error: null },
        confirmedBefore: false,
        confirming: false,
        presence: null,
        conflict: null,
      };
      if (type === 'presence' && this.#trackerFor) entry.presence = this.#trackerFor(entry);
      this.#entries.set(wire, entry);
      if (!this.#deferAttach) this.#attach(entry);
      this.notify(wire);
    }
    clearTimeout(entry.leaveTimer);
    entry.leaveTimer = undefined;
    entry.refs += 1;
    tap(this.#host.owner, 'channel', wire);
    return new Lease(this, entry);
  }

  /** Current state of a channel, stable between changes (for `useSyncExternalStore`). */
  getSnapshot(wire: string, type: ChannelType): ChannelSnapshot {
    const entry = this.#entries.get(wire);
    if (!entry) return IDLE_CHANNEL;
    if (entry.type === type) return entry.snapshot;
    return (entry.conflict ??= Object.freeze({ status: 'error', error: conflictError(entry) }));
  }

  /** The held channel with this wire name. */
  find(wire: string): ChannelEntry | undefined {
    return this.#entries.get(wire);
  }

  /**
   * Tracks the members of presence channels from now on with trackers `create` makes (core/presence
   * installs it; the first call wins). Returns the presence channels already held, for it to catch up on.
   */
  trackMembers(create: (entry: ChannelEntry) => MemberTracker): ChannelEntry[] {
    if (this.#trackerFor) return [];
    this.#trackerFor = create;
    return [...this.#entries.values()].filter((entry) => entry.type === 'presence');
  }

  /** Calls `listener` whenever the channel's snapshot or presence changes, held or not. */
  watch(wire: string, listener: () => void): () => void {
    let set = this.#watchers.get(wire);
    if (!set) this.#watchers.set(wire, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#watchers.get(wire) === set) this.#watchers.delete(wire);
    };
  }

  /** Channels currently held (for inspection and tests). */
  get size(): number {
    return this.#entries.size;
  }

  /** The held channels (for the inspector). */
  list(): ChannelEntry[] {
    return [...this.#entries.values()];
  }

  /** Held channels whose confirmation the host has not handled yet: still subscribing, or queued. */
  unconfirmed(): ChannelEntry[] {
    return [...this.#entries.values()].filter((e) => e.refs > 0 && (e.confirming || e.snapshot.status === 'subscribing'));
  }

  /** The socket dropped: subscriptions are void until the connection is back. */
  connectionLost(): void {
    for (const entry of this.#entries.values()) {
      if (entry.channel && entry.snapshot.status === 'subscribed') this.#setStatus(entry, 'subscribing', null);
    }
  }

  /** The socket is (back) up: the transport re-subscribes attached channels; detached ones join now. */
  connectionRestored(): void {
    this.#deferAttach = false;
    for (const entry of this.#entries.values()) {
      // A channel that could not even be opened (e.g. encrypted on socket.io) already reported why.
      if (!entry.channel) {
        if (entry.snapshot.status !== 'error') this.#attach(entry);
      } else if (this.#host.confirmsImmediately(entry.type)) this.#setStatus(entry, 'subscribed', null);
      else if (entry.snapshot.status === 'error') this.#setStatus(entry, 'subscribing', null);
    }
  }

  /**
   * Leaves every channel on the current connection (before it is replaced, or after a failed start).
   * Held channels stay in the registry, waiting, and re-join on the next connection once it is up;
   * those released meanwhile never re-join.
   */
  detachAll(): void {
    this.#deferAttach = true;
    for (const entry of [...this.#entries.values()]) {
      this.#detach(entry);
      if (entry.refs === 0) this.#remove(entry);
      else this.#setStatus(entry, 'subscribing', null);
    }
  }

  /** The connection could not start: every waiting channel shows why, and new ones will too. */
  startFailed(): void {
    this.#deferAttach = false;
    for (const entry of this.#entries.values()) if (!entry.channel) this.#attach(entry);
  }

  /** Leaves everything and forgets every hold. */
  dispose(): void {
    for (const entry of [...this.#entries.values()]) {
      this.#detach(entry);
      this.#remove(entry);
    }
    this.#deferAttach = false;
  }

  /** @internal Adds a handler (Lease.listen); returns the formatted event name it is filed under. */
  addHandler(entry: ChannelEntry, event: string, handler: EventHandler): string {
    const formatted = this.#host.formatEvent(event);
    let handlers = entry.events.get(formatted);
    if (!handlers) {
      entry.events.set(formatted, (handlers = new Set()));
      if (entry.channel) this.#bindEvent(entry, formatted);
    }
    handlers.add(handler);
    return formatted;
  }

  /** @internal Removes a handler added under the formatted event name `addHandler` returned. */
  removeHandler(entry: ChannelEntry, formatted: string, handler: EventHandler): void {
    const set = entry.events.get(formatted);
    if (!set?.delete(handler) || set.size > 0) return;
    entry.events.delete(formatted);
    this.#unbindEvent(entry, formatted);
  }

  /** @internal Gives one hold back (Lease.release). */
  release(entry: ChannelEntry): void {
    entry.refs -= 1;
    tap(this.#host.owner, 'channel', entry.wire);
    if (entry.refs > 0) return;
    // Held by nobody now: no key should wait for it to be confirmed, even during its grace period.
    this.#host.settled(entry);
    if (!entry.channel || this.#host.leaveGraceMs <= 0) {
      // Nothing is subscribed on the wire (e.g. waiting for a new connection): no reason to linger.
      this.#detach(entry);
      this.#remove(entry);
      return;
    }
    entry.leaveTimer = setTimeout(() => {
      entry.leaveTimer = undefined;
      if (entry.refs > 0) return;
      this.#detach(entry);
      this.#remove(entry);
    }, this.#host.leaveGraceMs);
  }

  #remove(entry: ChannelEntry): void {
    clearTimeout(entry.leaveTimer);
    entry.leaveTimer = undefined;
    if (this.#entries.get(entry.wire) !== entry) return;
    this.#entries.delete(entry.wire);
    this.notify(entry.wire);
    this.#host.settled(entry);
  }

  #attach(entry: ChannelEntry): void {
    const echo = this.#host.getEcho();
    if (!echo) {
      this.#setStatus(entry, 'error', this.#host.startError() ?? failure('config', process.env.NODE_ENV !== 'production' && 'Realtime is not connected.'));
      return;
    }
    let channel: EchoChannelLike;
    try {
      channel = openChannel(echo, entry.type, entry.name);
    } catch (cause) {
      const error = failure(
        'subscription',
        process.env.NODE_ENV !== 'production' && `Could not join ${entry.type} channel "${entry.name}": ${messageOf(cause)}`,
        { channel: entry.wire, cause },
      );
      this.#setStatus(entry, 'error', error);
      this.#host.reportError(error);
      return;
    }
    entry.channel = channel;
    // Callbacks Echo cannot unbind outlive this channel object: they must do nothing once replaced.
    const isCurrent = () => entry.channel === channel;
    const onSubscribed = () => {
      if (isCurrent()) this.#setStatus(entry, 'subscribed', null);
    };
    const onFailed = (info: unknown) => {
      if (!isCurrent()) return;
      const error = subscriptionError(entry.wire, info);
      if (process.env.NODE_ENV !== 'production') warnRefused(entry.wire, entry.name, entry.type, error.status, this.#host.getEcho());
      this.#setStatus(entry, 'error', error);
      this.#host.reportError(error);
    };
    // Members first, so a confirmed presence channel already lists them.
    const wire = this.#host.wire;
    if (entry.presence) entry.unbinders.push(...entry.presence.bind(channel, isCurrent, onSubscribed, wire));
    entry.unbinders.push(...(wire ? wire.status(channel, entry.type, onSubscribed, onFailed) : bindSubscriptionStatus(channel, onSubscribed, onFailed)));
    for (const formatted of entry.events.keys()) this.#bindEvent(entry, formatted);
    if (process.env.NODE_ENV !== 'production') {
      const stop = watchUnheard(channel, entry.wire, () => entry.events.keys());
      if (stop) entry.unbinders.push(stop);
    }
    if (channel.subscription?.subscribed === true || this.#host.confirmsImmediately(entry.type)) onSubscribed();
  }

  #detach(entry: ChannelEntry): void {
    const channel = entry.channel;
    if (!channel) return;
    for (const formatted of [...entry.dispatchers.keys()]) this.#unbindEvent(entry, formatted);
    for (const unbind of entry.unbinders.splice(0)) unbind();
    entry.channel = null;
    // The inspector's callback on the channel goes too (before the check below would count it).
    tap(this.#host.owner, 'channel', entry.wire);
    // On an Echo the app shares with us, other code may listen on this channel: only our callbacks go.
    if (this.#host.sharesEcho && hasOtherListeners(channel)) return;
    try {
      this.#host.getEcho()?.leaveChannel(entry.wire);
    } catch (cause) {
      this.#host.reportError(
        failure('subscription', process.env.NODE_ENV !== 'production' && `Leaving "${entry.wire}" failed: ${messageOf(cause)}`, {
          channel: entry.wire,
          cause,
        }),
      );
    }
  }

  #bindEvent(entry: ChannelEntry, formatted: string): void {
    const channel = entry.channel;
    if (!channel || entry.dispatchers.has(formatted)) return;
    const dispatch = (payload: unknown) => this.#dispatch(entry, formatted, payload);
    entry.dispatchers.set(formatted, dispatch);
    // A leading dot makes Echo use the name verbatim: it is already formatted.
    channel.listen('.' + formatted, dispatch);
  }

  #unbindEvent(entry: ChannelEntry, formatted: string): void {
    const dispatch = entry.dispatchers.get(formatted);
    if (!dispatch) return;
    entry.dispatchers.delete(formatted);
    entry.channel?.stopListening('.' + formatted, dispatch);
  }

  /** Runs inside a transport callback: nothing may escape. */
  #dispatch(entry: ChannelEntry, formatted: string, payload: unknown): void {
    const handlers = entry.events.get(formatted);
    if (!handlers) return;
    const owner = this.#host.owner;
    tap(owner, 'event', entry, formatted, payload);
    for (const handler of handlers) {
      try {
        handler.handle(payload);
      } catch (cause) {
        this.#host.reportError(
          cause instanceof RealtimeError
            ? cause
            : failure('handler', process.env.NODE_ENV !== 'production' && `A handler for "${formatted}" on "${entry.wire}" threw: ${messageOf(cause)}`, {
                channel: entry.wire,
                event: formatted,
                payload,
                cause,
              }),
        );
      }
    }
    tap(owner, 'event');
  }

  #setStatus(entry: ChannelEntry, status: ChannelStatus, error: Error | null): void {
    if (entry.snapshot.status === status && entry.snapshot.error === error) return;
    entry.snapshot = Object.freeze({ status, error });
    this.notify(entry.wire);
    if (status === 'subscribing') return;
    if (status !== 'subscribed') {
      this.#host.settled(entry);
      return;
    }
    const again = entry.confirmedBefore;
    entry.confirmedBefore = true;
    // A channel can be confirmed inside acquire() (already subscribed, or a broadcaster that never
    // acknowledges), before the caller adds its handlers: ask them for their keys once that is done.
    // Dropped, refused or released meanwhile, the entry has settled (or will confirm again) anyway.
    const confirmation = entry.snapshot;
    entry.confirming = true;
    queueMicrotask(() => {
      entry.confirming = false;
      if (this.#entries.get(entry.wire) !== entry || entry.snapshot !== confirmation) return;
      try {
        this.#host.confirmed(entry, again);
      } catch (cause) {
        this.#host.reportError(failure('handler', process.env.NODE_ENV !== 'production' && `Refetching for "${entry.wire}" failed: ${messageOf(cause)}`, { cause }));
      }
    });
  }

  /** @internal Tells the channel's watchers it changed (also core/presence, when members do). */
  notify(wire: string): void {
    tap(this.#host.owner, 'channel', wire);
    const set = this.#watchers.get(wire);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener();
      } catch (cause) {
        this.#host.reportError(failure('handler', process.env.NODE_ENV !== 'production' && `A channel watcher threw: ${messageOf(cause)}`, { cause }));
      }
    }
  }
}

function conflictError(entry: ChannelEntry): RealtimeError {
  return failure(
    'config',
    process.env.NODE_ENV !== 'production' && `"${entry.wire}" is already joined as ${entry.type} channel "${entry.name}", and another spelling names the ` +
        `same channel on the wire. Use that one name and type everywhere.`,
    { channel: entry.wire },
  );
}
