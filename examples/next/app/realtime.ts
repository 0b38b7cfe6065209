// app/realtime.ts: imported only by client components ("use client" files), never by a server one
import Pusher from 'pusher-js';
import { createRealtimeClient, echoConfigFromEnv } from 'echo-react-query';

export const realtime = createRealtimeClient({
  echo: echoConfigFromEnv(
    'reverb',
    // Next.js puts into the browser bundle only the process.env.NEXT_PUBLIC_* it sees written out
    // (an empty key: realtime off, and development builds say which variable is missing).
    {
      NEXT_PUBLIC_REVERB_APP_KEY: process.env.NEXT_PUBLIC_REVERB_APP_KEY,
      NEXT_PUBLIC_REVERB_HOST: process.env.NEXT_PUBLIC_REVERB_HOST,
      NEXT_PUBLIC_REVERB_PORT: process.env.NEXT_PUBLIC_REVERB_PORT,
      NEXT_PUBLIC_REVERB_SCHEME: process.env.NEXT_PUBLIC_REVERB_SCHEME,
    },
    // Laravel answers /broadcasting/auth on its own origin.
    { Pusher, authEndpoint: `${process.env.NEXT_PUBLIC_BACKEND_URL ?? ''}/broadcasting/auth` },
  ),
  getToken: () => localStorage.getItem('token'), // a Sanctum API token, sent as Authorization: Bearer
});
