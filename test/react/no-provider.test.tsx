import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, test } from 'vitest';
import {
  createRealtimeClient,
  RealtimeProvider,
  useConnectionStatus,
  usePresence,
  useRealtimeChannel,
  useRealtimeClient,
  useRealtimeEvent,
  useRealtimeGlobalSubscriber,
  useSocketId,
} from '../../src';
import { createFakeEcho } from '../../src/testing';

function Everything() {
  const channel = useRealtimeChannel({ channel: 'a', type: 'private', events: { '.X': () => {} } });
  useRealtimeEvent({ channel: 'a', event: '.X', invalidate: ['a'] });
  const presence = usePresence({ channel: 'room' });
  useRealtimeGlobalSubscriber([{ channel: 'b', event: '.Y', invalidate: ['b'] }]);
  return (
    <p>
      {channel.status}/{presence.status}/{presence.count}/{useConnectionStatus()}/
      {String(useSocketId())}/{String(useRealtimeClient())}/{String(presence.whisper('t', {}))}
    </p>
  );
}

describe('realtime off', () => {
  test('without any provider every hook is a no-op and nothing throws', () => {
    const { container } = render(<Everything />);
    expect(container.textContent).toBe('idle/idle/0/idle/undefined/null/false');
  });

  test('with a client that has no key (realtime not configured) every hook is a no-op', () => {
    const fake = createFakeEcho();
    const client = createRealtimeClient({ echo: { broadcaster: 'reverb', key: '', Pusher: fake.Pusher } });
    const wrapper = ({ children }: { children?: ReactNode }) => (
      <QueryClientProvider client={new QueryClient()}>
        <RealtimeProvider client={client}>{children}</RealtimeProvider>
      </QueryClientProvider>
    );
    const { container } = render(<Everything />, { wrapper });
    expect(container.textContent).toBe('idle/idle/0/idle/undefined/null/false');
    expect(fake.openConnections).toBe(0);
  });

  test('with RealtimeProvider client={null}', () => {
    const { result } = renderHook(() => useConnectionStatus(), {
      wrapper: ({ children }) => <RealtimeProvider client={null}>{children}</RealtimeProvider>,
    });
    expect(result.current).toBe('idle');
  });
});
