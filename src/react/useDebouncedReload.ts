import { useEffect } from 'react';
import { useDebouncedCallback, type DebouncedState } from 'use-debounce';

/** Options of {@link useDebouncedReload}. */
export interface DebouncedReloadOptions {
  /** Quiet time (ms) before the trailing call. Default 250. */
  wait?: number;
  /** Longest time (ms) between calls under a steady stream. Default 1000. */
  maxWait?: number;
  /** Run on the first call of a burst. Default true: the first event shows up at once. */
  leading?: boolean;
}

/**
 * Debounces arbitrary reload work that is not a TanStack query (Inertia's `router.reload`, a fetch):
 * a burst of calls runs it at the start and once at the end, at least every `maxWait`. Always calls
 * the latest `reload`; pending calls are cancelled on unmount. Built on use-debounce.
 *
 * ```tsx
 * const reload = useDebouncedReload(() => router.reload({ only: ['server'] }));
 * useRealtimeEvent({ channel: `servers.${id}`, type: 'private', event: '.ServerUpdated', onEvent: reload });
 * ```
 */
export function useDebouncedReload(
  reload: () => unknown,
  { wait = 250, maxWait = 1000, leading = true }: DebouncedReloadOptions = {},
): DebouncedState<() => void> {
  const debounced = useDebouncedCallback(
    () => {
      reload();
    },
    wait,
    { leading, trailing: true, maxWait },
  );
  // use-debounce only disarms its timer on unmount; clear it so nothing outlives the component.
  useEffect(() => () => debounced.cancel(), [debounced]);
  return debounced;
}
