// The reconnect schedule, on fake timers and a pusher-js stand-in that records every attempt.
import { focusManager, onlineManager } from '@tanstack/query-core';
import { describe, expect, test, vi } from 'vitest';
import { createRealtimeClient } from '../../src';
import { backoffDelay, createRetrier } from '../../src/core/connection';
import { createFakeEcho } from '../../src/testing';
import { connected, fakePusher, gaps, microtasks, retriers, withReconnectTestClock } from './pusher-stand-in';

withReconnectTestClock();

describe('backoff with full jitter', () => {
  test('each delay is uniform in [0, min(cap, base * 2^attempt)]', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const bound = Math.min(3000, 500 * 2 ** attempt);
      const samples = Array.from({ length: 2000 }, () => backoffDelay(attempt, 500, 3000));
      expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...samples)).toBeLessThan(bound);
      // Full jitter, not "half" jitter: the low end is used as much as the high end.
      expect(samples.filter((d) => d < bound / 4).length).toBeGreaterThan(2000 * 0.2);
      expect(samples.filter((d) => d > (3 * bound) / 4).length).toBeGreaterThan(2000 * 0.2);
    }
  });

  test('the longest schedule: base doubling up to the cap, so the server is tried at least every cap', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { fake } = connected({ baseMs: 500, capMs: 5000 });
    fake.drop();
    await microtasks();
    vi.advanceTimersByTime(40_000);
    expect(gaps(fake.attempts)).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000, 5000, 5000, 5000]);
    expect(fake.ownAttempts).toEqual([]); // pusher-js's own 1 s retry never ran
    expect(fake.overlapping).toBe(0);
  });

  test('an attempt still opening (a slow handshake) is never replaced, up to pusher-js\'s own 15 s', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.01);
    const { fake } = connected();
    fake.slow();
    fake.drop();
    await microtasks();
    vi.advanceTimersByTime(14_000);
    expect(fake.attempts).toEqual([5]); // every other attempt was due long ago
    fake.accept();
    expect(fake.attempts).toEqual([5]);

    fake.drop(); // and one that never answers is replaced after 15 s
    await microtasks();
    const from = Date.now();
    vi.advanceTimersByTime(15_500);
    const [first, second] = fake.attempts.slice(1).map((t) => t - from);
    expect(first).toBe(10);
    expect(second).toBeGreaterThanOrEqual(15_010); // looked at every 250 ms until then
    expect(second).toBeLessThanOrEqual(15_010 + 250);
    expect(fake.overlapping).toBe(0);
  });

  test('a connection that stayed up resetAfterMs starts the next outage from base; a shorter one does not', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { fake } = connected({ baseMs: 500, capMs: 5000, resetAfterMs: 10_000 });
    fake.drop();
    await microtasks();
    vi.advanceTimersByTime(3500); // attempts at 500, 1500, 3500
    expect(fake.attempts).toHaveLength(3);
    fake.accept();
    vi.advanceTimersByTime(2000); // up for 2 s only: the server is flapping
    fake.drop();
    await microtasks();
    let from = Date.now();
    fake.attempts.length = 0;
    vi.advanceTimersByTime(4000);
    expect(fake.attempts.map((t) => t - from)).toEqual([4000]); // continues at 2^3 * base
    expect(fake.ownAttempts).toEqual([]); // and pusher-js's 1 s retry did not jump in meanwhile

    fake.accept();
    vi.advanceTimersByTime(10_000); // stable
    fake.drop();
    await microtasks();
    from = Date.now();
    fake.attempts.length = 0;
    vi.advanceTimersByTime(1500);
    expect(fake.attempts.map((t) => t - from)).toEqual([500, 1500]);
  });
});

