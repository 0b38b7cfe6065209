import { act, render, waitFor } from '@testing-library/react';
import { expect, test, vi } from 'vitest';
import { NOTIFICATION_EVENT, useRealtimeNotifications } from '../../src';
import { setup } from '../helpers';

// Payloads as BroadcastNotificationCreated sends them: toBroadcast()'s data, plus `id` and `type`
// (the notification class, or what its broadcastType() returns), on App.Models.User.{id}.
type Types = {
  'App\\Notifications\\InvoicePaid': { invoiceId: number; message: string };
  'comment.posted': { postId: number };
};

test('invalidates the notifications key, runs the reaction for its type, then onNotify', async () => {
  const { fake, Wrapper, settle, queryClient } = setup();
  const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
  const toasts: string[] = [];
  const written: number[] = [];
  function Bell() {
    useRealtimeNotifications<Types>({
      userId: 7,
      types: {
        'App\\Notifications\\InvoicePaid': { invalidate: (n) => ['invoices', n.invoiceId] },
        // A notification with `public function broadcastType(): string { return 'comment.posted'; }`
        'comment.posted': { updateCache: (n) => written.push(n.postId) },
      },
      onNotify: (n) => toasts.push(n.type),
    });
    return null;
  }
  render(<Bell />, { wrapper: Wrapper });
  await settle();
  expect(fake.stats('private-App.Models.User.7').subscribed).toBe(1);
  invalidate.mockClear();
  act(() => {
    fake.emit('private-App.Models.User.7', NOTIFICATION_EVENT, {
      invoiceId: 12,
      message: 'Invoice 12 paid',
      id: '9b1c7e4a-0000-4000-8000-000000000001',
      type: 'App\\Notifications\\InvoicePaid',
    });
  });
  act(() => void fake.emit('private-App.Models.User.7', NOTIFICATION_EVENT, { postId: 3, id: 'x', type: 'comment.posted' }));
  act(() => void fake.emit('private-App.Models.User.7', NOTIFICATION_EVENT, { id: 'y', type: 'App\\Notifications\\Welcome' }));
  expect(toasts).toEqual(['App\\Notifications\\InvoicePaid', 'comment.posted', 'App\\Notifications\\Welcome']);
  expect(written).toEqual([3]);
  const keys = () => invalidate.mock.calls.map(([f]) => f?.queryKey);
  expect(keys()).toContainEqual(['invoices', 12]);
  // Coalesced with its refetch on subscribe: it runs when that window closes.
  await waitFor(() => expect(keys()).toContainEqual(['notifications']));
});

test('another notifiable channel, no default key, and off while the user is unknown', async () => {
  const { fake, Wrapper, settle } = setup();
  const seen: string[] = [];
  function Team({ userId }: { userId?: number }) {
    useRealtimeNotifications({ userId, onNotify: (n) => seen.push(n.id) });
    useRealtimeNotifications({ channel: 'App.Models.Team.3', invalidate: [], onNotify: (n) => seen.push(`team ${n.id}`) });
    return null;
  }
  render(<Team />, { wrapper: Wrapper });
  await settle();
  expect(fake.subscribedChannels()).toEqual(['private-App.Models.Team.3']);
  act(() => void fake.emit('private-App.Models.Team.3', NOTIFICATION_EVENT, { id: 'a', type: 'T' }));
  expect(seen).toEqual(['team a']);
});

test("echo-react's dotted spelling of a type matches, and a notification's broadcastAs() names the event", async () => {
  const { fake, Wrapper, settle } = setup();
  const seen: string[] = [];
  function Bell() {
    useRealtimeNotifications({ userId: 7, types: { 'App.Notifications.InvoicePaid': { onEvent: (n) => seen.push(n.id) } } });
    useRealtimeNotifications({ userId: 7, event: '.invoice.paid', onNotify: (n) => seen.push(`custom ${n.id}`) });
    return null;
  }
  render(<Bell />, { wrapper: Wrapper });
  await settle();
  act(() => void fake.emit('private-App.Models.User.7', NOTIFICATION_EVENT, { id: 'a', type: 'App\\Notifications\\InvoicePaid' }));
  act(() => void fake.emit('private-App.Models.User.7', '.invoice.paid', { id: 'b', type: 'App\\Notifications\\InvoicePaid' }));
  expect(seen).toEqual(['a', 'custom b']);
});
