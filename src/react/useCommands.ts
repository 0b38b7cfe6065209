import { partialMatchKey, type MutationKey } from '@tanstack/query-core';
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { CommandState, CommandStatus } from '../core/commands';
import { commandsOf } from '../core/commands';
import { useProvidedClient } from './context';
import { noop } from './internal';

/** Which commands {@link useCommands} lists. */
export interface UseCommandsOptions {
  /** Only commands of mutations whose `mutationKey` starts with this one. */
  mutationKey?: MutationKey;
  /** Only commands in this status (or these). */
  status?: CommandStatus | readonly CommandStatus[];
}

const NONE: readonly CommandState[] = Object.freeze([]);

/**
 * The commands sent with `useRealtimeMutation`, from any component, oldest first: pending ones,
 * and settled ones for 30 s after they settle. For a list that marks pending rows, or a toast for
 * failed and unconfirmed commands. The array is stable between changes.
 *
 * ```tsx
 * const failed = useCommands({ mutationKey: ['subscriptions'], status: 'failed' });
 * ```
 */
export function useCommands<TVariables = unknown>(options: UseCommandsOptions = {}): readonly CommandState<TVariables>[] {
  const client = useProvidedClient('useCommands');
  const tracker = client ? commandsOf(client) : null;
  const subscribe = useCallback((onChange: () => void) => tracker?.subscribe(onChange) ?? noop, [tracker]);
  const all = useSyncExternalStore(subscribe, () => tracker?.getSnapshot() ?? NONE, () => NONE);
  const { mutationKey, status } = options;
  const statusKey = status === undefined ? '' : ([] as string[]).concat(status).join();
  const keyHash = mutationKey === undefined ? '' : JSON.stringify(mutationKey);
  return useMemo(() => {
    if (!statusKey && !keyHash) return all;
    const statuses = statusKey ? statusKey.split(',') : null;
    return all.filter(
      (c) =>
        (!statuses || statuses.includes(c.status)) &&
        (!mutationKey || (c.mutationKey !== undefined && partialMatchKey(c.mutationKey, mutationKey))),
    );
    // mutationKey is read through keyHash: a new array with the same content is the same filter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [all, statusKey, keyHash]) as readonly CommandState<TVariables>[];
}
