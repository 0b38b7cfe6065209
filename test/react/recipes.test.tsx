import { useQuery } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { NOTIFICATION_EVENT, useRealtimeModel, useRealtimeModels, useRealtimeNotifications } from '../../src';
import { modelEventPayload, setup } from '../helpers';

// The README's recipes (the lines between the markers are the README's, verbatim), run against
// the fake server exactly as Laravel would broadcast.

describe('recipe: Laravel notifications', () => {
  test('BroadcastNotificationCreated on the user private channel, with a reaction per notification type', async () => {
    const { fake, Wrapper, settle, queryClient } = setup();
    const toasts: string[] = [];
    const toast = (message: string) => toasts.push(message);
    const user = { id: 7 };
    function Notifications() {
      // --- recipe: notifications ---
      useRealtimeNotifications<{ 'App\\Notifications\\InvoicePaid': { invoiceId: number; message: string } }>({
        userId: user.id,                                   // App.Models.User.{id}; invalidates ['notifications']
        types: { 'App\\Notifications\\InvoicePaid': { invalidate: ['invoices'] } },
        onNotify: (n) => toast(n.type),
      });
      // --- end ---
      return null;
    }
    render(<Notifications />, { wrapper: Wrapper });
    await settle();
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    // What `$user->notify(new InvoicePaid($invoice))` broadcasts:
    act(() => {
      fake.emit('private-App.Models.User.7', NOTIFICATION_EVENT, {
        invoiceId: 12,
        message: 'Invoice 12 paid',
        id: '9b1c…',
        type: 'App\\Notifications\\InvoicePaid',
      });
    });
    act(() => void fake.emit('private-App.Models.User.7', NOTIFICATION_EVENT, { id: 'x', type: 'App\\Notifications\\Welcome' }));
    expect(toasts).toEqual(['App\\Notifications\\InvoicePaid', 'App\\Notifications\\Welcome']);
    await waitFor(() => expect(invalidate.mock.calls.map(([f]) => f?.queryKey)).toEqual(expect.arrayContaining([['invoices'], ['notifications']])));
  });
});

describe('recipe: model broadcasting', () => {
  type Post = { id: number; title: string };

  test('one post: App.Models.Post.{id}, .PostUpdated writes it, .PostDeleted resets it', async () => {
    const { fake, Wrapper, settle, queryClient } = setup();
    const db = new Map([[5, { id: 5, title: 'Draft' }]]);
    const queryFn = vi.fn(async (): Promise<Post | null> => db.get(5) ?? null);
    function PostView({ id }: { id: number }) {
      const { data } = useQuery({ queryKey: ['posts', id], queryFn });
      // --- recipe: one model ---
      useRealtimeModel<Post>({ model: 'App\\Models\\Post', id, queryKey: ['posts', id], lists: [['posts', 'list']] });
      // --- end ---
      return <h1>{data === undefined ? '…' : (data?.title ?? 'gone')}</h1>;
    }
    render(<PostView id={5} />, { wrapper: Wrapper });
    await settle();
    await screen.findByText('Draft');
    // The first load, and one refetch once the channel is confirmed (refetchOnSubscribe).
    await vi.waitFor(() => expect(queryFn).toHaveBeenCalledTimes(2));
    // What `Post::find(5)->update([...])` broadcasts with BroadcastsEvents:
    db.set(5, { id: 5, title: 'Published' });
    act(() => void fake.emit('private-App.Models.Post.5', '.PostUpdated', modelEventPayload({ id: 5, title: 'Published' })));
    await screen.findByText('Published');
    expect(queryFn).toHaveBeenCalledTimes(2); // no round trip for the event: it carried the data
    db.delete(5);
    act(() => void fake.emit('private-App.Models.Post.5', '.PostDeleted', modelEventPayload(5)));
    await screen.findByText('gone'); // reset: the screen shows what the server says now
    expect(queryClient.getQueryData(['posts', 5])).toBeNull();
  });

  test("a user's posts: created, updated and deleted arrive on App.Models.User.{id}", async () => {
    const { fake, Wrapper, settle, queryClient } = setup();
    const db = { posts: [{ id: 1, title: 'One' }] as Post[] };
    const user = { id: 7 };
    function Posts() {
      const { data } = useQuery({ queryKey: ['posts', 'list'], queryFn: async () => db.posts.map((p) => ({ ...p })) });
      // --- recipe: collection ---
      useRealtimeModels<Post>({
        model: 'App\\Models\\Post',
        channel: `App.Models.User.${user.id}`,             // broadcastOn($event): [$this, $this->user]
        lists: [['posts', 'list']],
        queryKey: (id) => ['posts', id],
      });
      // --- end ---
      return <p data-testid="titles">{data?.map((p) => p.title).join(',')}</p>;
    }
    render(<Posts />, { wrapper: Wrapper });
    await settle();
    await waitFor(() => expect(screen.getByTestId('titles').textContent).toBe('One'));
    db.posts.push({ id: 2, title: 'Two' });
    act(() => void fake.emit('private-App.Models.User.7', '.PostCreated', modelEventPayload({ id: 2, title: 'Two' })));
    await waitFor(() => expect(screen.getByTestId('titles').textContent).toBe('One,Two'));
    queryClient.setQueryData(['posts', 2], { id: 2, title: 'Two' });
    db.posts[1] = { id: 2, title: 'Two!' };
    act(() => void fake.emit('private-App.Models.User.7', '.PostUpdated', modelEventPayload({ id: 2, title: 'Two!' })));
    expect(queryClient.getQueryData(['posts', 2])).toEqual({ id: 2, title: 'Two!' });
    await waitFor(() => expect(screen.getByTestId('titles').textContent).toBe('One,Two!'));
    db.posts.pop();
    act(() => void fake.emit('private-App.Models.User.7', '.PostDeleted', modelEventPayload(2)));
    expect(queryClient.getQueryState(['posts', 2])).toBeUndefined();
    await waitFor(() => expect(screen.getByTestId('titles').textContent).toBe('One'));
  });
});
