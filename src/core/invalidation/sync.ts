import { hashKey, partialMatchKey } from '@tanstack/query-core';
import type { QueryKey } from '@tanstack/query-core';
import type { ChannelEntry, ChannelRegistry } from '../channels';
import { failure, messageOf, type RealtimeError } from '../shared';
import { covers, mergeOptions, resolveCoalesce, type ResolvedCoalesceOptions } from './query-target';
import type { SyncingHandler, SyncRequest, SyncTarget } from './types';

/** A key to refetch: for one SyncTarget, with the coalescing options of every binding that keeps it. */
interface KeyItem {
  target: SyncTarget;
  key: QueryKey;
  hash: string;
  options: ResolvedCoalesceOptions;
  /** Refetched this much later (ms): the spread after a reconnect. */
  delay: number;
  /** Confirmed again after a drop (a recovery), rather than for the first time. */
  again: boolean;
}

/** A key owed a refetch, waiting until no other channel that keeps it is still being (re)joined. */
interface OwedKey extends KeyItem {
  blockers: Set<ChannelEntry>;
  /** Refetched at this time at the latest, confirmed or not. */
  deadline: number;
}

/** What {@link SubscriptionSync} needs from its client. */
export interface SyncHost {
  registry: ChannelRegistry;
  /** Coalescing defaults. */
  defaults(): ResolvedCoalesceOptions;
  /** The client's `refetchOnSubscribe` default. */
  refetchOnSubscribe: boolean;
  schedule(target: SyncTarget, key: QueryKey, options: ResolvedCoalesceOptions, delayMs: number, again: boolean): void;
  /** How far to spread the refetches after a reconnect (ms), for this many keys. */
  refetchJitter(keys: number): number;
  /** Every channel held when the socket came back has settled: time for `onReconnect`. */
  recovered(since: number): void;
  reportError(error: RealtimeError): void;
}

/** Longest wait (ms) for channels to be confirmed before refetching anyway. */
const CONFIRM_TIMEOUT_MS = 10_000;

/**
 * Brings bound queries up to date at the moments events cannot reach them: between a query's fetch
 * and its channel's first confirmation (`refetchOnSubscribe`), and while the socket was down. When a
 * held channel's subscription is confirmed, the keys its bindings keep (`recover`, else their static
 * keys) are refetched once through the coalescer, each as soon as every other channel keeping that
 * key is confirmed too: earlier would leave a gap in which that channel's events are still lost, and
 * a slow channel holds back only its own keys.
 */
export class SubscriptionSync {
  #owed = new Map<SyncTarget, Map<string, OwedKey>>();
  #owedTimer: ReturnType<typeof setTimeout> | undefined;
  /** After a reconnect: channels to settle before `onReconnect`. */
  #round: { since: number; pending: Set<ChannelEntry>; timer: ReturnType<typeof setTimeout> } | null = null;
  /** The spread of re-confirmation refetches, set as each reconnect begins. */
  #jitterMs = 0;

  readonly #host: SyncHost;

  constructor(host: SyncHost) {
    this.#host = host;
  }

