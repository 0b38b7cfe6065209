// Optimistic commands over real WebSockets: the Laravel stand-in's `POST /subscriptions` stores the
// row and broadcasts `.SubscriptionCreated` with the commandId through the official `pusher` SDK,
// as seed 000's app does. Real laravel-echo + pusher-js on the client.
import { useQuery } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { useCommands, useRealtimeClient, useRealtimeEvent, useRealtimeMutation, type RealtimeClient } from '../../src';
import { stackPerTest, type Stack } from './stack';

let stack: Stack;
stackPerTest((s) => (stack = s));

type Sub = { id: number | string; name: string; commandId: string | null; pending?: true };

function api(token: string) {
  const base = `http://${stack.app.host}:${stack.app.port}/subscriptions`;
  return {
    list: async (): Promise<Sub[]> => (await fetch(base, { headers: { Authorization: `Bearer ${token}` } })).json() as Promise<Sub[]>,
    create: async (name: string, commandId: string, client: RealtimeClient | null): Promise<Sub> => {
      const response = await fetch(base, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...client?.getSocketIdHeader() },
        body: JSON.stringify({ name, command_id: commandId }),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json() as Promise<Sub>;
    },
  };
}

/** Seed 000's screen: the list with pending rows, a button that creates, the command states. */
function Subscriptions({ tab, confirmTimeoutMs }: { tab: string; confirmTimeoutMs?: number }) {
  const client = useRealtimeClient();
  const server = api('ann-token');
  const { data } = useQuery({ queryKey: ['subs'], queryFn: server.list });
  // The app's own binding: other tabs and other devices learn of new rows through it.
  useRealtimeEvent({ channel: 'App.Models.User.1', event: '.SubscriptionCreated', invalidate: ['subs'] });
  const create = useRealtimeMutation({
    mutationKey: ['subs', 'create'],
    mutationFn: (name: string, { commandId }) => server.create(name, commandId, client),
    confirm: { channel: 'App.Models.User.1', event: '.SubscriptionCreated' },
    optimistic: {
      queryKey: ['subs'],
      apply: (subs: Sub[], name, { commandId }) =>
        subs.some((s) => s.commandId === commandId) ? subs : [...subs, { id: commandId, name, commandId, pending: true }],
    },
    confirmTimeoutMs,
  });
  const commands = useCommands({ mutationKey: ['subs'] });
  return (
    <section data-testid={tab}>
      <button onClick={() => create.mutate('Pro')}>create</button>
      <ul>
        {data?.map((s) => (
          <li key={s.id}>{`${s.name}${s.pending ? ' (pending)' : ''}`}</li>
        ))}
      </ul>
      <p data-testid={`${tab}-commands`}>{commands.map((c) => c.status).join(',')}</p>
      <p data-testid={`${tab}-http`}>{create.status}</p>
    </section>
  );
}

const rows = (tab: string) => [...screen.getByTestId(tab).querySelectorAll('li')].map((li) => li.textContent);
const text = (id: string) => screen.getByTestId(id).textContent;

describe('optimistic commands over the wire', () => {
  test('the event beats the HTTP response: confirmed while the request is still pending', async () => {
    const { app, server, makeClient, wrapper } = stack;
    app.commands.responseDelayMs = 600;
    render(<Subscriptions tab="a" />, { wrapper: wrapper(makeClient()) });
    await waitFor(() => expect(server.subscribers('private-App.Models.User.1')).toHaveLength(1));
    act(() => screen.getByText('create').click());
    await waitFor(() => expect(rows('a')).toEqual(['Pro (pending)']));
    await waitFor(() => expect(text('a-commands')).toBe('confirmed'));
    expect(text('a-http')).toBe('pending'); // the response is still on its way
    await waitFor(() => expect(rows('a')).toEqual(['Pro']));
    await waitFor(() => expect(text('a-http')).toBe('success'));
    expect(text('a-commands')).toBe('confirmed');
    expect(rows('a')).toEqual(['Pro']);
  });

  test('the event never comes (the server broadcast toOthers()): unconfirmed, and the list is refetched', async () => {
    const { app, server, makeClient, wrapper } = stack;
    app.commands.toOthers = true;
    render(<Subscriptions tab="a" confirmTimeoutMs={800} />, { wrapper: wrapper(makeClient()) });
    await waitFor(() => expect(server.subscribers('private-App.Models.User.1')).toHaveLength(1));
    act(() => screen.getByText('create').click());
    await waitFor(() => expect(text('a-http')).toBe('success'));
    expect(rows('a')).toEqual(['Pro (pending)']); // no event: still pending, not rolled back
    await waitFor(() => expect(text('a-commands')).toBe('unconfirmed'), { timeout: 3000 });
    await waitFor(() => expect(rows('a')).toEqual(['Pro']));
  });

  test('two tabs of one user: the sender confirms once, the other tab shows the row through its binding', async () => {
    const { server, makeClient, wrapper } = stack;
    render(
      <>
        {/* Each tab is its own app: its own Echo connection and QueryClient. */}
        <div>{wrapper(makeClient())({ children: <Subscriptions tab="a" /> })}</div>
        <div>{wrapper(makeClient())({ children: <Subscriptions tab="b" /> })}</div>
      </>,
    );
    await waitFor(() => expect(server.subscribers('private-App.Models.User.1')).toHaveLength(2));
    act(() => screen.getAllByText('create')[0]!.click());
    await waitFor(() => expect(rows('a')).toEqual(['Pro']));
    await waitFor(() => expect(rows('b')).toEqual(['Pro']));
    expect(text('a-commands')).toBe('confirmed');
    expect(text('b-commands')).toBe(''); // tab b sent nothing: the event confirms nothing there
    expect(stack.errors).toEqual([]);
  });

  test('the request fails: the pending row goes, and the failure is listed for a toast', async () => {
    const { app, server, makeClient, wrapper } = stack;
    app.commands.fail = true;
    render(<Subscriptions tab="a" />, { wrapper: wrapper(makeClient()) });
    await waitFor(() => expect(server.subscribers('private-App.Models.User.1')).toHaveLength(1));
    act(() => screen.getByText('create').click());
    await waitFor(() => expect(text('a-commands')).toBe('failed'));
    expect(rows('a')).toEqual([]);
    await waitFor(() => expect(text('a-http')).toBe('error'));
  });
});
