import { useQuery } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { useRealtimeModel, useRealtimeModels } from '../../src';
import { modelEventPayload, setup } from '../helpers';

// Payloads exactly as Laravel broadcasts a BroadcastableModelEventOccurred with no broadcastWith():
// the event's public properties, `model` as toArray(), for every event (a hard delete included).
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

    act(() => void fake.emit('private-App.Models.Post.5', '.PostDeleted', modelEventPayload({ id: 5, title: 'Published' })));
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
    act(() => void fake.emit('private-App.Models.Post.5', '.post.deleted', modelEventPayload({ id: 5, title: 'Custom' })));
    expect(seen).toEqual([{ id: 5, title: 'Custom' }]);
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

describe('a hard delete, exactly as Laravel 11 and 12 broadcast it', () => {
  // A model without SoftDeletes: BroadcastableModelEventOccurred::shouldBroadcastNow() is true for
  // `deleted`, so the event is broadcast at once, before the model is gone, and BroadcastEvent
  // sends its public properties with `model` as toArray(): the whole model, not its key.
  const deletedPost = {
    model: { id: 5, user_id: 7, title: 'Published', created_at: '2026-12-01T09:00:00.000000Z', updated_at: '2026-12-02T10:00:00.000000Z' },
    connection: null,
    queue: null,
    afterCommit: false,
    socket: null,
  };

  test('useRealtimeModel: the detail query on screen is reset, the lists invalidated, onChange sees the model', async () => {
    const { fake, Wrapper, settle, queryClient, errors } = setup();
    db.set(5, { id: 5, title: 'Published' });
    const changes: unknown[] = [];
    function View() {
      const { data } = useQuery({ queryKey: ['posts', 5], queryFn: async (): Promise<Post | null> => db.get(5) ?? null });
      useRealtimeModel<Post>({
        model: 'App\\Models\\Post',
        id: 5,
        queryKey: ['posts', 5],
        lists: [['posts', 'list']],
        onChange: (event, payload) => changes.push([event, payload.model]),
      });
      return <p data-testid="post">{data === undefined ? 'loading' : (data?.title ?? 'gone')}</p>;
    }
    render(<View />, { wrapper: Wrapper });
    await settle();
    await screen.findByText('Published');
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    const reset = vi.spyOn(queryClient, 'resetQueries');
    db.delete(5);
    act(() => void fake.emit('private-App.Models.Post.5', '.PostDeleted', deletedPost));
    expect(reset).toHaveBeenCalledWith({ queryKey: ['posts', 5], exact: true });
    await screen.findByText('gone'); // reset: it shows what the server says now
    await waitFor(() => expect(invalidate.mock.calls.map(([f]) => f?.queryKey)).toContainEqual(['posts', 'list']));
    expect(changes).toEqual([['deleted', deletedPost.model]]);
    expect(errors).toEqual([]);
  });

  test("useRealtimeModels: the deleted model's detail query (found by model.id) is removed, the lists invalidated", async () => {
    const { fake, Wrapper, settle, queryClient, errors } = setup();
    queryClient.setQueryData(['posts', 5], { id: 5, title: 'Published' }); // cached, not on screen
    queryClient.setQueryData(['posts', 6], { id: 6, title: 'Other' });
    function View() {
      useRealtimeModels<Post>({ model: 'App\\Models\\Post', channel: 'App.Models.User.7', lists: [['posts', 'list']], queryKey: (id) => ['posts', id] });
      return null;
    }
    render(<View />, { wrapper: Wrapper });
    await settle();
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    act(() => void fake.emit('private-App.Models.User.7', '.PostDeleted', deletedPost));
    expect(queryClient.getQueryCache().find({ queryKey: ['posts', 5], exact: true })).toBeUndefined();
    expect(queryClient.getQueryData(['posts', 6])).toEqual({ id: 6, title: 'Other' });
    await waitFor(() => expect(invalidate.mock.calls.map(([f]) => f?.queryKey)).toContainEqual(['posts', 'list']));
    expect(errors).toEqual([]);
  });
});

// useRealtimeModels: the collection recipe in recipes.test.tsx (created, updated, deleted on the owner's channel).
