/**
 * echo-react-query/socket.io: Echo's socket.io broadcaster (laravel-echo-server). Apps on the Pusher
 * protocol (Reverb, Pusher, Soketi, Ably) never load it.
 * @packageDocumentation
 */
export { socketIo } from '../core/socketio';
export type { SocketIoConfig } from '../core/socketio';
