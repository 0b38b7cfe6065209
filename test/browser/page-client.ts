/**
 * For the pages of the Chromium tests: a client as an app's realtime.ts makes it (real laravel-echo
 * and pusher-js, its own Echo, Ann's token), on the servers the test names in the query string:
 * `?ws=<Pusher-protocol port>&auth=<auth endpoint URL>`.
 */
import Pusher from 'pusher-js';
import { createRealtimeClient, type RealtimeClient, type RealtimeClientOptions } from 'echo-react-query';

export function pageClient(options: Partial<RealtimeClientOptions> = {}): RealtimeClient {
  const query = new URLSearchParams(location.search);
  const wsPort = Number(query.get('ws'));
  return createRealtimeClient({
    echo: {
      broadcaster: 'reverb',
      key: 'app-key',
      wsHost: '127.0.0.1',
      wsPort,
      wssPort: wsPort,
      forceTLS: false,
      enabledTransports: ['ws'],
      authEndpoint: query.get('auth') ?? undefined,
      Pusher,
    },
    getToken: () => 'ann-token',
    ...options,
  });
}
