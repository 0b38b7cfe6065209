import { router, usePage } from '@inertiajs/react';
import { useEffect } from 'react';
import { DEFAULT_CHANNEL_TYPE, type ChannelType } from '../core/channels';
import { onDispose, type RealtimeClient } from '../core/client';
import { DEFAULT_COALESCE } from '../core/invalidation';
import { installReloads, pageId, reloadHandler, Reloads, type ReloadRouter, type VisitOptions } from '../core/reloads';
import { useProvidedClient } from '../react/context';
import { acquireLease, activeChannel, useLatest } from '../react/internal';

/** `router.reload`'s options, as the installed `@inertiajs/react` types them. */
export type InertiaReloadOptions = NonNullable<Parameters<typeof router.reload>[0]>;

/** Options of {@link useRealtimeReload}: which events reload which props, plus `router.reload`'s visit options. */
export interface UseRealtimeReloadOptions extends Omit<InertiaReloadOptions, 'only' | 'except'> {
  /** Channel name as in `routes/channels.php`. Nullish or empty: not subscribed. */
  channel: string | null | undefined;
  /** Default `'private'`. */
  type?: ChannelType;
  /** The event (Echo's naming rules: `.ServerProvisionUpdated` for `broadcastAs`) ... */
  event?: string;
  /** ... or several events that reload the same props. */
  events?: readonly string[];
  /** The page props to reload (`router.reload({ only })`)... */
  only?: readonly string[];
  /** ...or every prop but these (`router.reload({ except })`), reloaded in a request of their own. */
  except?: readonly string[];
  /**
   * Rate limit per prop, in ms: a few reloads at once, then at most one per `wait`; events meanwhile
   * share one. Default 250.
   */
  wait?: number;
  /** Default true. While false nothing is held and nothing reloads. */
  enabled?: boolean;
  /**
   * Reload the props once when the channel's subscription is first confirmed, since the page's
   * props were read before it subscribed and an event sent meanwhile is never delivered. Default:
   * the client's `refetchOnSubscribe` (true). After a drop they are always reloaded.
   */
  reloadOnSubscribe?: boolean;
}

/** The client's reloads through Inertia's router, made on first use and ended with the client. */
export function inertiaReloads(client: RealtimeClient, page: string | null): Reloads {
  return installReloads(client, () => new Reloads(router as unknown as ReloadRouter, page, (error) => client.reportError(error), client), (end) => onDispose(client, end));
}

/**
 * Reloads Inertia page props when a channel's events arrive: `router.reload({ only })`, coalesced
 * app-wide per prop, as the query hooks coalesce invalidations. The first event reloads at once and
 * a short sequence each at once; a sustained stream costs one reload per `wait`; a reload never
 * starts while another is in flight (the props due meanwhile go out together when it settles); all
 * props due together go out in one request. The props are also reloaded when the channel's
 * subscription is confirmed: the first time (the page's props may predate the subscription) and
 * after every drop. After a visit to another page, nothing reloads the old page's props.
 *
 * ```tsx
 * useRealtimeReload({ channel: `servers.${server.id}.provision`, event: '.ServerProvisionUpdated', only: ['server'] });
 * ```
 */
export function useRealtimeReload(options: UseRealtimeReloadOptions): void {
  const client = useProvidedClient('useRealtimeReload');
  const page = pageId(usePage());
  const { channel, type = DEFAULT_CHANNEL_TYPE, enabled = true } = options;
  const events = options.events ?? (options.event ? [options.event] : []);
  const eventNames = events.filter((e) => typeof e === 'string' && e.length > 0).join('\n');
  const wire = activeChannel(client, channel, type, enabled && eventNames.length > 0);
  const latest = useLatest({ options, page });

  useEffect(() => {
    const lease = acquireLease(client, wire, channel, type);
    if (!lease || !client) return;
    inertiaReloads(client, latest.current.page);
    const handler = reloadHandler(
      client,
      () => latest.current.options,
      () => latest.current.page,
      () => {
        const { channel: _c, type: _t, event: _e, events: _es, only: _o, except: _x, wait: _w, enabled: _en, reloadOnSubscribe: _r, ...visit } = latest.current.options;
        return visit as VisitOptions;
      },
      DEFAULT_COALESCE.wait,
    );
    for (const event of eventNames.split('\n')) lease.listen(event, handler);
    return () => lease.release();
  }, [client, wire, channel, type, eventNames, latest]);
}
