/**
 * What the parts tell the inspector (core/inspector, the devtools), per client. Raw and untyped on
 * purpose: the parts pass objects they already hold and the inspector, which only apps that inspect
 * load, turns them into its typed stream. Nobody inspecting costs one number read per call and
 * nothing is looked up; the arguments are objects the parts hold anyway (a page reload, a few a
 * second at most, makes the promise its end is told by).
 */
export type TapKind =
  /** The connection status or socket id changed: `(observer)`. */
  | 'connection'
  /** A channel's status, holders or members changed, or it was left: `(wire)`. */
  | 'channel'
  /** An event is being handed to its handlers: `(entry, formatted name, payload)`; `()` when they are done. */
  | 'event'
  /** Keys were asked to be invalidated: `(keys, target)`; the target is a QueryClient or the page's reloads; `(name, 'reload')` from `useDebouncedReload`. */
  | 'request'
  /** Keys a channel's (re)confirmation refetches: `(key, target, again)`. */
  | 'sync'
  /** The coalescer ran one key: `(key, promise of the refetches, owed, queryClient)`. */
  | 'run'
  /** Reload work ran: `(props, promise of the reload)` for Inertia's props, `(name, what reload() returned)` from `useDebouncedReload`. */
  | 'reload'
  /** Reload work asked for is no longer wanted (another page is shown, the component unmounted): `(props or name)`. */
  | 'dropped'
  /** A cache write from an event: `(key)`. */
  | 'write'
  /** What asks next comes from a command's settling: `()`. */
  | 'command'
  /** The command list changed: `(states)`. */
  | 'commands'
  /** An error went to `onError`: `(error)`. */
  | 'error';

/** @internal */
export type Tap = (kind: TapKind, a?: unknown, b?: unknown, c?: unknown, d?: unknown) => void;

const taps = new WeakMap<object, Tap>();
/** How many clients are inspected now: the fast path when none is. */
let inspected = 0;

/** Tells `owner`'s inspector, if it has one. */
export function tap(owner: object, kind: TapKind, a?: unknown, b?: unknown, c?: unknown, d?: unknown): void {
  if (inspected) taps.get(owner)?.(kind, a, b, c, d);
}

/** Sets (or with `undefined`, removes) `owner`'s inspector hook. */
export function setTap(owner: object, fn: Tap | undefined): void {
  inspected += (fn ? 1 : 0) - (taps.has(owner) ? 1 : 0);
  if (fn) taps.set(owner, fn);
  else taps.delete(owner);
}
