import { useQuery } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { useRealtimeModel } from '../../src';
import { modelEventPayload, setup } from '../helpers';

// Payloads exactly as Laravel broadcasts a BroadcastableModelEventOccurred with no broadcastWith():
// the event's public properties, `model` as toArray(); for `deleted` on a model without
// SoftDeletes, `model` is only the key.
type Post = { id: number; title: string; deleted_at?: string | null };

const db = new Map<number, Post>();

function PostView({ id, onChange }: { id: number; onChange?: (event: string) => void }) {
  const { data } = useQuery({ queryKey: ['posts', id], queryFn: async (): Promise<Post> => ({ ...(db.get(id) ?? { id, title: 'Draft' }) }) });
  const { status } = useRealtimeModel<Post>({
    model: 'App\\Models\\Post',
    id,
    queryKey: ['posts', id],
    lists: [['posts', 'list']],
    onChange: (event) => onChange?.(event),
  });
  return <p data-testid="post">{`${status} ${data?.title ?? '-'}`}</p>;
}

describe('useRealtimeModel', () => {
  test('App.Models.Post.{id}: updated writes the model, deleted removes the query, each invalidates the lists', async () => {
    const { fake, Wrapper, settle, queryClient, errors } = setup();
    const changes: string[] = [];
    render(<PostView id={5} onChange={(e) => changes.push(e)} />, { wrapper: Wrapper });
    await settle();
    await waitFor(() => expect(screen.getByTestId('post').textContent).toBe('subscribed Draft'));
    expect(fake.stats('private-App.Models.Post.5').subscribed).toBe(1);

    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    db.set(5, { id: 5, title: 'Published' });
    act(() => void fake.emit('private-App.Models.Post.5', '.PostUpdated', modelEventPayload({ id: 5, title: 'Published' })));
    expect(queryClient.getQueryData(['posts', 5])).toEqual({ id: 5, title: 'Published' });
    await waitFor(() => expect(screen.getByTestId('post').textContent).toBe('subscribed Published'));
    expect(errors).toEqual([]);
    // Coalesced with the lists' refetch on subscribe: it runs when that window closes.
    await waitFor(() => expect(invalidate.mock.calls.map(([f]) => f?.queryKey)).toContainEqual(['posts', 'list']));

    act(() => void fake.emit('private-App.Models.Post.5', '.PostDeleted', modelEventPayload(5))); // no SoftDeletes: the key only
    // On screen, so reset (it shows what the server says now) rather than silently removed.
    expect(queryClient.getQueryData(['posts', 5])).toBeUndefined();
    expect(changes).toEqual(['updated', 'deleted']);
  });

  test('soft deletes: trashed resets the query on screen, restored writes the model back', async () => {
    const { fake, Wrapper, settle, queryClient } = setup();
    render(<PostView id={5} />, { wrapper: Wrapper });
    await settle();
    act(() => void fake.emit('private-App.Models.Post.5', '.PostTrashed', modelEventPayload({ id: 5, title: 'Draft', deleted_at: '2026-12-02T12:00:00Z' })));
    expect(queryClient.getQueryData(['posts', 5])).toBeUndefined();
    act(() => void fake.emit('private-App.Models.Post.5', '.PostRestored', modelEventPayload({ id: 5, title: 'Back', deleted_at: null })));
    expect(queryClient.getQueryData(['posts', 5])).toEqual({ id: 5, title: 'Back', deleted_at: null });
  });

  test("a model's broadcastAs($event) names the events; `on` replaces a reaction, false ignores an event", async () => {
    const { fake, Wrapper, settle, queryClient } = setup();
    const seen: unknown[] = [];
    function Custom() {
      useQuery({ queryKey: ['posts', 5], queryFn: async (): Promise<Post> => ({ id: 5, title: 'Draft' }) });
      useRealtimeModel<Post>({
        model: 'App.Models.Post',
        id: 5,
        queryKey: ['posts', 5],
        broadcastAs: (event) => `post.${event}`,
        on: { deleted: { onEvent: (p) => seen.push(p.model) }, trashed: false },
      });
      return null;
    }
    render(<Custom />, { wrapper: Wrapper });
    await settle();
    act(() => void fake.emit('private-App.Models.Post.5', '.PostUpdated', modelEventPayload({ id: 5, title: 'Ignored' })));
    act(() => void fake.emit('private-App.Models.Post.5', '.post.updated', modelEventPayload({ id: 5, title: 'Custom' })));
    expect(queryClient.getQueryData(['posts', 5])).toEqual({ id: 5, title: 'Custom' });
    act(() => void fake.emit('private-App.Models.Post.5', '.post.deleted', modelEventPayload(5)));
    expect(seen).toEqual([5]);
    expect(queryClient.getQueryData(['posts', 5])).toEqual({ id: 5, title: 'Custom' }); // replaced: not removed
    act(() => void fake.emit('private-App.Models.Post.5', '.post.trashed', modelEventPayload({ id: 5, title: 'Custom', deleted_at: 'x' })));
    expect(queryClient.getQueryData(['posts', 5])).toEqual({ id: 5, title: 'Custom' }); // not listened to
  });
});

