import type { QueryClient, QueryKey } from '@tanstack/query-core';
import { failure, messageOf, RealtimeError, tap, warnOnce } from '../shared';
import { resolveInvalidate, toKeyList } from './keys';
import type { EventReaction, InvalidateOptions, SetQueryDataReaction, SyncingHandler, SyncRequest } from './types';

/** Where a handler reads its reaction: a hook's ref, or an object with a `current` getter. */
export interface ReactionSource {
  readonly current: EventReaction<never> | undefined;
}

/** What a reaction needs from its client: the app-wide coalescer, and `onError`. */
export interface ReactionHost {
  invalidate(options: InvalidateOptions): void;
  reportError(error: RealtimeError): void;
}

/**
 * Turns an {@link EventReaction} into a registry handler. `source.current` is read on every event,
 * so callers can swap closures without touching the subscription. Each step (setQueryData,
 * updateCache, invalidate, onEvent) is isolated: one throwing does not skip the others, and errors
 * go to onError. A class rather than closures: an app holds one per mounted binding.
 */
export class ReactionHandler implements SyncingHandler {
  #warnedNoQueryClient = false;
  readonly #client: ReactionHost;
  readonly #queryClient: QueryClient | undefined;
  readonly #source: ReactionSource;
  /** The wire channel and the event, for error messages. */
  readonly #channel: string;
  readonly #event: string;

  constructor(client: ReactionHost, queryClient: QueryClient | undefined, source: ReactionSource, channel: string, event: string) {
    this.#client = client;
    this.#queryClient = queryClient;
    this.#source = source;
    this.#channel = channel;
    this.#event = event;
    if (process.env.NODE_ENV !== 'production') {
      const reaction = source.current as EventReaction<unknown> | undefined;
      warnIfUnsynced(reaction, channel, event);
      if (!queryClient && (reaction?.setQueryData || reaction?.updateCache || reaction?.invalidate !== undefined)) warnNoQueryClient(channel, event);
    }
  }

  // The hot path: runs for every handler on every event, so no closure or object is allocated for
  // a step that is not there; each step is isolated by its own try.
  handle(payload: unknown): void {
    const reaction = this.#source.current as EventReaction<unknown> | undefined;
    if (!reaction) return;
    const { setQueryData, updateCache, invalidate, onEvent } = reaction;
    if (setQueryData || updateCache || invalidate !== undefined) {
      const qc = this.#requireQueryClient(payload);
      if (qc) {
        if (setQueryData) {
          try {
            this.#write(qc, setQueryData, payload, reaction);
          } catch (cause) {
            this.#fail('setQueryData', cause, payload);
          }
        }
        if (updateCache) {
          try {
            updateCache(payload, qc);
          } catch (cause) {
            this.#fail('updateCache', cause, payload);
          }
        }
        if (invalidate !== undefined) {
          try {
            const keys = resolveInvalidate(invalidate, payload);
            this.#client.invalidate({ queryClient: qc, keys, wait: reaction.wait, refetchType: reaction.refetchType });
          } catch (cause) {
            this.#fail('invalidate', cause, payload);
          }
        }
      }
    }
    if (onEvent) {
      try {
        onEvent(payload);
      } catch (cause) {
        this.#fail('onEvent', cause, payload);
      }
    }
  }

  /** `setQueryData`: write the payload into the named query. */
  #write(qc: QueryClient, { queryKey, updater }: SetQueryDataReaction<unknown>, payload: unknown, reaction: EventReaction<unknown>): void {
    const key = typeof queryKey === 'function' ? queryKey(payload) : queryKey;
    if (key === undefined || key === null) return; // this payload writes nothing
    if (!Array.isArray(key) || key.length === 0) {
      throw new Error(`queryKey must be a non-empty array, got ${JSON.stringify(key)}`);
    }
    // A fetch in flight may have read the server before this event: its answer would overwrite
    // the newer data, so cancel it first (TanStack's advice for cache writes). What it was
    // fetching for (a reconnect, a first load) is still owed: refetch once the write is done.
    const query = qc.getQueryCache().get(qc.defaultQueryOptions({ queryKey: key }).queryHash);
    const cancelled = query?.state.fetchStatus === 'fetching';
    if (cancelled) query.cancel({ revert: true }).catch(noop);
    qc.setQueryData(key, (previous: unknown) => updater(payload, previous));
    tap(this.#client, 'write', key);
    if (cancelled) this.#client.invalidate({ queryClient: qc, keys: [key], wait: reaction.wait, refetchType: reaction.refetchType });
  }

