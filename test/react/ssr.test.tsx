// @vitest-environment node
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToString } from 'react-dom/server';
import { expect, test } from 'vitest';
import { createRealtimeClient, RealtimeProvider, useConnectionStatus, usePresence, useRealtimeEvent } from '../../src';

test('rendering on the server opens no socket and never touches window', () => {
  expect(typeof window).toBe('undefined');
  let constructed = 0;
  class Pusher {
    constructor() {
      constructed += 1;
    }
  }
  const client = createRealtimeClient({ echo: { broadcaster: 'reverb', key: 'k', Pusher } });
  function Page() {
    useRealtimeEvent({ channel: 'orders', type: 'private', event: '.OrderShipped', invalidate: ['orders'] });
    const { count, status } = usePresence({ channel: 'room' });
    return (
      <p>
        {useConnectionStatus()} {status} {count}
      </p>
    );
  }
  const html = renderToString(
    <QueryClientProvider client={new QueryClient()}>
      <RealtimeProvider client={client}>
        <Page />
      </RealtimeProvider>
    </QueryClientProvider>,
  );
  expect(html).toContain('idle');
  expect(constructed).toBe(0);
  expect(client.getEcho()).toBeNull();
});
