import { useQuery } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import {
  NOTIFICATION_EVENT,
  useRealtimeChannel,
  useRealtimeEvent,
  type LaravelNotification,
  type ModelBroadcast,
} from '../../src';
import { setup } from '../helpers';

// The README's recipes, run against the fake server exactly as Laravel would broadcast.

describe('recipe: Laravel notifications', () => {
  test('BroadcastNotificationCreated on the user private channel, filtered by notification type', async () => {
    const { fake, Wrapper, settle, queryClient } = setup();
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    const toasts: string[] = [];
    function Notifications({ userId }: { userId: number }) {
      useRealtimeEvent({
        channel: `App.Models.User.${userId}`,
        type: 'private',
        event: NOTIFICATION_EVENT,
        invalidate: (n: LaravelNotification) =>
          n.type === 'App\\Notifications\\InvoicePaid' ? [['invoices'], ['notifications']] : [['notifications']],
        recover: [['invoices'], ['notifications']], // refetched after a reconnect
        onEvent: (n: LaravelNotification<{ message?: string }>) => toasts.push(n.message ?? n.type),
      });
      return null;
    }
    render(<Notifications userId={7} />, { wrapper: Wrapper });
    await settle();
    // What `$user->notify(new InvoicePaid($invoice))` broadcasts:
    act(() => {
      fake.emit('private-App.Models.User.7', '.Illuminate\\Notifications\\Events\\BroadcastNotificationCreated', {
        message: 'Invoice 12 paid',
        id: '9b1c…',
        type: 'App\\Notifications\\InvoicePaid',
      });
    });
    act(() => {
      fake.emit('private-App.Models.User.7', NOTIFICATION_EVENT, { id: 'x', type: 'App\\Notifications\\Welcome' });
    });
    expect(toasts).toEqual(['Invoice 12 paid', 'App\\Notifications\\Welcome']);
    expect(invalidate.mock.calls.map(([f]) => f?.queryKey)).toEqual([['invoices'], ['notifications']]);
    // ['notifications'] again falls in its coalescing window: one trailing refetch follows, not two.
  });
});

describe('recipe: model broadcasting', () => {
  type Post = { id: number; title: string };

  test('App.Models.Post.{id}: .PostUpdated writes the model into the cache, .PostDeleted removes it', async () => {
    const { fake, Wrapper, settle, queryClient } = setup();
    const queryFn = vi.fn(async (): Promise<Post> => ({ id: 5, title: 'Draft' }));
    function PostView({ id }: { id: number }) {
      const { data } = useQuery({ queryKey: ['posts', id], queryFn });
      useRealtimeChannel({
        channel: `App.Models.Post.${id}`,
        type: 'private',
        events: {
          '.PostUpdated': {
            setQueryData: { queryKey: ['posts', id], updater: (e: ModelBroadcast<Post>) => e.model },
            invalidate: ['posts', 'list'],
          },
          '.PostDeleted': {
            updateCache: (_e: ModelBroadcast<Post>, qc) => qc.removeQueries({ queryKey: ['posts', id], exact: true }),
            invalidate: ['posts', 'list'],
            recover: false, // .PostUpdated already refetches both keys after a reconnect
          },
        },
      });
      return <h1>{data?.title ?? 'gone'}</h1>;
    }
    render(<PostView id={5} />, { wrapper: Wrapper });
    await settle();
    await screen.findByText('Draft');
    // The first load, and one refetch once the channel is confirmed (refetchOnSubscribe).
    await vi.waitFor(() => expect(queryFn).toHaveBeenCalledTimes(2));
    // What `Post::find(5)->update([...])` broadcasts with BroadcastsEvents:
    act(() => void fake.emit('private-App.Models.Post.5', '.PostUpdated', { model: { id: 5, title: 'Published' } }));
    await screen.findByText('Published');
    expect(queryFn).toHaveBeenCalledTimes(2); // no round trip for the event: it carried the data
    act(() => void fake.emit('private-App.Models.Post.5', '.PostDeleted', { model: { id: 5, title: 'Published' } }));
    expect(queryClient.getQueryData(['posts', 5])).toBeUndefined();
  });
});
