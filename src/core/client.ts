import Echo, { EventFormatter } from 'laravel-echo';
import { ChannelRegistry, checkChannelName, checkEventName, DEFAULT_CHANNEL_TYPE, INERT_LEASE, isChannelType, type ChannelLease } from './channels';
import {
  BROADCASTERS,
  buildEchoOptions,
  closesFirst,
  connectorOf,
  forgetCancelledSubscriptions,
  isEchoInstance,
  observeConnection,
  PUSHER_FAMILY,
  refetchJitter,
  reopen,
  socketIdOf,
  startHint,
  supportOf,
  toConnectionStatus,
  warnRealtimeOff,
  type BroadcasterSupport,
  type ConnectionObserver,
  type ConnectionStatus,
  type EchoConfig,
  type EchoInstance,
} from './connection';
import { DEFAULT_COALESCE, QueryCoalescers, resolveCoalesce, SubscriptionSync, toKeyList, type InvalidateOptions } from './invalidation';
import { channelsView, DEFAULT_LEAVE_GRACE_MS, type ChannelRef, type RealtimeChannels, type RealtimeClientOptions } from './options';
import { definedOnly, failure, messageOf, tap, type RealtimeError } from './shared';

/** The client's registry, for the hooks and presence. */
export let registryOf: (client: RealtimeClient) => ChannelRegistry;

/**
 * Closes the socket of a client no provider shows any more (see provided.ts). As `disconnect()`,
 * but nobody asked for it: it is no drop to recover from (no `onReconnect` when it opens again), and
 * the next `acquire()` opens it again, as the next provider does.
 */
export let park: (client: RealtimeClient) => void;

/** Runs `fn` when the client is disposed (at once if it already is). */
export let onDispose: (client: RealtimeClient, fn: () => void) => void;

/** What the provider rule reads (provided.ts): whether the client created its Echo, is disposed, and its `leaveGraceMs`. */
export let providedView: (client: RealtimeClient) => { owns: boolean; disposed: boolean; leaveGraceMs: number | undefined };

/**
 * Owns one Echo instance, the channel registry, the connection status and the invalidation
 * coalescer. Framework-agnostic: the React hooks are thin views over it. Nothing connects until
 * `connect()` (called by `RealtimeProvider` on mount, or by the first subscription), so creating
 * one at module scope or rendering on the server opens no socket.
 */
export class RealtimeClient {
  /** False when realtime is off (no Echo options, or no key): every operation is then a no-op. */
  readonly enabled: boolean;

  #options: RealtimeClientOptions;
  #config: EchoConfig | null;
  #formatter: EventFormatter;
  /** What a broadcaster that is not built in brings (socket.io, through `socketIo()`). */
  #support: BroadcasterSupport | undefined;
  #registry: ChannelRegistry;
  #sync: SubscriptionSync;
  readonly #coalescers = new QueryCoalescers(this, (error) => this.reportError(error));
  #listeners = new Set<() => void>();
  #coalesceDefaults: typeof DEFAULT_COALESCE;
  #echo: EchoInstance | null;
  #startFailure: RealtimeError | null = null;
  #observer: ConnectionObserver | null = null;
  #status: ConnectionStatus = 'idle';
  #socketId: string | undefined;
  #everConnected = false;
  #downSince: number | null = null;
  /** The next connection follows `reconnect()`: one user's, nothing to spread. */
  #deliberate = false;
  #disposed = false;
  /** Closed by the provider rule (see `park`): the next `acquire()` starts it again. */
  #parked = false;
  #channelsView: RealtimeChannels | undefined;
  /** Run on dispose: what was made for this client outside it (its command tracker). */
  #disposers: (() => void)[] = [];

