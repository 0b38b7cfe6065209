// What a channel is and shows: its type, its state, and on a presence channel its members.

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

/** A presence member as the server's channel callback returned it (`user_info`). */
export type PresenceMember = Record<string, unknown>;

/** What `usePresence` renders from. */
export interface PresenceSnapshot<M = PresenceMember> {
  /** One entry per user (not per connection): the server's list at subscription, then joins appended. */
  members: readonly M[];
  /** This client's own member entry, once subscribed. */
  me: M | null;
  /** Number of distinct users. */
  count: number;
}

/** Join / leave callbacks for a presence channel. */
export interface PresenceListener {
  onJoin?(member: PresenceMember): void;
  onLeave?(member: PresenceMember): void;
}

/** Something that reacts to one event (`lease.listen(event, { handle })`); what it throws goes to `onError`. */
export interface EventHandler {
  handle(payload: unknown): void;
}
