/**
 * `npm run dev:server`: the Pusher-protocol test server and the Laravel stand-in on fixed loopback
 * ports, for trying the hooks in a browser or app without Laravel. Prints the client config.
 */
import { LaravelAppStub, type ChannelRule } from './laravel-app';
import { PusherTestServer } from './pusher-server';

const port = Number(process.env.PUSHER_PORT ?? 6001);
const appPort = Number(process.env.APP_PORT ?? 6002);
const server = await new PusherTestServer({ host: '127.0.0.1', port }).start();
const users = { 'ann-token': { id: 1, name: 'Ann' }, 'bob-token': { id: 2, name: 'Bob' } };
const channels: ChannelRule[] = [
  { pattern: 'App.Models.User.{id}', authorize: (user, { id }) => String(user.id) === id },
  { pattern: 'presence.{room}', authorize: (user) => ({ id: user.id, name: user.name }) },
  // The Storybook demos: their private channels, a presence room, and a channel nobody may join.
  { pattern: 'room.{id}', authorize: (user) => ({ id: user.id, name: user.name }) },
  { pattern: 'admin.dashboard', authorize: () => false },
  { pattern: 'booking.{reference}', authorize: () => true },
  { pattern: 'servers.{id}.provision', authorize: () => true },
  { pattern: 'App.Models.Post.{id}', authorize: () => true },
  { pattern: '{any}', authorize: () => true },
];
const app = await new LaravelAppStub({ server, users, channels, port: appPort, broadcastEndpoint: true }).start();

console.log(`Pusher-protocol server on ws://127.0.0.1:${server.port} (HTTP API on the same port)
Laravel stand-in (auth) on ${app.authEndpoint}

createRealtimeClient({
  echo: {
    broadcaster: 'reverb', key: '${server.key}', wsHost: '127.0.0.1', wsPort: ${server.port}, wssPort: ${server.port},
    forceTLS: false, enabledTransports: ['ws'], authEndpoint: '${app.authEndpoint}', Pusher,
  },
  getToken: () => 'ann-token', // or 'bob-token'
});

Storybook: pick "Backend: npm run dev:server" in the toolbar to run the demos against these.
Broadcast like Laravel (pusher SDK): appId '${server.appId}', key '${server.key}', secret '${server.secret}', host 127.0.0.1, port ${server.port}
Ctrl-C to stop.`);

const shutdown = async () => {
  await server.stop();
  await app.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
