import type { QueryClient, QueryKey } from '@tanstack/query-core';
import type { PresenceListener } from './presence';
import type { ChannelEntry, ChannelRegistry } from './registry';
import type { CoalesceOptions } from './types';

/** Something that reacts to one event (`lease.listen(event, { handle })`); what it throws goes to `onError`. */
export interface EventHandler {
  handle(payload: unknown): void;
}

/** A handler that also names the keys it keeps up to date (the hooks' bindings). */
export interface SyncingHandler extends EventHandler {
  /** What to refetch when the channel's subscription is confirmed (first join, or after a drop). */
  sync?(): SyncRequest | null;
}

/** Keys one handler wants refetched when its channel's subscription is confirmed. */
export interface SyncRequest {
  queryClient: QueryClient;
  keys: QueryKey[];
  options: CoalesceOptions;
  /** The binding's `refetchOnSubscribe`; the client's default applies when undefined. */
  refetchOnSubscribe?: boolean;
}

/**
 * A hold on one channel. Leases are the only way to use a channel; only the registry counts them,
 * and `release()` is idempotent, so nothing outside can unsubscribe a channel someone else still uses.
 */
export interface ChannelLease {
  /** The channel's name on the wire, e.g. `private-orders.1` for `{ channel: 'orders.1' }`. */
  readonly wireName: string;
  /** Adds a handler for an event (Echo naming rules). Returns a function that removes it. */
  listen(event: string, handler: EventHandler): () => void;
  /** Adds presence join/leave callbacks. Returns a function that removes them. */
  onPresence(listener: PresenceListener): () => void;
  /** Sends a client event (`client-<event>`) to the other members. False if not possible right now. */
  whisper(event: string, data: Record<string, unknown>): boolean;
  /** Gives the hold back, removing everything added through this lease. */
  release(): void;
}

/** A hold on one entry. A class, not closures: apps hold one per mounted hook. */
export class Lease implements ChannelLease {
  private released = false;
  /** Removers for what was added through this lease, run on release. */
  private undo: (() => void)[] | null = null;

  constructor(
    private readonly registry: ChannelRegistry,
    private readonly entry: ChannelEntry,
  ) {}

  get wireName(): string {
    return this.entry.wire;
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
  wireName: '',
  listen: () => noop,
  onPresence: () => noop,
  whisper: () => false,
  release: noop,
});

function noop(): void {}