describe('what the retrier reports and owns', () => {
  test('"connecting" from the moment the socket is known dead, through every retry, until connected', async () => {
    const { fake, retrier, changes } = connected();
    expect(retrier.current()).toBe('connected');
    fake.drop();
    expect(retrier.current()).toBe('connecting');
    await microtasks();
    expect(fake.pusher.connection.state).toBe('disconnected'); // pusher-js's own 1 s retry is cancelled
    vi.advanceTimersByTime(10_000);
    expect(fake.ownAttempts).toEqual([]);
    expect(changes).toEqual(['connecting']); // our own disconnect()/connect() are not news
    fake.accept();
    expect(changes).toEqual(['connecting', 'connected']);
  });

  test('an attempt pusher-js starts itself (a pong timeout) starts the schedule and is given its course', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.01);
    const { fake, retrier } = connected();
    fake.slow();
    fake.ownRetry();
    expect(retrier.current()).toBe('connecting');
    vi.advanceTimersByTime(5000);
    expect(fake.attempts).toEqual([]); // its transport is still opening
    fake.accept();
    expect(retrier.current()).toBe('connected');
  });

  test('disconnect() by the app, or a refusal by the server (4001-4099): no retry', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { fake, retrier } = connected();
    fake.drop();
    await microtasks();
    vi.advanceTimersByTime(250);
    expect(fake.attempts).toEqual([250]);
    fake.refuse(); // the attempt is refused
    expect(retrier.current()).toBe('disconnected');
    vi.advanceTimersByTime(60_000);
    expect(fake.attempts).toEqual([250]);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('reconnect: false reports the truth and leaves retrying to pusher-js', async () => {
    const { fake, retrier } = connected(false);
    fake.drop();
    expect(retrier.current()).toBe('connecting'); // not the `connected` pusher-js still says
    await microtasks();
    vi.advanceTimersByTime(1000);
    expect(fake.ownAttempts).toEqual([1000]);
    expect(fake.attempts).toEqual([]);
    expect(retrier.current()).toBe('connecting');
  });

  test('a pusher-js without a timeline (the in-memory test kit) is watched, not driven', async () => {
    const fake = createFakeEcho();
    const client = createRealtimeClient({ echo: fake.echo });
    client.connect();
    await fake.flush();
    expect(client.getConnectionStatus()).toBe('connected');
    const pusher = (client.getEcho() as unknown as { connector: { pusher: { connection: { bind(e: string, f: (c: { current: string }) => void): void } } } }).connector.pusher;
    const states: string[] = [];
    pusher.connection.bind('state_change', (change) => states.push(change.current));
    fake.setConnectionState('connecting');
    vi.advanceTimersByTime(30_000);
    expect(states).toEqual(['connecting']); // the test decides when it comes back
    expect(client.getConnectionStatus()).toBe('reconnecting');
    client.dispose();
  });

  test('stop() leaves no timer, no connection listener and no TanStack subscription', async () => {
    const { fake, retrier } = connected();
    fake.drop();
    await microtasks();
    expect(vi.getTimerCount()).toBe(1);
    retrier.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(fake.listenerCount).toBe(0);
    expect(onlineManager.hasListeners()).toBe(false);
    expect(focusManager.hasListeners()).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(fake.attempts).toEqual([]);
  });
});

