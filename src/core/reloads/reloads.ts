import type { QueryKey } from '@tanstack/query-core';
import { Coalescer, DEFAULT_COALESCE, resolveCoalesce, type CoalesceTarget, type CoalescerLink, type ResolvedCoalesceOptions, type SyncRequest } from '../invalidation';
import { failure, messageOf, tap, warnOnce, type RealtimeError } from '../shared';

/** What a page's partial reload is sent through: Inertia's router, as far as it is used here. */
export interface ReloadRouter {
  /** `router.reload({ only, ...visit, onFinish })`: a partial reload of the current page. */
  reload(options: Record<string, unknown> & { only?: string[]; except?: string[]; onFinish?: (...args: never[]) => void }): void;
  /**
   * `router.on('navigate' | 'success', ...)`: called with the page after a visit ('success' also
   * after a replace visit, which fires no 'navigate'); returns the undo.
   */
  on(event: 'navigate' | 'success', callback: (event: { detail: { page: { component?: unknown; url?: unknown } } }) => void): () => void;
}

/** Identifies a page: its component and URL (a reload is only ever for the page that asked for it). */
export function pageId(page: { component?: unknown; url?: unknown } | null | undefined): string {
  return `${String(page?.component)} ${String(page?.url)}`;
}

/** A key standing for "every prop but these" (`router.reload({ except })`): the prefix, then the names. */
export const EXCEPT = '\u0000except:';

/** The keys a reload binding's `only` or `except` names. */
export function reloadKeys(only: readonly string[] | undefined, except: readonly string[] | undefined): string[] {
  if (only && only.length > 0) return [...only];
  return except && except.length > 0 ? [EXCEPT + [...except].sort().join(',')] : [];
}

/** The page of an app-wide reload rule (a global binding): whatever page is shown. */
export const ANY_PAGE = '\u0000any page';

/** Visit options a reload binding passes on to `router.reload` (`preserveScroll`, `headers`, ...). */
export type VisitOptions = Record<string, unknown>;

/** How long props coming due are gathered into one request, ms (a frame). */
const BATCH_MS = 16;

/** After this long a reload no longer counts as in flight, whether or not it finished. */
const IN_FLIGHT_MAX_MS = 30_000;

/** One prop's request: the page it is for, and the visit options to reload it with. */
interface PropRequest {
  page: string;
  visit: VisitOptions;
}

/**
 * A page's partial reloads as a coalescer target: keys are props (`['server']`), and the props due
 * together go out as one `router.reload({ only: [...] })`. A reload is never started while another
 * is in flight: the props due meanwhile are owed and go out together once it settles. A prop is
 * only reloaded for the page that asked for it: after a visit to another page, whatever was due or
 * owed for the old one is dropped.
 */
class ReloadRunner implements CoalesceTarget<QueryKey, ResolvedCoalesceOptions> {
  readonly #router: ReloadRouter;
  readonly #link: CoalescerLink<QueryKey, ResolvedCoalesceOptions>;
  readonly #reportError: (error: RealtimeError) => void;
  /** The page shown now (null until a page or a visit says). */
  #page: string | null;
  /** Each prop's latest request (its page and visit options). */
  readonly #requests = new Map<string, PropRequest>();
  /** Props due now, sent together once this moment's tasks have run. */
  #due = new Set<string>();
  /** Props that came due while a reload was in flight, with their options: asked again when it settles. */
  #owed = new Map<string, ResolvedCoalesceOptions>();
  /** Each prop's options at its last run (for asking again). */
  readonly #options = new Map<string, ResolvedCoalesceOptions>();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #watchdog: ReturnType<typeof setTimeout> | undefined;
  /** The props of the reload in flight, or null. */
  #inFlight: Set<string> | null = null;
  readonly #stopWatching: () => void;
  /** Whose inspector hears the reloads (the client). */
  readonly #owner: object;

