// realtime.ts
import Pusher from 'pusher-js';
import { createRealtimeClient, echoConfigFromEnv } from 'echo-react-query';

export const realtime = createRealtimeClient({
  echo: echoConfigFromEnv('reverb', import.meta.env, {
    Pusher,
    // On the API's origin: the SPA's own server has no /broadcasting/auth.
    authEndpoint: `${import.meta.env.VITE_API_URL}/broadcasting/auth`,
    // A guest gets Laravel's JSON 401 instead of a redirect to a login page.
    auth: { headers: { Accept: 'application/json' } },
  }),
  // Read at every auth request: logging in or out needs no new client.
  getToken: () => localStorage.getItem('token'),
});
