/**
 * The connection: the Echo instance's lifecycle (its options and token, re-opening, the socket id,
 * the close order), the status users see, and the reconnect driver that brings a dropped
 * pusher-js connection back on a jittered schedule.
 */
export {
  BROADCASTERS,
  buildEchoOptions,
  closesFirst,
  connectorOf,
  forgetCancelledSubscriptions,
  isEchoInstance,
  PUSHER_FAMILY,
  reopen,
  socketIdOf,
  startHint,
  SUPPORT,
  supportOf,
} from './echo';
export type { BroadcasterName, BroadcasterSupport, EchoCommonOptions, EchoConfig, EchoInstance } from './echo';
export { envKeyVariable, keyVariables, warnRealtimeOff } from './dev';
export { observeConnection, toConnectionStatus } from './observe';
export type { ConnectionObserver } from './observe';
export { attemptInFlight, backoffDelay, createRetrier, DEFAULT_RECONNECT, fallbackDelay, refetchJitter, watchPusher } from './reconnect';
export type { PusherLike, PusherWatch, ReconnectOptions } from './reconnect';
export type { ConnectionStatus, ReconnectInfo } from './types';
