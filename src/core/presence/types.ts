// What presence looks like to the app.

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
