import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { useRealtimeEvent, useRealtimeGlobalSubscriber } from '../../src';
import { RealtimeDevtools, RealtimeDevtoolsPanel, realtimeDevtoolsPlugin } from '../../src/devtools';
import { setup } from '../helpers';

function Orders() {
  useRealtimeEvent({ channel: 'orders', type: 'public', event: '.OrderShipped', invalidate: ['orders'] });
  return <p>orders</p>;
}

describe('the devtools panel in React (jsdom)', () => {
  test('lists an event with its payload, and the held channel, with no React warning', async () => {
    const { fake, Wrapper, settle } = setup();
    render(
      <Wrapper>
        <Orders />
        <RealtimeDevtoolsPanel />
      </Wrapper>,
    );
    await settle();
    act(() => void fake.emit('orders', '.OrderShipped', { id: 7 }));
    await waitFor(() => expect(screen.getByTestId('devtools-summary').textContent).toMatch(/^1 event · 0 fetches · 1 channel$/));
    const row = screen.getByTestId('log-event');
    expect(row.textContent).toContain('OrderShipped on orders {"id":7} → 1 binding, invalidates ["orders"]');
    fireEvent.click(within(row).getByRole('button'));
    expect(within(row).getByText(/"id": 7/)).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: /Channels/ }));
    expect(screen.getByRole('tabpanel').textContent).toMatch(/orders\s*public\s*subscribed\s*1\s*OrderShipped/);
  });

  test("a global subscriber's binding without reload counts as one binding", async () => {
    const { fake, Wrapper, settle } = setup();
    function Global() {
      useRealtimeGlobalSubscriber({ bindings: [{ channel: 'rooms', type: 'public', event: '.RoomsUpdated', invalidate: ['rooms'] }] });
      return null;
    }
    render(
      <Wrapper>
        <Global />
        <RealtimeDevtoolsPanel />
      </Wrapper>,
    );
    await settle();
    act(() => void fake.emit('rooms', '.RoomsUpdated', {}));
    await waitFor(() => expect(screen.getByTestId('log-event').textContent).toContain('RoomsUpdated on rooms {} → 1 binding, invalidates ["rooms"]'));
  });

  test('an error inside the devtools stays inside: the app goes on, the panel says what broke', async () => {
    const { client, Wrapper, settle } = setup();
    await settle();
    // React reports the error it caught (React 18 development builds also rethrow it as an
    // uncaught error event, which jsdom would print): the test expects it, silently.
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const uncaught = (e: ErrorEvent) => e.preventDefault();
    window.addEventListener('error', uncaught);
    // A client the inspector cannot read.
    vi.spyOn(client, 'getConnectionStatus').mockImplementation(() => {
      throw new Error('broken client');
    });
    render(
      <Wrapper>
        <p>the app</p>
        <RealtimeDevtoolsPanel />
        <RealtimeDevtools />
      </Wrapper>,
    );
    expect(screen.getByText('the app')).toBeTruthy();
    // Both the panel and the corner button (whose recording runs while it is closed) keep it inside.
    await waitFor(() => expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual([expect.stringMatching(/The realtime devtools stopped: broken client/), expect.stringMatching(/broken client/)]));
    window.removeEventListener('error', uncaught);
    error.mockRestore();
  });

  test('no provider and no client: it says how to give it one', () => {
    render(<RealtimeDevtoolsPanel />);
    expect(screen.getByText(/render the devtools inside <RealtimeProvider>, or pass client=\{realtime\}/)).toBeTruthy();
  });

  test('the corner button opens and closes the panel; the plugin has the shell plugin shape', async () => {
    const { Wrapper, settle } = setup();
    render(
      <Wrapper>
        <input aria-label="the app's own field" />
        <RealtimeDevtools buttonPosition="top-right" />
      </Wrapper>,
    );
    await settle();
    fireEvent.click(await screen.findByRole('button', { name: /Open the realtime devtools \(connected\)/ }));
    expect(screen.getByRole('complementary', { name: 'Realtime devtools' })).toBeTruthy();
    // Focus moves into the panel, on the section shown.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('tab', { name: /Events/ })));
    // The edge resizes it by keyboard, up to the window's size less a margin (its aria-valuemax).
    const edge = screen.getByRole('separator', { name: /Resize the realtime devtools/ });
    fireEvent.keyDown(edge, { key: 'ArrowUp' });
    expect(edge.getAttribute('aria-valuenow')).toBe('344');
    for (let i = 0; i < 40; i++) fireEvent.keyDown(edge, { key: 'ArrowUp' });
    expect(edge.getAttribute('aria-valuenow')).toBe(String(window.innerHeight - 40));
    expect(edge.getAttribute('aria-valuemax')).toBe(String(window.innerHeight - 40));
    // Escape in the app (its own dialog, say) is the app's: the panel stays open.
    fireEvent.keyDown(screen.getByLabelText("the app's own field"), { key: 'Escape' });
    expect(screen.getByRole('complementary', { name: 'Realtime devtools' })).toBeTruthy();
    // Escape inside the panel closes it; focus goes back to the button.
    fireEvent.keyDown(screen.getByRole('tab', { name: /Events/ }), { key: 'Escape' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: /Open the realtime devtools/ })));
    expect(realtimeDevtoolsPlugin({ defaultOpen: true })).toMatchObject({ id: 'echo-react-query', name: 'Realtime', defaultOpen: true, render: expect.anything() });
  });
});
