/**
 * The page of test/browser/dispose.test.ts: a client as an app makes it (real laravel-echo and
 * pusher-js, its own Echo), driven from the test through `window.page`. The servers come in the
 * query string: `?ws=<port>&auth=<auth endpoint URL>`.
 */
import type { ChannelLease, ChannelType, RealtimeClient } from 'echo-react-query';
import { pageClient } from '../page-client';

let client: RealtimeClient | null = null;
const leases = new Map<string, ChannelLease>();

const page = {
  create(): void {
    client = pageClient();
  },
  hold(channel: string, type: ChannelType): void {
    leases.set(`${type}:${channel}`, client!.acquire({ channel, type }));
  },
  release(channel: string, type: ChannelType): void {
    leases.get(`${type}:${channel}`)?.release();
    leases.delete(`${type}:${channel}`);
  },
  channel(channel: string, type: ChannelType): string {
    return client!.channels.getSnapshot({ channel, type }).status;
  },
  status(): string {
    return client!.getConnectionStatus();
  },
  connect: () => client!.connect(),
  disconnect: () => client!.disconnect(),
  dispose: () => client!.dispose(),
  /** Resolves after one macrotask: whatever the page deferred before this call (pusher-js's sends) has run. */
  turn: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
};

(window as unknown as { page: typeof page }).page = page;
