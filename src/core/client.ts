import { hashKey, partialMatchKey } from '@tanstack/query-core';
import type { QueryClient, QueryKey } from '@tanstack/query-core';
import Echo, { EventFormatter } from 'laravel-echo';
import { observeConnection, toConnectionStatus, type ConnectionObserver } from './connection';
import { messageOf, RealtimeError } from './errors';
import { ChannelRegistry, DEFAULT_CHANNEL_TYPE, INERT_LEASE, isChannelType, type ChannelLease, type EchoLike } from './registry';
import { covers, DEFAULT_COALESCE, InvalidationScheduler, mergeOptions, resolveCoalesce, type ResolvedCoalesceOptions } from './scheduler';
import type { ChannelType, CoalesceOptions, ConnectionStatus, ReconnectInfo } from './types';

/** Echo's built-in broadcasters. */
export type BroadcasterName = 'reverb' | 'pusher' | 'ably' | 'socket.io' | 'null';

/**
 * Options for the Echo instance the client creates: the same object you would pass to
 * `new Echo(...)`. For `reverb` / `pusher` / `ably` pass `Pusher` (the pusher-js default export).
 */
export interface EchoConfig {
  broadcaster: BroadcasterName | (new (options: never) => unknown);
  /** App key. When empty for a Pusher-family broadcaster, realtime is off and every hook is a no-op. */
  key?: string | null;
  /** The pusher-js constructor (`import Pusher from 'pusher-js'`); falls back to `window.Pusher`. */
  Pusher?: unknown;
  cluster?: string;
  wsHost?: string;
  wsPort?: number | string;
  wssPort?: number | string;
  forceTLS?: boolean;
  enabledTransports?: string[];
  /** Default `/broadcasting/auth`. */
  authEndpoint?: string;
  auth?: { headers?: Record<string, string>; params?: Record<string, unknown> };
  /** Event namespace for names without a leading dot. Default `App.Events`; `false` for none. */
  namespace?: string | false;
  [option: string]: unknown;
}

/** An Echo instance the app already has. */
export type EchoInstance = Echo<never> | EchoLike;

/** Options of {@link createRealtimeClient}. */
export interface RealtimeClientOptions {
  /**
   * Echo options to create the instance from, or an Echo the app already has.
   * `null` / `undefined` turns realtime off: hooks become no-ops (e.g. no key in this environment).
   */
  echo: EchoConfig | EchoInstance | null | undefined;
  /**
   * Read at every channel auth request and sent as `Authorization: Bearer <token>` (Sanctum API
   * tokens). Applies to an Echo the client creates. Return null for no header.
   */
  getToken?: () => string | null | undefined;
  /** Receives every error: throwing handlers, bad payloads, refused auth. Default: `console.error`. */
  onError?: (error: RealtimeError) => void;
  /**
   * Called when the socket is back after a drop, after the bound queries were invalidated.
   * Use it to replay "events since `disconnectedAt`" from your API if refetching is not enough.
   */
  onReconnect?: (info: ReconnectInfo) => void;
  /** App-wide coalescing defaults; each binding may override them. */
  coalesce?: CoalesceOptions;
  /** How long an unused channel stays joined before leaving, in ms. Default 1000. */
  leaveGraceMs?: number;
}

const PUSHER_FAMILY = new Set<unknown>(['reverb', 'pusher', 'ably']);
const BROADCASTERS: readonly unknown[] = ['reverb', 'pusher', 'ably', 'socket.io', 'null'];

function isEchoInstance(value: unknown): value is EchoInstance {
  const v = value as Partial<EchoLike> | null;
  return !!v && typeof v.channel === 'function' && typeof v.leaveChannel === 'function';
}

/**
 * Owns one Echo instance, the channel registry, the connection status and the invalidation
 * coalescer. Framework-agnostic: the React hooks are thin views over it. Nothing connects until
 * `connect()` (called by `RealtimeProvider` on mount, or by the first subscription), so creating
 * one at module scope or rendering on the server opens no socket.
 */
