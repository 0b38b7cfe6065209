import { act, renderHook } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { useConnectionStatus, useRealtimeClient, useSocketId } from '../../src';
import { setup } from '../helpers';

describe('useConnectionStatus and useSocketId', () => {
  test('follow the socket through a drop: reconnecting, never failed while pusher-js retries', async () => {
    const { fake, Wrapper, settle } = setup();
    const { result } = renderHook(() => ({ status: useConnectionStatus(), socketId: useSocketId() }), {
      wrapper: Wrapper,
    });
    expect(result.current.status).toBe('connecting');
    await settle();
    expect(result.current.status).toBe('connected');
    const firstId = result.current.socketId;
    expect(firstId).toMatch(/^\d+\.\d+$/);

    act(() => fake.setConnectionState('unavailable'));
    expect(result.current).toEqual({ status: 'reconnecting', socketId: undefined });
    act(() => fake.setConnectionState('connected'));
    expect(result.current.status).toBe('connected');
    expect(result.current.socketId).not.toBe(firstId);
    act(() => fake.setConnectionState('failed'));
    expect(result.current.status).toBe('failed');
  });

  test('useRealtimeClient exposes the client for X-Socket-ID on fetch and for Echo itself', async () => {
    const { client, Wrapper, settle } = setup();
    const { result } = renderHook(() => useRealtimeClient(), { wrapper: Wrapper });
    await settle();
    expect(result.current).toBe(client);
    expect(result.current?.getSocketIdHeader()).toEqual({ 'X-Socket-ID': client.getSocketId() });
    expect(result.current?.getEcho()).toBe(client.getEcho());
  });
});
