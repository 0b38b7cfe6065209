// Model broadcasting and notifications with the Laravel-native hooks: no cache code at all.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useQuery } from '@tanstack/react-query';
import { NOTIFICATION_EVENT, useRealtimeModel, useRealtimeNotifications } from 'echo-react-query';
import { useState } from 'react';
import { expect, userEvent, within } from 'storybook/test';
import { demo, DemoApp, type Post, ServerPanel, useDemoServer } from './demo-server';

function PostPage() {
  const server = useDemoServer();
  const { data: post } = useQuery({ queryKey: ['posts', 5], queryFn: () => server.get('/api/posts/5', () => server.post) });
  useRealtimeModel<Post>({ model: 'App\\Models\\Post', id: 5, queryKey: ['posts', 5] });

  const [unread, setUnread] = useState(0);
  const [toast, setToast] = useState<string | null>(null);
  useRealtimeNotifications<{ 'App\\Notifications\\PostPublished': { title: string } }>({
    userId: 1,
    onNotify: (n) => {
      setUnread((count) => count + 1);
      setToast(`Published: ${n.title}`);
    },
  });

  const publish = () => {
    server.update((db) => (db.post = { ...db.post, status: 'published' }));
    // $post->update([...]) with BroadcastsEvents, then $user->notify(new PostPublished($post)):
    server.broadcast('private-App.Models.Post.5', '.PostUpdated', { model: server.post, connection: null, queue: null, afterCommit: false });
    server.broadcast('private-App.Models.User.1', NOTIFICATION_EVENT, {
      title: server.post.title,
      id: crypto.randomUUID(),
      type: 'App\\Notifications\\PostPublished',
    });
  };
  return (
    <>
      <header>
        <output aria-label="Unread notifications">{unread}</output> unread
      </header>
      {/* A live region that is always there, so its changes are announced. */}
      <p role="status">{toast}</p>
      <h2>{post?.title}</h2>
      <p>Status: <output aria-label="Post status">{post?.status ?? '…'}</output></p>
      <ServerPanel>
        <button onClick={publish}>Publish the post</button>
      </ServerPanel>
    </>
  );
}

/** What to try, and what to watch (shown above the demo). */
const GUIDE = {
  try: <>Press <strong>Publish the post</strong>.</>,
  watch: <>the model event writes the post into its query and the notification bumps the counter; the panel shows both events and what each wrote.</>,
};

const meta: Meta<typeof PostPage> = {
  title: 'Demos/Model broadcasting and notifications',
  component: PostPage,
  decorators: [(Story) => <DemoApp guide={GUIDE}><Story /></DemoApp>],
};
export default meta;

export const Publish: StoryObj<typeof PostPage> = {
  play: async ({ canvasElement }) => {
    const canvas = within(demo(canvasElement));
    await canvas.findByText('draft');
    await userEvent.click(canvas.getByRole('button', { name: 'Publish the post' }));
    await canvas.findByText('published');
    await canvas.findByText('Published: Realtime in Laravel');
    await expect(canvas.getByLabelText('Unread notifications')).toHaveTextContent(/^1$/);
  },
};