  constructor(
    router: ReloadRouter,
    page: string | null,
    reportError: (error: RealtimeError) => void,
    link: CoalescerLink<QueryKey, ResolvedCoalesceOptions>,
    owner: object,
  ) {
    this.#router = router;
    this.#owner = owner;
    this.#page = page;
    this.#reportError = reportError;
    this.#link = link;
    const shown = (event: { detail?: { page?: { component?: unknown; url?: unknown } } } | undefined) => {
      const next = pageId(event?.detail?.page);
      if (next === this.#page) return;
      // Another page: nothing due for the old one may reach it.
      this.#page = next;
      tap(this.#owner, 'dropped', [...this.#due, ...this.#owed.keys()]);
      this.#due.clear();
      this.#owed.clear();
    };
    const stops = [router.on('navigate', shown), router.on('success', shown)];
    this.#stopWatching = () => stops.forEach((stop) => stop());
  }

  /** Records what a binding on `page` wants for `props` when they are next reloaded. */
  request(props: readonly string[], page: string, visit: VisitOptions): void {
    if (page !== ANY_PAGE) this.#page ??= page;
    for (const prop of props) this.#requests.set(prop, { page, visit });
  }

  hash(key: QueryKey): string {
    return String(key[0]);
  }

  covers(a: QueryKey, _aOptions: ResolvedCoalesceOptions, b: QueryKey): boolean {
    // A prop covers itself and the nested props Inertia names with dots (`auth` covers `auth.user`).
    const [x, y] = [String(a[0]), String(b[0])];
    return x === y || y.startsWith(`${x}.`);
  }

  merge(a: ResolvedCoalesceOptions, b: ResolvedCoalesceOptions): ResolvedCoalesceOptions {
    return a.wait <= b.wait ? a : b;
  }

  busy(): boolean {
    return this.#inFlight !== null || this.#due.size > 0 || this.#owed.size > 0;
  }

  run(key: QueryKey, options: ResolvedCoalesceOptions): void {
    const prop = String(key[0]);
    this.#options.set(prop, options);
    if (this.#inFlight) {
      this.#owed.set(prop, options);
      return;
    }
    this.#due.add(prop);
    if (this.#flushTimer !== undefined) return;
    // Every prop due now goes out in one request: those of this task, and of the other props'
    // rate limits that come due within a frame (each computes its moment to the millisecond).
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#flush();
    }, BATCH_MS);
  }

  dispose(): void {
    clearTimeout(this.#flushTimer);
    clearTimeout(this.#watchdog);
    this.#due.clear();
    this.#owed.clear();
    this.#inFlight = null;
    this.#stopWatching();
  }

  #flush(): void {
    if (this.#inFlight || this.#due.size === 0) return;
    // Only props asked for by the page shown now; the visit options of the first of them.
    const ready = [...this.#due].filter((prop) => {
      const page = this.#requests.get(prop)?.page;
      return page === ANY_PAGE || page === this.#page;
    });
    if (ready.length < this.#due.size) tap(this.#owner, 'dropped', [...this.#due].filter((prop) => !ready.includes(prop)));
    this.#due.clear();
    if (ready.length === 0) return this.#link.idle();
    // One request: every named prop due (`only`), or else one "all but" set (`except`); the rest
    // is asked again when it settles.
    const named = ready.filter((prop) => !prop.startsWith(EXCEPT));
    const only = named.length > 0 ? named : [ready[0]!];
    for (const prop of ready) if (!only.includes(prop)) this.#owed.set(prop, this.#options.get(prop)!);
    const scope = named.length > 0 ? { only } : { except: only[0]!.slice(EXCEPT.length).split(',') };
    const visit = this.#requests.get(only[0]!)!.visit;
    const inFlight = (this.#inFlight = new Set(only));
    let done!: () => void;
    tap(this.#owner, 'reload', only, new Promise<void>((resolve) => (done = resolve)));
    const settled = () => {
      done();
      if (this.#inFlight !== inFlight) return;
      clearTimeout(this.#watchdog);
      this.#inFlight = null;
      // What came due meanwhile goes through the rate limit again: at once if a run is left, else
      // when one is back (a burst's events then share one reload after the one they interrupted).
      const owed = [...this.#owed];
      this.#owed.clear();
      for (const [prop, options] of owed) this.#link.again([prop], options);
      if (!this.busy()) this.#link.idle();
    };
    // A visit that never finishes (prevented by a 'before' listener) must not hold the next ones
    // back for good: after this long it no longer counts as in flight.
    this.#watchdog = setTimeout(settled, IN_FLIGHT_MAX_MS);
    const visitCallback = (name: string) => visit[name] as ((...a: never[]) => unknown) | undefined;
    try {
      this.#router.reload({
        ...visit,
        ...scope,
        onBefore: (...args: never[]) => {
          const go = visitCallback('onBefore')?.(...args);
          // The binding's own onBefore said no: nothing was sent.
          if (go === false) queueMicrotask(settled);
          return go;
        },
        onFinish: (...args: never[]) => {
          settled();
          return visitCallback('onFinish')?.(...args);
        },
      });
    } catch (cause) {
      this.#reportError(failure('handler', process.env.NODE_ENV !== 'production' && `router.reload failed: ${messageOf(cause)}`, { cause }));
      settled();
    }
  }
}

/**
 * A client's partial reloads: `request(props)` from each event, and `schedule` from the sync that
 * brings a binding's props up to date when its channel's subscription is confirmed.
 */
export class Reloads {
  readonly #runner: ReloadRunner;
  readonly #coalescer: Coalescer<QueryKey, ResolvedCoalesceOptions>;

  readonly #owner: object;

  constructor(router: ReloadRouter, page: string | null, reportError: (error: RealtimeError) => void, owner: object) {
    let runner!: ReloadRunner;
    this.#coalescer = new Coalescer((link) => (runner = new ReloadRunner(router, page, reportError, link, owner)));
    this.#runner = runner;
    this.#owner = owner;
  }

  /** An event asks for `props` of `page`: coalesced per prop, sent with `visit`'s options. */
  request(props: readonly string[], page: string, visit: VisitOptions, wait: number): void {
    this.#runner.request(props, page, visit);
    const keys = props.map((prop) => [prop]);
    tap(this.#owner, 'request', keys, this);
    this.#coalescer.schedule(keys, resolveCoalesce({ wait, refetchType: 'all' }, DEFAULT_COALESCE));
  }

  /** Notes which page `props` are for and how to reload them, without reloading (the sync's requests). */
  note(props: readonly string[], page: string, visit: VisitOptions): void {
    this.#runner.request(props, page, visit);
  }

  /** The sync's way in (a subscription confirmed): the props' last requests say for which page. */
  schedule(keys: readonly QueryKey[], options: ResolvedCoalesceOptions, delayMs?: number): void {
    this.#coalescer.schedule(keys, options, delayMs);
  }

  dispose(): void {
    this.#coalescer.dispose();
  }
}

const installed = new WeakMap<object, Reloads>();

/** A client's partial reloads, once `echo-react-query/inertia` made them (its provider or its hook). */
export function reloadsOf(client: object): Reloads | undefined {
  return installed.get(client);
}

/** Makes a client's partial reloads (once), ended with it through `onEnd`. */
export function installReloads(client: object, make: () => Reloads, onEnd: (end: () => void) => void): Reloads {
  let reloads = installed.get(client);
  if (!reloads) {
    const made = (reloads = make());
    installed.set(client, made);
    onEnd(() => {
      made.dispose();
      installed.delete(client);
    });
  }
  return reloads;
}

/** What a reload rule asks for: the props, its rate limit, whether to reload at first subscription. */
export interface ReloadRule {
  /** The props to reload... */
  only?: readonly string[];
  /** ...or every prop but these. */
  except?: readonly string[];
  /** Rate limit per prop, ms: a few reloads at once, then one per `wait`. Default 250. */
  wait?: number;
  /** Reload once when the channel is first confirmed. Default: the client's `refetchOnSubscribe` (true). */
  reloadOnSubscribe?: boolean;
}

/**
 * A channel event's handler that reloads props: `rule()` is read on every event (the latest
 * binding); `page()` is the page the props are for.
 */
export function reloadHandler(client: object, rule: () => ReloadRule | undefined, page: () => string, visit: () => VisitOptions, defaultWait: number) {
  const current = () => {
    const r = rule();
    const props = r ? reloadKeys(r.only, r.except) : [];
    return r && props.length > 0 ? { props, wait: r.wait ?? defaultWait, reloadOnSubscribe: r.reloadOnSubscribe } : null;
  };
  return {
    handle(): void {
      const reloads = reloadsOf(client);
      const r = current();
      if (!r) return;
      if (!reloads) {
        if (process.env.NODE_ENV !== 'production') {
          warnOnce("A `reload` binding has no Inertia router: render echo-react-query/inertia's RealtimeProvider (import { RealtimeProvider } from 'echo-react-query/inertia').");
        }
        return;
      }
      reloads.request(r.props, page(), visit(), r.wait);
    },
    sync(): SyncRequest | null {
      const reloads = reloadsOf(client);
      const r = current();
      if (!reloads || !r) return null;
      reloads.note(r.props, page(), visit());
      return { target: reloads, keys: r.props.map((prop) => [prop]), options: { wait: r.wait }, refetchOnSubscribe: r.reloadOnSubscribe };
    },
  };
}