  resync(again: boolean, refetchOnSubscribe: boolean): void {
    const reaction = this.#source.current as EventReaction<unknown> | undefined;
    if (!reaction?.onResync || !(again || (reaction.refetchOnSubscribe ?? refetchOnSubscribe))) return;
    try {
      reaction.onResync();
    } catch (cause) {
      this.#fail('onResync', cause, undefined);
    }
  }

  sync(quiet?: boolean): SyncRequest | null {
    const reaction = this.#source.current as EventReaction<unknown> | undefined;
    if (!this.#queryClient || !reaction) return null;
    try {
      return {
        target: this.#queryClient,
        keys: syncKeys(reaction),
        options: reaction,
        refetchOnSubscribe: reaction.refetchOnSubscribe,
      };
    } catch (cause) {
      if (!quiet) this.#fail('recover', cause, undefined);
      return null;
    }
  }

  #requireQueryClient(payload: unknown): QueryClient | undefined {
    if (this.#queryClient) return this.#queryClient;
    if (!this.#warnedNoQueryClient) {
      this.#warnedNoQueryClient = true;
      this.#client.reportError(
        failure('config', process.env.NODE_ENV !== 'production' && 'No QueryClient found: place RealtimeProvider inside QueryClientProvider.', {
          channel: this.#channel,
          event: this.#event,
          payload,
        }),
      );
    }
    return undefined;
  }

  #fail(step: string, cause: unknown, payload: unknown): void {
    const channel = this.#channel;
    const event = this.#event;
    this.#client.reportError(
      cause instanceof RealtimeError && cause.code !== 'handler'
        ? cause
        : failure('handler', process.env.NODE_ENV !== 'production' && `${step} for "${event}" on "${channel}" failed: ${messageOf(cause)}`, {
            channel,
            event,
            payload,
            cause,
          }),
    );
  }
}

/**
 * The keys a binding keeps up to date, refetched when its channel's subscription is confirmed:
 * `recover`, else the static keys of `invalidate` and `setQueryData`.
 */
function syncKeys(reaction: EventReaction<unknown>): QueryKey[] {
  const { recover, invalidate, setQueryData } = reaction;
  if (recover === false) return [];
  if (recover !== undefined) return toKeyList(recover);
  const keys = invalidate === undefined || typeof invalidate === 'function' ? [] : toKeyList(invalidate);
  const written = setQueryData?.queryKey;
  if (Array.isArray(written) && written.length > 0) keys.push(written);
  return keys;
}

/** Development builds: a binding whose cache work names no key cannot be brought up to date after a drop. */
function warnIfUnsynced(reaction: EventReaction<unknown> | undefined, channel: string, event: string): void {
  if (!reaction || reaction.recover !== undefined) return;
  const what = reaction.updateCache
    ? '`updateCache` writes the cache'
    : typeof reaction.invalidate === 'function' || typeof reaction.setQueryData?.queryKey === 'function'
      ? 'its query keys depend on the payload'
      : null;
  if (!what) return;
  warnOnce(
    `"${event}" on "${channel}": ${what} but no key is named, so nothing is refetched after a reconnect ` +
      'or when the channel is joined, and updates sent meanwhile stay lost. Name the key with ' +
      '`setQueryData: { queryKey, updater }` or list the keys in `recover` (`recover: false` opts out).',
  );
}

function noop(): void {}

/** Development builds: a binding that works on the cache, mounted with no QueryClient to work on (once per app). */
export function warnNoQueryClient(channel: string, event: string): void {
  warnOnce(
    `"${event}" on "${channel}" invalidates or writes queries, but there is no QueryClient, so that cache ` +
      'work will not happen. Render <RealtimeProvider> inside <QueryClientProvider client={queryClient}>, ' +
      "or pass the hook's `queryClient` option.",
    'no-query-client',
  );
}
