// The core's public API (no React): what `echo-react-query` publishes from it. The parts are
// described in ARCHITECTURE.md; each folder's index says what it owns.
export { createRealtimeClient, RealtimeClient } from './client';
export type { CommandConfirmation, CommandState, CommandStatus, OptimisticUpdate } from './commands';
export type { ChannelRef, RealtimeChannels, RealtimeClientOptions } from './options';
export type { ChannelLease, ChannelSnapshot, ChannelStatus, ChannelType, EventHandler, PresenceListener, PresenceMember, PresenceSnapshot } from './channels';
export type { BroadcasterName, ConnectionStatus, EchoCommonOptions, EchoConfig, EchoInstance, ReconnectInfo, ReconnectOptions } from './connection';
export type {
  BindingDefaults,
  CoalesceOptions,
  EventReaction,
  InvalidateOptions,
  InvalidateTarget,
  QueryKeys,
  RefetchType,
  SetQueryDataReaction,
} from './invalidation';
export { echoConfigFromEnv, NOTIFICATION_EVENT } from './laravel';
export type { EnvBroadcaster, EnvRecord, LaravelNotification, ModelBindingOptions, ModelBroadcast, ModelBroadcastAs, ModelEventName } from './laravel';
export { inspectRealtime } from './inspector';
export type * from './inspector';
export { trackPresence } from './presence';
export type { ReloadRule } from './reloads';
export { RealtimeError } from './shared';
export type { EventPayload, PayloadCallback, RealtimeErrorCode, RealtimeErrorContext, RealtimeEventMap } from './shared';
