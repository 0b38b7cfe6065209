/**
 * socket.io: Echo's socket.io broadcaster and laravel-echo-server, whose channels and connection
 * speak differently from the Pusher protocol. Loaded only by apps that pass `socketIo(...)` as the
 * client's `echo`; it plugs into the channels (the wire) and the connection (status, token).
 */
export { socketIo } from './support';
export type { SocketIoConfig } from './support';
