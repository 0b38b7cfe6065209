// A private channel the user may not join: /broadcasting/auth answers 403, and the page says so.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useRealtimeChannel } from 'echo-react-query';
import { within } from 'storybook/test';
import { DemoApp } from './demo-server';

function AdminDashboard() {
  const { status, error } = useRealtimeChannel({ channel: 'admin.dashboard', events: { '.StatsUpdated': () => {} } });
  if (status === 'error') return <p role="alert">Live updates are not available: {error?.message}</p>;
  return <p role="status">{status === 'subscribed' ? 'Live' : 'Connecting…'}</p>;
}

const meta: Meta<typeof AdminDashboard> = {
  title: 'Demos/Refused private channel',
  component: AdminDashboard,
  decorators: [(Story) => <DemoApp setup={(server) => server.refuse('private-admin.dashboard')}><Story /></DemoApp>],
};
export default meta;

export const Refused: StoryObj<typeof AdminDashboard> = {
  play: async ({ canvasElement }) => {
    await within(canvasElement).findByRole('alert');
    await within(canvasElement).findByText(/403/);
  },
};
