import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, onTestFinished, test, vi } from 'vitest';
import {
  createRealtimeClient,
  RealtimeProvider,
  usePresence,
  useRealtimeChannel,
  useRealtimeEvent,
  useRealtimeGlobalSubscriber,
  useRealtimeModel,
  useRealtimeModels,
  useRealtimeMutation,
  useRealtimeNotifications,
  type RealtimeClient,
} from '../../src';
import { resetWarnings } from '../../src/core/shared';
import { createFakeEcho, type FakeEcho } from '../../src/testing';

// Each test starts as a fresh page: nothing warned yet.
beforeEach(() => resetWarnings());
afterEach(() => vi.unstubAllEnvs());

/** Console warnings from here on (the spy keeps them from failing the test in test/setup.ts). */
function recordWarnings(): () => string[] {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  return () => warn.mock.calls.map(([m]) => String(m));
}

/** A client on a fake server, and a RealtimeProvider with no QueryClientProvider around it. */
function withoutQueryClient() {
  const fake = createFakeEcho();
  const client = createRealtimeClient({ echo: fake.echo, onError: () => {} });
  const Wrapper = ({ children }: { children?: ReactNode }) => <RealtimeProvider client={client}>{children}</RealtimeProvider>;
  return { fake, client, Wrapper, settle: () => act(() => fake.flush()) };
}

const NO_QUERY_CLIENT = /invalidates or writes queries, but there is no QueryClient.*inside <QueryClientProvider client=\{queryClient\}>.*`queryClient` option/;

describe('a hook that needs a QueryClient, under RealtimeProvider without one', () => {
  test.each<[string, () => void]>([
    ['useRealtimeEvent with invalidate', () => useRealtimeEvent({ channel: 'a', event: '.X', invalidate: ['a'] })],
    ['useRealtimeEvent with setQueryData', () => useRealtimeEvent({ channel: 'a', event: '.X', setQueryData: { queryKey: ['a'], updater: (p) => p } })],
    ['useRealtimeEvent with updateCache', () => useRealtimeEvent({ channel: 'a', event: '.X', updateCache: () => {}, recover: ['a'] })],
    ['useRealtimeChannel with a reaction', () => void useRealtimeChannel({ channel: 'a', events: { '.X': { invalidate: ['a'] } } })],
    ['useRealtimeGlobalSubscriber', () => useRealtimeGlobalSubscriber({ bindings: [{ channel: 'a', event: '.X', invalidate: ['a'] }] })],
    ['useRealtimeModel', () => void useRealtimeModel({ model: 'App.Models.Post', id: 1, queryKey: ['posts', 1] })],
    ['useRealtimeModels', () => void useRealtimeModels({ model: 'App.Models.Post', channel: 'App.Models.User.1', lists: [['posts']] })],
    ['useRealtimeNotifications', () => void useRealtimeNotifications({ userId: 1 })],
  ])('%s warns at mount, before any event, once for the app, with the fix', async (_name, hook) => {
    const warnings = recordWarnings();
    const { Wrapper, settle } = withoutQueryClient();
    function Hook() {
      hook();
      return null;
    }
    render(
      <>
        <Hook />
        <Hook />
      </>,
      { wrapper: Wrapper },
    );
    expect(warnings()).toEqual([expect.stringMatching(NO_QUERY_CLIENT)]);
    await settle();
    render(<Hook />, { wrapper: Wrapper }); // another tree, another mount: still once
    expect(warnings()).toHaveLength(1);
  });

  test('a hook with only onEvent, a plain handler, usePresence, or a queryClient option stays quiet', async () => {
    const warnings = recordWarnings();
    const { Wrapper, settle, fake } = withoutQueryClient();
    const queryClient = new QueryClient();
    const seen: unknown[] = [];
    function Hooks() {
      useRealtimeEvent({ channel: 'a', event: '.X', onEvent: (p) => seen.push(p) });
      useRealtimeChannel({ channel: 'b', events: { '.Y': (p) => seen.push(p) } });
      usePresence({ channel: 'room' });
      useRealtimeEvent({ channel: 'c', event: '.Z', invalidate: ['c'], queryClient });
      useRealtimeModel({ model: 'App.Models.Post', id: 1, queryKey: ['posts', 1], queryClient });
      return null;
    }
    render(<Hooks />, { wrapper: Wrapper });
    await settle();
    act(() => void fake.emit('private-a', '.X', { id: 1 }));
    expect(seen).toEqual([{ id: 1 }]);
    expect(warnings()).toEqual([]);
  });

  test('useRealtimeMutation without a QueryClient fails at mount already, with TanStack error naming the fix', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {}); // React reports the render error
    // React 18 rethrows it through a window error event too, which jsdom would print as uncaught.
    const swallow = (event: ErrorEvent) => event.preventDefault();
    window.addEventListener('error', swallow);
    onTestFinished(() => window.removeEventListener('error', swallow));
    const { Wrapper } = withoutQueryClient();
    function Mutation() {
      useRealtimeMutation({ mutationFn: async () => null, confirm: { channel: 'a', event: '.X' } });
      return null;
    }
    expect(() => render(<Mutation />, { wrapper: Wrapper })).toThrow(/No QueryClient set, use QueryClientProvider/);
  });
});