export class RealtimeClient {
  /** False when realtime is off (no Echo options, or no key): every operation is then a no-op. */
  readonly enabled: boolean;

  private readonly options: RealtimeClientOptions;
  private readonly config: EchoConfig | null;
  private readonly formatter: EventFormatter;
  private readonly registry: ChannelRegistry;
  private readonly schedulers = new Map<QueryClient, InvalidationScheduler>();
  private readonly listeners = new Set<() => void>();
  private echo: EchoInstance | null;
  private startFailure: RealtimeError | null = null;
  private observer: ConnectionObserver | null = null;
  private status: ConnectionStatus = 'idle';
  private socketId: string | undefined;
  private everConnected = false;
  private downSince: number | null = null;
  /** Set between a reconnect and the recovery that waits for channels to be confirmed again. */
  private recoveringSince: number | null = null;
  private disposed = false;

  constructor(options: RealtimeClientOptions) {
    this.options = options;
    const source = options.echo;
    this.echo = isEchoInstance(source) ? source : null;
    this.config = this.echo || !source ? null : (source as EchoConfig);
    if (this.config && typeof this.config !== 'object') {
      throw new RealtimeError('config', 'createRealtimeClient: `echo` must be Echo options or an Echo instance.');
    }
    const broadcaster = (this.config ?? (this.echo as { options?: EchoConfig } | null)?.options)?.broadcaster;
    if (this.config && typeof broadcaster !== 'function' && !BROADCASTERS.includes(broadcaster)) {
      throw new RealtimeError(
        'config',
        `createRealtimeClient: unknown broadcaster ${JSON.stringify(broadcaster)}; use ${BROADCASTERS.map((b) => `'${b}'`).join(', ')} or a connector class.`,
      );
    }
    this.enabled = !!this.echo || (!!this.config && !(PUSHER_FAMILY.has(broadcaster) && !this.config.key));
    const namespace = this.config
      ? this.config.namespace
      : ((this.echo as { options?: { namespace?: string | false } } | null)?.options?.namespace);
    this.formatter = new EventFormatter(namespace === undefined ? 'App.Events' : namespace);
    this.registry = new ChannelRegistry({
      getEcho: () => this.echo,
      startError: () => this.startFailure,
      formatEvent: (event) => this.formatter.format(event),
      reportError: (error) => this.reportError(error),
      confirmsImmediately: (type) =>
        broadcaster === 'null' || (broadcaster === 'socket.io' && type !== 'presence' && this.status === 'connected'),
      leaveGraceMs: options.leaveGraceMs ?? 1000,
    });
  }

  /** Opens the connection if it is not open yet. Safe to call repeatedly; a no-op when disabled. */
  connect(): void {
    // After a failed start only `reconnect()` tries again: retrying on every subscription would spam onError.
    if (!this.enabled || this.disposed || this.startFailure) return;
    const closed = this.status === 'disconnected' || this.status === 'failed';
    if (this.observer) {
      if (!closed) return;
      this.observer.stop();
      this.observer = null;
    }
    try {
      if (!this.echo) {
        this.echo = new Echo(this.buildEchoOptions() as never) as EchoInstance;
      } else if (closed) {
        reopen(this.echo);
      }
    } catch (cause) {
      this.startFailure = new RealtimeError('config', `Realtime could not start: ${messageOf(cause)}${hint(this.config)}`, {
        cause,
      });
      this.setStatus('failed');
      this.reportError(this.startFailure);
      return;
    }
    this.observer = observeConnection(connectorOf(this.echo), (raw) => this.onTransportState(raw));
    this.onTransportState(this.observer.current());
  }

  /** Closes the socket. Mounted hooks keep their channels and re-join on the next `connect()`. */
  disconnect(): void {
    if (!this.echo || this.disposed) return;
    // First stop a pending recovery: leaving the channels it waits for would otherwise trigger it.
    const wasRecovering = this.registry.cancelResubscribed();
    this.registry.detachAll();
    this.observer?.stop();
    this.observer = null;
    try {
      (this.echo as { disconnect?: () => void }).disconnect?.();
    } catch (cause) {
      this.reportError(new RealtimeError('config', `Disconnecting failed: ${messageOf(cause)}`, { cause }));
    }
    if (this.status === 'connected') this.downSince = wasRecovering ? this.recoveringSince : Date.now();
    this.recoveringSince = null;
    this.socketId = undefined;
    this.setStatus('disconnected');
  }