describe('useRealtimeModel: what real apps send', () => {
  test('the broadcast model is merged over the cached one (relations it lacks are kept)', async () => {
    const { fake, Wrapper, settle, queryClient } = setup();
    function View() {
      useQuery({ queryKey: ['posts', 5], queryFn: async () => ({ id: 5, title: 'Draft', comments: [{ id: 1 }] }) });
      useRealtimeModel<Post>({ model: 'App.Models.Post', id: 5, queryKey: ['posts', 5] });
      return null;
    }
    render(<View />, { wrapper: Wrapper });
    await settle();
    await waitFor(() => expect(queryClient.getQueryData(['posts', 5])).toBeDefined());
    act(() => void fake.emit('private-App.Models.Post.5', '.PostUpdated', modelEventPayload({ id: 5, title: 'New' })));
    expect(queryClient.getQueryData(['posts', 5])).toEqual({ id: 5, title: 'New', comments: [{ id: 1 }] });
  });

  test("a model with its own broadcastWith() (no `model` key): the detail query is refetched instead", async () => {
    const { fake, Wrapper, settle, queryClient } = setup();
    const title = { now: 'Draft' };
    function View() {
      useQuery({ queryKey: ['posts', 5], queryFn: async () => ({ id: 5, title: title.now }) });
      useRealtimeModel<Post>({ model: 'App.Models.Post', id: 5, queryKey: ['posts', 5] });
      return null;
    }
    render(<View />, { wrapper: Wrapper });
    await settle();
    await waitFor(() => expect(queryClient.getQueryData(['posts', 5])).toEqual({ id: 5, title: 'Draft' }));
    title.now = 'New';
    act(() => void fake.emit('private-App.Models.Post.5', '.PostUpdated', { id: 5, title: 'New', socket: null }));
    await waitFor(() => expect(queryClient.getQueryData(['posts', 5])).toEqual({ id: 5, title: 'New' }));
  });

  test('SoftDeletes: delete() sends trashed then deleted (with deleted_at); ignoring trashed keeps the query', async () => {
    const { fake, Wrapper, settle, queryClient } = setup();
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    function View() {
      useQuery({ queryKey: ['posts', 5], queryFn: async () => ({ id: 5, title: 'Draft' }) });
      useRealtimeModel<Post>({
        model: 'App.Models.Post',
        id: 5,
        queryKey: ['posts', 5],
        lists: [['posts', 'list']],
        on: { trashed: { updateCache: (p, qc) => qc.setQueryData(['posts', 5], p.model) } }, // show it as trashed
      });
      return null;
    }
    render(<View />, { wrapper: Wrapper });
    await settle();
    await waitFor(() => expect(queryClient.getQueryData(['posts', 5])).toBeDefined());
    const trashed = { id: 5, title: 'Draft', deleted_at: '2026-12-02T12:00:00.000000Z' };
    act(() => void fake.emit('private-App.Models.Post.5', '.PostTrashed', modelEventPayload(trashed)));
    act(() => void fake.emit('private-App.Models.Post.5', '.PostDeleted', modelEventPayload(trashed)));
    expect(queryClient.getQueryData(['posts', 5])).toEqual(trashed);
    // A custom reaction keeps the lists' invalidation (and warns of nothing).
    await waitFor(() => expect(invalidate.mock.calls.map(([f]) => f?.queryKey)).toContainEqual(['posts', 'list']));
  });
});

// useRealtimeModels: the collection recipe in recipes.test.tsx (created, updated, deleted on the owner's channel).
