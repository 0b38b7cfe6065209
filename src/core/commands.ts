import { hashKey, type MutationKey, type QueryClient, type QueryKey } from '@tanstack/query-core';
import { onDispose, type RealtimeClient } from './client';
import { failure, messageOf } from './errors';
import { toKeyList } from './keys';
import { LayerStore, tick, type Layer } from './layers';
import type { ChannelLease, SyncingHandler, SyncRequest } from './lease';
import type { ChannelType, CoalesceOptions, QueryKeys } from './types';

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
export const DEFAULT_CONFIRM_TIMEOUT_MS = 10_000;
/** How long settled commands stay listed (for a toast or a row to read them). */
const KEEP_SETTLED_MS = 30_000;
const NO_COMMANDS: readonly CommandState[] = Object.freeze([]);

/** One command: the registry handler for its confirming event, and its state. */
class Command implements SyncingHandler, CommandHandle {
  state: CommandState;
  /** The request succeeded. */
  requestOk = false;
  layers: { store: LayerStore; key: QueryKey; layer: Layer }[] = [];
  readonly refetchKeys: QueryKey[];
  readonly hashes: string[];
  lease: ChannelLease | null = null;
  timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly tracker: CommandTracker,
    readonly commandId: string,
    readonly options: CommandOptions,
  ) {
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

  handle(payload: unknown): void {
    const read = this.options.confirm.commandIdOf ?? defaultCommandIdOf;
    const id = read(payload);
    if (id !== undefined && id !== null && String(id) === this.commandId) this.tracker.eventCame(this, payload);
  }

  /**
   * After a drop, the event may have been lost: refetch what the command changes while it still
   * waits for it (pending, or failed and listening for a late event).
   */
  sync(): SyncRequest | null {
    if (!this.lease) return null;
    return { queryClient: this.options.queryClient, keys: this.refetchKeys, options: this.options };
  }

  accepted(): void {
    this.tracker.answered(this, true, undefined);
  }

  rejected(error: unknown): void {
    this.tracker.answered(this, false, error);
  }
}

/**
 * The commands of one client, outside React so a command outlives the component that sent it.
 * Each command listens for its confirming event through the client's registry (the same wire
 * subscription as every hook), holds its optimistic layers, and refetches once when the last
 * pending command on a key settles. Made on first use by {@link commandsOf}, disposed with the client.
 */
