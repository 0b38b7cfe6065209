/**
 * Reloads: a page's partial reloads (Inertia's `router.reload({ only })`) through the same
 * coalescer as queries, with props as keys. Knows a small router interface, not Inertia; loaded
 * by `echo-react-query/inertia`, which installs them on a client; a global binding's `reload` uses
 * them from there.
 */
export { ANY_PAGE, installReloads, pageId, reloadHandler, reloadKeys, Reloads, reloadsOf } from './reloads';
export type { ReloadRouter, ReloadRule, VisitOptions } from './reloads';
