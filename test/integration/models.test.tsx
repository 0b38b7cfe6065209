// Model broadcasting and notifications over real WebSockets, sent as Laravel's pusher broadcaster
// sends them (the official `pusher` SDK, through the Pusher-protocol test server).
import { useQuery } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import { expect, test } from 'vitest';
import { NOTIFICATION_EVENT, useRealtimeModel, useRealtimeNotifications } from '../../src';
import { modelEventPayload } from '../helpers';
import { stackPerTest, type Stack } from './stack';

let stack: Stack;
stackPerTest((s) => (stack = s));

type Post = { id: number; title: string };

test('a post kept current by useRealtimeModel, and a notification toast, from real broadcasts', async () => {
  const { app, server, makeClient, wrapper } = stack;
  const db = new Map([[5, { id: 5, title: 'Draft' }]]);
  const toasts: string[] = [];
  function Page() {
    const { data } = useQuery({ queryKey: ['posts', 5], queryFn: async (): Promise<Post | null> => db.get(5) ?? null });
    useRealtimeModel<Post>({ model: 'App\\Models\\Post', id: 5, queryKey: ['posts', 5] });
    useRealtimeNotifications<{ 'App\\Notifications\\PostPublished': { title: string } }>({
      userId: 1,
      onNotify: (n) => toasts.push(n.title),
    });
    return <p data-testid="post">{data === undefined ? '…' : (data?.title ?? 'gone')}</p>;
  }
  render(<Page />, { wrapper: wrapper(makeClient()) });
  await waitFor(() => expect(server.subscribers('private-App.Models.Post.5')).toHaveLength(1));
  await waitFor(() => expect(server.subscribers('private-App.Models.User.1')).toHaveLength(1));
  await waitFor(() => expect(screen.getByTestId('post').textContent).toBe('Draft'));

  // $post->update(['title' => 'Published']): BroadcastableModelEventOccurred, broadcastAs PostUpdated.
  db.set(5, { id: 5, title: 'Published' });
  await app.broadcast('private-App.Models.Post.5', 'PostUpdated', modelEventPayload({ id: 5, title: 'Published' }));
  await waitFor(() => expect(screen.getByTestId('post').textContent).toBe('Published'));

  // $user->notify(new PostPublished($post)) with the broadcast channel.
  await app.broadcast('private-App.Models.User.1', NOTIFICATION_EVENT.slice(1), {
    title: 'Published',
    id: '0b8c6f0e-0000-4000-8000-000000000002',
    type: 'App\\Notifications\\PostPublished',
  });
  await waitFor(() => expect(toasts).toEqual(['Published']));

  // $post->delete() without SoftDeletes: only the key is sent; the detail query goes.
  db.delete(5);
  await app.broadcast('private-App.Models.Post.5', 'PostDeleted', modelEventPayload(5));
  await waitFor(() => expect(screen.getByTestId('post').textContent).toBe('gone'));
  expect(stack.errors).toEqual([]);
});
