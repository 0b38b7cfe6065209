import type { QueryClient, QueryKey } from '@tanstack/query-core';
import { useMemo } from 'react';
import { resolveInvalidate, toKeyList } from '../core/invalidation';
import { NOTIFICATION_EVENT, type LaravelNotification } from '../core/laravel';
import { modelChannel } from '../core/laravel';
import type { ChannelSnapshot, ChannelType } from '../core/channels';
import type { EventReaction, QueryKeys } from '../core/invalidation';
import { useRealtimeChannel } from './useRealtimeChannel';

/** What to do for one notification type: invalidate more keys, write the cache, or call back. */
export type NotificationReaction<Data extends object> = Pick<EventReaction<LaravelNotification<Data>>, 'invalidate' | 'updateCache' | 'onEvent'>;

/** Options of {@link useRealtimeNotifications}; `N` maps each notification type to its data. */
export interface UseRealtimeNotificationsOptions<N extends Record<string, object>> {
  /** The user whose notifications to receive: channel `App.Models.User.{userId}`. Nullish: none (yet). */
  userId?: string | number | null;
  /** Another notifiable's channel (its `receivesBroadcastNotificationsOn()`), instead of `userId`. */
  channel?: string | null;
  /** The channel's type, if `receivesBroadcastNotificationsOn()` returns a non-private one; default `'private'`. */
  type?: ChannelType;
  /** The event, if the notification defines `broadcastAs()`; default {@link NOTIFICATION_EVENT}. */
  event?: string;
  /** Invalidated on every notification; default `['notifications']` (`[]` for none). */
  invalidate?: QueryKeys;
  /**
   * Per notification type: the class (`App\\Notifications\\InvoicePaid`, or `App.Notifications.InvoicePaid`:
   * both spellings match), or what its `broadcastType()` returns.
   */
  types?: { [T in keyof N & string]?: NotificationReaction<N[T]> };
  /** Every notification, after the cache work (a toast). */
  onNotify?: (notification: LaravelNotification<N[keyof N]>) => void;
  /** Default true. */
  enabled?: boolean;
  queryClient?: QueryClient;
}

/**
 * Laravel's broadcast notifications (`$user->notify(...)` with the `broadcast` channel) into the
 * cache: joins the notifiable's private channel, invalidates the notifications key on each one,
 * runs the reaction for its `type`, then `onNotify`. After a reconnect every key named here is
 * refetched, as for any binding.
 *
 * ```tsx
 * useRealtimeNotifications<{ 'App\\Notifications\\InvoicePaid': { invoiceId: number } }>({
 *   userId: user.id,
 *   types: { 'App\\Notifications\\InvoicePaid': { invalidate: ['invoices'] } },
 *   onNotify: (n) => toast(n.type),
 * });
 * ```
 */
export function useRealtimeNotifications<N extends Record<string, object> = Record<string, Record<string, unknown>>>(
  options: UseRealtimeNotificationsOptions<N>,
): ChannelSnapshot {
  const { userId, enabled = true, invalidate = ['notifications'] } = options;
  const channel = options.channel ?? (userId === null || userId === undefined ? null : modelChannel('App.Models.User', userId));
  const types: Record<string, NotificationReaction<object> | undefined> = {};
  for (const [type, reaction] of Object.entries(options.types ?? {})) types[spelling(type)] = reaction as NotificationReaction<object>;
  const typeOf = (n: LaravelNotification | undefined) => types[spelling(String(n?.type))];
  const always = toKeyList(invalidate);
  const reaction: EventReaction<LaravelNotification> = {
    invalidate: (n) => [...always, ...resolveInvalidate(typeOf(n)?.invalidate ?? [], n)],
    updateCache: (n, qc) => typeOf(n)?.updateCache?.(n, qc),
    onEvent: (n) => {
      typeOf(n)?.onEvent?.(n);
      options.onNotify?.(n as LaravelNotification<N[keyof N]>);
    },
    // Static keys of every type: refetched after a reconnect.
    recover: [...always, ...Object.values(types).flatMap((t) => (typeof t?.invalidate === 'function' ? [] : toKeyList(t?.invalidate)))] as QueryKey[],
  };
  const { status, error } = useRealtimeChannel({
    channel,
    type: options.type ?? 'private',
    enabled,
    events: { [options.event ?? NOTIFICATION_EVENT]: reaction },
    queryClient: options.queryClient,
  });
  return useMemo(() => ({ status, error }), [status, error]);
}

/** `App\\Notifications\\X` and `App.Notifications.X` are one type (Echo and echo-react accept both). */
function spelling(type: string): string {
  return type.replace(/\\/g, '.');
}
