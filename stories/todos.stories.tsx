// Seed 000: optimistic create and complete, confirmed by the server's broadcast of the commandId.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useQuery } from '@tanstack/react-query';
import { useCommands, useRealtimeMutation } from 'echo-react-query';
import { useState } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { demo, DemoApp, type DemoServer, devtools, ServerPanel, type Todo, useDemoServer } from './demo-server';

type Mode = 'normal' | 'fail' | 'slow-event' | 'no-event' | 'event-first';

/** `POST /api/todos` on the simulated server: stores, broadcasts `.TodoSaved` with the commandId, answers. */
async function sendCommand(server: DemoServer, mode: Mode, change: (todos: Todo[]) => Todo[], commandId: string) {
  await new Promise((resolve) => setTimeout(resolve, server.latencyMs));
  if (mode === 'fail') throw new Error('422: the title has already been taken');
  server.update((db) => (db.todos = change(db.todos)));
  const broadcast = () => server.broadcast('private-App.Models.User.1', '.TodoSaved', { commandId });
  if (mode === 'event-first') broadcast(); // the event beats the response
  else if (mode === 'slow-event') setTimeout(broadcast, 2000);
  else if (mode === 'normal') setTimeout(broadcast, 50);
  // 'no-event': the server broadcast toOthers(); this tab never hears it
  await new Promise((resolve) => setTimeout(resolve, mode === 'event-first' ? 600 : 0));
}

function Todos() {
  const server = useDemoServer();
  const [mode, setMode] = useState<Mode>('normal');
  const { data: todos = [] } = useQuery({ queryKey: ['todos'], queryFn: () => server.get('/api/todos', () => server.todos) });
  const confirm = { channel: 'App.Models.User.1', event: '.TodoSaved' };
  const create = useRealtimeMutation({
    mutationKey: ['todos', 'create'],
    mutationFn: (title: string, { commandId }) =>
      sendCommand(server, mode, (list) => [...list, { id: `t${list.length + 1}`, title, done: false, commandId }], commandId),
    confirm,
    confirmTimeoutMs: 3000,
    optimistic: {
      queryKey: ['todos'],
      apply: (list: Todo[], title, { commandId }) =>
        list.some((t) => t.commandId === commandId) ? list : [...list, { id: commandId, title, done: false, commandId, pending: true }],
    },
  });
  const complete = useRealtimeMutation({
    mutationKey: ['todos', 'complete'],
    mutationFn: (id: string, { commandId }) =>
      sendCommand(server, mode, (list) => list.map((t) => (t.id === id ? { ...t, done: true, commandId } : t)), commandId),
    confirm,
    confirmTimeoutMs: 3000,
    optimistic: { queryKey: ['todos'], apply: (list: Todo[], id) => list.map((t) => (t.id === id && !t.done ? { ...t, done: true, pending: true } : t)) },
  });
  const failed = useCommands<string>({ mutationKey: ['todos'], status: ['failed', 'unconfirmed'] });
  const [title, setTitle] = useState('');
  return (
    <>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(title);
          setTitle('');
        }}
      >
        <label>
          New todo <input value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <button type="submit">Add</button>
      </form>
      <ul aria-label="Todos">
        {todos.map((t) => (
          <li key={t.id} className={t.pending ? 'pending' : undefined} aria-busy={t.pending ? true : undefined}>
            <label>
              <input type="checkbox" checked={t.done} disabled={t.done} onChange={() => complete.mutate(t.id)} /> {t.title}
            </label>
            {t.pending ? (
              <span className="status" data-tone="warn">
                {' '}saving…
              </span>
            ) : (
              ''
            )}
          </li>
        ))}
      </ul>
      {failed.map((c) => (
        <p role="alert" className="banner" data-tone="bad" key={c.commandId}>
          {c.status === 'failed' ? `Not saved: ${c.error instanceof Error ? c.error.message : String(c.error)}` : 'Saved, not confirmed: the list was reloaded'}
        </p>
      ))}
      <ServerPanel>
        <label>
          Next command{' '}
          <select value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
            <option value="normal">confirmed after the response</option>
            <option value="event-first">confirmed before the response</option>
            <option value="slow-event">confirmed after 2 s</option>
            <option value="no-event">never confirmed (toOthers)</option>
            <option value="fail">fails (422)</option>
          </select>
        </label>
      </ServerPanel>
    </>
  );
}

/** What to try, and what to watch (shown above the demo). */
const GUIDE = {
  try: <>Add a todo; pick another <em>Next command</em> (slow, never confirmed, failing) and add another.</>,
  watch: <>the row shows pending (striped, “saving…”) until the server's event confirms its commandId; the panel's <em>Commands</em> tab shows each command go pending → confirmed (or failed, or unconfirmed when no event came in time).</>,
};

