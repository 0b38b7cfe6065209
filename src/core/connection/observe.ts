import { watchPusher, type PusherLike, type PusherWatch, type ReconnectOptions } from './reconnect';
import type { ConnectionStatus } from './types';

interface ConnectorLike {
  pusher?: Partial<PusherLike>;
  connectionStatus?(): string;
  onConnectionChange?(callback: (status: string) => void): () => void;
}

/** A live view of one connector's raw connection state. */
export interface ConnectionObserver {
  /** The raw state right now (pusher-js state, or Echo's status for other connectors). */
  current(): string;
  /** Stops observing (see {@link PusherWatch.stop} for `how`). */
  stop(how?: 'resume' | 'halt'): void;
  /** Where retrying stands, on connections the client retries itself. */
  retry?(): { attempt: number; at: number | null };
}

/**
 * Watches the connector's connection. Pusher-family connectors are read from pusher-js directly,
 * because Echo's own status collapses `unavailable` (still retrying) into "failed" and never says
 * "reconnecting", and are brought back after a drop by their one retrier; other connectors
 * go through Echo's `onConnectionChange`.
 */
export function observeConnection(
  connector: unknown,
  onChange: (raw: string) => void,
  reconnect: ReconnectOptions | false = {},
  /** The status a connector's own word means (socket.io's support); as it says by default. */
  refine: (status: string, connector: unknown) => string = (status) => status,
): ConnectionObserver {
  const c = (connector ?? {}) as ConnectorLike;
  const pusher = c.pusher;
  if (pusher && typeof pusher.connection?.bind === 'function' && typeof pusher.connect === 'function' && typeof pusher.disconnect === 'function') {
    const watch: PusherWatch = watchPusher(pusher as PusherLike, reconnect, () => onChange(watch.current()));
    return watch;
  }
  if (typeof c.onConnectionChange === 'function' && typeof c.connectionStatus === 'function') {
    const stop = c.onConnectionChange((status) => onChange(refine(status, c)));
    return { current: () => refine(c.connectionStatus?.() ?? 'connected', c), stop };
  }
  return { current: () => 'connected', stop: () => {} };
}

/**
 * Maps a raw transport state to what a user should see. A transport that is retrying is
 * "connecting" before the first success and "reconnecting" after it, never "failed".
 */
export function toConnectionStatus(raw: string, everConnected: boolean): ConnectionStatus {
  switch (raw) {
    case 'connected':
      return 'connected';
    case 'failed':
      return 'failed';
    case 'disconnected':
      return 'disconnected';
    case 'initialized':
    case 'connecting':
    case 'unavailable':
    case 'reconnecting':
    default:
      return everConnected ? 'reconnecting' : 'connecting';
  }
}
