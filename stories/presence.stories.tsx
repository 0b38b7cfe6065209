// Seed 000: who is here. Two tabs side by side, each its own connection: Ann (in both) and Bob.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { RealtimeProvider, usePresence, useRealtimeEvent } from 'echo-react-query';
import { useEffect, useRef, useState } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { demo, DemoApp, ServerPanel, useDemoServer } from './demo-server';

type Member = { id: number; name: string };

function Room({ label }: { label: string }) {
  const { members, me, count, whisper } = usePresence<Member>({ channel: 'room.1' });
  const [typing, setTyping] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const lastSent = useRef(0);
  // Whispers are client events: the other members see who types, for 2 s after the last one.
  useRealtimeEvent({
    channel: 'room.1',
    type: 'presence',
    event: '.client-typing',
    onEvent: (e: { id: number; name: string }) => {
      if (e.id === me?.id) return; // the same user in another tab
      setTyping(e.name);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setTyping(null), 2000);
    },
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <section aria-label={label} className="demo-card">
      <h3>{label}</h3>
      <p>{count} here</p>
      <ul aria-label={`${label} members`}>
        {members.map((m) => (
          <li key={m.id}>{m.name}{m.id === me?.id ? ' (you)' : ''}</li>
        ))}
      </ul>
      <label>
        Message{' '}
        <input
          onChange={() => {
            // At most one whisper a second: Pusher limits client events per connection.
            if (!me || Date.now() - lastSent.current < 1000) return;
            lastSent.current = Date.now();
            whisper('typing', { id: me.id, name: me.name });
          }}
        />
      </label>
      <p aria-live="polite">{typing ? `${typing} is typing…` : '\u00a0'}</p>
    </section>
  );
}

function WhoIsHere() {
  const server = useDemoServer();
  const [bob] = useState(() => server.client({ id: 2, name: 'Bob' }));
  const [annAgain] = useState(() => server.client({ id: 1, name: 'Ann' }));
  const [showSecondAnn, setShowSecondAnn] = useState(false);
  const [showBob, setShowBob] = useState(true);
  return (
    <>
      <div className="rooms-side-by-side">
        <Room label="Ann's tab" />
        {showSecondAnn && (
          <RealtimeProvider client={annAgain}>
            <Room label="Ann's second tab" />
          </RealtimeProvider>
        )}
        {showBob && (
          <RealtimeProvider client={bob}>
            <Room label="Bob's tab" />
          </RealtimeProvider>
        )}
      </div>
      <ServerPanel>
        <button onClick={() => setShowSecondAnn((v) => !v)}>{showSecondAnn ? 'Close' : 'Open'} Ann's second tab</button>
        <button onClick={() => setShowBob((v) => !v)}>{showBob ? 'Bob leaves' : 'Bob comes back'}</button>
      </ServerPanel>
    </>
  );
}

/** What to try, and what to watch (shown above the demo). */
const GUIDE = {
  try: <>Type in a message box; press <strong>Open Ann's second tab</strong>, then <strong>Bob leaves</strong>.</>,
  watch: <>the member lists (Ann counts once in two tabs), “is typing…” in the other tab, and the members in the panel's <em>Presence</em> tab.</>,
};

const meta: Meta<typeof WhoIsHere> = {
  title: "Demos/Who is here (presence and whispers)",
  component: WhoIsHere,
  decorators: [(Story) => <DemoApp guide={GUIDE}><Story /></DemoApp>],
};
export default meta;

export const WhoIsHere_: StoryObj<typeof WhoIsHere> = {
  name: 'Who is here',
  play: async ({ canvasElement }) => {
    const canvas = within(demo(canvasElement));
    const ann = within(await canvas.findByRole('region', { name: "Ann's tab" }));
    const bob = () => within(canvas.getByRole('region', { name: "Bob's tab" }));
    await waitFor(() => expect(ann.getByText('2 here')).toBeInTheDocument());
    // One user, two tabs: still one member; closing one of them keeps her here.
    await userEvent.click(canvas.getByRole('button', { name: "Open Ann's second tab" }));
    await within(await canvas.findByRole('region', { name: "Ann's second tab" })).findByText('2 here');
    await userEvent.click(canvas.getByRole('button', { name: "Close Ann's second tab" }));
    await new Promise((resolve) => setTimeout(resolve, 300)); // a wrong leave would have arrived
    await expect(bob().getByRole('list', { name: "Bob's tab members" })).toHaveTextContent(/Ann/);
    await expect(bob().getByText('2 here')).toBeInTheDocument();
    // Typing in Ann's tab shows in Bob's, and goes 2 s after the last whisper.
    await userEvent.type(ann.getByLabelText('Message'), 'hi');
    await bob().findByText('Ann is typing…');
    await waitFor(() => expect(bob().queryByText('Ann is typing…')).toBeNull(), { timeout: 3000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Bob leaves' }));
    await ann.findByText('1 here', {}, { timeout: 3000 });
  },
};

/** The same page without a script: try it by hand. */
export const Interactive: StoryObj<typeof WhoIsHere> = {};
