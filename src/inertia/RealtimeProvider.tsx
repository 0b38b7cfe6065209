import { RealtimeProvider as Provider, type RealtimeProviderProps } from '../react/RealtimeProvider';
import { inertiaReloads } from './useRealtimeReload';

/**
 * `RealtimeProvider` for an Inertia app: the same provider, with the client's partial reloads going
 * through Inertia's router, so app-wide `reload` bindings (`useRealtimeGlobalSubscriber`) work
 * before any page's `useRealtimeReload` mounts.
 */
export function RealtimeProvider(props: RealtimeProviderProps) {
  if (props.client) inertiaReloads(props.client, null);
  return <Provider {...props} />;
}
