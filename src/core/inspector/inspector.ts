import { partialMatchKey, type Query, type QueryCacheNotifyEvent, type QueryClient, type QueryKey } from '@tanstack/query-core';
import { onEveryEvent, type ChannelEntry, type EchoChannelLike, type PresenceSnapshot } from '../channels';
import { onDispose, registryOf, type RealtimeClient } from '../client';
import { peekCommands, type CommandState } from '../commands';
import type { ConnectionObserver } from '../connection';
import type { SyncingHandler } from '../invalidation';
import { setTap, type RealtimeError, type TapKind } from '../shared';
import type {
  CommandRecord,
  ConnectionRecord,
  EventRecord,
  FetchRecord,
  InspectedChannel,
  InspectorEvent,
  InspectorSnapshot,
  InvalidationCause,
  RunRecord,
  WaitingKey,
} from './types';

/** Options of {@link inspectRealtime}. */
export interface InspectOptions {
  /** How many records `getSnapshot().events` keeps (the oldest go first). Default 500. */
  bufferSize?: number;
}

/**
 * What a client does, as a typed stream and a snapshot: connection transitions, channels, events
 * and what each did, invalidations and their causes, coalesced runs and their fetches, presence,
 * commands, errors. Recording starts with the first `subscribe` and stops (forgetting what it
 * kept) after the last unsubscribe: until then the client does no work for it.
 */
export interface RealtimeInspector {
  /**
   * Calls `listener` with each record as it happens; returns the unsubscribe function. Also the
   * `subscribe` of `useSyncExternalStore` with {@link RealtimeInspector.getSnapshot}.
   */
  subscribe(listener: (event: InspectorEvent) => void): () => void;
  /** The state now and the last records, the same object until something changes. */
  getSnapshot(): InspectorSnapshot;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Record_ = InspectorEvent extends infer E ? (E extends InspectorEvent ? Omit<E, 'id' | 'at'> : never) : never;

interface KnownChannel {
  status: string;
  presence: PresenceSnapshot | null;
  channel: EchoChannelLike | null;
  unbind: (() => void) | undefined;
  lastEvent: { event: string; at: number } | null;
}

/** Where a request goes: a QueryClient, or reload work (the page's reloads, `useDebouncedReload`). */
const targetOf = (target: unknown): 'query' | 'reload' => (isQueryClient(target) ? 'query' : 'reload');
const isQueryClient = (target: unknown): target is QueryClient => typeof (target as QueryClient | null)?.getQueryCache === 'function';

class Inspector implements RealtimeInspector {
  readonly #client: RealtimeClient;
  readonly #limit: number;
  #listeners = new Set<(event: InspectorEvent) => void>();
  #events: InspectorEvent[] = [];
  #dropped = 0;
  #seq = 0;
  #snapshot: InspectorSnapshot | null = null;
  #connection: ConnectionRecord | null = null;
  #channels = new Map<string, KnownChannel>();
  #waiting = new Map<string, Mutable<WaitingKey>>();
  #inFlight = new Map<number, RunRecord>();
  #commands = new Map<string, CommandRecord>();
  /** The caches of the QueryClients the client invalidates, watched for fetches. */
  #caches = new Map<QueryClient, () => void>();
  /** Queries fetching now, with their record. */
  #fetching = new Map<Query, FetchRecord>();
  /** Queries whose fetch a run just started: the run's id. */
  #startedBy = new WeakMap<Query, number>();
  /** The event whose handlers run now: what they ask is its doing, reported after it. */
  #current: Mutable<EventRecord> | null = null;
  #held: InspectorEvent[] = [];
  /** The next request comes from a command's settling. */
  #fromCommand = false;

