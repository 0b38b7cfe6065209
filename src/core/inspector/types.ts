import type { QueryKey } from '@tanstack/query-core';
import type { ChannelStatus, ChannelType, PresenceMember } from '../channels';
import type { CommandStatus } from '../commands';
import type { ConnectionStatus } from '../connection';
import type { RealtimeError } from '../shared';

// The inspector's vocabulary: what it reports as it happens (InspectorEvent) and the state it
// shows at any moment (InspectorSnapshot).

/** Why keys were invalidated (or props reloaded). */
export type InvalidationCause =
  /** An event's binding asked for it. */
  | 'event'
  /** A channel's subscription was confirmed for the first time (`refetchOnSubscribe`). */
  | 'subscription'
  /** A channel was confirmed again after a drop: what its events could not say meanwhile. */
  | 'recovery'
  /** An optimistic command settled. */
  | 'command'
  /** `realtime.invalidate()` or any other call outside an event. */
  | 'manual';

/** What every record carries. */
export interface InspectorRecordBase {
  /** Increasing number, unique per inspector. */
  id: number;
  /** `Date.now()` when it happened. */
  at: number;
}

/** The connection's status or socket id changed. */
export interface ConnectionRecord extends InspectorRecordBase {
  type: 'connection';
  status: ConnectionStatus;
  socketId: string | undefined;
  /** Attempts made in this outage (Pusher-protocol connections), 0 when connected. */
  attempt: number;
  /** When the next attempt is due (`Date.now()` time), while reconnecting. */
  nextAttemptAt: number | null;
}

/** A channel's subscription changed state, or the channel was left. */
export interface ChannelRecord extends InspectorRecordBase {
  type: 'channel';
  /** The name on the wire (`private-orders.1`). */
  channel: string;
  /** The name as the app gave it (`orders.1`). */
  name: string;
  channelType: ChannelType;
  /** Its new status; `'left'` once nothing holds it and it was left. */
  status: ChannelStatus | 'left';
  /** Why it failed (`status: 'error'`), or null. */
  error: string | null;
  /** How many hooks and bindings hold it. */
  holders: number;
}

/** An event arrived on a held channel and was handed to its bindings. */
export interface EventRecord extends InspectorRecordBase {
  type: 'event';
  channel: string;
  /** The name as broadcast (`.OrderShipped` bindings hear `OrderShipped`). */
  event: string;
  payload: unknown;
  /** Bindings that heard it. */
  handlers: number;
  /** Keys its bindings asked to invalidate (coalesced: see the `run` records). */
  invalidated: QueryKey[];
  /** Keys its bindings wrote into the cache. */
  wrote: QueryKey[];
}

/** An event arrived on a held channel where no binding listens for it (Pusher-protocol channels). */
export interface UnheardRecord extends InspectorRecordBase {
  type: 'unheard';
  channel: string;
  event: string;
  payload: unknown;
}

/** Keys were asked to be invalidated; the coalescer decides when they run. */
export interface InvalidateRecord extends InspectorRecordBase {
  type: 'invalidate';
  keys: QueryKey[];
  cause: InvalidationCause;
  /** The event that asked, for `cause: 'event'`. */
  eventId: number | null;
  /** `'query'`, or `'reload'` for Inertia props (each key is `[prop]`). */
  target: 'query' | 'reload';
}

/** The coalescer ran one key: its queries are invalidated and refetched now (or its prop reloaded). */
export interface RunRecord extends InspectorRecordBase {
  type: 'run';
  /** The query key invalidated; for a reload, the props it carries (one request: `['log', 'server']`). */
  key: QueryKey;
  target: 'query' | 'reload';
  /** Requests this run answers (more than 1: coalesced). */
  coalesced: number;
  /** Why they were asked, once each. */
  causes: InvalidationCause[];
  /** A second run owed because a fetch was in flight when an event came. */
  owed: boolean;
}

