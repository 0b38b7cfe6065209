// @vitest-environment node
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToString } from 'react-dom/server';
import { expect, test } from 'vitest';
import { createRealtimeClient, RealtimeProvider, useConnectionStatus, usePresence, useRealtimeEvent } from '../../src';
import { RealtimeDevtools } from '../../src/devtools';

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
        <RealtimeDevtools initialIsOpen />
      </RealtimeProvider>
    </QueryClientProvider>,
  );
  expect(html).toContain('idle');
  // The devtools render on the server too (open), without window.
  expect(html).toContain('aria-label="Realtime devtools"');
  expect(constructed).toBe(0);
  expect(client.getEcho()).toBeNull();
});
