/**
 * Shared by every part of the core: the error every part reports, the once-only development
 * warning, the event typing users augment, and small helpers. It runs nothing by itself and
 * imports nothing from the other parts.
 */
export { failure, messageOf, RealtimeError } from './errors';
export type { RealtimeErrorCode, RealtimeErrorContext } from './errors';
export { resetWarnings, warnOnce } from './dev';
export { definedOnly } from './objects';
export type { EventPayload, PayloadCallback, RealtimeEventMap } from './types';
export { setTap, tap } from './tap';
export type { Tap, TapKind } from './tap';