  /**
   * Closes the socket and opens a new one, e.g. after login or logout: the next auth requests read
   * the token again. Channels still held when the new socket is up re-join (re-authorising private
   * ones); channels released meanwhile, like the previous user's, are never re-joined.
   */
  reconnect(): void {
    if (!this.enabled || this.disposed) return;
    this.disconnect();
    this.startFailure = null;
    this.connect();
  }

  /** Leaves every channel, cancels every timer, and closes the socket if the client created it. */
  dispose(): void {
    if (this.disposed) return;
    this.registry.dispose();
    for (const scheduler of this.schedulers.values()) scheduler.dispose();
    this.schedulers.clear();
    this.observer?.stop();
    this.observer = null;
    if (this.config && this.echo) {
      try {
        (this.echo as { disconnect?: () => void }).disconnect?.();
      } catch {
        // Closing a socket that is already gone is not worth reporting.
      }
    }
    this.disposed = true;
    this.socketId = undefined;
    this.setStatus('idle');
  }

  /** Holds a channel (joining it on first use). Prefer the hooks; this is for non-React code. */
  acquire(name: string, type: ChannelType = DEFAULT_CHANNEL_TYPE): ChannelLease {
    if (this.disposed) return INERT_LEASE;
    if (typeof name !== 'string' || name.length === 0) {
      throw new RealtimeError('config', `A channel name must be a non-empty string, got ${JSON.stringify(name)}.`);
    }
    if (!isChannelType(type)) {
      throw new RealtimeError('config', `Unknown channel type ${JSON.stringify(type)}; use public, private, presence or encrypted.`);
    }
    // Start on first use, but never undo an explicit disconnect(): that takes connect() or reconnect().
    if (this.status === 'idle') this.connect();
    return this.registry.acquire(name, type);
  }

  /** The channel registry's read side, for the hooks. */
  get channels(): Pick<ChannelRegistry, 'getSnapshot' | 'getPresence' | 'watch' | 'size'> {
    return this.registry;
  }

  /**
   * Invalidates keys through the app-wide coalescer: the same path events take. Use it for your own
   * triggers so they coalesce with realtime ones.
   */
  invalidate(queryClient: QueryClient, keys: readonly QueryKey[], options?: CoalesceOptions): void {
    if (this.disposed || keys.length === 0) return;
    this.schedulerFor(queryClient).schedule(keys, options);
  }

  /** The Echo instance (null before `connect()` when the client creates it, or when disabled). */
  getEcho(): EchoInstance | null {
    return this.echo;
  }

  /** Current connection status. */
  getConnectionStatus(): ConnectionStatus {
    return this.status;
  }

  /** The socket id of the current connection, for `X-Socket-ID` (Laravel's `toOthers()`). */
  getSocketId(): string | undefined {
    return this.socketId;
  }

  /** `{ 'X-Socket-ID': id }` while connected, `{}` otherwise: spread it into `fetch` headers. */
  getSocketIdHeader(): Record<string, string> {
    return this.socketId ? { 'X-Socket-ID': this.socketId } : {};
  }

  /** Calls `listener` when the status or socket id changes. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends an error to `onError` (never throws, also when `onError` does). */
  reportError(error: RealtimeError): void {
    try {
      if (this.options.onError) this.options.onError(error);
      else console.error('[echo-react-query]', error);
    } catch (secondary) {
      console.error('[echo-react-query] onError threw while handling', error, secondary);
    }
  }

  private get coalesceDefaults() {
    return { ...DEFAULT_COALESCE, ...definedOnly(this.options.coalesce) };
  }

