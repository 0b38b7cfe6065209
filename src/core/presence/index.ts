/**
 * Presence: the members of each presence channel as state, one entry per user, and the join /
 * leave callbacks. Loaded only by what uses it (`usePresence`, `trackPresence`), which installs it
 * on a client's channels.
 */
export { EMPTY_PRESENCE, PresenceRoster } from './roster';
export type { PresenceListener } from './roster';
export type { PresenceMember, PresenceSnapshot } from './types';
