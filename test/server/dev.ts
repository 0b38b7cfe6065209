/**
 * `npm run dev:server`: the Pusher-protocol test server and the Laravel stand-in on fixed loopback
 * ports (PUSHER_PORT, APP_PORT), for trying the hooks in a browser or app without Laravel. Prints
 * what to put in the app; a port problem is one line and exit code 1, never a stack.
 */
import { devBanner, PortError, startDevServers } from './dev-app';
import { devSettings } from './dev-settings';

let settings;
try {
  settings = devSettings(process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

let servers;
try {
  servers = await startDevServers(settings, (line) => console.log(line));
} catch (error) {
  if (!(error instanceof PortError)) throw error;
  console.error(error.message);
  process.exit(1);
}

console.log(devBanner(settings));

const shutdown = async () => {
  await servers.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
