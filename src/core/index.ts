export { createRealtimeClient, RealtimeClient } from './client';
export type { BroadcasterName, EchoConfig, EchoInstance, RealtimeClientOptions } from './client';
export { RealtimeError } from './errors';
export type { RealtimeErrorCode, RealtimeErrorContext } from './errors';
export type { ChannelLease, EventHandler, PresenceListener } from './registry';
export type * from './types';
