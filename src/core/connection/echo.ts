import type Echo from 'laravel-echo';
import type { Broadcaster } from 'laravel-echo';
import type { ChannelRegistry, ChannelWire, EchoLike } from '../channels';
import { failure, messageOf, type RealtimeError } from '../shared';

/** Echo's built-in broadcasters. */
export type BroadcasterName = 'reverb' | 'pusher' | 'ably' | 'socket.io' | 'null';

/** The Echo options every broadcaster takes (see {@link EchoConfig}). */
export interface EchoCommonOptions {
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

/**
 * Options for the Echo instance the client creates: the same object you would pass to
 * `new Echo(...)`. For `reverb` / `pusher` / `ably` pass `Pusher` (the pusher-js default export).
 */
export interface EchoConfig extends EchoCommonOptions {
  broadcaster: BroadcasterName | (new (options: never) => unknown);
}

/** An Echo instance the app already has (any broadcaster). */
export type EchoInstance = Echo<keyof Broadcaster>;

/**
 * What a broadcaster that is not built in brings with it (socket.io's, through `socketIo()`): how
 * its channels speak, the status its connector really means, and what it sets up on each client.
 */
export interface BroadcasterSupport extends ChannelWire {
  /** The status to show for the connector's `status` (e.g. "reconnecting" where Echo says "disconnected"). */
  refine(status: string, connector: unknown): string;
  /** Called once for each client made with it, when the client's registry exists. */
  setUp(registry: ChannelRegistry, reportError: (error: RealtimeError) => void): void;
}

/** Where `socketIo()` leaves its support on the Echo options or instance it is given. */
export const SUPPORT = Symbol.for('echo-react-query.support');

/** The support an Echo config or instance carries (see {@link SUPPORT}). */
export function supportOf(source: unknown): BroadcasterSupport | undefined {
  return (source as { [SUPPORT]?: BroadcasterSupport } | null)?.[SUPPORT];
}

export const PUSHER_FAMILY = new Set<unknown>(['reverb', 'pusher', 'ably']);
export const BROADCASTERS: readonly unknown[] = ['reverb', 'pusher', 'ably', 'socket.io', 'null'];

export function isEchoInstance(value: unknown): value is EchoInstance {
  // Duck-typed: an Echo from another copy of laravel-echo (or a stand-in with Echo's methods) works too.
  const v = value as Partial<EchoLike> | null;
  return !!v && typeof v.channel === 'function' && typeof v.leaveChannel === 'function';
}

/**
 * Echo options with a per-instance auth headers object and the token getter wired in. A fresh
 * headers object per instance: Echo writes CSRF / bearer tokens into `auth.headers`, and its default
 * object is shared by every Echo instance.
 */
export function buildEchoOptions(
  config: EchoConfig,
  getToken: (() => string | null | undefined) | undefined,
  reportError: (error: RealtimeError) => void,
): Record<string, unknown> {
  const headers: Record<string, string> = { ...config.auth?.headers };
  const options: Record<string, unknown> = { ...config, auth: { ...config.auth, headers } };
  if (config.broadcaster === 'pusher' && config.cluster === undefined) options.cluster = 'mt1';
  if (!getToken) return options;
  const bearer = (): Record<string, string> => {
    try {
      const token = getToken();
      return token ? { Authorization: `Bearer ${token}` } : {};
    } catch (cause) {
      reportError(failure('config', process.env.NODE_ENV !== 'production' && `getToken threw: ${messageOf(cause)}`, { cause }));
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
    // Other broadcasters (socket.io, a connector class) send `auth.headers` with every subscribe:
    // compute the header when it is read.
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

export function connectorOf(echo: EchoInstance | null): unknown {
  return (echo as { connector?: unknown } | null)?.connector;
}

export function socketIdOf(echo: EchoInstance | null): string | undefined {
  try {
    const id = (echo as { socketId?: () => unknown } | null)?.socketId?.();
    return typeof id === 'string' && id.length > 0 ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when closing this Echo's connection first lets its channels be left without a frame: on
 * pusher-js, whose every send waits for a zero-delay timer (so an unsubscribe sent in the tick of a
 * close would reach a closed WebSocket: an error in the browser's console). Once its connection is
 * closed, pusher-js marks every channel unsubscribed and leaving one sends nothing. socket.io (and
 * the rest) leave first: socket.io-client would queue the frame for the next connection.
 */
export function closesFirst(echo: EchoInstance | null): boolean {
  return typeof (connectorOf(echo) as { pusher?: { disconnect?: unknown } } | undefined)?.pusher?.disconnect === 'function';
}

/**
 * Re-opens a closed Echo. Pusher-family connectors reconnect their pusher-js instance (a new one per
 * reconnect would stay in `Pusher.instances` for good); other connectors get a fresh connection.
 */
export function reopen(echo: EchoInstance): void {
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
export function forgetCancelledSubscriptions(echo: EchoInstance | null): void {
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

/** A hint appended to a start failure (development builds). */
export function startHint(config: EchoConfig | null): string {
  return config && PUSHER_FAMILY.has(config.broadcaster) && !config.Pusher ? " (pass `Pusher` from 'pusher-js' in the Echo options)" : '';
}
