/**
 * The React layer: one file per hook, each a thin view over the core (an effect that holds a lease,
 * or `useSyncExternalStore` over the client's state). No logic lives here that the core could own.
 */
export { RealtimeProvider } from './RealtimeProvider';
export type { RealtimeProviderProps } from './RealtimeProvider';
export { useRealtimeClient } from './context';
export { useRealtimeEvent } from './useRealtimeEvent';
export type { UseRealtimeEventOptions } from './useRealtimeEvent';
export { useRealtimeChannel } from './useRealtimeChannel';
export type { EventBinding, RealtimeChannelState, UseRealtimeChannelOptions, WhisperFunction } from './useRealtimeChannel';
export { usePresence } from './usePresence';
export type { PresenceState, UsePresenceOptions } from './usePresence';
export { defineBinding, useRealtimeGlobalSubscriber } from './useRealtimeGlobalSubscriber';
export type { GlobalSubscriberOptions, RealtimeBinding } from './useRealtimeGlobalSubscriber';
export { useConnectionStatus } from './useConnectionStatus';
export { useSocketId } from './useSocketId';
export { useDebouncedReload } from './useDebouncedReload';
export type { DebouncedReloadOptions } from './useDebouncedReload';
export { useRealtimeMutation } from './useRealtimeMutation';
export type { CommandContext, UseRealtimeMutationOptions } from './useRealtimeMutation';
export { useCommands } from './useCommands';
export type { UseCommandsOptions } from './useCommands';
export { useRealtimeModel } from './useRealtimeModel';
export type { UseRealtimeModelOptions } from './useRealtimeModel';
export { useRealtimeModels } from './useRealtimeModels';
export type { UseRealtimeModelsOptions } from './useRealtimeModels';
export { useRealtimeNotifications } from './useRealtimeNotifications';
export type { NotificationReaction, UseRealtimeNotificationsOptions } from './useRealtimeNotifications';
