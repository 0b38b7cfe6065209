import { failure, type RealtimeError } from '../shared';
import type { ChannelType, PresenceMember } from './types';

/** The pusher-js channel under an Echo Pusher channel, as far as we read it. */
interface PusherSubscriptionLike {
  subscribed?: boolean;
  /** pusher-js's presence `Members` (read by core/presence). */
  members?: unknown;
  /** pusher-js's CallbackRegistry (`_callbacks`: one array per bound event) and global callbacks. */
  callbacks?: { _callbacks?: Record<string, unknown[] | undefined> };
  global_callbacks?: unknown[];
}

/** The slice of a laravel-echo channel we use; Echo's Pusher, socket.io and null channels fit it. */
export interface EchoChannelLike {
  listen(event: string, callback: CallableFunction): unknown;
  stopListening(event: string, callback?: CallableFunction): unknown;
  subscribed(callback: CallableFunction): unknown;
  error(callback: CallableFunction): unknown;
  whisper?(event: string, data: Record<string, unknown>): unknown;
  here?(callback: CallableFunction): unknown;
  joining?(callback: CallableFunction): unknown;
  leaving?(callback: CallableFunction): unknown;
  /** The pusher-js channel, present on Echo's Pusher-family channels. */
  subscription?: PusherSubscriptionLike;
  /** Echo's socket.io channel: its socket and one socket listener per bound event. */
  socket?: unknown;
  events?: Record<string, unknown>;
}

/** The slice of a laravel-echo instance we use. */
export interface EchoLike {
  channel(name: string): unknown;
  private(name: string): unknown;
  join(name: string): unknown;
  encryptedPrivate(name: string): unknown;
  leaveChannel(fullName: string): void;
}

/** Every channel type. */
const CHANNEL_TYPES: readonly ChannelType[] = ['public', 'private', 'presence', 'encrypted'];

/** True for a valid {@link ChannelType} (input from JavaScript callers is not type-checked). */
export function isChannelType(value: unknown): value is ChannelType {
  return (CHANNEL_TYPES as readonly unknown[]).includes(value);
}

/** The channel type used when none is given. See {@link ChannelType}. */
export const DEFAULT_CHANNEL_TYPE: ChannelType = 'private';

/** Which protocol events a channel speaks, so every binding we make can be undone. */
type ChannelKind = 'pusher' | 'other';

/**
 * Where a presence channel's member events go (core/presence's roster): the list, then changes.
 * Changes between `subscribing()` and the list are held and applied on top of it.
 */
export interface MemberSink {
  /** A (re)subscription starts (e.g. after a drop): member events before its list are held for it. */
  subscribing(): void;
  list(members: Map<string, PresenceMember>, meId: string | null): void;
  added(id: string, member: PresenceMember): void;
  removed(id: string): void;
}

/**
 * How the channels of a broadcaster that is not built in speak: socket.io's comes with
 * `socketIo()`. Pusher-protocol channels (and Echo's generic `subscribed()` / `error()`) need none.
 */
export interface ChannelWire {
  /** Binds the subscription's outcome; returns the undo functions. */
  status(channel: EchoChannelLike, type: ChannelType, onSubscribed: () => void, onFailed: (info: unknown) => void): (() => void)[];
  /** Binds a presence channel's member events; returns the undo functions. */
  members(channel: EchoChannelLike, sink: MemberSink, onListed: () => void): (() => void)[];
  /** True when a joined channel of this type counts as subscribed once the connection is up (no acknowledgement comes). */
  confirmsOnJoin(type: ChannelType): boolean;
}

const PREFIX: Record<ChannelType, string> = {
  public: '',
  private: 'private-',
  presence: 'presence-',
  encrypted: 'private-encrypted-',
};

/**
 * The channel's name on the wire, e.g. `private-orders.1`. Echo and pusher-js know a channel by this
 * name alone, so it is the registry's key too: `('encrypted-orders', 'private')` and
 * `('orders', 'encrypted')` are one channel.
 */
export function wireName(name: string, type: ChannelType): string {
  return PREFIX[type] + name;
}

export function kindOf(channel: EchoChannelLike): ChannelKind {
  return channel.subscription ? 'pusher' : 'other';
}

/** The Echo method that joins each channel type. */
const JOIN = { public: 'channel', private: 'private', presence: 'join', encrypted: 'encryptedPrivate' } as const;

