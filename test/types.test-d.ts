import type { QueryClient } from '@tanstack/react-query';
import { describe, expectTypeOf, test } from 'vitest';
import {
  createRealtimeClient,
  defineBinding,
  useCommands,
  useRealtimeModel,
  useRealtimeMutation,
  useRealtimeNotifications,
  useRealtimeChannel,
  useRealtimeEvent,
  useRealtimeGlobalSubscriber,
  usePresence,
  type RealtimeBinding,
  type EventPayload,
  type WhisperFunction,
} from '../src';

interface TypeTestShipped {
  orderId: number;
  commandId?: string;
}

// The augmentation is global to the TypeScript program: event names unique to this file keep it
// from typing other tests' events.
declare module '../src' {
  interface RealtimeEventMap {
    '.TypeTestShipped': TypeTestShipped;
    TypeTestRooms: { updatedAt: string };
  }
}

describe('typed payloads through RealtimeEventMap', () => {
  test('declared events are typed, with or without the leading dot; others are unknown', () => {
    expectTypeOf<EventPayload<'.TypeTestShipped'>>().toEqualTypeOf<TypeTestShipped>();
    expectTypeOf<EventPayload<'TypeTestShipped'>>().toEqualTypeOf<TypeTestShipped>();
    expectTypeOf<EventPayload<'.TypeTestRooms'>>().toEqualTypeOf<{ updatedAt: string }>();
    expectTypeOf<EventPayload<'.SomethingElse'>>().toEqualTypeOf<unknown>();
  });

  test('useRealtimeEvent infers the payload from the event name in every callback', () => {
    useRealtimeEvent({
      channel: 'orders',
      event: '.TypeTestShipped',
      onEvent: (payload) => expectTypeOf(payload).toEqualTypeOf<TypeTestShipped>(),
      invalidate: (payload) => ['orders', payload.orderId],
      updateCache: (payload, queryClient) => {
        expectTypeOf(payload.orderId).toBeNumber();
        expectTypeOf(queryClient).toEqualTypeOf<QueryClient>();
      },
    });
    useRealtimeEvent({ channel: 'x', event: '.Undeclared', onEvent: (p) => expectTypeOf(p).toBeUnknown() });
    // @ts-expect-error orderId is a number
    useRealtimeEvent({ channel: 'orders', event: '.TypeTestShipped', onEvent: (p) => p.orderId.toUpperCase() });
  });

  test('an undeclared payload can be annotated where it is used; a declared one cannot be contradicted', () => {
    useRealtimeEvent({ channel: 'x', event: '.Undeclared', onEvent: (p: { a: number }) => p.a });
    useRealtimeEvent({ channel: 'x', event: '.Undeclared', invalidate: (p: { id: number }) => ['x', p.id] });
    // @ts-expect-error TypeTestShipped has no `nope`
    useRealtimeEvent({ channel: 'orders', event: '.TypeTestShipped', onEvent: (p: { nope: string }) => p.nope });
  });

  test('useRealtimeChannel types each handler by its key; whisper only on private and presence', () => {
    const state = useRealtimeChannel({
      channel: 'orders',
      type: 'private',
      events: {
        '.TypeTestShipped': (p) => expectTypeOf(p).toEqualTypeOf<TypeTestShipped>(),
        TypeTestRooms: { onEvent: (p) => expectTypeOf(p.updatedAt).toBeString() },
      },
    });
    expectTypeOf(state.whisper).toEqualTypeOf<WhisperFunction>();
    expectTypeOf(useRealtimeChannel({ channel: 'news', type: 'public' }).whisper).toEqualTypeOf<undefined>();
    expectTypeOf(useRealtimeChannel({ channel: 'inbox' }).whisper).toEqualTypeOf<WhisperFunction>(); // private by default
    expectTypeOf(state.status).toEqualTypeOf<'idle' | 'subscribing' | 'subscribed' | 'error'>();
  });

  test('usePresence members are typed by the generic', () => {
    const { members, me } = usePresence<{ id: number; name: string }>({ channel: 'room' });
    expectTypeOf(members).toEqualTypeOf<readonly { id: number; name: string }[]>();
    expectTypeOf(me).toEqualTypeOf<{ id: number; name: string } | null>();
  });

  test('defineBinding infers the payload for global bindings', () => {
    defineBinding({
      channel: 'orders',
      event: '.TypeTestShipped',
      invalidate: (p) => {
        expectTypeOf(p).toEqualTypeOf<TypeTestShipped>();
        return ['orders', p.orderId];
      },
    });
  });

  test('useRealtimeGlobalSubscriber types each inline binding from its own event', () => {
    useRealtimeGlobalSubscriber({
      bindings: [
        {
          channel: 'orders',
          event: '.TypeTestShipped',
          invalidate: (p) => {
            expectTypeOf(p).toEqualTypeOf<TypeTestShipped>();
            return ['orders', p.orderId];
          },
          setQueryData: { queryKey: (p) => ['orders', p.orderId], updater: (p) => p.commandId },
        },
        { channel: 'rooms', type: 'public', event: 'TypeTestRooms', onEvent: (p) => expectTypeOf(p.updatedAt).toBeString() },
        { channel: 'misc', event: '.Undeclared', onEvent: (p) => expectTypeOf(p).toBeUnknown(), enabled: false },
      ],
      defaults: { wait: 100 },
    });
    useRealtimeGlobalSubscriber({
      // @ts-expect-error orderId is a number (checked per element, not as a union of all events)
      bindings: [{ channel: 'orders', event: '.TypeTestShipped', onEvent: (p) => p.orderId.toUpperCase() }],
    });
  });

  test('bindings kept in constants: defineBinding elements and a RealtimeBinding[] are accepted', () => {
    const shipped = defineBinding({ channel: 'orders', event: '.TypeTestShipped', onEvent: (p) => p.orderId });
    const list: RealtimeBinding[] = [{ channel: 'rooms', event: '.RoomsUpdated', invalidate: ['rooms'] }];
    useRealtimeGlobalSubscriber({ bindings: [shipped, ...list] });
    useRealtimeGlobalSubscriber({ bindings: list });
  });
});

