import type { QueryClient } from '@tanstack/query-core';
import type { RealtimeClient } from './client';
import { RealtimeError } from './errors';
import { recoveryKeys, resolveInvalidate } from './keys';
import type { EventHandler } from './registry';
import type { EventReaction } from './types';

/** Where a reaction is bound, for error messages. */
export interface ReactionSite {
  channel: string;
  event: string;
}

/**
 * Turns an {@link EventReaction} into a registry handler. `read` returns the latest reaction on every
 * event, so callers can swap closures without touching the subscription. Each step (updateCache,
 * invalidate, onEvent) is isolated: one throwing does not skip the others, and errors go to onError.
 */
export function createReactionHandler(
  client: RealtimeClient,
  queryClient: QueryClient | undefined,
  read: () => EventReaction<never>,
  site: ReactionSite,
): EventHandler {
  let warnedNoQueryClient = false;
  const fail = (step: string, cause: unknown, payload: unknown) => {
    client.reportError(
      cause instanceof RealtimeError && cause.code !== 'handler'
        ? cause
        : new RealtimeError(
            'handler',
            `${step} for "${site.event}" on "${site.channel}" failed: ${cause instanceof Error ? cause.message : String(cause)}`,
            { channel: site.channel, event: site.event, payload, cause },
          ),
    );
  };
  const needQueryClient = (payload: unknown): QueryClient | undefined => {
    if (queryClient) return queryClient;
    if (!warnedNoQueryClient) {
      warnedNoQueryClient = true;
      client.reportError(
        new RealtimeError('config', 'No QueryClient found: place RealtimeProvider inside QueryClientProvider.', {
          channel: site.channel,
          event: site.event,
          payload,
        }),
      );
    }
    return undefined;
  };

  return {
    handle(payload) {
      const reaction = read() as EventReaction<unknown>;
      if (reaction.updateCache) {
        const qc = needQueryClient(payload);
        if (qc) {
          try {
            reaction.updateCache(payload, qc);
          } catch (cause) {
            fail('updateCache', cause, payload);
          }
        }
      }
      if (reaction.invalidate !== undefined) {
        const qc = needQueryClient(payload);
        if (qc) {
          try {
            client.invalidate(qc, resolveInvalidate(reaction.invalidate, payload), reaction);
          } catch (cause) {
            fail('invalidate', cause, payload);
          }
        }
      }
      if (reaction.onEvent) {
        try {
          reaction.onEvent(payload);
        } catch (cause) {
          fail('onEvent', cause, payload);
        }
      }
    },
    recovery() {
      if (!queryClient) return null;
      const reaction = read() as EventReaction<unknown>;
      return { queryClient, keys: recoveryKeys(reaction.invalidate, reaction.recover), options: reaction };
    },
  };
}