describe('a refused private or presence channel', () => {
  /** A client and a provider with a QueryClient; `echo` options to create its own Echo on the fake. */
  function refusing(status: number, authEndpoint?: string) {
    const fake = createFakeEcho();
    const errors: unknown[] = [];
    const client = createRealtimeClient({
      echo: authEndpoint ? { broadcaster: 'reverb', key: 'k', Pusher: fake.Pusher, authEndpoint } : fake.echo,
      onError: (e) => errors.push(e),
    });
    const Wrapper = ({ children }: { children?: ReactNode }) => (
      <QueryClientProvider client={new QueryClient()}>
        <RealtimeProvider client={client}>{children}</RealtimeProvider>
      </QueryClientProvider>
    );
    return { fake, client, errors, Wrapper, refuse: (wire: string) => fake.failAuth(wire, status) };
  }

  async function settleOn(fake: FakeEcho) {
    await act(() => fake.flush());
  }

  test('a 403 warns once per channel with both likely fixes: public in Laravel, or the channel rule and the user', async () => {
    const warnings = recordWarnings();
    const { fake, Wrapper, refuse, errors } = refusing(403);
    refuse('private-admin');
    refuse('private-billing.7');
    function Two({ channel }: { channel: string }) {
      useRealtimeChannel({ channel });
      useRealtimeEvent({ channel, event: '.X', onEvent: () => {} });
      return null;
    }
    render(
      <>
        <Two channel="admin" />
        <Two channel="billing.7" />
      </>,
      { wrapper: Wrapper },
    );
    await settleOn(fake);
    // Refused again after a reconnect: nothing new to say.
    act(() => fake.setConnectionState('unavailable'));
    act(() => fake.setConnectionState('connected'));
    await settleOn(fake);
    expect(fake.stats('private-admin').authRequests).toBe(2);
    expect(warnings()).toEqual([
      '[echo-react-query] /broadcasting/auth refused "private-admin" (HTTP 403). If Laravel broadcasts it on a public ' +
        "channel (new Channel('admin')), subscribe with type: 'public' (channels are private by default here). " +
        "Otherwise, check its rule in routes/channels.php (Broadcast::channel('admin', ...) must return true, or the " +
        "member's data on a presence channel) and that the auth request carries the user: the session cookie, or a " +
        'token from `getToken`.',
      expect.stringContaining('refused "private-billing.7" (HTTP 403)'),
    ]);
    expect(errors).toHaveLength(4); // each refusal is still reported to onError
  });

  test('a refused presence channel: the rule and the user, not the public channel', async () => {
    const warnings = recordWarnings();
    const { fake, Wrapper, refuse } = refusing(403);
    refuse('presence-room.1');
    function Room() {
      usePresence({ channel: 'room.1' });
      return null;
    }
    render(<Room />, { wrapper: Wrapper });
    await settleOn(fake);
    expect(warnings()).toEqual([expect.stringMatching(/refused "presence-room\.1" \(HTTP 403\)\. Check its rule in routes\/channels\.php/)]);
    expect(warnings()[0]).not.toContain("type: 'public'");
  });

  /** A component holding the private channel `orders.1`, as the refusal tests need. */
  function PrivateOrder() {
    useRealtimeEvent({ channel: 'orders.1', event: '.X', onEvent: () => {} });
    return null;
  }

  test('status 0 (no answer: the network, or CORS in a browser) names CORS and the auth endpoint', async () => {
    const warnings = recordWarnings();
    const { fake, Wrapper, refuse } = refusing(0, 'https://api.example.test/broadcasting/auth');
    refuse('private-orders.1');
    render(<PrivateOrder />, { wrapper: Wrapper });
    await settleOn(fake);
    expect(warnings()).toEqual([
      '[echo-react-query] The auth request for "private-orders.1" to https://api.example.test/broadcasting/auth got no ' +
        'HTTP answer (status 0): the network failed or, in a browser, CORS blocked it (the console says which). If the ' +
        "endpoint is on another origin than the page, allow it in Laravel's config/cors.php (paths: 'broadcasting/auth'; " +
        'supports_credentials for the session cookie), or set `authEndpoint` to a URL the page can reach.',
    ]);
  });

  test('a 404 (no route: the page is served by another server with no proxy) says so, in the warning and the error', async () => {
    const warnings = recordWarnings();
    const { fake, Wrapper, refuse, errors } = refusing(404);
    refuse('private-orders.1');
    function Order() {
      const { error } = useRealtimeChannel({ channel: 'orders.1' });
      return <p>{error?.message}</p>;
    }
    render(<Order />, { wrapper: Wrapper });
    await settleOn(fake);
    expect(warnings()).toEqual([expect.stringMatching(/^\[echo-react-query\] The auth request for "private-orders\.1" found no route at \/broadcasting\/auth \(HTTP 404\)\. .*install:broadcasting.*\(a proxy\)/)]);
    expect(errors).toHaveLength(1);
    expect(screen.getByText('No auth route answered for "private-orders.1" (HTTP 404): is /broadcasting/auth sent to Laravel?')).toBeTruthy();
  });

  test('status 0 first, then a 403 once the server answers: both warnings', async () => {
    const warnings = recordWarnings();
    const { fake, Wrapper } = refusing(0);
    fake.failAuth('private-orders.1', 0);
    render(<PrivateOrder />, { wrapper: Wrapper });
    await settleOn(fake);
    fake.failAuth('private-orders.1', 403);
    act(() => fake.setConnectionState('unavailable'));
    act(() => fake.setConnectionState('connected'));
    await settleOn(fake);
    expect(warnings()).toEqual([expect.stringContaining('(status 0)'), expect.stringContaining('(HTTP 403)')]);
  });

  test('another refusal (a 500) is reported to onError only', async () => {
    const warnings = recordWarnings();
    const { fake, Wrapper, refuse, errors } = refusing(500);
    refuse('private-orders.1');
    render(<PrivateOrder />, { wrapper: Wrapper });
    await settleOn(fake);
    expect(errors).toHaveLength(1);
    expect(warnings()).toEqual([]);
  });
});

describe('production builds', () => {
  test('stay quiet: no QueryClient, a 403 and a status 0 warn about nothing', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const warnings = recordWarnings();
    const fake = createFakeEcho();
    fake.failAuth('private-admin', 403);
    fake.failAuth('private-offline', 0);
    const client: RealtimeClient = createRealtimeClient({ echo: fake.echo, onError: () => {} });
    function Hooks() {
      useRealtimeEvent({ channel: 'a', event: '.X', invalidate: ['a'] });
      useRealtimeChannel({ channel: 'admin' });
      useRealtimeChannel({ channel: 'offline' });
      return null;
    }
    render(
      <RealtimeProvider client={client}>
        <Hooks />
      </RealtimeProvider>,
    );
    await act(() => fake.flush());
    expect(client.channels.getSnapshot({ channel: 'admin' }).status).toBe('error');
    expect(client.channels.getSnapshot({ channel: 'offline' }).status).toBe('error');
    expect(warnings()).toEqual([]);
  });
});
