import { useContext, useEffect, useMemo } from 'react';
import { useDebouncedCallback, type DebouncedState } from 'use-debounce';
import { tap } from '../core/shared';
import { RealtimeContext } from './context';

/** Options of {@link useDebouncedReload}. */
export interface DebouncedReloadOptions {
  /** Quiet time (ms) before the trailing call. Default 250. */
  wait?: number;
  /** Longest time (ms) between calls under a steady stream. Default 1000. */
  maxWait?: number;
  /** Run on the first call of a burst. Default true: the first event shows up at once. */
  leading?: boolean;
  /** What the devtools call this reload. Default `'reload'`. */
  name?: string;
}

/** Whom a reload outside any provider reports to: nobody inspects it. */
const NO_CLIENT = {};

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
  { wait = 250, maxWait = 1000, leading = true, name = 'reload' }: DebouncedReloadOptions = {},
): DebouncedState<() => void> {
  // The client only hears it (for the devtools): calls as requests, runs as reloads.
  const client = useContext(RealtimeContext) ?? NO_CLIENT;
  const debounced = useDebouncedCallback(
    () => {
      tap(client, 'reload', name, reload());
    },
    wait,
    { leading, trailing: true, maxWait },
  );
  // use-debounce only disarms its timer on unmount; clear it so nothing outlives the component.
  useEffect(() => () => debounced.cancel(), [debounced]);
  // The devtools stop showing its calls as waiting.
  useEffect(() => () => tap(client, 'dropped', name), [client, name]);
  return useMemo(
    () =>
      Object.assign(() => {
        tap(client, 'request', name, 'reload');
        debounced();
      }, debounced),
    [client, debounced, name],
  );
}
