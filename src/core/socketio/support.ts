import { bindEchoEvent, type ChannelType, type EchoChannelLike, type MemberSink, type PresenceMember } from '../channels';
import { SUPPORT, type BroadcasterSupport, type EchoCommonOptions, type EchoConfig, type EchoInstance } from '../connection';
import { trackMembersOn } from '../presence';
import { failure } from '../shared';

/** A member as laravel-echo-server lists it. */
type RawMember = { user_id?: unknown; user_info?: PresenceMember; socketId?: unknown } | null;

const idOf = (m: RawMember) => (m && m.user_id !== undefined ? String(m.user_id) : null);

/** socket.io-client's socket, as far as the member events read it. */
interface SocketLike {
  id?: unknown;
  on?(event: string, callback: () => void): unknown;
  off?(event: string, callback: () => void): unknown;
}

/** Echo's socket.io connector, as far as its status is read. */
interface SocketIoConnectorLike {
  /** socket.io's socket and manager (`skipReconnect` is set only by a deliberate disconnect). */
  socket?: { active?: boolean; io?: { reconnecting?: boolean; _reconnecting?: boolean; skipReconnect?: boolean } };
}

/** How Echo's socket.io broadcaster and laravel-echo-server speak. */
const support: BroadcasterSupport = {
  status(channel: EchoChannelLike, type: ChannelType, onSubscribed: () => void, onFailed: (info: unknown) => void) {
    // laravel-echo-server acknowledges nothing but errors (Echo's socket.io `error()` ignores them,
    // and its `subscribed()` never fires): the client counts these channels as confirmed once the
    // connection is up, and a presence channel when its member list comes, its only acknowledgement.
    const undo = [bindEchoEvent(channel, 'subscription_error', onFailed)];
    if (type === 'presence') undo.push(bindEchoEvent(channel, 'presence:subscribed', onSubscribed));
    return undo;
  },

  members(channel: EchoChannelLike, sink: MemberSink, onListed: () => void) {
    // Bound by name so they can be unbound (Echo's here/joining/leaving cannot): each member is
    // `{ user_id, user_info, socketId }`, so `me` is the member listed with this connection's socket id.
    // laravel-echo-server puts the socket in the room before it reads the members from Redis, so a
    // join or leave can come before the list: after a drop the roster holds them until the next list.
    const socket = channel.socket as SocketLike | undefined;
    const dropped = () => sink.subscribing();
    socket?.on?.('disconnect', dropped);
    return [
      () => socket?.off?.('disconnect', dropped),
      bindEchoEvent(channel, 'presence:subscribed', (list: unknown) => {
        if (!Array.isArray(list)) return;
        const mySocket = socket?.id;
        const map = new Map<string, PresenceMember>();
        let meId: string | null = null;
        for (const m of list as RawMember[]) {
          const id = idOf(m);
          if (id === null) continue;
          map.set(id, m?.user_info ?? {});
          if (mySocket !== undefined && m?.socketId === mySocket) meId = id;
        }
        sink.list(map, meId);
        onListed();
      }),
      bindEchoEvent(channel, 'presence:joining', (m: RawMember) => {
        const id = idOf(m);
        if (id !== null) sink.added(id, m?.user_info ?? {});
      }),
      bindEchoEvent(channel, 'presence:leaving', (m: RawMember) => {
        const id = idOf(m);
        if (id !== null) sink.removed(id);
      }),
    ];
  },

  confirmsOnJoin: (type: ChannelType) => type !== 'presence',

  refine(status: string, connector: unknown) {
    // Echo reads socket.io v3+'s `_reconnecting`; with socket.io 2 (laravel-echo-server) a socket
    // that is retrying, or reopened but not yet acknowledged, looks "disconnected". Unless the
    // manager was told to stop, socket.io is still reconnecting.
    const socket = (connector as SocketIoConnectorLike).socket;
    const io = socket?.io;
    const retrying = io?.reconnecting || io?._reconnecting || socket?.active || io?.skipReconnect === false;
    return status === 'disconnected' && retrying ? 'reconnecting' : status;
  },

  // laravel-echo-server sends a presence channel's member list once per subscription: members are
  // tracked from the start, so usePresence mounted later on a channel already held has them.
  setUp: (registry, reportError) => trackMembersOn(registry, reportError),
};

/** Echo options for the socket.io broadcaster (laravel-echo-server). */
export interface SocketIoConfig extends EchoCommonOptions {
  /** May be left out (it is set for you); `echoConfigFromEnv('socket.io', ...)` gives it. */
  broadcaster?: 'socket.io' | EchoConfig['broadcaster'];
  /** laravel-echo-server's URL, e.g. `http://localhost:6001`. */
  host?: string;
  /** socket.io-client's `io` (Echo falls back to `window.io`). */
  client?: unknown;
}

/**
 * Echo's socket.io broadcaster (laravel-echo-server), for `createRealtimeClient`'s `echo`:
 *
 * ```ts
 * import { socketIo } from 'echo-react-query/socket.io';
 * createRealtimeClient({ echo: socketIo({ host: 'http://localhost:6001', client: io }) });
 * ```
 *
 * Give it the Echo options (the broadcaster is set for you; `echoConfigFromEnv('socket.io', ...)`
 * works too), or an Echo you made with `broadcaster: 'socket.io'`. It brings what socket.io needs
 * and Pusher-protocol apps do not download: its subscription errors, its member events (tracked
 * from the start: the server lists members once per subscription), and the "reconnecting" that
 * socket.io 2 reports as "disconnected".
 */
export function socketIo(echo: SocketIoConfig): EchoConfig;
export function socketIo(echo: EchoInstance): EchoInstance;
export function socketIo(echo: SocketIoConfig | EchoInstance): EchoConfig | EchoInstance {
  if (!echo || typeof echo !== 'object') {
    throw failure('config', process.env.NODE_ENV !== 'production' && `socketIo() takes Echo options or an Echo, got ${String(echo)}.`);
  }
  const instance = typeof (echo as EchoInstance).leaveChannel === 'function';
  const broadcaster = instance ? (echo as { options?: { broadcaster?: unknown } }).options?.broadcaster : ((echo as SocketIoConfig).broadcaster ?? 'socket.io');
  if (broadcaster !== 'socket.io') {
    throw failure(
      'config',
      process.env.NODE_ENV !== 'production' ? `socketIo() is for Echo's socket.io broadcaster, got ${JSON.stringify(String(broadcaster))}.` : 'socketIo()',
    );
  }
  if (!instance) return { ...(echo as SocketIoConfig), broadcaster, [SUPPORT]: support } as EchoConfig;
  Object.defineProperty(echo, SUPPORT, { value: support, configurable: true });
  return echo as EchoInstance;
}