  constructor(options: RealtimeClientOptions) {
    this.#options = options;
    const source = options.echo;
    this.#echo = isEchoInstance(source) ? source : null;
    this.#config = this.#echo || !source ? null : (source as EchoConfig);
    if (this.#config && typeof this.#config !== 'object') {
      throw failure('config', process.env.NODE_ENV !== 'production' && 'createRealtimeClient: `echo` must be Echo options or an Echo instance.');
    }
    const broadcaster = (this.#config ?? (this.#echo as { options?: EchoConfig } | null)?.options)?.broadcaster;
    if (this.#config && typeof broadcaster !== 'function' && !BROADCASTERS.includes(broadcaster)) {
      throw failure(
        'config',
        process.env.NODE_ENV !== 'production'
          ? `createRealtimeClient: unknown broadcaster ${JSON.stringify(broadcaster)}; use ${BROADCASTERS.map((b) => `'${b}'`).join(', ')} or a connector class.`
          : `broadcaster ${String(broadcaster)}`,
      );
    }
    this.#support = supportOf(source);
    if (broadcaster === 'socket.io' && !this.#support) {
      throw failure(
        'config',
        process.env.NODE_ENV !== 'production'
          ? "createRealtimeClient: the socket.io broadcaster needs socketIo(): `echo: socketIo({ host, client: io })` from 'echo-react-query/socket.io', `socketIo(echoConfigFromEnv('socket.io', env, { client: io }))`, or `echo: socketIo(yourEcho)`."
          : 'socket.io needs socketIo()',
      );
    }
    this.enabled = !!this.#echo || (!!this.#config && !(PUSHER_FAMILY.has(broadcaster) && !this.#config.key));
    if (process.env.NODE_ENV !== 'production' && this.#config && !this.enabled) warnRealtimeOff(broadcaster, this.#config);
    const namespace = this.#config
      ? this.#config.namespace
      : ((this.#echo as { options?: { namespace?: string | false } } | null)?.options?.namespace);
    this.#formatter = new EventFormatter(namespace === undefined ? 'App.Events' : namespace);
    const { refetchOnSubscribe = true, ...coalesce } = options.defaults ?? {};
    this.#coalesceDefaults = { ...DEFAULT_COALESCE, ...definedOnly(coalesce) };
    this.#registry = new ChannelRegistry({
      getEcho: () => this.#echo,
      startError: () => this.#startFailure,
      sharesEcho: !!this.#echo,
      formatEvent: (event) => {
        if (process.env.NODE_ENV !== 'production') checkEventName(event);
        return this.#formatter.format(event);
      },
      reportError: (error) => this.reportError(error),
      confirmsImmediately: (type) => broadcaster === 'null' || (!!this.#support?.confirmsOnJoin(type) && this.#status === 'connected'),
      wire: this.#support,
      confirmed: (entry, again) => this.#sync.confirmed(entry, again),
      settled: (entry) => this.#sync.settled(entry),
      leaveGraceMs: options.leaveGraceMs ?? DEFAULT_LEAVE_GRACE_MS,
      owner: this,
    });
    this.#sync = new SubscriptionSync({
      registry: this.#registry,
      defaults: () => this.#coalesceDefaults,
      refetchOnSubscribe,
      schedule: (target, key, resolved, delayMs, again) => {
        tap(this, 'sync', key, target, again);
        if ('schedule' in target) target.schedule([key], resolved, delayMs);
        else this.#coalescers.schedule(target, [key], resolved, delayMs);
      },
      refetchJitter: (keys) => this.#refetchSpread(keys),
      recovered: (since) => this.#options.onReconnect?.({ downtimeMs: Date.now() - since, disconnectedAt: new Date(since) }),
      reportError: (error) => this.reportError(error),
    });
    this.#support?.setUp(this.#registry, (error) => this.reportError(error));
  }

  /** Opens the connection if it is not open yet. Safe to call repeatedly; a no-op when disabled. */
  connect(): void {
    // After a failed start only `reconnect()` tries again: retrying on every subscription would spam onError.
    if (!this.enabled || this.#disposed || this.#startFailure) return;
    this.#parked = false;
    const closed = this.#status === 'disconnected' || this.#status === 'failed';
    if (this.#observer) {
      if (!closed) return;
      this.#observer.stop();
      this.#observer = null;
    }
    try {
      if (!this.#echo) {
        this.#echo = new Echo(buildEchoOptions(this.#config!, this.#options.getToken, (e) => this.reportError(e)) as never) as EchoInstance;
      } else if (closed) {
        reopen(this.#echo);
      }
    } catch (cause) {
      this.#startFailure = failure(
        'config',
        process.env.NODE_ENV !== 'production' && `Realtime could not start: ${messageOf(cause)}${startHint(this.#config)}`,
        { cause },
      );
      this.#setStatus('failed');
      this.reportError(this.#startFailure);
      this.#registry.startFailed();
      return;
    }
    this.#observer = observeConnection(connectorOf(this.#echo), (raw) => this.#onTransportState(raw), this.#options.reconnect ?? {}, this.#support?.refine);
    this.#onTransportState(this.#observer.current());
  }

  /** Closes the socket. Mounted hooks keep their channels and re-join on the next `connect()`. */
  disconnect(): void {
    if (!this.enabled || this.#disposed) return;
    // First stop a pending recovery round: leaving the channels it waits for would otherwise end it.
    const recoveringSince = this.#sync.cancelRound();
    this.#sync.forgetOwed(); // every channel is confirmed again on the next connection, with its keys
    // Held channels wait for the next connection. On pusher-js the socket closes before they are
    // left, so nothing is sent after it (see closesFirst).
    const first = closesFirst(this.#echo);
    if (!first) this.#registry.detachAll();
    // The socket closes for everyone on this Echo: its retrier must not bring it back.
    this.#observer?.stop('halt');
    this.#observer = null;
    try {
      (this.#echo as { disconnect?: () => void } | null)?.disconnect?.();
    } catch (cause) {
      this.reportError(failure('config', process.env.NODE_ENV !== 'production' && `Disconnecting failed: ${messageOf(cause)}`, { cause }));
    }
    if (first) this.#registry.detachAll();
    if (this.#status === 'connected') this.#downSince = recoveringSince ?? Date.now();
    this.#socketId = undefined;
    this.#setStatus('disconnected');
  }

  /**
   * Closes the socket and opens a new one, e.g. after login or logout (the next auth requests read
   * the token again), or to retry after a failed start. Channels still held when the new socket is
   * up re-join (re-authorising private ones); channels released meanwhile, like the previous
   * user's, are never re-joined.
   */
  reconnect(): void {
    if (!this.enabled || this.#disposed) return;
    this.#deliberate = true;
    this.disconnect();
    this.#startFailure = null;
    this.connect();
  }

  /** Leaves every channel, cancels every timer, and closes the socket if the client created it. */
  dispose(): void {
    if (this.#disposed) return;
    for (const dispose of this.#disposers.splice(0)) dispose();
    this.#sync.dispose();
    // A shared Echo stays in use: a connection the retrier closed between attempts is handed back.
    this.#observer?.stop(this.#config ? 'halt' : 'resume');
    this.#observer = null;
    // Its own socket closes before the channels are left, so nothing is sent after the close
    // (pusher-js would send each unsubscribe on a timer, after it; socket.io-client keeps them for
    // a connection that never comes).
    if (this.#config) {
      try {
        (this.#echo as { disconnect?: () => void } | null)?.disconnect?.();
      } catch {
        // Closing a socket that is already gone is not worth reporting.
      }
    }
    this.#registry.dispose();
    this.#coalescers.dispose();
    this.#disposed = true;
    this.#socketId = undefined;
    this.#setStatus('idle');
  }

  /**
   * Holds a channel (joining it on first use): `realtime.acquire({ channel: 'orders.1' })`. Prefer
   * the hooks; this is for non-React code. Release the lease when done.
   */
  acquire({ channel: name, type = DEFAULT_CHANNEL_TYPE }: ChannelRef): ChannelLease {
    if (this.#disposed) return INERT_LEASE;
    if (typeof name !== 'string' || name.length === 0) {
      throw failure('config', process.env.NODE_ENV !== 'production' && `A channel name must be a non-empty string, got ${JSON.stringify(name)}.`);
    }
    if (!isChannelType(type)) {
      throw failure(
        'config',
        process.env.NODE_ENV !== 'production'
          ? `Unknown channel type ${JSON.stringify(type)}; use public, private, presence or encrypted.`
          : `type ${String(type)}`,
      );
    }
    if (process.env.NODE_ENV !== 'production') checkChannelName(name, type);
    // Start on first use, but never undo an explicit disconnect(): that takes connect() or reconnect().
    if (this.#status === 'idle' || this.#parked) this.connect();
    return this.#registry.acquire(name, type);
  }

  /** The state of held channels, for code outside React. */
  get channels(): RealtimeChannels {
    return (this.#channelsView ??= channelsView(this.#registry));
  }

  /**
   * Invalidates keys through the app-wide coalescer: the same path events take. Use it for your own
   * triggers so they coalesce with realtime ones: `realtime.invalidate({ queryClient, keys: ['rooms'] })`.
   */
  invalidate({ queryClient, keys, ...options }: InvalidateOptions): void {
    if (this.#disposed) return;
    const list = toKeyList(keys);
    tap(this, 'request', list, queryClient);
    if (list.length > 0) this.#coalescers.schedule(queryClient, list, resolveCoalesce(options, this.#coalesceDefaults));
  }

  /** The Echo instance (null before `connect()` when the client creates it, or when disabled). */
  getEcho(): EchoInstance | null {
    return this.#echo;
  }

  /** Current connection status. */
  getConnectionStatus(): ConnectionStatus {
    return this.#status;
  }

  /** The socket id of the current connection, for `X-Socket-ID` (Laravel's `toOthers()`). */
  getSocketId(): string | undefined {
    return this.#socketId;
  }

  /** `{ 'X-Socket-ID': id }` while connected, `{}` otherwise: spread it into `fetch` headers. */
  getSocketIdHeader(): Record<string, string> {
    return this.#socketId ? { 'X-Socket-ID': this.#socketId } : {};
  }

  /** Calls `listener` when the status or socket id changes. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Sends an error to `onError` (never throws, also when `onError` does). */
  reportError(error: RealtimeError): void {
    tap(this, 'error', error);
    try {
      if (this.#options.onError) this.#options.onError(error);
      else console.error('[echo-react-query]', error);
    } catch (secondary) {
      console.error('[echo-react-query] onError threw while handling', error, secondary);
    }
  }

  /** How far to spread the refetches of a reconnect over `keys` keys (never after `reconnect()`, nor with `reconnect: false`). */
  #refetchSpread(keys: number): number {
    const { reconnect } = this.#options;
    if (this.#deliberate || reconnect === false) return 0;
    try {
      return refetchJitter(reconnect?.refetchJitterMs, keys);
    } catch (cause) {
      this.reportError(failure('handler', process.env.NODE_ENV !== 'production' && `refetchJitterMs threw: ${messageOf(cause)}`, { cause }));
      return 0;
    }
  }

  /** Runs inside pusher-js's state_change emit, before it re-subscribes: nothing may escape. */
  #onTransportState(raw: string): void {
    try {
      this.#applyTransportState(raw);
    } catch (cause) {
      this.reportError(failure('handler', process.env.NODE_ENV !== 'production' && `Handling connection state "${raw}" failed: ${messageOf(cause)}`, { cause }));
    }
  }

  #applyTransportState(raw: string): void {
    const previous = this.#status;
    const next = toConnectionStatus(raw, this.#everConnected);
    const socketId = next === 'connected' ? socketIdOf(this.#echo) : undefined;
    if (next === previous && socketId === this.#socketId) return;
    this.#socketId = socketId;
    this.#status = next;
    if (next === 'connected' && previous !== 'connected') {
      const since = this.#downSince;
      this.#everConnected = true;
      this.#downSince = null;
      forgetCancelledSubscriptions(this.#echo);
      if (since !== null) this.#sync.reconnecting();
      this.#deliberate = false;
      // Each channel's bound keys are refetched as it is confirmed again (see SubscriptionSync).
      this.#registry.connectionRestored();
      if (since !== null) this.#sync.reconnected(since);
    } else if (previous === 'connected' && next !== 'connected') {
      // Dropped again before the last recovery finished: recover from the earlier moment.
      this.#downSince = this.#sync.cancelRound() ?? Date.now();
      this.#registry.connectionLost();
    }
    this.#emitChange();
  }

  #setStatus(status: ConnectionStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#emitChange();
  }

  // What the package's other modules may reach (not part of the published API): class-private
  // fields minify to one letter in every app's bundle, and only these functions see them.
  static {
    registryOf = (client) => client.#registry;
    park = (client) => {
      client.disconnect();
      client.#downSince = null;
      client.#parked = true;
    };
    onDispose = (client, fn) => {
      if (client.#disposed) fn();
      else client.#disposers.push(fn);
    };
    providedView = (client) => ({ owns: !!client.#config, disposed: client.#disposed, leaveGraceMs: client.#options.leaveGraceMs });
  }

  #emitChange(): void {
    tap(this, 'connection', this.#observer);
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (cause) {
        this.reportError(failure('handler', process.env.NODE_ENV !== 'production' && `A connection listener threw: ${messageOf(cause)}`, { cause }));
      }
    }
  }
}

/** Creates a {@link RealtimeClient}. See the README's quick start. */
export function createRealtimeClient(options: RealtimeClientOptions): RealtimeClient {
  return new RealtimeClient(options);
}
