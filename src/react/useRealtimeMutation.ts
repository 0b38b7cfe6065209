import { QueryClientContext, useMutation, type UseMutationOptions, type UseMutationResult } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/query-core';
import { useContext, useEffect } from 'react';
import { newCommandId, type CommandConfirmation, type CommandHandle, type OptimisticUpdate } from '../core/commands';
import { commandsOf } from '../core/commands';
import { DEFAULT_CHANNEL_TYPE } from '../core/channels';
import type { CoalesceOptions, QueryKeys } from '../core/invalidation';
import { useProvidedClient } from './context';
import { acquireLease, activeChannel, useLatest } from './internal';

/** The second argument of a realtime mutation's `mutationFn`: send `commandId` with the request. */
export interface CommandContext {
  /** A fresh UUID for this call; the server's confirming broadcast must carry it back. */
  commandId: string;
}

/** Options of {@link useRealtimeMutation}: TanStack's `useMutation` options, plus the command's. */
export interface UseRealtimeMutationOptions<TData = unknown, TError = Error, TVariables = void, TOnMutateResult = unknown>
  extends Omit<UseMutationOptions<TData, TError, TVariables, TOnMutateResult>, 'mutationFn'>,
    CoalesceOptions {
  /** Sends the command, with `commandId` in the body (`command_id`) or a header. */
  mutationFn: (variables: TVariables, command: CommandContext) => Promise<TData>;
  /** The event that confirms the command, and where to read its commandId. */
  confirm: CommandConfirmation;
  /** Changes shown at once, each on one query, until the server's data has them. */
  optimistic?: OptimisticUpdate<TVariables> | readonly OptimisticUpdate<TVariables>[];
  /**
   * Writes the confirming event into the cache (instead of refetching), on the server's data
   * without the pending layers, which are applied again after it.
   */
  updateCache?: (payload: never, queryClient: QueryClient) => void;
  /** Refetched when the command is confirmed or unconfirmed (not with `updateCache`); default the optimistic keys. */
  invalidate?: QueryKeys;
  /** How long to wait for the confirming event after the request succeeded; default 10,000 ms. */
  confirmTimeoutMs?: number;
  /** The QueryClient for the mutation and its layers; default the one from `QueryClientProvider`. */
  queryClient?: QueryClient;
}

/**
 * TanStack's `useMutation` for commands the server confirms by broadcasting: each call gets a
 * `commandId` (handed to `mutationFn`), shows its optimistic changes as layers over the server's
 * data at once, and is confirmed by the event carrying that commandId. The command lives in the
 * client, not the component: it settles even if the component unmounts. See
 * docs/commands.md for the rules it keeps.
 *
 * ```tsx
 * const create = useRealtimeMutation({
 *   mutationFn: (input: NewSub, { commandId }) => api.post('/subscriptions', { ...input, command_id: commandId }),
 *   confirm: { channel: `user.${userId}`, event: '.SubscriptionCreated' },
 *   optimistic: { queryKey: ['subscriptions'], apply: (subs: Sub[], input, { commandId }) => [...subs, pendingRow(input, commandId)] },
 * });
 * ```
 */
export function useRealtimeMutation<TData = unknown, TError = Error, TVariables = void, TOnMutateResult = unknown>(
  options: UseRealtimeMutationOptions<TData, TError, TVariables, TOnMutateResult>,
): UseMutationResult<TData, TError, TVariables, TOnMutateResult> {
  const client = useProvidedClient('useRealtimeMutation');
  const contextQueryClient = useContext(QueryClientContext);
  const queryClient = options.queryClient ?? contextQueryClient;
  const latest = useLatest(options);
  const { channel, type = DEFAULT_CHANNEL_TYPE } = options.confirm;
  // Hold the confirming channel while mounted, so it is subscribed before the first command:
  // the event may beat the HTTP response.
  const wire = activeChannel(client, channel, type, true);
  useEffect(() => {
    const lease = acquireLease(client, wire, channel, type);
    return () => lease?.release();
  }, [client, wire, channel, type]);

  const {
    mutationFn: _mutationFn,
    confirm: _confirm,
    optimistic: _optimistic,
    updateCache: _updateCache,
    invalidate: _invalidate,
    confirmTimeoutMs: _confirmTimeoutMs,
    wait: _wait,
    refetchType: _refetchType,
    queryClient: _queryClient,
    ...mutationOptions
  } = options;
  return useMutation(
    {
      ...mutationOptions,
      mutationFn: async (variables: TVariables, context?: unknown) => {
        const current = latest.current;
        const qc = current.queryClient ?? queryClient;
        // TanStack passes the same context object to every attempt of one mutate() (5.80+):
        // retries are the same command, with the same commandId and layer.
        const attempt = typeof context === 'object' && context !== null ? context : null;
        let command = attempt ? attempts.get(attempt) : undefined;
        if (!command && client && qc) {
          command = commandsOf(client).start({
            queryClient: qc,
            confirm: current.confirm,
            optimistic: toList(current.optimistic) as OptimisticUpdate<never, never>[],
            invalidate: current.invalidate,
            updateCache: current.updateCache,
            confirmTimeoutMs: current.confirmTimeoutMs,
            wait: current.wait,
            refetchType: current.refetchType,
            variables,
            mutationKey: current.mutationKey,
          });
          if (attempt) attempts.set(attempt, command);
        }
        const commandId = command?.commandId ?? newCommandId();
        try {
          const data = await current.mutationFn(variables, { ...(context as object), commandId });
          command?.accepted();
          return data;
        } catch (error) {
          // With a context, onError ends the command once no retry is left.
          if (!attempt) command?.rejected(error);
          throw error;
        }
      },
      onError: (...args: Parameters<NonNullable<typeof mutationOptions.onError>>) => {
        const attempt = args[3] as object | undefined;
        if (attempt) attempts.get(attempt)?.rejected(args[0]);
        return latest.current.onError?.(...args);
      },
    },
    options.queryClient,
  );
}

/** The command of each mutate() call, by TanStack's per-call context object. */
const attempts = new WeakMap<object, CommandHandle>();

function toList<T>(value: T | readonly T[] | undefined): readonly T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value as T];
}
