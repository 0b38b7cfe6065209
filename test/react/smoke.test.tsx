import { act, render, screen } from '@testing-library/react';
import { expect, test } from 'vitest';
import { useRealtimeChannel, useRealtimeEvent } from '../../src';
import { setup } from '../helpers';

test('smoke', async () => {
  const { fake, Wrapper, settle, errors } = setup();
  const seen: unknown[] = [];
  function C() {
    const { status } = useRealtimeChannel({ channel: 'orders', type: 'private' });
    useRealtimeEvent({ channel: 'orders', type: 'private', event: '.OrderShipped', onEvent: (p) => seen.push(p) });
    return <p>{status}</p>;
  }
  render(<C />, { wrapper: Wrapper });
  await settle();
  expect(screen.getByText('subscribed')).toBeTruthy();
  act(() => void fake.emit('orders', '.OrderShipped', { id: 1 }));
  expect(seen).toEqual([{ id: 1 }]);
  expect(fake.stats('private-orders')).toMatchObject({ subscribes: 1, authRequests: 1 });
  expect(errors).toEqual([]);
});
