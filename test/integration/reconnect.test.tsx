// Twenty restarts of the Pusher-protocol server with random outages while events keep coming, four
// clients with mixed bindings: each is current again soon after every restart, over real sockets.
import { useQuery } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { expect, test } from 'vitest';
import { useConnectionStatus, useRealtimeEvent, useRealtimeGlobalSubscriber, type RealtimeClient } from '../../src';
import { stackPerTest, type Stack } from './stack';

let stack: Stack;
stackPerTest((s) => (stack = s));

const RESTARTS = 20;
/** pusher-js alone rejoins 12-16 s after the server is back; a client must be current well before. */
const CURRENT_WITHIN_MS = 8000;

/** A seeded generator, so a failing run can be replayed (`RECONNECT_SEED=...`). */
function random(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) % 2 ** 32;
    return seed / 2 ** 32;
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

test(`${RESTARTS} restarts with random outages, events flowing: every client current again after each, status truthful`, async () => {
  const { server, app, makeClient, wrapper, errors } = stack;
  const seed = Number(process.env.RECONNECT_SEED ?? Date.now() % 100_000);
  const rand = random(seed);
  const db = { orders: 0, feed: 0 };

  /** What each client shows, read outside React. */
  interface Seen {
    status: string;
    orders?: number;
    feed?: number;
  }
  const seen: Seen[] = [];
  const clients: RealtimeClient[] = [];
  function Value({ k, i }: { k: keyof typeof db; i: number }) {
    const { data } = useQuery({ queryKey: [k], queryFn: async () => db[k] });
    seen[i][k] = data;
    return null;
  }
  // Mixed bindings: a private channel through the global subscriber, a public one through a hook, or both.
  function App({ i }: { i: number }) {
    seen[i].status = useConnectionStatus();
    const withOrders = i !== 1;
    const withFeed = i !== 0;
    useRealtimeGlobalSubscriber({ bindings: [{ channel: 'orders.7', event: '.OrderChanged', invalidate: ['orders'] }], enabled: withOrders });
    useRealtimeEvent({ channel: 'feed', type: 'public', event: '.FeedChanged', invalidate: ['feed'], enabled: withFeed });
    return (
      <>
        {withOrders && <Value k="orders" i={i} />}
        {withFeed && <Value k="feed" i={i} />}
      </>
    );
  }
  for (let i = 0; i < 4; i++) {
    seen.push({ status: 'idle' });
    const client = makeClient({ token: () => (i % 2 ? 'bob-token' : 'ann-token') });
    clients.push(client);
    render(<App i={i} />, { wrapper: wrapper(client) });
  }
  const keysOf = (i: number): (keyof typeof db)[] => (i === 0 ? ['orders'] : i === 1 ? ['feed'] : ['orders', 'feed']);
  const current = (i: number, at: Record<keyof typeof db, number>) =>
    seen[i].status === 'connected' && keysOf(i).every((k) => (seen[i][k] ?? -1) >= at[k]);
  const until = async (condition: () => boolean, timeoutMs: number, what: string) => {
    const start = Date.now();
    while (!condition()) {
      if (Date.now() - start > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (seed ${seed})`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  await until(() => server.subscribers('feed').length === 3 && server.subscribers('private-orders.7').length === 3, 5000, 'subscriptions');

  // A producer changes data and broadcasts all along, whatever the server's state.
  let producing = true;
  const producer = (async () => {
    while (producing) {
      const k = rand() < 0.5 ? 'orders' : 'feed';
      db[k] += 1;
      await app.broadcast(k === 'orders' ? 'private-orders.7' : 'feed', k === 'orders' ? 'OrderChanged' : 'FeedChanged', {}).catch(() => {});
      await new Promise((r) => setTimeout(r, 30));
    }
  })();

  const times: number[] = [];
  const outages: number[] = [];
  for (let restart = 0; restart < RESTARTS; restart++) {
    const before = { ...db };
    await until(() => seen.every((_, i) => current(i, before)), CURRENT_WITHIN_MS, 'every client live before the restart');
    const outage = Math.round(200 + rand() * 2300);
    outages.push(outage);
    await server.stop();
    // Truthful status: reconnecting as soon as the socket is dead (pusher-js alone keeps saying
    // `connected` for 1 s after the close).
    await until(() => seen.every((s) => s.status === 'reconnecting'), 500, 'reconnecting shown');
    await new Promise((r) => setTimeout(r, outage));
    await server.start();
    const back = Date.now();
    const at = { ...db }; // what the server holds the moment it is back
    const done = seen.map(() => false);
    await until(
      () => {
        seen.forEach((_, i) => {
          if (!done[i] && current(i, at)) {
            done[i] = true;
            times.push(Date.now() - back);
          }
        });
        return done.every(Boolean);
      },
      CURRENT_WITHIN_MS,
      `every client current after restart ${restart + 1} (outage ${outage} ms)`,
    );
    // One socket per client: nothing opened twice, nothing left behind.
    await until(() => server.connectionCount === clients.length, 2000, 'one connection per client');
  }
  producing = false;
  await producer;
  // In the end every client shows exactly the server's data.
  await until(() => seen.every((s, i) => keysOf(i).every((k) => s[k] === db[k])), 5000, 'the final state');
  console.info(
    `[reconnect] seed ${seed}: ${RESTARTS} restarts (outages ${Math.min(...outages)}-${Math.max(...outages)} ms) x ${clients.length} clients: ` +
      `server back -> client current: median ${median(times)} ms, max ${Math.max(...times)} ms`,
  );
  expect(times).toHaveLength(RESTARTS * clients.length);
  expect(errors).toEqual([]);
}, 180_000);