  constructor(client: RealtimeClient, options: InspectOptions) {
    this.#client = client;
    this.#limit = Math.max(1, Math.floor(options.bufferSize ?? 500));
    onDispose(client, () => this.#stop());
  }

  subscribe(listener: (event: InspectorEvent) => void): () => void {
    this.#listeners.add(listener);
    // The first listener hears the state found as recording starts.
    if (this.#listeners.size === 1) this.#start();
    return () => {
      if (!this.#listeners.delete(listener) || this.#listeners.size > 0) return;
      this.#stop();
    };
  }

  getSnapshot(): InspectorSnapshot {
    return (this.#snapshot ??= this.#build());
  }

  #start(): void {
    setTap(this.#client, (kind, a, b, c, d) => {
      try {
        this.#hear(kind, a, b, c, d);
      } catch {
        // The inspector never breaks the client: a record it cannot make is skipped.
      }
    });
    this.#hear('connection');
    for (const entry of registryOf(this.#client).list()) this.#hear('channel', entry.wire);
    const commands = peekCommands(this.#client);
    if (commands) this.#hear('commands', commands);
  }

  #stop(): void {
    setTap(this.#client, undefined);
    for (const known of this.#channels.values()) known.unbind?.();
    this.#channels.clear();
    this.#waiting.clear();
    this.#inFlight.clear();
    this.#commands.clear();
    for (const stop of this.#caches.values()) stop();
    this.#caches.clear();
    this.#fetching.clear();
    this.#events = [];
    this.#dropped = 0;
    this.#connection = null;
    this.#current = null;
    this.#held = [];
    this.#snapshot = null;
  }

  #hear(kind: TapKind, a?: unknown, b?: unknown, c?: unknown, d?: unknown): void {
    switch (kind) {
      case 'connection':
        return this.#onConnection(a as ConnectionObserver | null | undefined);
      case 'channel':
        return this.#onChannel(a as string);
      case 'event':
        return a ? this.#onEvent(a as ChannelEntry, b as string, c) : this.#onEventDone();
      case 'request':
        this.#watchCache(b);
        return this.#onRequest(a as QueryKey[], targetOf(b), this.#fromCommand ? 'command' : this.#current ? 'event' : 'manual');
      case 'sync':
        this.#watchCache(b);
        return this.#onRequest([a as QueryKey], targetOf(b), c ? 'recovery' : 'subscription');
      case 'run': {
        const run = this.#onRun(a as QueryKey, 'query', b as PromiseLike<unknown>, !!c);
        // The fetches this invalidation started (inside invalidateQueries, their start recorded in a
        // microtask queued then) are its doing; a fetch already under way started none, so the
        // mark goes in the microtask after.
        if (isQueryClient(d)) {
          for (const query of d.getQueryCache().findAll({ queryKey: a as QueryKey, fetchStatus: 'fetching' })) {
            this.#startedBy.set(query, run.id);
            queueMicrotask(() => this.#startedBy.get(query) === run.id && this.#startedBy.delete(query));
          }
        }
        return;
      }
      case 'reload':
        for (const prop of a as string[]) this.#onRun([prop], 'reload', b as PromiseLike<unknown>, false);
        return;
      case 'write':
        this.#current?.wrote.push(a as QueryKey);
        this.#record({ type: 'write', key: a as QueryKey, eventId: this.#current?.id ?? null });
        return;
      case 'command':
        this.#fromCommand = true;
        return;
      case 'commands':
        return this.#onCommands(a as readonly CommandState[]);
      case 'error':
        this.#record({ type: 'error', error: a as RealtimeError });
        return;
    }
  }

  #onConnection(observer: ConnectionObserver | null | undefined): void {
    const client = this.#client;
    const retry = observer?.retry?.() ?? { attempt: 0, at: null };
    const status = client.getConnectionStatus();
    const socketId = client.getSocketId();
    const known = this.#connection;
    if (known && known.status === status && known.socketId === socketId && known.nextAttemptAt === retry.at) return;
    this.#connection = this.#record({ type: 'connection', status, socketId, attempt: retry.attempt, nextAttemptAt: retry.at }) as ConnectionRecord;
  }

  #onChannel(wire: string): void {
    const entry = registryOf(this.#client).find(wire);
    let known = this.#channels.get(wire);
    if (!entry) {
      if (!known) return;
      known.unbind?.();
      this.#channels.delete(wire);
      this.#record({ type: 'channel', channel: wire, name: wire, channelType: 'public', status: 'left', error: null, holders: 0 });
      return;
    }
    if (!known) this.#channels.set(wire, (known = { status: '', presence: null, channel: null, unbind: undefined, lastEvent: null }));
    if (known.channel !== entry.channel) {
      // Events no binding hears (pusher-js tells every event to a global callback).
      known.unbind?.();
      known.channel = entry.channel;
      known.unbind = entry.channel
        ? onEveryEvent(entry.channel, (event, payload) => {
            if (!entry.events.has(event)) this.#record({ type: 'unheard', channel: wire, event, payload });
          })
        : undefined;
    }
    const { status, error } = entry.snapshot;
    if (known.status !== status) {
      known.status = status;
      this.#record({ type: 'channel', channel: wire, name: entry.name, channelType: entry.type, status, error: error?.message ?? null, holders: entry.refs });
    }
    const presence = entry.presence?.snapshot ?? null;
    if (presence && presence !== known.presence) {
      known.presence = presence;
      this.#record({ type: 'presence', channel: wire, members: presence.members, count: presence.count });
    }
    this.#changed();
  }

  #onEvent(entry: ChannelEntry, event: string, payload: unknown): void {
    this.#onEventDone();
    this.#current = {
      type: 'event',
      id: ++this.#seq,
      at: Date.now(),
      channel: entry.wire,
      event,
      payload,
      handlers: entry.events.get(event)?.size ?? 0,
      invalidated: [],
      wrote: [],
    };
    const known = this.#channels.get(entry.wire);
    if (known) known.lastEvent = { event, at: this.#current.at };
  }

  /** The event's handlers are done: it is reported, then what they asked. */
  #onEventDone(): void {
    const current = this.#current;
    if (!current) return;
    this.#current = null;
    const held = this.#held;
    this.#held = [];
    this.#push(current as EventRecord);
    for (const record of held) this.#push(record);
  }

  #onRequest(keys: readonly QueryKey[], target: 'query' | 'reload', cause: InvalidationCause): void {
    this.#fromCommand = false;
    if (keys.length === 0) return;
    const now = Date.now();
    this.#current?.invalidated.push(...keys);
    for (const key of keys) {
      const hash = target + JSON.stringify(key);
      const waiting = this.#waiting.get(hash);
      if (waiting) {
        waiting.requests += 1;
        if (!waiting.causes.includes(cause)) waiting.causes.push(cause);
      } else if (this.#waiting.size < this.#limit) {
        this.#waiting.set(hash, { key, target, requests: 1, since: now, causes: [cause] });
      }
    }
    this.#record({ type: 'invalidate', keys: [...keys], cause, eventId: this.#current?.id ?? null, target });
  }

  #onRun(key: QueryKey, target: 'query' | 'reload', settled: PromiseLike<unknown>, owed: boolean): RunRecord {
    let coalesced = 0;
    const causes: InvalidationCause[] = [];
    // The run answers every request for its key, and for the narrower keys it covers.
    for (const [hash, waiting] of this.#waiting) {
      if (waiting.target !== target || !partialMatchKey(waiting.key, key)) continue;
      this.#waiting.delete(hash);
      coalesced += waiting.requests;
      for (const cause of waiting.causes) if (!causes.includes(cause)) causes.push(cause);
    }
    const run = this.#record({ type: 'run', key, target, coalesced, causes, owed }) as RunRecord;
    this.#inFlight.set(run.id, run);
    const done = () => {
      if (!this.#inFlight.delete(run.id)) return;
      this.#record({ type: 'settled', runId: run.id, key, durationMs: Date.now() - run.at });
    };
    Promise.resolve(settled).then(done, done);
    return run;
  }

  /** Watches a QueryClient's cache for fetches, from the first time the client asks it for something. */
  #watchCache(target: unknown): void {
    if (!isQueryClient(target) || this.#caches.has(target)) return;
    const cache = target.getQueryCache();
    this.#caches.set(
      target,
      cache.subscribe((event) => {
        try {
          this.#onCacheEvent(event);
        } catch {
          // As for taps: a record it cannot make is skipped.
        }
      }),
    );
    // Fetches already under way (the first load, usually) are shown too.
    for (const query of cache.findAll({ fetchStatus: 'fetching' })) this.#fetchStarted(query);
  }

  #onCacheEvent(event: QueryCacheNotifyEvent): void {
    const query = event.query;
    if (event.type === 'removed') {
      this.#fetching.delete(query);
      return;
    }
    if (event.type !== 'updated') return;
    // TanStack tells its cache listeners at once, inside invalidateQueries: recorded once the run
    // that started it has said so (a microtask later, before the fetch can end).
    const action = event.action;
    if (action.type === 'fetch') queueMicrotask(() => this.#listeners.size > 0 && this.#fetchStarted(query));
    // The fetch's own end, told by the action, not by the state: a listener before this one (the
    // coalescer's) may already have started the next fetch. A cache write is no fetch's end; a
    // cancelled fetch ends in a setState back to idle.
    else if ((action.type === 'success' && !action.manual) || action.type === 'error' || (action.type === 'setState' && query.state.fetchStatus === 'idle')) {
      const started = this.#fetching.get(query);
      if (!started) return;
      this.#fetching.delete(query);
      this.#record({ type: 'fetched', key: query.queryKey, fetchId: started.id, durationMs: Date.now() - started.at, ok: action.type === 'success' });
    }
  }

  #fetchStarted(query: Query): void {
    if (this.#fetching.size >= this.#limit && !this.#fetching.has(query)) return;
    const runId = this.#startedBy.get(query) ?? null;
    this.#startedBy.delete(query);
    this.#fetching.set(query, this.#record({ type: 'fetch', key: query.queryKey, runId }) as FetchRecord);
  }

  #onCommands(states: readonly CommandState[]): void {
    const seen = new Set<string>();
    for (const state of states) {
      seen.add(state.commandId);
      const known = this.#commands.get(state.commandId);
      if (known?.status === state.status) continue;
      const record = this.#record({
        type: 'command',
        commandId: state.commandId,
        status: state.status,
        previous: known?.status ?? null,
        startedAt: state.startedAt,
        settledAt: state.settledAt,
        error: state.error,
      }) as CommandRecord;
      this.#commands.set(state.commandId, record);
    }
    for (const id of this.#commands.keys()) if (!seen.has(id)) this.#commands.delete(id);
    this.#changed();
  }