describe('what pusher-js does behind the connection API', () => {
  test('a close with a code (4200, 4100): the retry pusher-js armed for the code is parked again, the first attempt is ours', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.8);
    for (const codeDelay of [0, 1000]) {
      const { fake, retrier } = connected({ baseMs: 2000 }); // our first attempt after pusher-js's timers
      fake.dropWithCode(codeDelay);
      await microtasks();
      const from = Date.now();
      await vi.advanceTimersByTimeAsync(codeDelay); // pusher-js's leftover timer fires: parked again
      expect(fake.pusher.connection.state).toBe('disconnected');
      expect(retrier.current()).toBe('connecting');
      await vi.advanceTimersByTimeAsync(1600 - codeDelay);
      expect(fake.attempts.map((t) => t - from)).toEqual([1600]); // 0.8 of 2000 ms
      expect(fake.overlapping).toBe(0);
      retrier.stop();
    }
  });

  test('an attempt that fails at once (pusher-js finds no supported transport: `failed`) ends the retrying', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { fake, retrier } = connected();
    fake.drop();
    await microtasks();
    fake.pusher.connect = () => {
      fake.attempts.push(Date.now());
      fake.pusher.connection.state = 'failed'; // set inside connect(), while the retrier ignores its own transitions
    };
    vi.advanceTimersByTime(250);
    expect(fake.attempts).toEqual([250]);
    expect(retrier.current()).toBe('failed');
    vi.advanceTimersByTime(60_000);
    expect(fake.attempts).toEqual([250]);
  });

  test('a handshake already under way when the client attaches is not replaced', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.01);
    const fake = fakePusher();
    fake.slow();
    fake.pusher.connect(); // Echo made at boot; the client attaches later
    vi.advanceTimersByTime(100);
    retriers.push(createRetrier(fake.pusher, {}, () => {}));
    vi.advanceTimersByTime(1400);
    expect(fake.attempts).toEqual([0]);
    fake.accept();
    expect(fake.pusher.connection.state).toBe('connected');
  });

  test('an attempt is not replaced before pusher-js could start its fallback transport (wss 2 s after ws without TLS)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.01);
    const { fake } = connected({}, ['ws', 'wss']);
    const { fake: wsOnly } = connected();
    for (const f of [fake, wsOnly]) f.drop();
    await microtasks();
    vi.advanceTimersByTime(3000);
    const [first, second] = fake.attempts;
    expect(first).toBe(5);
    expect(second - first).toBeGreaterThanOrEqual(2000); // looked at every 250 ms until then
    expect(second - first).toBeLessThanOrEqual(2250);
    expect(wsOnly.attempts.length).toBeGreaterThan(10); // nothing to wait for: the quick schedule
  });
});

describe('online and visible again', () => {
  test('offline: one attempt per cap at most (in case the signal is wrong); back online: an attempt at once, the backoff started over', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.1);
    const { fake } = connected();
    fake.drop();
    await microtasks();
    vi.advanceTimersByTime(3000); // online: short jittered delays (0.1 of 500, 1000, 2000, 3000 ms...)
    expect(fake.attempts.length).toBeGreaterThan(10);
    onlineManager.setOnline(false);
    const from = fake.attempts.length;
    vi.advanceTimersByTime(30_000);
    expect(fake.attempts.length - from).toBe(10); // one per capMs (3 s)
    expect(Math.min(...gaps(fake.attempts.slice(from)).slice(1))).toBe(3000);
    const back = Date.now();
    onlineManager.setOnline(true);
    expect(fake.attempts.at(-1)).toBe(back);
    vi.advanceTimersByTime(100);
    expect(fake.attempts.at(-1)! - back).toBe(100); // base again: 0.1 * 500 * 2
  });

  test('visible again: an attempt at once', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { fake } = connected();
    fake.drop();
    await microtasks();
    vi.advanceTimersByTime(20_000); // the last attempt at 18500, the next due at 21500
    const count = fake.attempts.length;
    focusManager.setFocused(false);
    vi.advanceTimersByTime(1000);
    focusManager.setFocused(true);
    expect(fake.attempts).toHaveLength(count + 1);
    expect(fake.attempts.at(-1)).toBe(Date.now());
  });

  test('visible again while offline: no attempt (the online signal will come)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { fake } = connected();
    fake.drop();
    await microtasks();
    vi.advanceTimersByTime(1000);
    onlineManager.setOnline(false);
    const count = fake.attempts.length;
    focusManager.setFocused(false);
    focusManager.setFocused(true);
    expect(fake.attempts).toHaveLength(count);
  });

  test('no attempt while one is in flight, and none when connected', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { fake } = connected();
    focusManager.setFocused(false);
    focusManager.setFocused(true);
    onlineManager.setOnline(false);
    onlineManager.setOnline(true);
    expect(fake.attempts).toEqual([]); // connected: nothing to do
    fake.slow();
    fake.drop();
    await microtasks();
    vi.advanceTimersByTime(500); // the first attempt, still opening
    expect(fake.attempts).toEqual([500]);
    focusManager.setFocused(false);
    focusManager.setFocused(true);
    onlineManager.setOnline(false);
    onlineManager.setOnline(true);
    expect(fake.attempts).toEqual([500]);
    expect(fake.overlapping).toBe(0);
  });
});
