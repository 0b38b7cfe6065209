/**
 * Sanctum's SPA authentication for the Laravel stand-in: `GET /sanctum/csrf-cookie` starts a session
 * (an HttpOnly `laravel_session` cookie and a readable `XSRF-TOKEN`), `POST /login` logs a user in,
 * and later requests from a stateful domain carrying the session cookie are that user, state-changing
 * ones only with `X-XSRF-TOKEN` matching (419 otherwise, as Laravel answers a CSRF mismatch).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppUser } from './channel-rules';

/** Options of the cookie-session mode. */
export interface CookieSessionOptions {
  /**
   * `SANCTUM_STATEFUL_DOMAINS`: `host[:port]` of the SPAs whose requests may use the session cookie
   * (matched against the request's Origin or Referer). Other origins are guests.
   */
  statefulDomains: string[];
}

interface Session {
  xsrf: string;
  user?: AppUser;
}

/** What the session says about a request. */
export type SessionCheck = { user: AppUser } | { status: 419; message: string } | { user?: undefined; reason: string };

export class CookieSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly options: CookieSessionOptions) {}

  /** `GET /sanctum/csrf-cookie`: a session (kept if there is one) and its XSRF cookie; 204. */
  csrfCookie(req: IncomingMessage, res: ServerResponse): void {
    const id = cookies(req).laravel_session;
    const session = id ? this.sessions.get(id) : undefined;
    this.issue(res, session ? id! : this.create(), session);
    res.writeHead(204).end();
  }

  /** `POST /login` `{ email, password }`: logs in (a new session id, as Laravel regenerates it); 204. */
  login(req: IncomingMessage, res: ServerResponse, body: string, find: (email: string, password: string) => AppUser | undefined): void {
    // The login route is a `web` route: CSRF is checked whatever the origin.
    const id = cookies(req).laravel_session;
    const session = id ? this.sessions.get(id) : undefined;
    if (!id || !session || req.headers['x-xsrf-token'] !== session.xsrf) return json(res, 419, { message: 'CSRF token mismatch.' });
    const { email, password } = safeJson(body) as { email?: string; password?: string };
    const user = find(String(email), String(password));
    if (!user) return json(res, 422, { message: 'These credentials do not match our records.' });
    this.sessions.delete(id);
    const fresh = this.create(user);
    this.issue(res, fresh, this.sessions.get(fresh));
    res.writeHead(204).end();
  }

  /** The session's user for a request; `mutating` requests need the XSRF header. */
  check(req: IncomingMessage, mutating: boolean): SessionCheck {
    const id = cookies(req).laravel_session;
    if (!id) return { reason: 'no session cookie' };
    const from = (req.headers.origin ?? req.headers.referer ?? '').replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (!this.options.statefulDomains.includes(from)) {
      return { reason: `the session cookie came from ${from || 'no origin'}, not a stateful domain (SANCTUM_STATEFUL_DOMAINS)` };
    }
    const session = this.sessions.get(id);
    if (!session) return { reason: 'the session expired' };
    if (mutating && req.headers['x-xsrf-token'] !== session.xsrf) return { status: 419, message: 'CSRF token mismatch.' };
    return session.user ? { user: session.user } : { reason: 'the session has no logged-in user' };
  }

  private create(user?: AppUser): string {
    const id = randomBytes(16).toString('hex');
    this.sessions.set(id, { xsrf: randomBytes(16).toString('hex'), user });
    return id;
  }

  private issue(res: ServerResponse, id: string, session = this.sessions.get(id)): void {
    res.setHeader('set-cookie', [
      `laravel_session=${id}; Path=/; HttpOnly; SameSite=Lax`,
      // Readable by the page's script (not HttpOnly): it sends it back as X-XSRF-TOKEN.
      `XSRF-TOKEN=${session!.xsrf}; Path=/; SameSite=Lax`,
    ]);
  }
}

function cookies(req: IncomingMessage): Record<string, string> {
  const pairs = (req.headers.cookie ?? '').split(';').map((c) => c.trim().split('='));
  return Object.fromEntries(pairs.filter((p) => p.length >= 2).map(([k, ...v]) => [k, decodeURIComponent(v.join('='))]));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
