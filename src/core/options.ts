import { DEFAULT_CHANNEL_TYPE, EMPTY_PRESENCE, wireName, type ChannelRegistry, type ChannelSnapshot, type ChannelType, type PresenceSnapshot } from './channels';
import type { EchoConfig, EchoInstance, ReconnectInfo, ReconnectOptions } from './connection';
import type { BindingDefaults } from './invalidation';
import { warnOnce, type RealtimeError } from './shared';

// What a client is configured with and what it exposes to code outside React (the class is client.ts).

/** `leaveGraceMs` when none is given. */
export const DEFAULT_LEAVE_GRACE_MS = 1000;

/** Options of {@link createRealtimeClient}. */
export interface RealtimeClientOptions {
  /**
   * Echo options to create the instance from, or an Echo the app already has. On an Echo the app
   * hands in, the client removes only its own listeners and leaves only channels nobody else
   * listens to. `null` / `undefined` turns realtime off: hooks become no-ops (e.g. no key here).
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
   * Called when the socket is back after a drop, once every channel held at that moment is
   * confirmed again (or refused, or 10 s passed); the keys they keep have been invalidated by then.
   * Use it to replay "events since `disconnectedAt`" from your API if refetching is not enough.
   */
  onReconnect?: (info: ReconnectInfo) => void;
  /**
   * Defaults for every binding, each of which may override them: `wait` (250 ms) and `refetchType`
   * (`'active'`) for coalescing, and `refetchOnSubscribe` (true: refetch a binding's keys once when
   * its channel is first confirmed, so an event sent between the query's fetch and the
   * subscription is not lost).
   */
  defaults?: BindingDefaults;
  /** How long an unused channel stays joined before leaving, in ms. Default 1000. */
  leaveGraceMs?: number;
  /**
   * How a dropped connection comes back (Pusher-protocol broadcasters): retries with exponential
   * backoff and full jitter, an attempt at once when the browser is online or the tab visible again,
   * and the refetches after it spread a little. `false` leaves retrying to pusher-js (it still
   * reports `reconnecting` as soon as the socket closes). See {@link ReconnectOptions}.
   */
  reconnect?: ReconnectOptions | false;
}

/** Names a channel as the hooks do: the name from `routes/channels.php` and its type. */
export interface ChannelRef {
  channel: string;
  /** Default `'private'`. */
  type?: ChannelType;
}

/** The state of held channels, readable outside React (the hooks use the same). */
export interface RealtimeChannels {
  /** Status and error of a channel; `idle` when nobody holds it. Stable between changes. */
  getSnapshot(ref: ChannelRef): ChannelSnapshot;
  /**
   * Members of a presence channel (`{ channel: 'lobby' }`); empty when nobody holds it, and until
   * presence is tracked (`usePresence`, or `trackPresence(client)` outside React).
   */
  getPresence(ref: { channel: string }): PresenceSnapshot;
  /** Calls `listener` whenever the channel's state or members change. Returns the unsubscribe function. */
  subscribe(ref: ChannelRef, listener: () => void): () => void;
  /** Number of channels held. */
  readonly size: number;
}

/** The client's `channels`: the registry's state, named as the hooks name channels. */
export function channelsView(registry: ChannelRegistry): RealtimeChannels {
  const wire = (ref: ChannelRef) => wireName(ref.channel, ref.type ?? DEFAULT_CHANNEL_TYPE);
  return {
    getSnapshot: (ref) => registry.getSnapshot(wire(ref), ref.type ?? DEFAULT_CHANNEL_TYPE),
    getPresence: (ref) => {
      const entry = registry.find(wireName(ref.channel, 'presence'));
      if (process.env.NODE_ENV !== 'production' && entry && !entry.presence) {
        warnOnce(`channels.getPresence({ channel: '${ref.channel}' }) lists nobody until presence is tracked: call trackPresence(client) first (usePresence does).`);
      }
      return entry?.presence?.snapshot ?? EMPTY_PRESENCE;
    },
    subscribe: (ref, listener) => registry.watch(wire(ref), listener),
    get size() {
      return registry.size;
    },
  };
}
