// The same realtime.ts, with Sanctum's SPA cookies
import Pusher, { type ChannelAuthorizationHandler } from 'pusher-js';
import { createRealtimeClient, echoConfigFromEnv } from 'echo-react-query';
import { xsrfToken } from './session';

// pusher-js's own request never sends cookies to another origin: ask with fetch instead.
const authorize: ChannelAuthorizationHandler = ({ socketId, channelName }, callback) => {
  fetch(`${import.meta.env.VITE_API_URL}/broadcasting/auth`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-XSRF-TOKEN': xsrfToken() },
    body: JSON.stringify({ socket_id: socketId, channel_name: channelName }),
  })
    .then(async (response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status} from /broadcasting/auth`);
      callback(null, await response.json());
    })
    .catch((error: Error) => callback(error, null));
};

export const realtime = createRealtimeClient({
  echo: echoConfigFromEnv('reverb', import.meta.env, { Pusher, channelAuthorization: { customHandler: authorize } }),
});
