// The roster on Echo's here / joining / leaving (connectors other than pusher-js and socket.io's
// support): member events before the list are held and applied on top of it (issue #21). The
// Pusher-protocol and socket.io wires are tested in test/integration/presence-race.test.tsx and
// test/core/socketio.test.ts.
import { describe, expect, test, vi } from 'vitest';
import { PresenceRoster } from '../../src/core/presence';

type Member = { id: number; name: string };
const [ann, bob, cy, dan] = (['Ann', 'Bob', 'Cy', 'Dan'] as const).map((name, i) => ({ id: i + 1, name }));

/** A presence channel of a connector that only offers Echo's here / joining / leaving. */
function echoPresenceChannel() {
  const callbacks = { here: [] as CallableFunction[], joining: [] as CallableFunction[], leaving: [] as CallableFunction[] };
  const channel = {
    listen: () => channel,
    stopListening: () => channel,
    subscribed: () => channel,
    error: () => channel,
    here: (cb: CallableFunction) => callbacks.here.push(cb),
    joining: (cb: CallableFunction) => callbacks.joining.push(cb),
    leaving: (cb: CallableFunction) => callbacks.leaving.push(cb),
  };
  const fire = (which: keyof typeof callbacks, payload: unknown) => callbacks[which].forEach((cb) => cb(payload));
  return { channel, fire };
}

function roster() {
  const announced: string[] = [];
  const r = new PresenceRoster(vi.fn(), (listener, which, member) => listener[which]?.(member));
  r.listeners.add({
    onJoin: (m) => announced.push(`+${(m as Member).name}`),
    onLeave: (m) => announced.push(`-${(m as Member).name}`),
  });
  const names = () => r.snapshot.members.map((m) => (m as Member).name);
  return { r, announced, names };
}

describe('member events that race the member list', () => {
  test("Echo's here / joining / leaving: events before the list are applied on top of it, in order; each real change announced once", () => {
    const { r, announced, names } = roster();
    const first = echoPresenceChannel();
    const onListed = vi.fn();
    r.bind(first.channel, () => true, onListed, undefined);
    first.fire('joining', cy); // after the list was computed: the list lacks Cy
    first.fire('joining', bob); // in the list too: an add is idempotent
    first.fire('leaving', dan); // listed, but gone since: the removal wins
    expect(names()).toEqual([]);
    first.fire('here', [ann, bob, dan]);
    expect(onListed).toHaveBeenCalledTimes(1);
    expect(names()).toEqual(['Ann', 'Bob', 'Cy']);
    // As if the list had come first: Cy joined and Dan left after it; Bob was in it.
    expect(announced).toEqual(['+Cy', '-Dan']);

    // Live: changes apply at once, a repeated join or an unknown leave changes nothing.
    first.fire('joining', dan);
    first.fire('joining', dan);
    first.fire('leaving', { id: 9, name: 'Nobody' });
    expect(names()).toEqual(['Ann', 'Bob', 'Cy', 'Dan']);
    expect(announced).toEqual(['+Cy', '-Dan', '+Dan']);
  });

  test('a new subscription (a new connection) holds events again; the new list is compared with the last members', () => {
    const { r, announced, names } = roster();
    const first = echoPresenceChannel();
    r.bind(first.channel, () => true, vi.fn(), undefined);
    first.fire('here', [ann, bob, cy]);
    announced.length = 0;

    const second = echoPresenceChannel();
    r.bind(second.channel, () => true, vi.fn(), undefined);
    second.fire('joining', dan); // joined after the new list was computed
    second.fire('leaving', cy); // left after it
    expect(names()).toEqual(['Ann', 'Bob', 'Cy']); // the last members, until the new list
    second.fire('here', [ann, cy]); // Bob left while the connection was replaced
    expect(names()).toEqual(['Ann', 'Dan']);
    expect(announced.sort()).toEqual(['+Dan', '-Bob', '-Cy']);
  });

  test('events held for a subscription that never got its list are void once another starts', () => {
    const { r, announced, names } = roster();
    const first = echoPresenceChannel();
    r.bind(first.channel, () => true, vi.fn(), undefined);
    first.fire('joining', dan);
    r.subscribing(); // a drop before the list: Dan may have left meanwhile, unseen
    first.fire('here', [ann]);
    expect(names()).toEqual(['Ann']);
    expect(announced).toEqual([]);
  });
});
