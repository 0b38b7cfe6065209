import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from '@testing-library/react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { expect, test, vi } from 'vitest';
import { RealtimeProvider, useConnectionStatus, usePresence, useRealtimeChannel, useSocketId, type RealtimeClient } from '../../src';
import { setup } from '../helpers';

function Page() {
  const { status } = useRealtimeChannel({ channel: 'orders' });
  const { count } = usePresence({ channel: 'room' });
  const connection = useConnectionStatus();
  const socketId = useSocketId();
  return (
    <p>
      {status}:{count}:{connection}:{socketId ? 'id' : '-'}
    </p>
  );
}

test('hydrates without a mismatch even when the client already holds the channels', async () => {
  const { client, fake } = setup();
  const tree = (c: RealtimeClient | null) => (
    <QueryClientProvider client={new QueryClient()}>
      <RealtimeProvider client={c}>
        <Page />
      </RealtimeProvider>
    </QueryClientProvider>
  );
  const container = document.createElement('div');
  container.innerHTML = renderToString(tree(client));
  expect(container.textContent).toBe('idle:0:idle:-');

  // Another part of the page (hydrated earlier) already subscribed.
  const orders = client.acquire({ channel: 'orders' });
  const room = client.acquire({ channel: 'room', type: 'presence' });
  await act(() => fake.flush());
  expect(client.channels.getSnapshot({ channel: 'orders', type: 'private' }).status).toBe('subscribed');
  expect(client.getConnectionStatus()).toBe('connected'); // the client is live before hydration

  const onRecoverableError = vi.fn();
  await act(async () => {
    hydrateRoot(container, tree(client), { onRecoverableError });
  });
  expect(onRecoverableError).not.toHaveBeenCalled();
  expect(container.textContent).toBe('subscribed:1:connected:id');
  orders.release();
  room.release();
});
