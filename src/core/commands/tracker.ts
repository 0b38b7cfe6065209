import type { QueryClient, QueryKey } from '@tanstack/query-core';
import { onDispose, type RealtimeClient } from '../client';
import type { CoalesceOptions } from '../invalidation';
import { failure, messageOf, tap } from '../shared';
import { Command, newCommandId, type CommandHandle, type CommandOptions, type CommandState, type CommandStatus, type OptimisticUpdate } from './command';
import { LayerStore, tick, type Layer } from './layers';

/** How long settled commands stay listed (for a toast or a row to read them). */
const KEEP_SETTLED_MS = 30_000;
const NO_COMMANDS: readonly CommandState[] = Object.freeze([]);

/**
 * The commands of one client, outside React so a command outlives the component that sent it.
 * Each command listens for its confirming event through the client's registry (the same wire
 * subscription as every hook), holds its optimistic layers, and refetches once when the last
 * pending command on a key settles. Made on first use by {@link commandsOf}, disposed with the client.
 */
export class CommandTracker {
  #commands = new Map<string, Command>();
  #stores = new Map<QueryClient, LayerStore>();
  /** Keys whose refetch waits until no pending command changes them, per QueryClient hash. */
  #owed = new Map<QueryClient, Map<string, { key: QueryKey; options: CoalesceOptions }>>();
  #listeners = new Set<() => void>();
  #snapshot: readonly CommandState[] = NO_COMMANDS;
  #sweepTimer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  readonly #client: RealtimeClient;

  constructor(client: RealtimeClient) {
    this.#client = client;
  }

