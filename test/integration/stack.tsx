/**
 * A realtime stack per test: the Pusher-protocol server, the Laravel stand-in (auth + broadcast),
 * and echo-react-query clients built the way an app builds them (real laravel-echo + pusher-js).
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import Pusher from 'pusher-js';
import type { ReactNode } from 'react';
import { afterEach, beforeEach } from 'vitest';
import { createRealtimeClient, RealtimeProvider, type RealtimeClient, type RealtimeClientOptions, type RealtimeError } from '../../src';
import { LaravelAppStub, type AppUser, type ChannelRule } from '../server/laravel-app';
import { PusherTestServer } from '../server/pusher-server';

export const USERS = {
  'ann-token': { id: 1, name: 'Ann' },
  'bob-token': { id: 2, name: 'Bob' },
};

/** routes/channels.php for the tests. */
export const RULES: ChannelRule[] = [
  { pattern: 'App.Models.User.{id}', authorize: (user, { id }) => String(user.id) === id },
  { pattern: 'App.Models.Post.{id}', authorize: () => true },
  { pattern: 'orders.{id}', authorize: () => true },
  { pattern: 'admin.dashboard', authorize: () => false },
  { pattern: 'vault.{id}', authorize: () => true },
  { pattern: 'room.{id}', authorize: (user) => ({ id: user.id, name: user.name }) },
];

/** The servers and a client factory; `users`: bearer token -> user (Ann and Bob by default). */
export async function startStack(users: Record<string, AppUser> = USERS) {
  const server = await new PusherTestServer().start();
  const app = await new LaravelAppStub({ server, users, channels: RULES }).start();
  const clients: RealtimeClient[] = [];
  const errors: RealtimeError[] = [];

  /** A client as an app makes it: Reverb options from env, pusher-js, a token getter. */
  function makeClient(options: Partial<RealtimeClientOptions> & { token?: () => string | null } = {}) {
    const { token = () => 'ann-token', ...rest } = options;
    const client = createRealtimeClient({
      echo: { broadcaster: 'reverb', ...server.clientOptions(), authEndpoint: app.authEndpoint, Pusher },
      getToken: token,
      onError: (error) => errors.push(error),
      leaveGraceMs: 200,
      ...rest,
    });
    clients.push(client);
    return client;
  }

  async function stop() {
    for (const client of clients) client.dispose();
    await server.stop();
    await app.stop();
  }

  return { server, app, makeClient, wrapper: providers, errors, stop };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/** A fresh stack for every test of the file, stopped after it: `let stack: Stack; stackPerTest((s) => (stack = s));` */
export function stackPerTest(use: (stack: Stack) => void, users?: Record<string, AppUser>): void {
  let current: Stack | undefined;
  beforeEach(async () => {
    current = await startStack(users);
    use(current);
  });
  afterEach(async () => {
    await current?.stop();
  });
}

/** A wrapper providing a fresh QueryClient and `client`, for render(). */
export function providers(client: RealtimeClient | null, queryClient = newQueryClient()) {
  return function Wrapper({ children }: { children?: ReactNode }) {
    return (
      <QueryClientProvider client={queryClient}>
        <RealtimeProvider client={client}>{children}</RealtimeProvider>
      </QueryClientProvider>
    );
  };
}

export function newQueryClient() {
  return new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity, gcTime: Infinity } } });
}
