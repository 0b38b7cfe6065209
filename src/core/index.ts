export { createRealtimeClient, RealtimeClient } from './client';
export type { BroadcasterName, EchoConfig, EchoInstance, RealtimeClientOptions } from './client';
export { RealtimeError } from './errors';
export { NOTIFICATION_EVENT } from './laravel';
export type { LaravelNotification, ModelBroadcast } from './laravel';
export type { RealtimeErrorCode, RealtimeErrorContext } from './errors';
export type { ChannelLease, EventHandler, PresenceListener } from './registry';
export type * from './types';
