/**
 * echo-react-query/inertia: Laravel Echo events as Inertia partial reloads, coalesced and recovered
 * like the query hooks' invalidations. Needs `@inertiajs/react` (2 or 3); not `@tanstack/react-query`
 * nor a `QueryClientProvider`: what an Inertia-only app needs from the package is exported here too.
 * @packageDocumentation
 */
export { useRealtimeReload } from './useRealtimeReload';
export type { InertiaReloadOptions, UseRealtimeReloadOptions } from './useRealtimeReload';
export { createRealtimeClient, echoConfigFromEnv, RealtimeClient, RealtimeError } from '../core';
export type { ChannelType, ConnectionStatus, EchoConfig, RealtimeClientOptions, RealtimeErrorCode, ReloadRule } from '../core';
export { RealtimeProvider } from './RealtimeProvider';
export type { RealtimeProviderProps } from '../react/RealtimeProvider';
export { useRealtimeClient } from '../react/context';
export { useConnectionStatus } from '../react/useConnectionStatus';
export { useSocketId } from '../react/useSocketId';