describe('Laravel hooks and commands', () => {
  test('notification reactions are typed by their type; model reactions by the model', () => {
    useRealtimeNotifications<{ 'App\\Notifications\\InvoicePaid': { invoiceId: number } }>({
      userId: 1,
      types: {
        'App\\Notifications\\InvoicePaid': {
          onEvent: (n) => expectTypeOf(n.invoiceId).toEqualTypeOf<number>(),
        },
        // @ts-expect-error: not a notification type of this map
        'App\\Notifications\\Other': {},
      },
    });
    type Post = { id: number; title: string };
    useRealtimeModel<Post>({
      model: 'App.Models.Post',
      id: 1,
      queryKey: ['posts', 1],
      onChange: (event, payload) => {
        expectTypeOf(event).toEqualTypeOf<'created' | 'updated' | 'deleted' | 'trashed' | 'restored'>();
        expectTypeOf(payload.model).toEqualTypeOf<Post>(); // every event carries the whole model, a hard delete too
      },
      on: {
        deleted: { onEvent: (payload) => expectTypeOf(payload.model).toEqualTypeOf<Post>() },
        trashed: { updateCache: (payload) => expectTypeOf(payload.model.title).toEqualTypeOf<string>() },
      },
    });
  });

  test('useRealtimeMutation: variables flow into apply; commands list their variables', () => {
    useRealtimeMutation({
      mutationFn: async (name: string, { commandId }) => {
        expectTypeOf(commandId).toEqualTypeOf<string>();
        return { id: 1, name };
      },
      confirm: { channel: 'user.1', event: '.Created' },
      optimistic: { queryKey: ['subs'], apply: (list: string[], name) => (expectTypeOf(name).toEqualTypeOf<string>(), [...list, name]) },
    });
    const commands = useCommands<string>({ status: ['failed', 'unconfirmed'] });
    expectTypeOf(commands[0]!.variables).toEqualTypeOf<string>();
  });

  test('reconnect: options or false, and the refetch spread as a number or a function of the key count', () => {
    createRealtimeClient({ echo: null, reconnect: { baseMs: 250, capMs: 4000, resetAfterMs: 5000, refetchJitterMs: (keys) => keys * 20 } });
    createRealtimeClient({ echo: null, reconnect: { refetchJitterMs: 0 } });
    createRealtimeClient({ echo: null, reconnect: false });
    // @ts-expect-error: `true` is not an option object
    createRealtimeClient({ echo: null, reconnect: true });
    // @ts-expect-error: delays are numbers of ms
    createRealtimeClient({ echo: null, reconnect: { capMs: '5s' } });
  });
});
