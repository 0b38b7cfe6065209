import { useQuery } from '@tanstack/react-query';
import { act, render } from '@testing-library/react';
import { vi } from 'vitest';
import { useRealtimeEvent, useRealtimeMutation, type CommandState } from '../../src';
import { commandsOf } from '../../src/core/commands';
import { setup } from '../helpers';

/** A subscription row as the server stores it: created by a command, which it remembers. */
export type Sub = { id: string; name: string; commandId?: string; pending?: true };

export const CHANNEL = 'private-user.1';
export const EVENT = '.SubscriptionCreated';

/**
 * Seed 000 as a test app: a list of subscriptions (`['subs']`), a "create" command confirmed by
 * `.SubscriptionCreated` on `user.1`, and a server the test drives step by step: carry a command
 * out, broadcast its event, answer its HTTP request. Every step is explicit, so a test (or
 * fast-check) can put them in any order. Needs `vi.useFakeTimers()`.
 */
export function commandApp(options: { fetchMs?: number; confirmTimeoutMs?: number; appBinding?: boolean; retry?: number } = {}) {
  const { fetchMs = 50, confirmTimeoutMs = 5000, appBinding = false, retry = 0 } = options;
  const env = setup({ client: { leaveGraceMs: 0 } });
  const server = { subs: [{ id: 's0', name: 'Basic' }] as Sub[], nextId: 1 };
  let fetches = 0;
  const queryFn = async (): Promise<Sub[]> => {
    fetches += 1;
    // The server answers with what it has when the request arrives.
    const answer = server.subs.map((s) => ({ ...s }));
    await new Promise((resolve) => setTimeout(resolve, fetchMs));
    return answer;
  };
  /** HTTP requests in flight, by commandId, in the order they were sent. */
  const requests = new Map<string, { name: string; resolve: () => void; reject: (e: Error) => void }>();
  let send: (name: string) => void = () => {
    throw new Error('List is not mounted');
  };

  function List({ show = true }: { show?: boolean }) {
    const { data } = useQuery({ queryKey: ['subs'], queryFn });
    const create = useRealtimeMutation({
      mutationKey: ['subs', 'create'],
      mutationFn: (input: { name: string }, { commandId }) =>
        new Promise<void>((resolve, reject) => requests.set(commandId, { name: input.name, resolve, reject })),
      confirm: { channel: 'user.1', event: EVENT },
      // An upsert: the server's data may already hold the row this command creates.
      optimistic: {
        queryKey: ['subs'],
        apply: (subs: Sub[], input, { commandId }) =>
          subs.some((s) => s.commandId === commandId) ? subs : [...subs, { id: commandId, name: input.name, commandId, pending: true }],
      },
      confirmTimeoutMs,
      retry,
      retryDelay: 100,
    });
    send = (name) => create.mutate({ name });
    if (!show) return null;
    return (
      <ul>
        {data?.map((s) => (
          <li key={s.id}>
            {s.name}
            {s.pending ? ' (pending)' : ''}
          </li>
        ))}
      </ul>
    );
  }

  function AppBinding() {
    useRealtimeEvent({ channel: 'user.1', event: EVENT, invalidate: ['subs'] });
    return null;
  }

  function App({ mounted = true }: { mounted?: boolean }) {
    return (
      <>
        {mounted && <List />}
        {appBinding && <AppBinding />}
      </>
    );
  }

  const view = render(<App />, { wrapper: env.Wrapper });
  const tracker = commandsOf(env.client);

  const app = {
    ...env,
    server,
    requests,
    tracker,
    fetches: () => fetches,
    /** What the user sees: one line per row. */
    rows: () => (env.queryClient.getQueryData<Sub[]>(['subs']) ?? []).map((s) => s.name + (s.pending ? ' (pending)' : '')),
    screenRows: () => [...view.container.querySelectorAll('li')].map((li) => li.textContent),
    unmountList: () => view.rerender(<App mounted={false} />),
    /** Mounted, subscribed, first fetch in. */
    async ready(): Promise<void> {
      await act(() => env.fake.flush());
      await app.run(fetchMs);
    },
    /** Lets timers, fetches and the fake run for `ms`. */
    run: (ms = 0) => act(() => vi.advanceTimersByTimeAsync(ms)),
    /** The user sends a command; returns its commandId once the request is out. */
    async send(name: string): Promise<string> {
      const before = new Set(requests.keys());
      act(() => send(name));
      await app.run(0);
      const id = [...requests.keys()].find((k) => !before.has(k));
      if (!id) throw new Error('no request was sent');
      return id;
    },
    /** The server carries the command out (its data changes); returns the row it made. */
    carryOut(commandId: string): Sub {
      const request = requests.get(commandId)!;
      const row = { id: `s${server.nextId++}`, name: request.name, commandId };
      server.subs = [...server.subs, row];
      return row;
    },
    /** The server broadcasts the confirming event; returns the number of deliveries. */
    broadcast(row: Sub): number {
      let delivered = 0;
      act(() => void (delivered = env.fake.emit(CHANNEL, EVENT, { ...row })));
      return delivered;
    },
    /** The HTTP request answers. */
    async respond(commandId: string, ok: boolean): Promise<void> {
      const request = requests.get(commandId)!;
      requests.delete(commandId);
      if (ok) request.resolve();
      else request.reject(new Error('422 Unprocessable'));
      await app.run(0);
    },
    state: (commandId: string): CommandState | undefined => tracker.getSnapshot().find((c) => c.commandId === commandId),
    /** The server's truth as the user would see it. */
    truth: () => server.subs.map((s) => s.name),
    /** Nothing left behind: no layer, no listening command, no timer. */
    leftovers: () => ({ layers: tracker.size.layers, timers: vi.getTimerCount() }),
  };
  return app;
}
