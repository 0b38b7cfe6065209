import { partialMatchKey, type QueryClient, type QueryKey } from '@tanstack/query-core';
import { onEveryEvent, type ChannelEntry, type EchoChannelLike, type PresenceSnapshot } from '../channels';
import { onDispose, registryOf, type RealtimeClient } from '../client';
import { peekCommands, type CommandState } from '../commands';
import type { ConnectionObserver } from '../connection';
import { setTap, type RealtimeError, type TapKind } from '../shared';
import { FetchWatcher, isQueryClient } from './fetches';
import { heldChannels } from './held';
import type {
  CommandRecord,
  ConnectionRecord,
  EventRecord,
  InspectOptions,
  InspectorEvent,
  InspectorSnapshot,
  InvalidationCause,
  RealtimeInspector,
  RunRecord,
  WaitingKey,
} from './types';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Record_ = InspectorEvent extends infer E ? (E extends InspectorEvent ? Omit<E, 'id' | 'at'> : never) : never;

interface KnownChannel {
  /** As the app named it, and its type: the record of its leaving says them too. */
  name: string;
  type: ChannelEntry['type'];
  status: string;
  presence: PresenceSnapshot | null;
  channel: EchoChannelLike | null;
  unbind: (() => void) | undefined;
  lastEvent: { event: string; at: number } | null;
}