  /** A channel's subscription was confirmed (which settles it); `again` after a drop or `reconnect()`. */
  confirmed(entry: ChannelEntry, again: boolean): void {
    for (const handlers of entry.events.values()) {
      for (const handler of handlers) {
        try {
          (handler as SyncingHandler).resync?.(again, this.#host.refetchOnSubscribe);
        } catch (cause) {
          this.#host.reportError(failure('handler', process.env.NODE_ENV !== 'production' && `onResync threw: ${messageOf(cause)}`, { cause }));
        }
      }
    }
    let others: Map<SyncTarget, Map<string, Set<ChannelEntry>>> | undefined;
    const deadline = Date.now() + CONFIRM_TIMEOUT_MS;
    for (const item of this.#keysOf(entry, again)) {
      let byKey = this.#owed.get(item.target);
      if (!byKey) this.#owed.set(item.target, (byKey = new Map()));
      const known = byKey.get(item.hash);
      if (known) {
        known.options = mergeOptions(known.options, item.options);
        continue;
      }
      others ??= this.#keysOfSubscribing(entry);
      const blockers = new Set(others.get(item.target)?.get(item.hash));
      byKey.set(item.hash, { ...item, blockers, deadline });
    }
    this.#unblock([entry]);
  }

  /** A channel stopped waiting without being confirmed (refused, or held by nobody): refetch what no longer waits for it. */
  settled(entry: ChannelEntry): void {
    this.#unblock([entry]);
  }

  /**
   * The socket is back, before its channels re-join: sizes the refetch spread for this reconnect
   * from the number of keys every held channel will refetch.
   */
  reconnecting(): void {
    let keys = 0;
    for (const entry of this.#host.registry.unconfirmed()) {
      for (const request of syncRequests(entry)) keys += request.keys.length;
    }
    this.#jitterMs = this.#host.refetchJitter(keys);
  }

  /** The socket is back after a drop that began at `since`: `recovered` runs once every held channel settled. */
  reconnected(since: number): void {
    this.cancelRound();
    const pending = new Set(this.#host.registry.unconfirmed());
    this.#round = { since, pending, timer: setTimeout(() => this.#finishRound(true), CONFIRM_TIMEOUT_MS) };
    if (pending.size === 0) this.#finishRound(false);
  }

  /** Drops a reconnect round in progress; returns when its drop began, or null. */
  cancelRound(): number | null {
    const round = this.#round;
    if (!round) return null;
    clearTimeout(round.timer);
    this.#round = null;
    return round.since;
  }

  /** The socket was closed on purpose: every channel is confirmed again on the next one, with its keys. */
  forgetOwed(): void {
    clearTimeout(this.#owedTimer);
    this.#owedTimer = undefined;
    this.#owed.clear();
  }

  dispose(): void {
    this.cancelRound();
    this.forgetOwed();
  }

  /**
   * `entries` no longer hold anything back: refetch the owed keys only they were waiting for, with
   * `extra` keys in the same batch (so none is refetched twice), and end the round if it waited for them.
   */
  #unblock(entries: readonly ChannelEntry[], extra: KeyItem[] = []): void {
    const ready: KeyItem[] = [...extra];
    for (const [target, byKey] of this.#owed) {
      for (const [hash, owed] of byKey) {
        for (const entry of entries) owed.blockers.delete(entry);
        if (owed.blockers.size > 0) continue;
        byKey.delete(hash);
        ready.push(owed);
      }
      if (byKey.size === 0) this.#owed.delete(target);
    }
    this.#flush(ready);
    this.#armOwedTimer();
    const round = this.#round;
    if (!round) return;
    let emptied = false;
    for (const entry of entries) if (round.pending.delete(entry) && round.pending.size === 0) emptied = true;
    if (emptied) this.#finishRound(false);
  }

  /**
   * Runs inside transport callbacks and timers: nothing may escape. After the timeout, the keys of
   * channels still not confirmed are refetched anyway (and again once they are).
   */
  #finishRound(timedOut: boolean): void {
    const pending = [...(this.#round?.pending ?? [])];
    const since = this.cancelRound();
    if (since === null) return;
    if (timedOut) this.#unblock(pending, pending.flatMap((entry) => this.#keysOf(entry, true)));
    try {
      this.#host.recovered(since);
    } catch (cause) {
      this.#host.reportError(failure('handler', process.env.NODE_ENV !== 'production' && `onReconnect threw: ${messageOf(cause)}`, { cause }));
    }
  }

  /** The keys a channel's bindings want refetched now: all on a re-confirmation, else those with refetchOnSubscribe. */
  #keysOf(entry: ChannelEntry, again: boolean): KeyItem[] {
    const defaults = this.#host.defaults();
    const items: KeyItem[] = [];
    for (const request of syncRequests(entry)) {
      if (!again && !(request.refetchOnSubscribe ?? this.#host.refetchOnSubscribe)) continue;
      const options = resolveCoalesce(request.options, defaults);
      // One delay per binding: its keys (a page's props) go out together.
      const delay = again ? Math.random() * this.#jitterMs : 0;
      for (const key of request.keys) {
        try {
          items.push({ target: request.target, key, hash: hashKey(key), options, delay, again });
        } catch (cause) {
          this.#host.reportError(failure('handler', process.env.NODE_ENV !== 'production' && `Cannot refetch query key: ${messageOf(cause)}`, { cause }));
        }
      }
    }
    return items;
  }

  /** For every other channel still waiting for confirmation, the keys it keeps. */
  #keysOfSubscribing(except: ChannelEntry): Map<SyncTarget, Map<string, Set<ChannelEntry>>> {
    const result = new Map<SyncTarget, Map<string, Set<ChannelEntry>>>();
    const { registry } = this.#host;
    for (const other of registry.unconfirmed()) {
      if (other === except) continue;
      for (const request of syncRequests(other)) {
        let byKey = result.get(request.target);
        if (!byKey) result.set(request.target, (byKey = new Map()));
        for (const key of request.keys) {
          try {
            const hash = hashKey(key);
            let set = byKey.get(hash);
            if (!set) byKey.set(hash, (set = new Set()));
            set.add(other);
          } catch {
            // Reported when that channel's own keys are refetched.
          }
        }
      }
    }
    return result;
  }

  /** Schedules keys, shortest first, so a prefix covers its narrower keys and each query refetches once. */
  #flush(ready: KeyItem[]): void {
    if (ready.length === 0) return;
    ready.sort((a, b) => a.key.length - b.key.length);
    const done: KeyItem[] = [];
    for (const item of ready) {
      const covered = done.some(
        (d) =>
          d.target === item.target &&
          covers(d.options.refetchType, item.options.refetchType) &&
          partialMatchKey(item.key, d.key),
      );
      if (covered) continue;
      done.push(item);
      this.#host.schedule(item.target, item.key, item.options, item.delay, item.again);
    }
  }

  /** No key waits longer than {@link CONFIRM_TIMEOUT_MS} for a slow channel: one timer, at the earliest deadline. */
  #armOwedTimer(): void {
    clearTimeout(this.#owedTimer);
    this.#owedTimer = undefined;
    let next = Infinity;
    for (const byKey of this.#owed.values()) for (const owed of byKey.values()) next = Math.min(next, owed.deadline);
    if (next === Infinity) return;
    this.#owedTimer = setTimeout(() => {
      this.#owedTimer = undefined;
      const now = Date.now();
      const due: KeyItem[] = [];
      for (const [target, byKey] of this.#owed) {
        for (const [hash, owed] of byKey) {
          if (owed.deadline > now) continue;
          byKey.delete(hash);
          due.push(owed);
        }
        if (byKey.size === 0) this.#owed.delete(target);
      }
      this.#flush(due);
      this.#armOwedTimer();
    }, Math.max(0, next - Date.now()));
  }
}

/** What the handlers on a channel want refetched when its subscription is confirmed. */
function syncRequests(entry: ChannelEntry): SyncRequest[] {
  const requests: SyncRequest[] = [];
  for (const handlers of entry.events.values()) {
    for (const handler of handlers) {
      const request = (handler as SyncingHandler).sync?.();
      if (request && request.keys.length > 0) requests.push(request);
    }
  }
  return requests;
}
