/**
 * What a Laravel app does for broadcasting, for tests and the dev server: `POST /broadcasting/auth`
 * with channel rules like `routes/channels.php` (a callback per pattern returning allow, deny or
 * presence user info), 403 when denied, the user taken from `Authorization: Bearer <token>`, from a
 * Sanctum SPA session cookie, or (dev) a session user; CORS as `config/cors.php` sets it; and
 * `broadcast()`, which publishes through the official `pusher` SDK to the Pusher HTTP API, exactly
 * as pusher-php-server does. Signing uses the SDK too (`authorizeChannel`), including the
 * `shared_secret` of encrypted channels.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Pusher from 'pusher';
import { decide, type AppUser, type ChannelRule } from './channel-rules';
import { applyCors, type CorsConfig } from './cors';
import type { PusherTestServer } from './pusher-server';
import { CookieSessions, type CookieSessionOptions } from './sessions';

export type { AppUser, ChannelRule } from './channel-rules';
export type { CorsConfig } from './cors';

/** One auth request the app answered. */
export interface AuthLogEntry {
  channel: string;
  socketId: string;
  token: string | null;
  status: number;
}

/** Options of {@link LaravelAppStub}. */
export interface LaravelAppOptions {
  /** The Pusher-protocol server to authorise for and broadcast to. */
  server: PusherTestServer;
  /** Bearer token -> user. */
  users?: Record<string, AppUser>;
  channels?: ChannelRule[];
  /** Base64 32-byte key for private-encrypted channels. */
  encryptionMasterKeyBase64?: string;
  /**
   * `POST /broadcast` `{ channel, event, data }` broadcasts as the app would: for the Storybook
   * demos run against `npm run dev:server` (a browser cannot sign Pusher API calls). Dev only.
   */
  broadcastEndpoint?: boolean;
  /**
   * The user of a request with no Authorization header, as if logged in by Laravel's session cookie
   * on the page's own origin (the README's Quick Start has no token). Off by default: guests get 403.
   */
  sessionUser?: AppUser;
  /** Sanctum SPA cookies: `GET /sanctum/csrf-cookie`, `POST /login`, then the session cookie. Off by default. */
  cookieSessions?: CookieSessionOptions;
  /** `config/cors.php`. Default: every path, any origin, no credentials (`Access-Control-Allow-Origin: *`). */
  cors?: CorsConfig;
  /** The app's own routes (`/api/...`): an answer, or undefined for 404. */
  routes?: (request: AppRequest) => AppResponse | undefined | Promise<AppResponse | undefined>;
  /** One line per refused channel, saying why (the dev server prints them). */
  log?: (line: string) => void;
  host?: string;
  port?: number;
}

/** A request to one of {@link LaravelAppOptions.routes}. */
export interface AppRequest {
  method: string;
  path: string;
  /** The path with its query string. */
  url: string;
  /** Request headers, lower-case names (Node's). */
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The authenticated user, if any (bearer token, session cookie or session user). */
  user?: AppUser;
}

export interface AppResponse {
  status: number;
  body: unknown;
  /** Extra response headers (JSON's content type is always sent). */
  headers?: Record<string, string>;
}

/** Who sent a request: a user, a guest (and why), or a session refusing it (419). */
type Caller = { user: AppUser; token: string | null } | { user?: undefined; token: string | null; reason: string; status?: number };

