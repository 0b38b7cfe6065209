// The channel types every part names.

/**
 * How a channel is joined, as in Laravel: `'public'` (`new Channel`), `'private'`
 * (`new PrivateChannel`, authorised by `/broadcasting/auth`), `'presence'` (`new PresenceChannel`)
 * and `'encrypted'` (Pusher's end-to-end encrypted private channel). The default everywhere is
 * `'private'`, as in Laravel's docs and @laravel/echo-react: most app data is per user, and a
 * wrong guess then shows up as a visible auth error instead of silently receiving nothing.
 */
export type ChannelType = 'public' | 'private' | 'presence' | 'encrypted';

/** Subscription state of one channel as a hook sees it. `'idle'` means not subscribed (disabled or no client). */
export type ChannelStatus = 'idle' | 'subscribing' | 'subscribed' | 'error';

/** Channel state as `useRealtimeChannel` / `usePresence` see it. */
export interface ChannelSnapshot {
  status: ChannelStatus;
  /** Why the channel failed, e.g. the 403 from `/broadcasting/auth`. */
  error: Error | null;
}
