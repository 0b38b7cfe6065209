/**
 * Presence: the members of each presence channel as state, one entry per user, and the join /
 * leave callbacks. Loaded only by what uses it (`usePresence`, `trackPresence`), which installs it
 * on a client's channels; the channels part knows only the small `MemberTracker` seam it fills.
 */
export { PresenceRoster } from './roster';
export { trackMembersOn, trackPresence } from './track';