export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export class LaravelAppStub {
  readonly users: Record<string, AppUser>;
  readonly channels: ChannelRule[];
  readonly authLog: AuthLogEntry[] = [];
  /** Delay before answering auth requests (ms). */
  authDelayMs = 0;
  /** When set, every auth request fails with this status. */
  failAuthWith: number | null = null;
  /** The app's data for the command endpoint: subscriptions per user id. */
  readonly subscriptions = new Map<string, { id: number; name: string; commandId: string | null }[]>();
  /** How `POST /subscriptions` behaves (see `command`). */
  commands = { responseDelayMs: 0, toOthers: false, fail: false };
  private nextSubscriptionId = 1;
  private value = 0;
  readonly host: string;
  port: number;
  private http: Server | null = null;
  private sdk: Pusher;
  private sdkPort: number;
  private readonly sessions: CookieSessions | null;

  constructor(private readonly options: LaravelAppOptions) {
    this.sessions = options.cookieSessions ? new CookieSessions(options.cookieSessions) : null;
    this.users = options.users ?? {};
    this.channels = options.channels ?? [];
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.sdkPort = options.server.port;
    this.sdk = this.createSdk();
  }

  /** Where pusher-js should send auth requests. */
  get authEndpoint(): string {
    return `http://${this.host}:${this.port}/broadcasting/auth`;
  }

  async start(): Promise<this> {
    const http = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.port, this.host, () => resolve());
    });
    this.port = (http.address() as AddressInfo).port;
    this.http = http;
    return this;
  }

  async stop(): Promise<void> {
    const http = this.http;
    this.http = null;
    http?.closeAllConnections();
    await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  }

  /**
   * `broadcast(new Event(...))`: publishes through the Pusher HTTP API with the official SDK.
   * `channel` is the full name (`private-orders.1`); `socketId` excludes that connection (`toOthers()`).
   */
  async broadcast(channel: string | string[], event: string, data: unknown, socketId?: string): Promise<void> {
    // The SDK binds the server's port at creation; the server may have been started since.
    if (this.sdkPort !== this.options.server.port) {
      this.sdkPort = this.options.server.port;
      this.sdk = this.createSdk();
    }
    const response = await this.sdk.trigger(channel, event, data, socketId ? { socket_id: socketId } : undefined);
    if (response.status !== 200) throw new Error(`broadcast failed: HTTP ${response.status}`);
  }

  private createSdk(): Pusher {
    const { server } = this.options;
    return new Pusher({
      appId: server.appId,
      key: server.key,
      secret: server.secret,
      host: server.host,
      port: String(server.port),
      useTLS: false,
      encryptionMasterKeyBase64: this.options.encryptionMasterKeyBase64 ?? TEST_ENCRYPTION_KEY,
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.answer(req, res);
    } catch (error) {
      send(res, 500, { message: String(error) });
    }
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    // Browsers on another origin need CORS; Laravel apps configure it in config/cors.php.
    if (applyCors(this.options.cors ?? {}, req, res)) return;
    if (req.method === 'OPTIONS') return send(res, 204, null);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (this.sessions && path === '/sanctum/csrf-cookie' && req.method === 'GET') return this.sessions.csrfCookie(req, res);
    if (this.sessions && path === '/login' && req.method === 'POST') {
      return this.sessions.login(req, res, body, (email, password) =>
        password === 'password' ? Object.values(this.users).find((u) => u.email === email) : undefined,
      );
    }
    if (req.url === '/subscriptions') return this.command(req, res, body);
    const local = /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(req.headers.origin ?? 'http://localhost');
    if ((req.url === '/value' || req.url === '/broadcast') && (!this.options.broadcastEndpoint || !local)) {
      return send(res, 403, { message: 'Dev endpoints answer pages on this machine only.' });
    }
    if (req.url === '/value') {
      // The browser benchmark's datum: GET reads it; POST sets it and broadcasts `.ValueChanged`
      // on the public channel `bench`, as a controller would.
      if (req.method === 'GET') return send(res, 200, { v: this.value });
      if (req.method !== 'POST') return send(res, 405, { message: 'Method Not Allowed' });
      // Never back: the benchmark sends increasing values, some of them at once.
      this.value = Math.max(this.value, (JSON.parse(body || '{}') as { v: number }).v);
      await this.broadcast('bench', 'ValueChanged', { v: this.value });
      return send(res, 200, { v: this.value });
    }
    if (req.url === '/broadcast' && req.method === 'POST') {
      const { channel, event, data } = JSON.parse(body || '{}') as { channel: string; event: string; data: unknown };
      await this.broadcast(channel, event, data);
      return send(res, 200, { ok: true });
    }
    if (path !== '/broadcasting/auth' || req.method !== 'POST') {
      const caller = this.caller(req);
      const answer = await this.options.routes?.({ method: req.method ?? 'GET', path, url: req.url ?? path, headers: req.headers, body, user: caller.user });
      return answer ? send(res, answer.status, answer.body, answer.headers) : send(res, 404, { message: 'Not Found' });
    }
    // pusher-js posts a form; a custom authorizer may post JSON (Laravel reads both).
    const json = /json/.test(req.headers['content-type'] ?? '');
    const form = json ? new URLSearchParams(jsonFields(body)) : new URLSearchParams(body);
    const socketId = form.get('socket_id') ?? '';
    const channel = form.get('channel_name') ?? '';
    const caller = this.caller(req);
    const answer = (status: number, payload: unknown) => {
      this.authLog.push({ channel, socketId, token: caller.token, status });
      send(res, status, payload);
    };
    if (this.authDelayMs > 0) await new Promise((r) => setTimeout(r, this.authDelayMs));
    if (this.failAuthWith !== null) return answer(this.failAuthWith, { message: 'Auth failed' });
    if (caller.user === undefined && caller.status) {
      this.options.log?.(`Refused ${channel} (${caller.status}): ${caller.reason}`);
      return answer(caller.status, { message: caller.reason });
    }
    const decision = decide(this.channels, channel, caller.user, caller.user ? undefined : caller.reason);
    // Laravel answers 403 for guests and for channels the callback refuses.
    if (!decision.ok) {
      this.options.log?.(`Refused ${channel} (403): ${decision.reason}`);
      return answer(403, { message: 'This action is unauthorized.' });
    }
    const { user, result } = decision;
    const member = { user_id: String(user.id), user_info: result as Record<string, unknown> };
    if (!socketId) {
      // No socket id: the request comes from laravel-echo-server, which Laravel's RedisBroadcaster answers.
      return answer(200, channel.startsWith('presence-') ? { channel_data: member } : true);
    }
    if (channel.startsWith('presence-')) return answer(200, this.sdk.authorizeChannel(socketId, channel, member));
    return answer(200, this.sdk.authorizeChannel(socketId, channel));
  }

  /**
   * Who sent the request, as Sanctum's guard decides: a bearer token, else the session cookie (SPA
   * mode), else the dev session user; otherwise a guest and why.
   */
  private caller(req: IncomingMessage): Caller {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Bearer ')) {
      const token = header.slice(7);
      const user = this.users[token];
      return user ? { user, token } : { token, reason: `no user: unknown token "${token}" (tokens: ${this.tokenList()})` };
    }
    let reason = `no user: no Authorization header (tokens: ${this.tokenList()})`;
    if (this.sessions) {
      const check = this.sessions.check(req, req.method !== 'GET' && req.method !== 'HEAD');
      if ('status' in check) return { token: null, status: check.status, reason: check.message };
      if (check.user) return { user: check.user, token: null };
      reason = `no user: no Authorization header, and ${check.reason}`;
    }
    if (this.options.sessionUser) return { user: this.options.sessionUser, token: null };
    return { token: null, reason };
  }

  private tokenList(): string {
    return Object.keys(this.users).join(', ') || 'none';
  }

  /**
   * The optimistic-commands endpoint (docs/commands.md). `GET /subscriptions`: the user's list. `POST /subscriptions`
   * `{ name, command_id }`: stores the row, then broadcasts `.SubscriptionCreated` with the
   * `commandId` on `private-App.Models.User.{id}` (as `broadcast(new SubscriptionCreatedEvent(...))`,
   * `->toOthers()` with the request's X-Socket-ID when `commands.toOthers`), and answers 201 after
   * `commands.responseDelayMs`: so the event can beat the response. `commands.fail`: 422, nothing stored.
   */
  private async command(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const { user } = this.caller(req);
    if (!user) return send(res, 401, { message: 'Unauthenticated.' });
    const rows = this.subscriptions.get(String(user.id)) ?? [];
    this.subscriptions.set(String(user.id), rows);
    if (req.method === 'GET') return send(res, 200, rows);
    if (req.method !== 'POST') return send(res, 405, { message: 'Method Not Allowed' });
    if (this.commands.fail) return send(res, 422, { message: 'The name has already been taken.' });
    const input = JSON.parse(body || '{}') as { name?: string; command_id?: string };
    const row = { id: this.nextSubscriptionId++, name: String(input.name), commandId: input.command_id ?? null };
    rows.push(row);
    const socketId = req.headers['x-socket-id'];
    await this.broadcast(
      `private-App.Models.User.${user.id}`,
      'SubscriptionCreated',
      row,
      this.commands.toOthers && typeof socketId === 'string' ? socketId : undefined,
    );
    if (this.commands.responseDelayMs > 0) await new Promise((r) => setTimeout(r, this.commands.responseDelayMs));
    send(res, 201, row);
  }
}

/** A JSON body's top-level fields as strings, for reading like a form. */
function jsonFields(body: string): Record<string, string> {
  try {
    const parsed = JSON.parse(body || '{}') as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    return {};
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(body === null ? undefined : JSON.stringify(body));
}
