// Seed 000: who is here. Two tabs side by side, each its own connection: Ann (in both) and Bob.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { RealtimeProvider, usePresence, useRealtimeEvent } from 'echo-react-query';
import { useEffect, useRef, useState } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { DemoApp, ServerPanel, useDemoServer } from './demo-server';

type Member = { id: number; name: string };

function Room({ label }: { label: string }) {
  const { members, me, count, whisper } = usePresence<Member>({ channel: 'room.1' });
  const [typing, setTyping] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  // Whispers are client events: the other members see who types, for 2 s after the last key.
  useRealtimeEvent({
    channel: 'room.1',
    type: 'presence',
    event: '.client-typing',
    onEvent: (e: { name: string }) => {
      setTyping(e.name);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setTyping(null), 2000);
    },
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <section aria-label={label} style={{ flex: 1, padding: 12, border: '1px solid #ccc', borderRadius: 8 }}>
      <h3>{label}</h3>
      <p>{count} here</p>
      <ul aria-label={`${label} members`}>
        {members.map((m) => (
          <li key={m.id}>{m.name}{m.id === me?.id ? ' (you)' : ''}</li>
        ))}
      </ul>
      <label>
        Message <input onChange={() => me && whisper('typing', { name: me.name })} />
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
      <div style={{ display: 'flex', gap: 12 }}>
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

const meta: Meta<typeof WhoIsHere> = {
  title: "Demos/Who is here (presence and whispers)",
  component: WhoIsHere,
  decorators: [(Story) => <DemoApp><Story /></DemoApp>],
};
export default meta;

export const WhoIsHere_: StoryObj<typeof WhoIsHere> = {
  name: 'Who is here',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const ada = within(await canvas.findByRole('region', { name: "Ann's tab" }));
    await waitFor(() => expect(ada.getByText('2 here')).toBeInTheDocument());
    // One user, two tabs: still one member.
    await userEvent.click(canvas.getByRole('button', { name: "Open Ann's second tab" }));
    await within(await canvas.findByRole('region', { name: "Ann's second tab" })).findByText('2 here');
    await expect(ada.getByText('2 here')).toBeInTheDocument();
    // Typing in Ann's tab shows in Bob's.
    await userEvent.type(ada.getByLabelText('Message'), 'hi');
    await within(canvas.getByRole('region', { name: "Bob's tab" })).findByText('Ann is typing…');
    await userEvent.click(canvas.getByRole('button', { name: 'Bob leaves' }));
    await ada.findByText('1 here', {}, { timeout: 3000 });
  },
};

/** The same page without a script: try it by hand. */
export const Interactive: StoryObj<typeof WhoIsHere> = {};
