import type { QueryKey } from '@tanstack/query-core';
import { RealtimeError } from './errors';
import type { InvalidateTarget, QueryKeys } from './types';

/**
 * Turns "a key or several keys" into a list of keys. A list of keys is an array whose every element
 * is itself an array (`[['rooms'], ['venues']]`); anything else array-shaped is one key (`['rooms', 1]`).
 */
export function toKeyList(keys: QueryKeys | null | undefined | false): QueryKey[] {
  if (keys === null || keys === undefined || keys === false) return [];
  if (!Array.isArray(keys)) {
    throw new RealtimeError(
      'handler',
      `Expected a query key array (like ['posts', 1]) or a list of them, got ${describe(keys)}.`,
    );
  }
  if (keys.length > 0 && keys.every((k) => Array.isArray(k))) return keys as QueryKey[];
  return [keys as QueryKey];
}

/** Resolves an `invalidate` option for one payload. */
export function resolveInvalidate<P>(target: InvalidateTarget<P> | undefined, payload: P): QueryKey[] {
  if (target === undefined) return [];
  return toKeyList(typeof target === 'function' ? target(payload) : target);
}

/** The keys to refetch after a reconnect: `recover`, else a static `invalidate`. */
export function recoveryKeys(
  invalidate: InvalidateTarget<never> | undefined,
  recover: QueryKeys | false | undefined,
): QueryKey[] {
  if (recover === false) return [];
  if (recover !== undefined) return toKeyList(recover);
  if (invalidate === undefined || typeof invalidate === 'function') return [];
  return toKeyList(invalidate);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return typeof value;
}