/** A run's refetches (or its reload) settled. */
export interface SettledRecord extends InspectorRecordBase {
  type: 'settled';
  runId: number;
  key: QueryKey;
  durationMs: number;
}

/** A query of a QueryClient the client invalidates began fetching: a run's doing, or the app's (a mount, a focus). */
export interface FetchRecord extends InspectorRecordBase {
  type: 'fetch';
  key: QueryKey;
  /** The run that invalidated it, or null when something else started it. */
  runId: number | null;
}

/** A fetch ended. */
export interface FetchedRecord extends InspectorRecordBase {
  type: 'fetched';
  key: QueryKey;
  fetchId: number;
  durationMs: number;
  /** How it ended: with data, with an error, or cancelled (by `cancelQueries`, e.g. before a cache write). */
  outcome: 'success' | 'error' | 'cancelled';
}

/** An event wrote into the cache (`setQueryData`). */
export interface WriteRecord extends InspectorRecordBase {
  type: 'write';
  key: QueryKey;
  eventId: number | null;
}

/** The members of a presence channel changed. */
export interface PresenceRecord extends InspectorRecordBase {
  type: 'presence';
  channel: string;
  members: readonly PresenceMember[];
  count: number;
}

/** An optimistic command changed state. */
export interface CommandRecord extends InspectorRecordBase {
  type: 'command';
  commandId: string;
  status: CommandStatus;
  /** What it was before (null when it just started). */
  previous: CommandStatus | null;
  startedAt: number;
  settledAt: number | null;
  error: unknown;
}

/** An error went to `onError`. */
export interface ErrorRecord extends InspectorRecordBase {
  type: 'error';
  error: RealtimeError;
}

/** What the client did, as the inspector reports it. */
export type InspectorEvent =
  | ConnectionRecord
  | ChannelRecord
  | EventRecord
  | UnheardRecord
  | InvalidateRecord
  | RunRecord
  | SettledRecord
  | FetchRecord
  | FetchedRecord
  | WriteRecord
  | PresenceRecord
  | CommandRecord
  | ErrorRecord;

/** One held channel, now. */
export interface InspectedChannel {
  channel: string;
  name: string;
  channelType: ChannelType;
  status: ChannelStatus;
  error: string | null;
  holders: number;
  /** Event names bound, with how many bindings hear each. */
  events: { event: string; handlers: number }[];
  /** The last event that arrived, if any since inspection began. */
  lastEvent: { event: string; at: number } | null;
  /** On a tracked presence channel. */
  members: readonly PresenceMember[] | null;
}

/** A key the coalescer has been asked for and not run yet. */
export interface WaitingKey {
  /** The query key, or `[prop]` for a reload. */
  key: QueryKey;
  /** A TanStack query, or reload work (Inertia's props, `useDebouncedReload`). */
  target: 'query' | 'reload';
  /** How many requests its next run will answer. */
  requests: number;
  /** `Date.now()` of the first of them. */
  since: number;
  /** What asked for it. */
  causes: InvalidationCause[];
}

/** What the client looks like now, and what it did lately. Stable between changes. */
export interface InspectorSnapshot {
  connection: { status: ConnectionStatus; socketId: string | undefined; attempt: number; nextAttemptAt: number | null };
  channels: readonly InspectedChannel[];
  queries: {
    /** Asked for, waiting for the rate limit. */
    waiting: readonly WaitingKey[];
    /** Runs whose refetches (or reload) have not settled. */
    inFlight: readonly RunRecord[];
    /** Queries fetching now. */
    fetching: readonly FetchRecord[];
    /** Keys of channels being re-joined after a drop: refetched once each is confirmed. */
    recovering: readonly { channel: string; key: QueryKey }[];
  };
  /** The client's optimistic commands (pending, and settled in the last 30 s). */
  commands: readonly CommandRecord[];
  /** The last events recorded, oldest first (at most `bufferSize`). */
  events: readonly InspectorEvent[];
  /** Records dropped from the start of `events` to keep it bounded. */
  dropped: number;
}

/** Options of `inspectRealtime`. */
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
