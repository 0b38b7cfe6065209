import { useCallback, useSyncExternalStore } from 'react';
import { inspectRealtime, type InspectorSnapshot, type RealtimeClient, type RealtimeInspector } from '../core';

/** At most this many renders per second, however fast events come (the panel keeps up with any stream). */
const FRAME_MS = 100;

/** The inspector's snapshot, re-read at most every {@link FRAME_MS}; null without a client. */
export function useInspector(client: RealtimeClient | null | undefined, bufferSize?: number): { inspector: RealtimeInspector | null; snapshot: InspectorSnapshot | null } {
  const inspector = client ? inspectRealtime(client, { bufferSize }) : null;
  const subscribe = useCallback(
    (notify: () => void) => {
      if (!inspector) return () => {};
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stop = inspector.subscribe(() => {
        timer ??= setTimeout(() => {
          timer = undefined;
          notify();
        }, FRAME_MS);
      });
      return () => {
        clearTimeout(timer);
        stop();
      };
    },
    [inspector],
  );
  const read = useCallback(() => inspector?.getSnapshot() ?? null, [inspector]);
  return { inspector, snapshot: useSyncExternalStore(subscribe, read, read) };
}
