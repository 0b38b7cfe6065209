/**
 * Reloads: a page's partial reloads (Inertia's `router.reload({ only })`) through the same
 * coalescer as queries, with props as keys. Knows a small router interface, not Inertia; loaded
 * only by `echo-react-query/inertia`.
 */
export { pageId, Reloads } from './reloads';
export type { ReloadRouter, VisitOptions } from './reloads';
