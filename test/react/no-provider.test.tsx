import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, test, vi } from 'vitest';
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
  useRealtimeGlobalSubscriber({ bindings: [{ channel: 'b', event: '.Y', invalidate: ['b'] }] });
  return (
    <p>
      {channel.status}/{presence.status}/{presence.count}/{useConnectionStatus()}/
      {String(useSocketId())}/{String(useRealtimeClient())}/{String(presence.whisper('t', {}))}
    </p>
  );
}

describe('realtime off', () => {
  test('without any provider every hook is a no-op, nothing throws, and development builds say why, once per hook', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { container, rerender } = render(<Everything />);
    rerender(<Everything />);
    expect(container.textContent).toBe('idle/idle/0/idle/undefined/null/false');
    const hooks = warn.mock.calls.map(([m]) => /\] (\w+) is used outside <RealtimeProvider>/.exec(String(m))?.[1]);
    expect(hooks.sort()).toEqual([
      'useConnectionStatus',
      'usePresence',
      'useRealtimeChannel',
      'useRealtimeClient',
      'useRealtimeEvent',
      'useRealtimeGlobalSubscriber',
      'useSocketId',
    ]);
  });

  test('with a client that has no key (realtime not configured) every hook is a no-op, and development builds say why', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
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
    expect(warn.mock.calls.map(([m]) => String(m))).toEqual([expect.stringContaining('Realtime is off: the reverb options have no `key`')]);
  });

  test('with RealtimeProvider client={null}: off on purpose, no warning', () => {
    const { result } = renderHook(() => useConnectionStatus(), {
      wrapper: ({ children }) => <RealtimeProvider client={null}>{children}</RealtimeProvider>,
    });
    expect(result.current).toBe('idle');
  });
});
