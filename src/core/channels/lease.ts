import { warnOnce } from '../shared';
import type { ChannelEntry } from './entry';
import type { EventHandler, PresenceListener } from './types';

/**
 * A hold on one channel. Leases are the only way to use a channel; only the registry counts them,
 * and `release()` is idempotent, so nothing outside can unsubscribe a channel someone else still uses.
 */
export interface ChannelLease {
  /** The channel's name on the wire, e.g. `private-orders.1` for `{ channel: 'orders.1' }`. */
  readonly wireName: string;
  /** Adds a handler for an event (Echo naming rules). Returns a function that removes it. */
  listen(event: string, handler: EventHandler): () => void;
  /**
   * Adds presence join/leave callbacks (once presence is tracked on the client: `usePresence` or
   * `trackPresence(client)`). Returns a function that removes them.
   */
  onPresence(listener: PresenceListener): () => void;
  /** Gives the hold back, removing everything added through this lease. */
  release(): void;
}

/** What a lease asks of the registry that made it (the registry alone counts holds). */
export interface LeaseOwner {
  /** Adds a handler; returns the formatted event name it is filed under. */
  addHandler(entry: ChannelEntry, event: string, handler: EventHandler): string;
  removeHandler(entry: ChannelEntry, formatted: string, handler: EventHandler): void;
  release(entry: ChannelEntry): void;
}

/** A hold on one entry. A class, not closures: apps hold one per mounted hook. */
export class Lease implements ChannelLease {
  #released = false;
  /**
   * What was added through this lease, removed on release: pairs of (formatted event, handler),
   * and presence listeners. Flat, without closures: an app holds one lease per mounted hook.
   */
  #added: (string | EventHandler | PresenceListener)[] | null = null;

  readonly #registry: LeaseOwner;
  readonly #entry: ChannelEntry;

  constructor(registry: LeaseOwner, entry: ChannelEntry) {
    this.#registry = registry;
    this.#entry = entry;
  }

  get wireName(): string {
    return this.#entry.wire;
  }

  listen(event: string, handler: EventHandler): () => void {
    if (this.#released) return noop;
    const formatted = this.#registry.addHandler(this.#entry, event, handler);
    (this.#added ??= []).push(formatted, handler);
    return () => this.#remove(formatted, handler);
  }

  onPresence(listener: PresenceListener): () => void {
    const presence = this.#entry.presence;
    if (process.env.NODE_ENV !== 'production' && !presence && this.#entry.type === 'presence') {
      warnOnce(`onPresence on "${this.#entry.wire}" does nothing until presence is tracked: call trackPresence(client) first (usePresence does).`);
    }
    if (this.#released || !presence) return noop;
    presence.listeners.add(listener);
    (this.#added ??= []).push(PRESENCE, listener);
    return () => this.#remove(PRESENCE, listener);
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    const added = this.#added;
    this.#added = null;
    for (let i = 0; added && i < added.length; i += 2) this.#undo(added[i] as string, added[i + 1]);
    this.#registry.release(this.#entry);
  }

  /** Removes one thing added through this lease (once: a second call finds nothing). */
  #remove(kind: string, item: EventHandler | PresenceListener): void {
    const added = this.#added;
    for (let i = 0; added && i < added.length; i += 2) {
      if (added[i] !== kind || added[i + 1] !== item) continue;
      added.splice(i, 2);
      this.#undo(kind, item);
      return;
    }
  }

  #undo(kind: string, item: unknown): void {
    if (kind === PRESENCE) this.#entry.presence?.listeners.delete(item as PresenceListener);
    else this.#registry.removeHandler(this.#entry, kind, item as EventHandler);
  }
}

/** What a disposed client hands out: holds nothing, does nothing. */
export const INERT_LEASE: ChannelLease = Object.freeze({
  wireName: '',
  listen: () => noop,
  onPresence: () => noop,
  release: noop,
});

/** Marks a presence listener in Lease.added (event names never contain a NUL). */
const PRESENCE = '\u0000presence';

function noop(): void {}
