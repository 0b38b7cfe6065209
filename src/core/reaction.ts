import type { QueryClient } from '@tanstack/query-core';
import type { RealtimeClient } from './client';
import { messageOf, RealtimeError } from './errors';
import { recoveryKeys, resolveInvalidate } from './keys';
import type { EventHandler, RecoveryRequest } from './registry';
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
 * A class rather than closures: an app holds one per mounted binding.
 */
export class ReactionHandler implements EventHandler {
  private warnedNoQueryClient = false;

  constructor(
    private readonly client: RealtimeClient,
    private readonly queryClient: QueryClient | undefined,
    private readonly read: () => EventReaction<never> | undefined,
    private readonly site: ReactionSite,
  ) {}

  handle(payload: unknown): void {
    const reaction = this.read() as EventReaction<unknown> | undefined;
    if (!reaction) return;
    if (reaction.updateCache) {
      const qc = this.requireQueryClient(payload);
      if (qc) {
        try {
          reaction.updateCache(payload, qc);
        } catch (cause) {
          this.fail('updateCache', cause, payload);
        }
      }
    }
    if (reaction.invalidate !== undefined) {
      const qc = this.requireQueryClient(payload);
      if (qc) {
        try {
          this.client.invalidate(qc, resolveInvalidate(reaction.invalidate, payload), reaction);
        } catch (cause) {
          this.fail('invalidate', cause, payload);
        }
      }
    }
    if (reaction.onEvent) {
      try {
        reaction.onEvent(payload);
      } catch (cause) {
        this.fail('onEvent', cause, payload);
      }
    }
  }

  recovery(): RecoveryRequest | null {
    const reaction = this.read() as EventReaction<unknown> | undefined;
    if (!this.queryClient || !reaction) return null;
    try {
      return { queryClient: this.queryClient, keys: recoveryKeys(reaction.invalidate, reaction.recover), options: reaction };
    } catch (cause) {
      this.fail('recover', cause, undefined);
      return null;
    }
  }

  private requireQueryClient(payload: unknown): QueryClient | undefined {
    if (this.queryClient) return this.queryClient;
    if (!this.warnedNoQueryClient) {
      this.warnedNoQueryClient = true;
      this.client.reportError(
        new RealtimeError('config', 'No QueryClient found: place RealtimeProvider inside QueryClientProvider.', {
          ...this.site,
          payload,
        }),
      );
    }
    return undefined;
  }

  private fail(step: string, cause: unknown, payload: unknown): void {
    const { channel, event } = this.site;
    this.client.reportError(
      cause instanceof RealtimeError && cause.code !== 'handler'
        ? cause
        : new RealtimeError(
            'handler',
            `${step} for "${event}" on "${channel}" failed: ${messageOf(cause)}`,
            { channel, event, payload, cause },
          ),
    );
  }
}