const meta: Meta<typeof Todos> = {
  title: 'Demos/Todos (optimistic commands)',
  component: Todos,
  decorators: [(Story) => <DemoApp guide={GUIDE}><Story /></DemoApp>],
};
export default meta;

const add = async (canvas: ReturnType<typeof within>, title: string) => {
  await userEvent.type(canvas.getByLabelText('New todo'), title);
  await userEvent.click(canvas.getByRole('button', { name: 'Add' }));
};

export const Confirmed: StoryObj<typeof Todos> = {
  play: async ({ canvasElement }) => {
    const canvas = within(demo(canvasElement));
    await canvas.findByText('Read the README');
    await add(canvas, 'Ship it');
    const row = await canvas.findByText(/Ship it/);
    await expect(row.closest('li')).toHaveAttribute('aria-busy', 'true'); // pending looks pending
    await waitFor(() => expect(canvas.getByText('Ship it').closest('li')).not.toHaveAttribute('aria-busy'));
    await expect(canvas.getAllByText(/Ship it/)).toHaveLength(1);
    // Completing it: checked at once, pending until confirmed.
    await userEvent.click(canvas.getByRole('checkbox', { name: /Ship it/ }));
    await expect(canvas.getByRole('checkbox', { name: /Ship it/ })).toBeChecked();
    await waitFor(() => expect(canvas.getByText(/Ship it/).closest('li')).not.toHaveAttribute('aria-busy'));
    await expect(canvas.queryByRole('alert')).toBeNull();
    // The panel's Commands section: both commands, confirmed; its log: each went pending, then confirmed.
    const panel = within(devtools(canvasElement));
    const states = panel.getAllByTestId('log-command').map((row) => row.textContent?.match(/command \w+ (.*?)( in \d+ ms)?$/)?.[1]).reverse();
    await expect(states).toEqual(['pending', 'pending → confirmed', 'pending', 'pending → confirmed']);
    await userEvent.click(panel.getByRole('tab', { name: /Commands/ }));
    await expect(panel.getAllByText('confirmed')).toHaveLength(2);
  },
};

export const SlowConfirmation: StoryObj<typeof Todos> = {
  play: async ({ canvasElement }) => {
    const canvas = within(demo(canvasElement));
    await canvas.findByText('Read the README');
    await userEvent.selectOptions(canvas.getByLabelText(/Next command/), 'slow-event');
    await add(canvas, 'Patience');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the response is in; the event is not
    await expect(canvas.getByText(/Patience/).closest('li')).toHaveAttribute('aria-busy', 'true');
    await waitFor(() => expect(canvas.getByText(/Patience/).closest('li')).not.toHaveAttribute('aria-busy'), { timeout: 3000 });
    await expect(canvas.queryByRole('alert')).toBeNull();
  },
};

export const Failing: StoryObj<typeof Todos> = {
  play: async ({ canvasElement }) => {
    const canvas = within(demo(canvasElement));
    await canvas.findByText('Read the README');
    await userEvent.selectOptions(canvas.getByLabelText(/Next command/), 'fail');
    await add(canvas, 'Duplicate');
    await canvas.findByText(/Duplicate/);
    await canvas.findByRole('alert');
    await waitFor(() => expect(canvas.queryByText(/Duplicate/)).toBeNull());
  },
};

export const EventBeforeResponse: StoryObj<typeof Todos> = {
  play: async ({ canvasElement }) => {
    const canvas = within(demo(canvasElement));
    await canvas.findByText('Read the README');
    await userEvent.selectOptions(canvas.getByLabelText(/Next command/), 'event-first');
    await add(canvas, 'Fast');
    await waitFor(() => expect(canvas.getByText(/Fast/).closest('li')).not.toHaveAttribute('aria-busy'));
    await expect(canvas.getAllByText(/Fast/)).toHaveLength(1);
    await expect(canvas.queryByRole('alert')).toBeNull();
  },
};

export const NeverConfirmed: StoryObj<typeof Todos> = {
  play: async ({ canvasElement }) => {
    const canvas = within(demo(canvasElement));
    await canvas.findByText('Read the README');
    await userEvent.selectOptions(canvas.getByLabelText(/Next command/), 'no-event');
    await add(canvas, 'Quiet');
    await canvas.findByText('Saved, not confirmed: the list was reloaded', {}, { timeout: 5000 });
    await waitFor(() => expect(canvas.getByText('Quiet').closest('li')).not.toHaveAttribute('aria-busy'));
  },
};

/** The same page without a script: try it by hand. */
export const Interactive: StoryObj<typeof Todos> = {};