  /** Registers a command and shows its optimistic change, before its request is sent. */
  start(options: CommandOptions): CommandHandle {
    const commandId = options.commandId ?? newCommandId();
    if (this.#disposed) return { commandId, accepted: noop, rejected: noop };
    const command = new Command(this, commandId, options);
    this.#commands.get(commandId)?.rejected(new Error('replaced by a command with the same id'));
    this.#commands.set(commandId, command);
    const { confirm } = options;
    try {
      if (this.#client.enabled) {
        command.lease = this.#client.acquire({ channel: confirm.channel, type: confirm.type });
        command.lease.listen(confirm.event, command);
      }
    } catch (cause) {
      // A bad confirmation never blocks the command: it ends unconfirmed and refetches.
      this.#client.reportError(failure('config', false, { channel: confirm.channel, event: confirm.event, cause }));
    }
    if (options.optimistic?.length) {
      const store = this.#storeFor(options.queryClient);
      for (const update of options.optimistic) {
        const layer: Layer = {
          apply: (data) => (update as OptimisticUpdate<unknown, unknown>).apply(data, options.variables, { commandId }),
          appliedAt: undefined,
        };
        command.layers.push({ store, key: update.queryKey, layer });
        store.add(update.queryKey, layer);
      }
    }
    this.#changed();
    return command;
  }

  /** Every command the tracker knows, oldest first: pending, and settled within the last 30 s. */
  getSnapshot(): readonly CommandState[] {
    return this.#snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Commands still listed, and layers held (for tests and inspection). */
  get size(): { commands: number; layers: number } {
    let layers = 0;
    for (const store of this.#stores.values()) layers += store.size;
    return { commands: this.#commands.size, layers };
  }

  /** @internal The confirming event of `command` came. */
  eventCame(command: Command, payload: unknown): void {
    if (command.status === 'failed') {
      // Its request failed, yet the server did it: the layer is gone, so fetch the truth.
      this.#stopListening(command);
      this.#refetch(command.options, command.refetchKeys);
      return;
    }
    if (command.status !== 'pending') return; // a duplicate: already done
    this.#markApplied(command);
    this.#settle(command, 'confirmed', null);
    const { updateCache, queryClient } = command.options;
    if (!updateCache) return this.#requestRefetch(command);
    let written = true;
    const write = () => {
      try {
        updateCache(payload as never, queryClient);
      } catch (cause) {
        written = false;
        this.#report('updateCache', command, cause, payload);
      }
    };
    const keys = command.layers.map((l) => l.key);
    if (command.layers.length > 0) command.layers[0]!.store.writeUnder(keys, write);
    else write();
    // The payload is the server's data: the change is in the cache now. If writing it failed,
    // the server's data comes by refetching instead.
    if (!written) return this.#requestRefetch(command);
    this.#dropLayers(command);
    this.#flushOwed(command);
  }

  /** @internal The request of `command` ended. */
  answered(command: Command, ok: boolean, error: unknown): void {
    if (command.status !== 'pending' || command.requestOk || this.#commands.get(command.commandId) !== command) return;
    if (ok) {
      command.requestOk = true;
      // The layers stay until the event: a 2xx may come before the app's read model has the
      // change (a queued projector), so only the event proves a refetch would show it.
      const { channel, type } = command.options.confirm;
      if (!this.#client.enabled || this.#client.channels.getSnapshot({ channel, type }).status === 'error') {
        // No event can come (realtime off, the channel refused): no point waiting for one.
        this.#timedOut(command);
        return;
      }
      command.timer = setTimeout(() => this.#timedOut(command), command.confirmTimeoutMs);
      return;
    }
    // A late event still reconciles (the server may have done it after all): listen a while longer.
    this.#settle(command, 'failed', error, true);
    if (command.lease) command.timer = setTimeout(() => this.#stopListening(command), command.confirmTimeoutMs);
    if (this.#dropLayers(command)) this.#refetch(command.options, command.refetchKeys);
    this.#flushOwed(command);
  }

  /** Releases everything: leases, timers, layers. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const command of this.#commands.values()) this.#stopListening(command);
    for (const store of [...this.#stores.values()]) store.clear();
    this.#commands.clear();
    this.#owed.clear();
    clearTimeout(this.#sweepTimer);
    this.#changed();
  }

  #timedOut(command: Command): void {
    command.timer = undefined;
    if (command.status !== 'pending') return;
    // The request succeeded long enough ago: a refetch from now on has the change.
    this.#markApplied(command);
    this.#settle(command, 'unconfirmed', null);
    this.#requestRefetch(command);
  }

  #markApplied(command: Command): void {
    const at = tick();
    for (const { layer } of command.layers) layer.appliedAt ??= at;
  }

  /** Ends a pending command. */
  #settle(command: Command, status: CommandStatus, error: unknown, keepListening = false): void {
    command.state = Object.freeze({ ...command.state, status, error, settledAt: Date.now() });
    if (keepListening) clearTimeout(command.timer);
    else this.#stopListening(command);
    this.#changed();
  }

  /** Refetches the command's keys, each once no other pending command changes it (see flushOwed). */
  #requestRefetch(command: Command): void {
    const { queryClient } = command.options;
    let owed = this.#owed.get(queryClient);
    if (!owed) this.#owed.set(queryClient, (owed = new Map()));
    command.refetchKeys.forEach((key, i) => owed.set(command.hashes[i]!, { key, options: command.options }));
    this.#flushOwed(command);
  }

  /** `command` settled: refetch the owed keys it shares that no pending command holds back any more. */
  #flushOwed(command: Command): void {
    const owed = this.#owed.get(command.options.queryClient);
    if (!owed) return;
    for (const hash of command.hashes) {
      const item = owed.get(hash);
      if (!item || this.#pendingOn(command.options.queryClient, hash)) continue;
      owed.delete(hash);
      const queryClient = command.options.queryClient;
      this.#refetch({ ...item.options, queryClient }, [item.key]);
      this.#stores.get(queryClient)?.dropAppliedIfUnobserved(item.key);
    }
    if (owed.size === 0) this.#owed.delete(command.options.queryClient);
  }

  #pendingOn(queryClient: QueryClient, hash: string): boolean {
    for (const other of this.#commands.values()) {
      if (other.status === 'pending' && other.options.queryClient === queryClient && other.hashes.includes(hash)) return true;
    }
    return false;
  }

  #refetch(options: CoalesceOptions & { queryClient: QueryClient }, keys: QueryKey[]): void {
    if (keys.length === 0) return;
    tap(this.#client, 'command');
    this.#client.invalidate({ queryClient: options.queryClient, keys, wait: options.wait, refetchType: options.refetchType });
  }

  /** Takes the command's layers off; true when a query should be refetched (a foreign write may hold them). */
  #dropLayers(command: Command): boolean {
    let refetch = false;
    for (const { store, key, layer } of command.layers.splice(0)) refetch = store.remove(key, layer) || refetch;
    return refetch;
  }

  #stopListening(command: Command): void {
    clearTimeout(command.timer);
    command.timer = undefined;
    command.lease?.release();
    command.lease = null;
    if (command.state.settledAt !== null) this.#sweepSoon();
  }

  #storeFor(queryClient: QueryClient): LayerStore {
    let store = this.#stores.get(queryClient);
    if (!store) {
      store = new LayerStore(
        queryClient,
        (cause) => this.#client.reportError(failure('handler', process.env.NODE_ENV !== 'production' && `An optimistic update threw: ${messageOf(cause)}`, { cause })),
        () => this.#stores.delete(queryClient),
        (key) => this.#client.invalidate({ queryClient, keys: [key] }),
      );
      this.#stores.set(queryClient, store);
    }
    return store;
  }

  /** Forgets settled commands 30 s after they settled, with one timer for all (set for the oldest). */
  #sweepSoon(): void {
    if (this.#sweepTimer !== undefined || this.#disposed) return;
    let oldest = Infinity;
    for (const command of this.#commands.values()) {
      const settledAt = command.state.settledAt;
      // A command still listening (failed, waiting for a late event) is swept once it stops.
      if (settledAt !== null && settledAt < oldest && !command.lease) oldest = settledAt;
    }
    if (oldest === Infinity) return;
    this.#sweepTimer = setTimeout(() => {
      this.#sweepTimer = undefined;
      const before = Date.now() - KEEP_SETTLED_MS;
      let removed = false;
      for (const [id, command] of this.#commands) {
        const settledAt = command.state.settledAt;
        // Still listening for a late event (a failed command): kept until that ends.
        if (settledAt === null || settledAt > before || command.lease) continue;
        this.#commands.delete(id);
        removed = true;
      }
      if (removed) this.#changed();
      this.#sweepSoon();
    }, Math.max(0, oldest + KEEP_SETTLED_MS - Date.now()));
  }

  #report(step: string, command: Command, cause: unknown, payload: unknown): void {
    const { channel, event } = command.options.confirm;
    this.#client.reportError(
      failure('handler', process.env.NODE_ENV !== 'production' && `${step} for command ${command.commandId} failed: ${messageOf(cause)}`, {
        channel,
        event,
        payload,
        cause,
      }),
    );
  }

  #changed(): void {
    this.#snapshot = this.#commands.size === 0 ? NO_COMMANDS : Object.freeze([...this.#commands.values()].map((c) => c.state));
    tap(this.#client, 'commands', this.#snapshot);
    for (const listener of [...this.#listeners]) listener();
  }
}

const trackers = new WeakMap<RealtimeClient, CommandTracker>();

/** The commands of `client`, if it ever had any (the inspector's look, which makes no tracker). */
export function peekCommands(client: RealtimeClient): readonly CommandState[] | undefined {
  return trackers.get(client)?.getSnapshot();
}

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

function noop(): void {}
