// A private channel the user may not join: /broadcasting/auth answers 403, and the page says so.
// Development builds also warn once with the two likely fixes; the story shows that warning on the
// page, where a person trying the demo reads it (and the test asserts it), instead of the console.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useRealtimeChannel } from 'echo-react-query';
import { useSyncExternalStore } from 'react';
import { expect, within } from 'storybook/test';
import { demo, DemoApp } from './demo-server';

/** The package's development warnings while the story is shown. */
const warnings = {
  list: [] as string[],
  listeners: new Set<() => void>(),
  subscribe(listener: () => void) {
    warnings.listeners.add(listener);
    return () => void warnings.listeners.delete(listener);
  },
};

function AdminDashboard() {
  const { status, error } = useRealtimeChannel({ channel: 'admin.dashboard', events: { '.StatsUpdated': () => {} } });
  const warned = useSyncExternalStore(warnings.subscribe, () => warnings.list);
  return (
    <>
      {status === 'error' ? (
        <p role="alert">Live updates are not available: {error?.message}</p>
      ) : (
        <p role="status">{status === 'subscribed' ? 'Live' : 'Connecting…'}</p>
      )}
      {warned.map((text) => (
        <p key={text}>
          <small>Development warning: {text}</small>
        </p>
      ))}
    </>
  );
}

/** What to try, and what to watch (shown above the demo). */
const GUIDE = {
  try: <>Nothing to press: the page asks to join <code>private-admin.dashboard</code> and the server refuses.</>,
  watch: <>the page says why; the panel shows the channel in <em>error</em> with the 403, and the error that went to <code>onError</code>.</>,
};

const meta: Meta<typeof AdminDashboard> = {
  title: 'Demos/Refused private channel',
  component: AdminDashboard,
  decorators: [(Story) => <DemoApp guide={GUIDE} setup={(server) => server.refuse('private-admin.dashboard')}><Story /></DemoApp>],
  beforeEach: () => {
    const original = console.warn;
    console.warn = (...args: unknown[]) => {
      const text = args.map(String).join(' ');
      if (!text.startsWith('[echo-react-query]')) return original(...args);
      warnings.list = [...warnings.list, text.replace('[echo-react-query] ', '')];
      for (const listener of warnings.listeners) listener();
    };
    return () => {
      console.warn = original;
    };
  },
};
export default meta;

export const Refused: StoryObj<typeof AdminDashboard> = {
  play: async ({ canvasElement }) => {
    const alert = await within(demo(canvasElement)).findByRole('alert');
    await expect(alert.textContent).toMatch(/403/);
    await within(demo(canvasElement)).findByText(/subscribe with type: 'public'/);
    await within(demo(canvasElement)).findByText(/check its rule in routes\/channels\.php/);
  },
};