  private schedulerFor(queryClient: QueryClient): InvalidationScheduler {
    let scheduler = this.schedulers.get(queryClient);
    if (!scheduler) {
      const created = new InvalidationScheduler(
        queryClient,
        this.coalesceDefaults,
        (cause) => this.reportError(new RealtimeError('handler', `Invalidation failed: ${messageOf(cause)}`, { cause })),
        // Forget a QueryClient once nothing is scheduled for it, so the client does not keep it alive.
        () => {
          if (this.schedulers.get(queryClient) === created) this.schedulers.delete(queryClient);
        },
      );
      this.schedulers.set(queryClient, (scheduler = created));
    }
    return scheduler;
  }

  /** Runs inside pusher-js's state_change emit, before it re-subscribes: nothing may escape. */
  private onTransportState(raw: string): void {
    try {
      this.applyTransportState(raw);
    } catch (cause) {
      this.reportError(new RealtimeError('handler', `Handling connection state "${raw}" failed: ${messageOf(cause)}`, { cause }));
    }
  }

  private applyTransportState(raw: string): void {
    const previous = this.status;
    const next = toConnectionStatus(raw, this.everConnected);
    const socketId = next === 'connected' ? socketIdOf(this.echo) : undefined;
    if (next === previous && socketId === this.socketId) return;
    this.socketId = socketId;
    this.status = next;
    if (next === 'connected' && previous !== 'connected') {
      const since = this.downSince;
      this.everConnected = true;
      this.downSince = null;
      forgetCancelledSubscriptions(this.echo);
      this.registry.connectionRestored();
      if (since !== null) {
        // Refetch only once the channels are confirmed again: events sent before that are lost too.
        this.recoveringSince = since;
        this.registry.whenResubscribed(() => {
          this.recoveringSince = null;
          this.recover(since);
        }, 10_000);
      }
    } else if (previous === 'connected' && next !== 'connected') {
      // Dropped again before the last recovery ran: recover from the earlier moment.
      this.downSince = this.registry.cancelResubscribed() && this.recoveringSince !== null ? this.recoveringSince : Date.now();
      this.recoveringSince = null;
      this.registry.connectionLost();
    }
    this.emitChange();
  }

  /** Events sent while the socket was down are lost: refetch what the held channels are bound to, once. */
  private recover(downSince: number): void {
    // One entry per key and QueryClient, with the options of every binding that recovers it merged.
    const defaults = this.coalesceDefaults;
    const byClient = new Map<QueryClient, Map<string, { key: QueryKey; options: ResolvedCoalesceOptions }>>();
    for (const request of this.registry.collectRecovery()) {
      const keys = byClient.get(request.queryClient) ?? new Map();
      byClient.set(request.queryClient, keys);
      const options = resolveCoalesce(request.options, defaults);
      for (const key of request.keys) {
        try {
          const hash = hashKey(key);
          const known = keys.get(hash);
          keys.set(hash, { key, options: known ? mergeOptions(known.options, options) : options });
        } catch (cause) {
          this.reportError(new RealtimeError('handler', `Cannot recover query key: ${messageOf(cause)}`, { cause }));
        }
      }
    }
    for (const [queryClient, keys] of byClient) {
      // Shortest keys first, so a prefix covers its narrower keys and each query refetches once.
      const items = [...keys.values()].sort((a, b) => a.key.length - b.key.length);
      const done: typeof items = [];
      for (const item of items) {
        if (done.some((d) => covers(d.options.refetchType, item.options.refetchType) && partialMatchKey(item.key, d.key))) {
          continue;
        }
        done.push(item);
        this.schedulerFor(queryClient).schedule([item.key], item.options);
      }
    }
    try {
      this.options.onReconnect?.({ downtimeMs: Date.now() - downSince, disconnectedAt: new Date(downSince) });
    } catch (cause) {
      this.reportError(new RealtimeError('handler', `onReconnect threw: ${messageOf(cause)}`, { cause }));
    }
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.emitChange();
  }

