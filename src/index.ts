/**
 * echo-react-query: Laravel Echo events as TanStack Query invalidations and cache updates.
 * @packageDocumentation
 */
export * from './core';
export { RealtimeProvider } from './react/RealtimeProvider';
export type { RealtimeProviderProps } from './react/RealtimeProvider';
export { useRealtimeClient } from './react/context';
export { useRealtimeEvent } from './react/useRealtimeEvent';
export type { UseRealtimeEventOptions } from './react/useRealtimeEvent';
export { useRealtimeChannel } from './react/useRealtimeChannel';
export type { EventBinding, RealtimeChannelState, UseRealtimeChannelOptions, WhisperFunction } from './react/useRealtimeChannel';
export { usePresence } from './react/usePresence';
export type { PresenceState, UsePresenceOptions } from './react/usePresence';
export { defineBinding, useRealtimeGlobalSubscriber } from './react/useRealtimeGlobalSubscriber';
export type { GlobalSubscriberOptions, RealtimeBinding } from './react/useRealtimeGlobalSubscriber';
export { useConnectionStatus } from './react/useConnectionStatus';
export { useSocketId } from './react/useSocketId';
export { useDebouncedReload } from './react/useDebouncedReload';
export type { DebouncedReloadOptions } from './react/useDebouncedReload';
export { useRealtimeMutation } from './react/useRealtimeMutation';
export type { CommandContext, UseRealtimeMutationOptions } from './react/useRealtimeMutation';
export { useCommands } from './react/useCommands';
export type { UseCommandsOptions } from './react/useCommands';
export type { CommandConfirmation, CommandState, CommandStatus, OptimisticUpdate } from './core/commands';
export { useRealtimeModel } from './react/useRealtimeModel';
export type { UseRealtimeModelOptions } from './react/useRealtimeModel';
export { useRealtimeModels } from './react/useRealtimeModels';
export type { UseRealtimeModelsOptions } from './react/useRealtimeModels';
export { useRealtimeNotifications } from './react/useRealtimeNotifications';
export type { NotificationReaction, UseRealtimeNotificationsOptions } from './react/useRealtimeNotifications';
