import { hashKey, type MutationKey, type QueryClient, type QueryKey } from '@tanstack/query-core';
import type { ChannelLease, ChannelType } from '../channels';
import { toKeyList, type CoalesceOptions, type QueryKeys, type SyncingHandler, type SyncRequest } from '../invalidation';
import type { Layer, LayerStore } from './layers';

// One command and its vocabulary: what it is confirmed by, what it shows, where it stands, and its
// id. The tracker that runs commands is in tracker.ts.

/** Where a command is confirmed: the event the server broadcasts once it has carried the command out. */
export interface CommandConfirmation {
  /** Channel name as in `routes/channels.php`. */
  channel: string;
  /** Event name with Echo's rules (`.SubscriptionCreated`, or `SubscriptionCreated` for `App\Events\...`). */
  event: string;
  /** Default `'private'`. */
  type?: ChannelType;
  /**
   * Reads the commandId from the event's payload. Default: `commandId`, `command_id`, then
   * `metadata.commandId` (as an event-sourced aggregate's metadata carries it).
   */
  commandIdOf?: (payload: unknown) => unknown;
}

/** An optimistic change to one query, shown until the server's data has it. */
export interface OptimisticUpdate<TVariables = unknown, TData = unknown> {
  queryKey: QueryKey;
  /**
   * Returns the query's data with the command applied (a new value; never mutate `data`). It runs
   * again on every new server data while the command is pending, and that data may already hold
   * the change: write it as an upsert (replace the row with this id, or add it), not a blind append.
   */
  apply(data: TData, variables: TVariables, command: { commandId: string }): TData;
}

/**
 * Where a command stands. `pending`: sent, not confirmed yet. `confirmed`: its event came.
 * `failed`: its request failed (`error`); its optimistic change is gone. `unconfirmed`: the request
 * succeeded but no event came within `confirmTimeoutMs` (the server broadcast `toOthers()`, or the
 * socket was down): its queries were refetched instead.
 */
export type CommandStatus = 'pending' | 'confirmed' | 'failed' | 'unconfirmed';

/** One command, as `useCommands` lists it. */
export interface CommandState<TVariables = unknown> {
  readonly commandId: string;
  readonly status: CommandStatus;
  /** Why it failed (what the request threw); null otherwise. */
  readonly error: unknown;
  readonly variables: TVariables;
  /** The `mutationKey` of the mutation that sent it. */
  readonly mutationKey: MutationKey | undefined;
  /** `Date.now()` when it was sent, and when it settled (null while pending). */
  readonly startedAt: number;
  readonly settledAt: number | null;
}

/** What a command tells the tracker that runs it (tracker.ts). */
export interface CommandRunner {
  eventCame(command: Command, payload: unknown): void;
  answered(command: Command, ok: boolean, error: unknown): void;
}

/** What {@link CommandTracker.start} needs. */
export interface CommandOptions extends CoalesceOptions {
  queryClient: QueryClient;
  confirm: CommandConfirmation;
  optimistic?: readonly OptimisticUpdate<never, never>[];
  /** Keys refetched once the command is confirmed (or unconfirmed); default the optimistic keys. */
  invalidate?: QueryKeys;
  /** Writes the confirming event into the cache instead of refetching. */
  updateCache?: (payload: never, queryClient: QueryClient) => void;
  /** Default 10,000 ms. */
  confirmTimeoutMs?: number;
  variables: unknown;
  mutationKey?: MutationKey;
  commandId?: string;
}

/** A command in flight: tell it how its request ended. */
export interface CommandHandle {
  readonly commandId: string;
  /** The request succeeded: the server has the command. */
  accepted(): void;
  /** The request failed: its optimistic change goes. */
  rejected(error: unknown): void;
}

/** How long a command waits for its event after its request succeeded. */
const DEFAULT_CONFIRM_TIMEOUT_MS = 10_000;

/** One command: the registry handler for its confirming event, and its state. */
export class Command implements SyncingHandler, CommandHandle {
  state: CommandState;
  /** The request succeeded. */
  requestOk = false;
  layers: { store: LayerStore; key: QueryKey; layer: Layer }[] = [];
  readonly refetchKeys: QueryKey[];
  readonly hashes: string[];
  lease: ChannelLease | null = null;
  timer: ReturnType<typeof setTimeout> | undefined;

  readonly #tracker: CommandRunner;

  constructor(
    tracker: CommandRunner,
    readonly commandId: string,
    readonly options: CommandOptions,
  ) {
    this.#tracker = tracker;
    this.state = Object.freeze({
      commandId,
      status: 'pending',
      error: null,
      variables: options.variables,
      mutationKey: options.mutationKey,
      startedAt: Date.now(),
      settledAt: null,
    });
    this.refetchKeys =
      options.invalidate === undefined ? (options.optimistic ?? []).map((o) => o.queryKey) : toKeyList(options.invalidate);
    this.hashes = this.refetchKeys.map((key) => hashKey(key));
    // A bad key throws here, before the command is registered (the mutation fails with it).
    for (const update of options.optimistic ?? []) hashKey(update.queryKey);
  }

  get status(): CommandStatus {
    return this.state.status;
  }

  /** How long to wait for the event after the request succeeded (or, failed, for a late one). */
  get confirmTimeoutMs(): number {
    return this.options.confirmTimeoutMs ?? DEFAULT_CONFIRM_TIMEOUT_MS;
  }

  handle(payload: unknown): void {
    const read = this.options.confirm.commandIdOf ?? defaultCommandIdOf;
    const id = read(payload);
    if (id !== undefined && id !== null && String(id) === this.commandId) this.#tracker.eventCame(this, payload);
  }

  /**
   * After a drop, the event may have been lost: refetch what the command changes while it still
   * waits for it (pending, or failed and listening for a late event).
   */
  sync(): SyncRequest | null {
    if (!this.lease) return null;
    return { target: this.options.queryClient, keys: this.refetchKeys, options: this.options };
  }

  accepted(): void {
    this.#tracker.answered(this, true, undefined);
  }

  rejected(error: unknown): void {
    this.#tracker.answered(this, false, error);
  }
}

/** `commandId`, `command_id`, or `metadata.commandId` of a payload. */
export function defaultCommandIdOf(payload: unknown): unknown {
  if (!payload || typeof payload !== 'object') return undefined;
  const p = payload as { commandId?: unknown; command_id?: unknown; metadata?: { commandId?: unknown } | null };
  return p.commandId ?? p.command_id ?? p.metadata?.commandId;
}

/** A random UUID v4: `crypto.randomUUID` where there is one (secure contexts), else built from `getRandomValues` or `Math.random`. */
export function newCommandId(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof c?.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
