/**
 * echo-react-query: Laravel Echo events as TanStack Query invalidations and cache updates.
 * @packageDocumentation
 */
export * from './core';
export * from './react';