export class CommandTracker {
  private readonly commands = new Map<string, Command>();
  private readonly stores = new Map<QueryClient, LayerStore>();
  /** Keys whose refetch waits until no pending command changes them, per QueryClient hash. */
  private readonly owed = new Map<QueryClient, Map<string, { key: QueryKey; options: CoalesceOptions }>>();
  private readonly listeners = new Set<() => void>();
  private snapshot: readonly CommandState[] = NO_COMMANDS;
  private sweepTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly client: RealtimeClient) {}

  /** Registers a command and shows its optimistic change, before its request is sent. */
  start(options: CommandOptions): CommandHandle {
    const commandId = options.commandId ?? newCommandId();
    if (this.disposed) return { commandId, accepted: noop, rejected: noop };
    const command = new Command(this, commandId, options);
    this.commands.get(commandId)?.rejected(new Error('replaced by a command with the same id'));
    this.commands.set(commandId, command);
    const { confirm } = options;
    try {
      if (this.client.enabled) {
        command.lease = this.client.acquire({ channel: confirm.channel, type: confirm.type });
        command.lease.listen(confirm.event, command);
      }
    } catch (cause) {
      // A bad confirmation never blocks the command: it ends unconfirmed and refetches.
      this.client.reportError(failure('config', false, { channel: confirm.channel, event: confirm.event, cause }));
    }
    if (options.optimistic?.length) {
      const store = this.storeFor(options.queryClient);
      for (const update of options.optimistic) {
        const layer: Layer = {
          apply: (data) => (update as OptimisticUpdate<unknown, unknown>).apply(data, options.variables, { commandId }),
          appliedAt: undefined,
        };
        command.layers.push({ store, key: update.queryKey, layer });
        store.add(update.queryKey, layer);
      }
    }
    this.changed();
    return command;
  }

  /** Every command the tracker knows, oldest first: pending, and settled within the last 30 s. */
  getSnapshot(): readonly CommandState[] {
    return this.snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Commands still listed, and layers held (for tests and inspection). */
  get size(): { commands: number; layers: number } {
    let layers = 0;
    for (const store of this.stores.values()) layers += store.size;
    return { commands: this.commands.size, layers };
  }

  /** @internal The confirming event of `command` came. */
  eventCame(command: Command, payload: unknown): void {
    if (command.status === 'failed') {
      // Its request failed, yet the server did it: the layer is gone, so fetch the truth.
      this.stopListening(command);
      this.refetch(command.options, command.refetchKeys);
      return;
    }
    if (command.status !== 'pending') return; // a duplicate: already done
    this.markApplied(command);
    this.settle(command, 'confirmed', null);
    const { updateCache, queryClient } = command.options;
    if (!updateCache) return this.requestRefetch(command);
    let written = true;
    const write = () => {
      try {
        updateCache(payload as never, queryClient);
      } catch (cause) {
        written = false;
        this.report('updateCache', command, cause, payload);
      }
    };
    const keys = command.layers.map((l) => l.key);
    if (command.layers.length > 0) command.layers[0]!.store.writeUnder(keys, write);
    else write();
    // The payload is the server's data: the change is in the cache now. If writing it failed,
    // the server's data comes by refetching instead.
    if (!written) return this.requestRefetch(command);
    this.dropLayers(command);
    this.flushOwed(command);
  }

  /** @internal The request of `command` ended. */
  answered(command: Command, ok: boolean, error: unknown): void {
    if (command.status !== 'pending' || command.requestOk || this.commands.get(command.commandId) !== command) return;
    if (ok) {
      command.requestOk = true;
      // The layers stay until the event: a 2xx may come before the app's read model has the
      // change (a queued projector), so only the event proves a refetch would show it.
      const { channel, type } = command.options.confirm;
      if (!this.client.enabled || this.client.channels.getSnapshot({ channel, type }).status === 'error') {
        // No event can come (realtime off, the channel refused): no point waiting for one.
        this.timedOut(command);
        return;
      }
      const timeout = command.options.confirmTimeoutMs ?? DEFAULT_CONFIRM_TIMEOUT_MS;
      command.timer = setTimeout(() => this.timedOut(command), timeout);
      return;
    }
    // A late event still reconciles (the server may have done it after all): listen a while longer.
    this.settle(command, 'failed', error, true);
    if (command.lease) command.timer = setTimeout(() => this.stopListening(command), command.options.confirmTimeoutMs ?? DEFAULT_CONFIRM_TIMEOUT_MS);
    if (this.dropLayers(command)) this.refetch(command.options, command.refetchKeys);
    this.flushOwed(command);
  }

  /** Releases everything: leases, timers, layers. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const command of this.commands.values()) this.stopListening(command);
    for (const store of [...this.stores.values()]) store.clear();
    this.commands.clear();
    this.owed.clear();
    clearTimeout(this.sweepTimer);
    this.changed();
  }

  private timedOut(command: Command): void {
    command.timer = undefined;
    if (command.status !== 'pending') return;
    // The request succeeded long enough ago: a refetch from now on has the change.
    this.markApplied(command);
    this.settle(command, 'unconfirmed', null);
    this.requestRefetch(command);
  }

  private markApplied(command: Command): void {
    const at = tick();
    for (const { layer } of command.layers) layer.appliedAt ??= at;
  }

  /** Ends a pending command. */
  private settle(command: Command, status: CommandStatus, error: unknown, keepListening = false): void {
    command.state = Object.freeze({ ...command.state, status, error, settledAt: Date.now() });
    if (keepListening) clearTimeout(command.timer);
    else this.stopListening(command);
    this.changed();
  }

  /** Refetches the command's keys, each once no other pending command changes it (see flushOwed). */
  private requestRefetch(command: Command): void {
    const { queryClient } = command.options;
    let owed = this.owed.get(queryClient);
    if (!owed) this.owed.set(queryClient, (owed = new Map()));
    command.refetchKeys.forEach((key, i) => owed.set(command.hashes[i]!, { key, options: command.options }));
    this.flushOwed(command);
  }

  /** `command` settled: refetch the owed keys it shares that no pending command holds back any more. */
  private flushOwed(command: Command): void {
    const owed = this.owed.get(command.options.queryClient);
    if (!owed) return;
    for (const hash of command.hashes) {
      const item = owed.get(hash);
      if (!item || this.pendingOn(command.options.queryClient, hash)) continue;
      owed.delete(hash);
      const queryClient = command.options.queryClient;
      this.refetch({ ...item.options, queryClient }, [item.key]);
      this.stores.get(queryClient)?.dropAppliedIfUnobserved(item.key);
    }
    if (owed.size === 0) this.owed.delete(command.options.queryClient);
  }

  private pendingOn(queryClient: QueryClient, hash: string): boolean {
    for (const other of this.commands.values()) {
      if (other.status === 'pending' && other.options.queryClient === queryClient && other.hashes.includes(hash)) return true;
    }
    return false;
  }

  private refetch(options: CoalesceOptions & { queryClient: QueryClient }, keys: QueryKey[]): void {
    if (keys.length === 0) return;
    this.client.invalidate({ queryClient: options.queryClient, keys, wait: options.wait, refetchType: options.refetchType });
  }

  /** Takes the command's layers off; true when a query should be refetched (a foreign write may hold them). */
  private dropLayers(command: Command): boolean {
    let refetch = false;
    for (const { store, key, layer } of command.layers.splice(0)) refetch = store.remove(key, layer) || refetch;
    return refetch;
  }

  private stopListening(command: Command): void {
    clearTimeout(command.timer);
    command.timer = undefined;
    command.lease?.release();
    command.lease = null;
    if (command.state.settledAt !== null) this.sweepSoon();
  }

  private storeFor(queryClient: QueryClient): LayerStore {
    let store = this.stores.get(queryClient);
    if (!store) {
      store = new LayerStore(
        queryClient,
        (cause) => this.client.reportError(failure('handler', process.env.NODE_ENV !== 'production' && `An optimistic update threw: ${messageOf(cause)}`, { cause })),
        () => this.stores.delete(queryClient),
        (key) => this.client.invalidate({ queryClient, keys: [key] }),
      );
      this.stores.set(queryClient, store);
    }
    return store;
  }

  /** Forgets settled commands 30 s after they settled, with one timer for all (set for the oldest). */
  private sweepSoon(): void {
    if (this.sweepTimer !== undefined || this.disposed) return;
    let oldest = Infinity;
    for (const command of this.commands.values()) {
      const settledAt = command.state.settledAt;
      // A command still listening (failed, waiting for a late event) is swept once it stops.
      if (settledAt !== null && settledAt < oldest && !command.lease) oldest = settledAt;
    }
    if (oldest === Infinity) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = undefined;
      const before = Date.now() - KEEP_SETTLED_MS;
      let removed = false;
      for (const [id, command] of this.commands) {
        const settledAt = command.state.settledAt;
        // Still listening for a late event (a failed command): kept until that ends.
        if (settledAt === null || settledAt > before || command.lease) continue;
        this.commands.delete(id);
        removed = true;
      }
      if (removed) this.changed();
      this.sweepSoon();
    }, Math.max(0, oldest + KEEP_SETTLED_MS - Date.now()));
  }

  private report(step: string, command: Command, cause: unknown, payload: unknown): void {
    const { channel, event } = command.options.confirm;
    this.client.reportError(
      failure('handler', process.env.NODE_ENV !== 'production' && `${step} for command ${command.commandId} failed: ${messageOf(cause)}`, {
        channel,
        event,
        payload,
        cause,
      }),
    );
  }

  private changed(): void {
    this.snapshot = this.commands.size === 0 ? NO_COMMANDS : Object.freeze([...this.commands.values()].map((c) => c.state));
    for (const listener of [...this.listeners]) listener();
  }
}

const trackers = new WeakMap<RealtimeClient, CommandTracker>();

/** The client's command tracker, made on first use (so apps without commands never load it). */
export function commandsOf(client: RealtimeClient): CommandTracker {
  let tracker = trackers.get(client);
  if (!tracker) {
    const made = (tracker = new CommandTracker(client));
    trackers.set(client, made);
    onDispose(client, () => made.dispose());
  }
  return tracker;
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

function noop(): void {}
