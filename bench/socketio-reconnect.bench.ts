/**
 * socket.io after a server restart: a fleet of clients on Echo's socket.io broadcaster
 * (socket.io-client 2, as laravel-echo-server speaks) loses laravel-echo-server for 1-30 s. For each
 * client: the time from "server ready" to connected with its channel joined again, and the
 * reconnection attempts over time (socket.io-client's own `reconnect_attempt` events), to compare
 * with the Pusher-protocol numbers of bench/reconnect.bench.tsx. Needs redis-server.
 * Run: `npm run bench:socketio-reconnect` (BENCH_CLIENTS, BENCH_OUTAGES="1,3,10,30").
 */
import io from 'socket.io-client';
import { createRealtimeClient, type RealtimeClient } from '../src';
import { hasRedisServer, SocketIoStack } from '../test/server/socketio-stack';

const N = Number(process.env.BENCH_CLIENTS ?? 50);
const OUTAGES = (process.env.BENCH_OUTAGES ?? '1,3,10,30').split(',').map(Number);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

if (!hasRedisServer()) {
  console.error('redis-server is required (apt-get install redis-server)');
  process.exit(1);
}
// Public channels only: laravel-echo-server never calls the auth host.
const stack = await new SocketIoStack('http://127.0.0.1:9').start();
const attempts: number[] = [];
const clients: RealtimeClient[] = [];
for (let i = 0; i < N; i++) {
  const client = createRealtimeClient({ echo: stack.echoOptions(io), onError: () => {} });
  client.acquire({ channel: 'feed', type: 'public' });
  clients.push(client);
  const socket = (client.getEcho() as unknown as { connector: { socket: { io: { on(e: string, f: () => void): void } } } }).connector.socket;
  socket.io.on('reconnect_attempt', () => attempts.push(Date.now()));
}
const live = (client: RealtimeClient) =>
  client.getConnectionStatus() === 'connected' && client.channels.getSnapshot({ channel: 'feed', type: 'public' }).status === 'subscribed';
while (!clients.every(live)) await sleep(20);
console.log(`${N} socket.io clients connected`);

const rows: string[] = [];
for (const outage of OUTAGES) {
  attempts.length = 0;
  const down = Date.now();
  await stack.stopEchoServer();
  await sleep(outage * 1000);
  await stack.startEchoServer(); // resolves on "Server ready!"
  const back = Date.now();
  const times = new Map<RealtimeClient, number>();
  while (times.size < N && Date.now() - back < 60_000) {
    for (const client of clients) if (!times.has(client) && live(client)) times.set(client, Date.now() - back);
    await sleep(10);
  }
  const t = [...times.values()];
  const after = attempts.filter((a) => a >= back).map((a) => a - back);
  const buckets = new Map<number, number>();
  for (const a of after) buckets.set(Math.floor(a / 100), (buckets.get(Math.floor(a / 100)) ?? 0) + 1);
  const during = attempts.filter((a) => a >= down && a < back).length;
  const peak = Math.max(0, ...buckets.values());
  rows.push(
    `| ${outage} s | ${pct(t, 0.5)} ms | ${pct(t, 0.9)} ms | ${Math.max(...t)} ms | ${N - t.length} | ${during} | ${after.length} | ${peak} |`,
  );
  console.log(rows.at(-1));
  await sleep(1000);
}
console.log(`\n${N} clients, socket.io-client 2.5 defaults (reconnectionDelay 1000, reconnectionDelayMax 5000, randomizationFactor 0.5)\n`);
console.log('| outage | median back -> live | p90 | max | never | attempts during outage | attempts after back | peak attempts / 100 ms |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
for (const client of clients) client.dispose();
await stack.stop();
process.exit(0);
