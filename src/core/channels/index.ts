/**
 * Channels: one Echo subscription per wire channel, shared by every hook and binding. Owns the
 * registry (the only ref-count), the leases handed out for it, each channel's status, the fan-out
 * of one Echo listener per event to every handler, and how Echo's channels speak (the wire). The
 * features that need more from a channel (presence, the socket.io wire) plug in here; nothing
 * here knows TanStack Query.
 */
export { checkChannelName, checkEventName } from './dev';
export { INERT_LEASE } from './lease';
export { EMPTY_PRESENCE, IDLE_CHANNEL } from './entry';
export type { ChannelEntry, MemberTracker } from './entry';
export type { ChannelLease } from './lease';
export { ChannelRegistry } from './registry';
export type { RegistryHost } from './registry';
export type { ChannelSnapshot, ChannelStatus, ChannelType, EventHandler, PresenceListener, PresenceMember, PresenceSnapshot } from './types';
export { bindEchoEvent, DEFAULT_CHANNEL_TYPE, isChannelType, kindOf, onEveryEvent, wireName } from './wire';
export type { ChannelWire, EchoChannelLike, EchoLike, MemberSink } from './wire';
export { whisper } from './whisper';
