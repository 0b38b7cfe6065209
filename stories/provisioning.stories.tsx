// Seed 002: a server being provisioned sends a burst of step updates; the page reloads its status
// (not a TanStack query: a plain fetch, as with Inertia's router.reload) through useDebouncedReload.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useDebouncedReload, useRealtimeEvent } from 'echo-react-query';
import { useEffect, useRef, useState } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { demo, DemoApp, devtools, FetchCounter, ServerPanel, useDemoServer } from './demo-server';

const STEPS = 20;

function Provisioning() {
  const server = useDemoServer();
  const [step, setStep] = useState(0);
  // Progress only moves forward, whatever order the answers come back in.
  const load = () => void server.get('/api/servers/7', () => server.provisionedSteps).then((s) => setStep((shown) => Math.max(shown, s)));
  useEffect(load, [server]);
  // One leading reload, one trailing; a burst of 20 events is not 20 requests.
  const reload = useDebouncedReload(load, { wait: 200 });
  useRealtimeEvent({ channel: 'servers.7.provision', event: '.ServerProvisionUpdated', onEvent: reload });
  // The server's job, sending a step every 15 ms (stopped if the story goes away).
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);
  useEffect(() => () => timers.current.forEach(clearTimeout), []);
  const run = () => {
    for (let i = 1; i <= STEPS; i++) {
      timers.current.push(
        setTimeout(() => {
          server.update((db) => (db.provisionedSteps = i));
          server.broadcast('private-servers.7.provision', '.ServerProvisionUpdated', { step: i });
        }, i * 15),
      );
    }
  };
  return (
    <>
      <h2>Provisioning server 7</h2>
      <progress max={STEPS} value={step} aria-label="Provisioning progress" />
      <p>{step === STEPS ? 'Done' : `Step ${step} of ${STEPS}`}</p>
      <FetchCounter endpoint="/api/servers/7" label="Status" />
      <ServerPanel>
        <button onClick={run}>Run the provisioning ({STEPS} steps)</button>
      </ServerPanel>
    </>
  );
}

/** What to try, and what to watch (shown above the demo). */
const GUIDE = {
  try: <>Press <strong>Run the provisioning</strong>: 20 step events in 300 ms.</>,
  watch: <>the progress bar reaches 20 while the panel lists 20 events and only 2 reloads (one at the start, one at the end).</>,
};

const meta: Meta<typeof Provisioning> = {
  title: 'Demos/Provisioning (debounced reload)',
  component: Provisioning,
  decorators: [(Story) => <DemoApp guide={GUIDE}><Story /></DemoApp>],
};
export default meta;

export const Provisioning_: StoryObj<typeof Provisioning> = {
  name: 'Provisioning progress',
  play: async ({ canvasElement }) => {
    const canvas = within(demo(canvasElement));
    const fetches = canvas.getByLabelText('Status fetches');
    await waitFor(() => expect(fetches).toHaveTextContent(/^1$/));
    await userEvent.click(canvas.getByRole('button', { name: /Run the provisioning/ }));
    await canvas.findByText('Done', {}, { timeout: 3000 });
    // 20 events in 300 ms: the first load, a leading reload and the trailing ones, not 20.
    await expect(Number(fetches.textContent)).toBeLessThanOrEqual(4);
    // The panel says the same: 20 events, 2 reloads (the leading one, and the trailing one that brought step 20).
    await expect(within(devtools(canvasElement)).getByTestId('devtools-summary')).toHaveTextContent(/^20 events · 0 fetches · 2 reloads · 1 channel$/);
  },
};
