// The provisioning page as an Inertia page: the real @inertiajs/react router, answered by the
// page's simulated server (an Inertia HTTP client speaking the protocol Laravel's Inertia::render
// speaks), reloading its `server` and `log` props with echo-react-query/inertia.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { App, http } from '@inertiajs/react';
import { useRealtimeReload } from 'echo-react-query/inertia';
import { useState } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { demo, DemoApp, type DemoServer, devtools, ServerPanel, useDemoServer, useServerState } from './demo-server';

const STEPS = 20;
const URL = '/servers/7';

type ShowProps = { server: { id: number; step: number }; log: string[] };

/** The partial reloads the server answered, with the props each asked for. */
const reloads: string[][] = [];

/** Inertia's HTTP client, answered by the demo server as Laravel's Inertia middleware would. */
function inertiaClient(server: DemoServer) {
  return {
    async request(config: { url: string; headers?: Record<string, unknown> }) {
      const headers = config.headers ?? {};
      const only = String(headers['X-Inertia-Partial-Data'] ?? '').split(',').filter(Boolean);
      if (only.length > 0) reloads.push(only);
      const props = await server.get(URL, () => ({
        server: { id: 7, step: server.provisionedSteps },
        log: Array.from({ length: server.provisionedSteps }, (_, i) => `step ${i + 1} done`),
      }));
      const sent = only.length > 0 ? Object.fromEntries(only.map((name) => [name, props[name as keyof typeof props]])) : props;
      server.changed();
      return {
        status: 200,
        data: JSON.stringify({ component: 'Servers/Show', props: sent, url: URL, version: '1' }),
        headers: { 'x-inertia': 'true', 'content-type': 'application/json' },
      };
    },
  };
}

/** The page component Inertia renders. */
function ServerShow({ server, log }: ShowProps) {
  return (
    <>
      <Progress step={server.step} />
      <Log lines={log} />
    </>
  );
}
function Progress({ step }: { step: number }) {
  useRealtimeReload({ channel: 'servers.7.provision', event: '.ServerProvisionUpdated', only: ['server'] });
  return (
    <>
      <progress max={STEPS} value={step} aria-label="Provisioning progress" />
      <p>{step === STEPS ? 'Done' : `Step ${step} of ${STEPS}`}</p>
    </>
  );
}
function Log({ lines }: { lines: string[] }) {
  useRealtimeReload({ channel: 'servers.7.provision', event: '.ServerProvisionUpdated', only: ['log'] });
  return <p aria-label="Log">{lines.at(-1) ?? 'nothing yet'}</p>;
}

function InertiaProvisioning() {
  const server = useDemoServer();
  // Inertia's requests go to this story's server (set before the router's first request).
  useState(() => {
    reloads.length = 0;
    http.setClient(inertiaClient(server) as never);
    return true;
  });
  const count = useServerState(() => reloads.length);
  const last = useServerState(() => (reloads.at(-1) ?? []).slice().sort().join(', '));
  // The installer job, finishing 20 steps at once: each saved, then announced.
  const run = () => {
    for (let i = 1; i <= STEPS; i++) {
      server.update((db) => (db.provisionedSteps = i));
      server.broadcast('private-servers.7.provision', '.ServerProvisionUpdated', { server_id: 7 });
    }
  };
  const initialPage = { component: 'Servers/Show', props: { server: { id: 7, step: 0 }, log: [] }, url: URL, version: '1' };
  return (
    <>
      <h2>Provisioning server 7 (an Inertia page)</h2>
      <App initialPage={initialPage as never} initialComponent={ServerShow as never} resolveComponent={() => ServerShow as never} />
      <p>
        Partial reloads: <output aria-label="Partial reloads">{count}</output>; the last asked for{' '}
        <output aria-label="Last reload">{last || 'nothing yet'}</output>
      </p>
      <ServerPanel>
        <button onClick={run}>Run the provisioning ({STEPS} steps)</button>
      </ServerPanel>
    </>
  );
}

/** What to try, and what to watch (shown above the demo). */
const GUIDE = {
  try: <>Press <strong>Run the provisioning</strong>: the server finishes 20 steps at once, one event each.</>,
  watch: <>two components reload two props; in the panel 20 events become a few <em>reload</em> runs, each one request carrying <code>server</code> and <code>log</code> together, as many as the page counts.</>,
};

const meta: Meta<typeof InertiaProvisioning> = {
  title: 'Demos/Provisioning (Inertia reload)',
  component: InertiaProvisioning,
  decorators: [(Story) => <DemoApp guide={GUIDE}><Story /></DemoApp>],
};
export default meta;

export const InertiaReload: StoryObj<typeof InertiaProvisioning> = {
  name: 'Provisioning, reloading page props',
  play: async ({ canvasElement }) => {
    const canvas = within(demo(canvasElement));
    const reloadCount = canvas.getByLabelText('Partial reloads');
    // The subscription's first confirmation reloads both props, in one request.
    await waitFor(() => expect(reloadCount).toHaveTextContent(/^1$/));
    await expect(canvas.getByLabelText('Last reload')).toHaveTextContent('log, server');
    await new Promise((r) => setTimeout(r, 1000)); // that reload settled, the rate limit is full again
    await userEvent.click(canvas.getByRole('button', { name: /Run the provisioning/ }));
    await canvas.findByText('Done', {}, { timeout: 5000 });
    await waitFor(() => expect(canvas.getByLabelText('Log')).toHaveTextContent(`step ${STEPS} done`));
    await new Promise((r) => setTimeout(r, 600)); // past the rate limit: a late reload would count by now
    // 20 events at once: at most 2 reloads after the subscription's, each carrying both props.
    await expect(Number(reloadCount.textContent)).toBeLessThanOrEqual(3);
    await expect(canvas.getByLabelText('Last reload')).toHaveTextContent('log, server');
    // The panel: 20 events, as many reloads as the page counts, each one request carrying both props.
    const panel = within(devtools(canvasElement));
    await expect(panel.getByTestId('devtools-summary')).toHaveTextContent(`20 events · 0 fetches · ${reloadCount.textContent} reloads · 1 channel`);
    const reloadRows = panel.getAllByTestId('log-run').map((row) => row.textContent ?? '');
    await expect(reloadRows).toHaveLength(Number(reloadCount.textContent));
    for (const row of reloadRows) await expect(row).toMatch(/reload \["(log|server)","(log|server)"\]/);
  },
};