class Inspector implements RealtimeInspector {
  readonly #client: RealtimeClient;
  #limit: number;
  #listeners = new Set<(event: InspectorEvent) => void>();
  #events: InspectorEvent[] = [];
  #dropped = 0;
  #seq = 0;
  #snapshot: InspectorSnapshot | null = null;
  #connection: ConnectionRecord | null = null;
  #channels = new Map<string, KnownChannel>();
  /** Keys asked for and not run yet, by QueryClient (reload work: null) and key. */
  #waiting = new Map<string, Mutable<WaitingKey> & { source: QueryClient | null }>();
  /** A number per QueryClient, for the keys of #waiting (two QueryClients may hold the same key). */
  #sources = new WeakMap<QueryClient, number>();
  #sourceCount = 0;
  #inFlight = new Map<number, RunRecord>();
  #commands = new Map<string, CommandRecord>();
  readonly #fetches = new FetchWatcher(
    (record) => this.#record(record),
    () => this.#limit,
    () => this.#listeners.size > 0,
  );
  /** The event whose handlers run now: what they ask is its doing, reported after it. */
  #current: Mutable<EventRecord> | null = null;
  #held: InspectorEvent[] = [];
  /** The next request comes from a command's settling. */
  #fromCommand = false;

  constructor(client: RealtimeClient, options: InspectOptions) {
    this.#client = client;
    this.#limit = bufferLimit(options.bufferSize);
    onDispose(client, () => this.#stop());
  }

  subscribe(listener: (event: InspectorEvent) => void): () => void {
    this.#listeners.add(listener);
    // The first listener hears the state found as recording starts.
    if (this.#listeners.size === 1) {
      try {
        this.#start();
      } catch (error) {
        // Nothing stays installed by a start that failed.
        this.#listeners.delete(listener);
        this.#stop();
        throw error;
      }
    }
    return () => {
      if (!this.#listeners.delete(listener) || this.#listeners.size > 0) return;
      this.#stop();
    };
  }

  getSnapshot(): InspectorSnapshot {
    // Unrecorded (nobody subscribed), a snapshot holds for this task only: the same object for
    // React's repeated reads, the state of now for a later one.
    if (!this.#snapshot && !this.#listeners.size) queueMicrotask(() => !this.#listeners.size && this.#changed());
    return (this.#snapshot ??= this.#build());
  }

  /** A later caller asking for a bigger buffer gets it (the devtools' `bufferSize` after `inspectRealtime`). */
  widen(bufferSize: number | undefined): void {
    this.#limit = Math.max(this.#limit, bufferLimit(bufferSize));
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
    this.#fetches.stop();
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
        this.#fetches.watch(b);
        // useDebouncedReload names itself (nothing built per call when nobody inspects).
        return this.#onRequest(typeof a === 'string' ? [[a]] : (a as QueryKey[]), b, this.#fromCommand ? 'command' : this.#current ? 'event' : 'manual');
      case 'sync':
        this.#fetches.watch(b);
        return this.#onRequest([a as QueryKey], b, c ? 'recovery' : 'subscription');
      case 'run': {
        const run = this.#onRun(a as QueryKey, isQueryClient(d) ? d : null, b, !!c);
        this.#fetches.ranBy(run.id, a as QueryKey, d);
        return;
      }
      case 'reload':
        // One run per request: its key lists the props it carries (`['log', 'server']`).
        this.#onRun(typeof a === 'string' ? [a] : (a as string[]), null, b, false);
        return;
      case 'dropped':
        for (const prop of typeof a === 'string' ? [a] : (a as string[])) this.#waiting.delete(this.#hash(null, [prop]));
        return this.#changed();
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
      this.#record({ type: 'channel', channel: wire, name: known.name, channelType: known.type, status: 'left', error: null, holders: 0 });
      return;
    }
    if (!known) this.#channels.set(wire, (known = { name: entry.name, type: entry.type, status: '', presence: null, channel: null, unbind: undefined, lastEvent: null }));
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

  /** Where a waiting key is filed: its QueryClient's number (or reload work's), and the key. */
  #hash(source: QueryClient | null, key: QueryKey): string {
    let id = source && this.#sources.get(source);
    if (source && id === undefined) this.#sources.set(source, (id = ++this.#sourceCount));
    return `${id ?? 'reload'} ${JSON.stringify(key)}`;
  }

  /** Keys asked for: `to` is a QueryClient, or reload work (the page's reloads, `useDebouncedReload`). */
  #onRequest(keys: readonly QueryKey[], to: unknown, cause: InvalidationCause): void {
    this.#fromCommand = false;
    if (keys.length === 0) return;
    const now = Date.now();
    const source = isQueryClient(to) ? to : null;
    const target = source ? 'query' : 'reload';
    this.#current?.invalidated.push(...keys);
    for (const key of keys) {
      const hash = this.#hash(source, key);
      const waiting = this.#waiting.get(hash);
      if (waiting) {
        waiting.requests += 1;
        if (!waiting.causes.includes(cause)) waiting.causes.push(cause);
      } else if (this.#waiting.size < this.#limit) {
        this.#waiting.set(hash, { key, target, requests: 1, since: now, causes: [cause], source });
      }
    }
    this.#record({ type: 'invalidate', keys: [...keys], cause, eventId: this.#current?.id ?? null, target });
  }

  /** A run of `key` on `source` (a QueryClient; null: reload work) started; `settled` says when it ends. */
  #onRun(key: QueryKey, source: QueryClient | null, settled: unknown, owed: boolean): RunRecord {
    let coalesced = 0;
    const causes: InvalidationCause[] = [];
    const target = source ? 'query' : 'reload';
    // The run answers every request of its QueryClient for its key, and for the narrower keys it
    // covers; a reload, every request for one of its props or their nested props (`auth` covers `auth.user`).
    for (const [hash, waiting] of this.#waiting) {
      if (waiting.source !== source) continue;
      const prop = String(waiting.key[0]);
      if (!(source ? partialMatchKey(waiting.key, key) : key.some((p) => prop === p || prop.startsWith(`${p}.`)))) continue;
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
    const connection = this.#connection;
    const { channels, recovering } = heldChannels(registryOf(this.#client), (wire) => this.#channels.get(wire)?.lastEvent ?? null);
    return Object.freeze({
      connection: connection
        ? { status: connection.status, socketId: connection.socketId, attempt: connection.attempt, nextAttemptAt: connection.nextAttemptAt }
        : { status: this.#client.getConnectionStatus(), socketId: this.#client.getSocketId(), attempt: 0, nextAttemptAt: null },
      channels,
      queries: {
        waiting: [...this.#waiting.values()].map((w) => ({ key: w.key, target: w.target, requests: w.requests, since: w.since, causes: [...w.causes] })),
        inFlight: [...this.#inFlight.values()],
        fetching: this.#fetches.fetching,
        recovering,
      },
      commands: [...this.#commands.values()],
      events: [...this.#events],
      dropped: this.#dropped,
    });
  }
}

const inspectors = new WeakMap<RealtimeClient, Inspector>();
const bufferLimit = (size: number | undefined) => Math.max(1, Math.floor(size ?? 500));

/**
 * The inspector of `client` (one per client, made on first use): `echo-react-query/devtools` shows
 * it; subscribe yourself to log or assert what the client does. Callers share it; the buffer is the
 * largest `bufferSize` any asked for.
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
  else inspector.widen(options.bufferSize);
  return inspector;
}