  private emitChange(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (cause) {
        this.reportError(new RealtimeError('handler', `A connection listener threw: ${messageOf(cause)}`, { cause }));
      }
    }
  }

  /** Echo options with a per-instance auth headers object and the token getter wired in. */
  private buildEchoOptions(): Record<string, unknown> {
    const config = this.config as EchoConfig;
    // A fresh headers object per instance: Echo writes CSRF / bearer tokens into `auth.headers`,
    // and its default object is shared by every Echo instance.
    const headers: Record<string, string> = { ...config.auth?.headers };
    const options: Record<string, unknown> = { ...config, auth: { ...config.auth, headers } };
    if (config.broadcaster === 'pusher' && config.cluster === undefined) options.cluster = 'mt1';
    const getToken = this.options.getToken;
    if (!getToken) return options;
    const bearer = (): Record<string, string> => {
      try {
        const token = getToken();
        return token ? { Authorization: `Bearer ${token}` } : {};
      } catch (cause) {
        this.reportError(new RealtimeError('config', `getToken threw: ${messageOf(cause)}`, { cause }));
        return {};
      }
    };
    if (PUSHER_FAMILY.has(config.broadcaster)) {
      // pusher-js calls headersProvider for every auth request; `headers` holds Echo's CSRF token.
      const own = config.channelAuthorization as { headersProvider?: () => Record<string, string> } | undefined;
      options.channelAuthorization = {
        endpoint: config.authEndpoint ?? '/broadcasting/auth',
        transport: 'ajax',
        params: config.auth?.params,
        ...own,
        headersProvider: () => ({ ...headers, ...own?.headersProvider?.(), ...bearer() }),
      };
    } else {
      // socket.io sends `auth.headers` with every subscribe: compute the header when it is read.
      let fixed: string | undefined;
      Object.defineProperty(headers, 'Authorization', {
        enumerable: true,
        configurable: true,
        get: () => bearer().Authorization ?? fixed,
        set: (value: string) => {
          fixed = value;
        },
      });
    }
    return options;
  }
}

/** Creates a {@link RealtimeClient}. See the README's quick start. */
export function createRealtimeClient(options: RealtimeClientOptions): RealtimeClient {
  return new RealtimeClient(options);
}

function connectorOf(echo: EchoInstance | null): unknown {
  return (echo as { connector?: unknown } | null)?.connector;
}

function socketIdOf(echo: EchoInstance | null): string | undefined {
  try {
    const id = (echo as { socketId?: () => unknown } | null)?.socketId?.();
    return typeof id === 'string' && id.length > 0 ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Re-opens a closed Echo. Pusher-family connectors reconnect their pusher-js instance (a new one per
 * reconnect would stay in `Pusher.instances` for good); other connectors get a fresh connection.
 */
function reopen(echo: EchoInstance): void {
  const e = echo as { connect?: () => void; connector?: { pusher?: { connect?: () => void } } };
  const pusher = e.connector?.pusher;
  if (pusher?.connect) pusher.connect();
  else e.connect?.();
}

/**
 * pusher-js keeps a channel left while its subscription was pending (it unsubscribes when the ack
 * comes). If the socket drops first, that ack never comes and the next connection would subscribe
 * it again, owned by nobody. Forget such channels before pusher-js re-subscribes.
 */
function forgetCancelledSubscriptions(echo: EchoInstance | null): void {
  type PusherChannelLike = { subscriptionCancelled?: boolean; subscriptionPending?: boolean };
  const connector = connectorOf(echo) as
    | { channels?: Record<string, unknown>; pusher?: { channels?: { channels?: Record<string, PusherChannelLike> } } }
    | undefined;
  const table = connector?.pusher?.channels?.channels;
  if (!table) return;
  for (const [name, channel] of Object.entries(table)) {
    if (!channel?.subscriptionCancelled || channel.subscriptionPending) continue;
    // Joined again meanwhile (Echo holds it): keep it and let pusher-js subscribe it; else forget it.
    if (connector?.channels?.[name]) channel.subscriptionCancelled = false;
    else delete table[name];
  }
}

function hint(config: EchoConfig | null): string {
  if (config && PUSHER_FAMILY.has(config.broadcaster) && !config.Pusher) {
    return " (pass `Pusher` from 'pusher-js' in the Echo options)";
  }
  return '';
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