  /** Stamps and reports a record (held back while an event's handlers run). */
  #record(record: Record_): InspectorEvent {
    const stamped = { ...record, id: ++this.#seq, at: Date.now() } as InspectorEvent;
    if (this.#current) this.#held.push(stamped);
    else this.#push(stamped);
    return stamped;
  }

  #push(record: InspectorEvent): void {
    this.#events.push(record);
    const over = this.#events.length - this.#limit;
    if (over > 0) {
      this.#events.splice(0, over);
      this.#dropped += over;
    }
    this.#changed();
    for (const listener of [...this.#listeners]) {
      try {
        listener(record);
      } catch {
        // A listener that throws does not stop the others, nor the client.
      }
    }
  }

  #changed(): void {
    this.#snapshot = null;
  }

  #build(): InspectorSnapshot {
    const registry = registryOf(this.#client);
    const connection = this.#connection;
    const channels: InspectedChannel[] = [];
    const recovering: { channel: string; key: QueryKey }[] = [];
    for (const entry of registry.list()) {
      const known = this.#channels.get(entry.wire);
      channels.push({
        channel: entry.wire,
        name: entry.name,
        channelType: entry.type,
        status: entry.snapshot.status,
        error: entry.snapshot.error?.message ?? null,
        holders: entry.refs,
        events: [...entry.events].map(([event, handlers]) => ({ event, handlers: handlers.size })),
        lastEvent: known?.lastEvent ?? null,
        members: entry.presence?.snapshot.members ?? null,
      });
      if (!entry.confirmedBefore || entry.snapshot.status !== 'subscribing') continue;
      for (const handlers of entry.events.values()) {
        for (const handler of handlers) {
          try {
            for (const key of (handler as SyncingHandler).sync?.()?.keys ?? []) recovering.push({ channel: entry.wire, key });
          } catch {
            // Reported when the channel is confirmed.
          }
        }
      }
    }
    return Object.freeze({
      connection: connection
        ? { status: connection.status, socketId: connection.socketId, attempt: connection.attempt, nextAttemptAt: connection.nextAttemptAt }
        : { status: this.#client.getConnectionStatus(), socketId: this.#client.getSocketId(), attempt: 0, nextAttemptAt: null },
      channels,
      queries: {
        waiting: [...this.#waiting.values()].map((w) => ({ ...w, causes: [...w.causes] })),
        inFlight: [...this.#inFlight.values()],
        fetching: [...this.#fetching.values()],
        recovering,
      },
      commands: [...this.#commands.values()],
      events: [...this.#events],
      dropped: this.#dropped,
    });
  }
}

const inspectors = new WeakMap<RealtimeClient, Inspector>();

/**
 * The inspector of `client` (one per client, made on first use): `echo-react-query/devtools` shows
 * it; subscribe yourself to log or assert what the client does.
 *
 * ```ts
 * const stop = inspectRealtime(realtime).subscribe((record) => {
 *   if (record.type === 'unheard') console.info('nobody listens for', record.event, 'on', record.channel);
 * });
 * ```
 */
export function inspectRealtime(client: RealtimeClient, options: InspectOptions = {}): RealtimeInspector {
  let inspector = inspectors.get(client);
  if (!inspector) inspectors.set(client, (inspector = new Inspector(client, options)));
  return inspector;
}
