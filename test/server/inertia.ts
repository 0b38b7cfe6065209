/**
 * Inertia's server side, as Laravel's `Inertia::render` speaks it, for the Laravel stand-in's
 * `routes`: a page visit with `X-Inertia: true` gets `{ component, props, url, version }`; a partial
 * reload (`X-Inertia-Partial-Component` naming the same component, `X-Inertia-Partial-Data` or
 * `-Except`) gets only those props; a stale `X-Inertia-Version` gets 409 with `X-Inertia-Location`.
 * Every answer is logged, so tests count requests and what each asked for.
 */
import type { AppRequest, AppResponse } from './laravel-app';

/** A page: its component and its props, computed per request (the server's current state). */
export type InertiaPage = (request: AppRequest) => { component: string; props: Record<string, () => unknown> };

/** One Inertia request as the server saw it. */
export interface InertiaLogEntry {
  url: string;
  component: string;
  /** The props a partial reload asked for (`X-Inertia-Partial-Data`), or null for a full visit. */
  only: string[] | null;
  except: string[] | null;
  status: number;
}

export class InertiaServer {
  readonly log: InertiaLogEntry[] = [];
  /** The asset version; change it to make the next request answer 409. */
  version = '1';

  constructor(private readonly pages: Record<string, InertiaPage>) {}

  /** The page object a first (non-Inertia) visit would embed in `data-page`. */
  initialPage(url: string, request: Partial<AppRequest> = {}): { component: string; props: Record<string, unknown>; url: string; version: string } {
    const page = this.pages[url.split('?')[0]!]!({ method: 'GET', path: url, url, headers: {}, body: '', ...request });
    return { component: page.component, props: evaluate(page.props), url, version: this.version };
  }

  /** The stand-in's `routes` handler for the pages. */
  readonly routes = (request: AppRequest): AppResponse | undefined => {
    const render = this.pages[request.path];
    if (!render || request.method !== 'GET' || request.headers['x-inertia'] !== 'true') return undefined;
    const { component, props } = render(request);
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' && value.length > 0 ? value.split(',') : null;
    };
    const partial = request.headers['x-inertia-partial-component'] === component;
    const only = partial ? header('x-inertia-partial-data') : null;
    const except = partial ? header('x-inertia-partial-except') : null;
    if (request.headers['x-inertia-version'] !== this.version) {
      this.log.push({ url: request.url, component, only, except, status: 409 });
      return { status: 409, body: '', headers: { 'x-inertia-location': request.url } };
    }
    const names = Object.keys(props).filter((name) => (!only || only.includes(name)) && !except?.includes(name));
    this.log.push({ url: request.url, component, only, except, status: 200 });
    return {
      status: 200,
      body: { component, props: evaluate(Object.fromEntries(names.map((name) => [name, props[name]!]))), url: request.url, version: this.version },
      headers: { 'x-inertia': 'true', vary: 'X-Inertia' },
    };
  };

  /** The partial reloads of `url` so far (full visits left out). */
  reloads(url: string): InertiaLogEntry[] {
    return this.log.filter((entry) => entry.url === url && (entry.only || entry.except));
  }
}

function evaluate(props: Record<string, () => unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).map(([name, read]) => [name, read()]));
}
