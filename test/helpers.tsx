import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createRealtimeClient, RealtimeProvider, type RealtimeClientOptions, type RealtimeError } from '../src';
import { createFakeEcho, type FakeEchoOptions } from '../src/testing';

/**
 * A model event's payload exactly as Laravel broadcasts BroadcastableModelEventOccurred with no
 * broadcastWith(): the event's public properties, `model` as toArray(). For every event, a hard
 * delete too (sent at once, with the model as it was: laravel/framework 11 and 12,
 * BroadcastableModelEventOccurred::shouldBroadcastNow and BroadcastEvent::getPayloadFromEvent).
 */
export const modelEventPayload = (model: unknown) => ({ model, connection: null, queue: null, afterCommit: false, socket: null });

/** A fake server, a client on it, a QueryClient, and a wrapper that provides both. */
export function setup(
  options: { fake?: FakeEchoOptions; client?: Partial<RealtimeClientOptions> } = {},
) {
  const fake = createFakeEcho(options.fake);
  const errors: RealtimeError[] = [];
  const client = createRealtimeClient({
    echo: fake.echo,
    onError: (error) => errors.push(error),
    ...options.client,
  });
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity, gcTime: Infinity } },
  });
  function Wrapper({ children }: { children?: ReactNode }) {
    return (
      <QueryClientProvider client={queryClient}>
        <RealtimeProvider client={client}>{children}</RealtimeProvider>
      </QueryClientProvider>
    );
  }
  /** Lets the fake deliver what it delivers asynchronously (connect, auth, acks) and React re-render. */
  const settle = () => act(() => fake.flush());
  return { fake, client, queryClient, Wrapper, errors, settle };
}