export function openChannel(echo: EchoLike, type: ChannelType, name: string): EchoChannelLike {
  return echo[JOIN[type]](name) as EchoChannelLike;
}

/** Binds a protocol event by its exact name (the leading dot); returns the undo. */
export function bindEchoEvent(channel: EchoChannelLike, event: string, callback: CallableFunction): () => void {
  channel.listen('.' + event, callback);
  return () => channel.stopListening('.' + event, callback);
}

/**
 * Binds the subscription's outcome (without a {@link ChannelWire}). Returns the undo functions; for other channels than pusher-js's,
 * Echo's `subscribed()` / `error()` cannot be unbound (laravel/echo#312), so callers make stale
 * callbacks no-ops.
 */
export function bindSubscriptionStatus(
  channel: EchoChannelLike,
  onSubscribed: () => void,
  onFailed: (info: unknown) => void,
): (() => void)[] {
  if (kindOf(channel) === 'pusher') {
    return [
      bindEchoEvent(channel, 'pusher:subscription_succeeded', onSubscribed),
      bindEchoEvent(channel, 'pusher:subscription_error', onFailed),
    ];
  }
  channel.subscribed(onSubscribed);
  channel.error(onFailed);
  return [];
}

/**
 * Whether anything besides us is bound to the channel (after we removed our own callbacks): then
 * leaving would end a subscription other code on a shared Echo still uses.
 */
export function hasOtherListeners(channel: EchoChannelLike): boolean {
  const subscription = channel.subscription;
  if (subscription) {
    const table = subscription.callbacks?._callbacks ?? {};
    return (subscription.global_callbacks?.length ?? 0) > 0 || Object.values(table).some((list) => !!list?.length);
  }
  return Object.keys(channel.events ?? {}).length > 0;
}

/** Turns a subscription error payload into an error a user can act on. */
export function subscriptionError(fullName: string, info: unknown): RealtimeError {
  // pusher-js passes { type, error, status }; laravel-echo-server passes the bare HTTP status.
  const detail = (
    typeof info === 'number' ? { status: info } : info && typeof info === 'object' ? info : {}
  ) as { type?: unknown; error?: unknown; status?: unknown };
  const status = typeof detail.status === 'number' ? detail.status : undefined;
  const isAuth = detail.type === 'AuthError' || status !== undefined;
  const reason = status !== undefined ? `HTTP ${status}` : typeof detail.error === 'string' ? detail.error : 'subscription refused';
  const context = { channel: fullName, status, cause: info };
  // Production builds keep the reason (`auth private-orders HTTP 403`), not the advice.
  return isAuth
    ? failure(
        'auth',
        process.env.NODE_ENV !== 'production'
          ? status === 404 || status === 405
            ? `No auth route answered for "${fullName}" (${reason}): is /broadcasting/auth sent to Laravel?`
            : status === 0
              ? `The auth request for "${fullName}" got no answer (${reason}): the network, or CORS in a browser.`
              : `Not authorised to join "${fullName}" (${reason}). Check routes/channels.php and the auth token.`
          : `auth ${fullName} ${reason}`,
        context,
      )
    : failure(
        'subscription',
        process.env.NODE_ENV !== 'production' ? `Subscribing to "${fullName}" failed (${reason}).` : `subscription ${fullName} ${reason}`,
        context,
      );
}

/**
 * Calls `onEvent` for every server event on a Pusher-protocol channel, before its bindings hear it
 * (pusher-js's global callbacks; not its own `pusher:` events nor whispers). Returns the undo, or
 * undefined on other broadcasters, which have no such callback.
 */
export function onEveryEvent(channel: EchoChannelLike, onEvent: (event: string, payload: unknown) => void): (() => void) | undefined {
  const subscription = channel.subscription as
    | { bind_global?: (callback: (event: unknown, payload: unknown) => void) => unknown; unbind_global?: (callback: (event: unknown, payload: unknown) => void) => unknown }
    | undefined;
  if (typeof subscription?.bind_global !== 'function') return undefined;
  const callback = (event: unknown, payload: unknown) => {
    if (typeof event === 'string' && !/^(pusher:|pusher_internal:|client-)/.test(event)) onEvent(event, payload);
  };
  subscription.bind_global(callback);
  return () => void subscription.unbind_global?.(callback);
}
