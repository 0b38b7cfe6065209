import type { QueryKey } from '@tanstack/query-core';
import { failure } from '../shared';
import type { InvalidateTarget, QueryKeys } from './types';

/**
 * Turns "one key or several" into a list of keys, by one rule:
 * - an array whose first element is an array is a list of keys: `[['rooms'], ['venues']]`;
 * - any other non-empty array is one key: `['rooms', 1]`;
 * - an empty array (or `null` / `undefined` / `false`) is no key at all.
 *
 * TanStack's `queryKey: []` matches every query, so an empty key, alone or in a list, never reaches
 * it: "nothing" means nothing. A key whose first element is itself an array is written as a list of
 * one (`[[['a'], 1]]`).
 */
export function toKeyList(keys: QueryKeys | null | undefined | false): QueryKey[] {
  if (keys === null || keys === undefined || keys === false) return [];
  if (!Array.isArray(keys)) {
    throw failure(
      'handler',
      process.env.NODE_ENV !== 'production' ? `Expected a query key array (like ['posts', 1]) or a list of them, got ${describe(keys)}.` : 'query key',
    );
  }
  if (keys.length === 0) return [];
  if (!Array.isArray(keys[0])) return [keys as QueryKey];
  const list: QueryKey[] = [];
  for (const key of keys as readonly unknown[]) {
    if (!Array.isArray(key)) {
      throw failure(
        'handler',
        process.env.NODE_ENV !== 'production'
          ? `A list of query keys (an array starting with an array) must hold only arrays; it also holds ${describe(key)}.`
          : 'query key list',
      );
    }
    if (key.length > 0) list.push(key);
  }
  return list;
}

/** Resolves an `invalidate` option for one payload. */
export function resolveInvalidate<P>(target: InvalidateTarget<P> | undefined, payload: P): QueryKey[] {
  if (target === undefined) return [];
  return toKeyList(typeof target === 'function' ? target(payload) : target);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return typeof value;
}
