/**
 * A Pusher-protocol server for tests and the dev server (not part of the published package).
 *
 * Speaks protocol 7 as pusher-js does: `pusher:connection_established`, subscribe / unsubscribe,
 * private and presence auth checked by HMAC-SHA256 with the app secret, presence members per user
 * (not per connection), client events on private and presence channels only, ping / pong, and
 * 4xxx error codes. Serves the HTTP events API Laravel's pusher broadcaster calls
 * (`POST /apps/:id/events`, `/batch_events`, signature checked, `socket_id` exclusion for
 * `toOthers()`), `GET /apps/:id/channels`, `/channels/:name` and `/channels/:name/users`. Test hooks count frames, drop connections, stop and
 * restart on the same port, send malformed frames, and hold presence member lists back as a cluster does
 * (`holdMemberLists`).
 */
import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/** Options of {@link PusherTestServer}. */
export interface PusherServerOptions {
  appId?: string;
  key?: string;
  secret?: string;
  /** Loopback by default. */
  host?: string;
  /** 0 (default) picks a free port; `restart()` keeps whichever was bound. */
  port?: number;
  /** Seconds of client silence before pusher-js pings; sent in `connection_established`. */
  activityTimeout?: number;
  /** Largest event `data` the HTTP API accepts, in bytes (Pusher: 10 KB; default 1 MB for tests). */
  maxPayloadBytes?: number;
}

interface Connection {
  ws: WebSocket;
  socketId: string;
  channels: Set<string>;
  /** Presence channel -> the user id this connection joined as. */
  presence: Map<string, string>;
}

interface PresenceUser {
  info: unknown;
  connections: number;
}

/** One event the HTTP API accepted. */
export interface TriggeredEvent {
  channel: string;
  name: string;
  data: string;
  socketId?: string;
}

/** HMAC the way Pusher signs channel auth: `key:hex(hmac_sha256(secret, socket_id:channel[:channel_data]))`. */
export function channelSignature(key: string, secret: string, socketId: string, channel: string, channelData?: string) {
  const payload = channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
  return `${key}:${createHmac('sha256', secret).update(payload).digest('hex')}`;
}

const isPrivate = (channel: string) => channel.startsWith('private-') || channel.startsWith('presence-');

export class PusherTestServer {
  readonly appId: string;
  readonly key: string;
  readonly secret: string;
  readonly host: string;
  port: number;
  /** Client-to-server frames by event name (`pusher:subscribe`, `client-typing`, ...). */
  readonly frames = new Map<string, number>();
  /** Client-to-server frames by `event channel`, e.g. `pusher:subscribe private-orders.1`. */
  readonly channelFrames = new Map<string, number>();
  /** Events accepted by the HTTP API, oldest first. */
  readonly triggered: TriggeredEvent[] = [];
  /** Called for each event the HTTP API accepts (the dev server keeps its orders in step). */
  onTriggered: ((event: TriggeredEvent) => void) | null = null;

  private readonly activityTimeout: number;
  private readonly maxPayloadBytes: number;
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly connections = new Map<string, Connection>();
  private readonly channels = new Map<string, Set<Connection>>();
  private readonly presence = new Map<string, Map<string, PresenceUser>>();
  /** Presence subscriptions whose member list is held back (`holdMemberLists`); null when not holding. */
  private heldLists: { conn: Connection; channel: string; data: unknown }[] | null = null;

  constructor(options: PusherServerOptions = {}) {
    this.appId = options.appId ?? '1';
    this.key = options.key ?? 'app-key';
    this.secret = options.secret ?? 'app-secret';
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.activityTimeout = options.activityTimeout ?? 30;
    this.maxPayloadBytes = options.maxPayloadBytes ?? 1024 * 1024;
  }

  /** Starts listening (again, on the same port after `stop()`). */
  async start(): Promise<this> {
    const http = createServer((req, res) => void this.handleHttp(req, res));
    const wss = new WebSocketServer({ server: http });
    wss.on('connection', (ws, req) => this.handleConnection(ws, req));
    // ws re-emits the HTTP server's errors (a busy port); `listen` below rejects with them already.
    wss.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.port, this.host, () => resolve());
    });
    this.port = (http.address() as AddressInfo).port;
    this.http = http;
    this.wss = wss;
    return this;
  }

  /** Stops: every socket is cut (no close frame, as when a server dies), the port is released. */
  async stop(): Promise<void> {
    const { http, wss } = this;
    this.http = null;
    this.wss = null;
    for (const conn of [...this.connections.values()]) {
      conn.ws.terminate();
      this.forget(conn);
    }
    await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  }

  /** Stops and starts again on the same port. */
  async restart(downMs = 0): Promise<void> {
    await this.stop();
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.start();
  }

  /**
   * Cuts one connection (or all) without a close frame, like a network drop. `silently`: its
   * presence departures are not announced, as when the cluster node holding it dies.
   */
  dropConnection(socketId?: string, { silently = false } = {}): void {
    for (const conn of [...this.connections.values()]) {
      if (socketId !== undefined && conn.socketId !== socketId) continue;
      conn.ws.terminate();
      this.forget(conn, silently);
    }
  }

  /** Sends a raw text frame to every connection (malformed-frame tests). */
  sendRaw(text: string): void {
    for (const conn of this.connections.values()) conn.ws.send(text);
  }

  /** Sends an event frame with `data` exactly as given (a non-JSON string is allowed) to a channel. */
  sendEventRaw(channel: string, event: string, data: string): void {
    const frame = JSON.stringify({ event, channel, data });
    for (const conn of this.channels.get(channel) ?? []) conn.ws.send(frame);
  }

  /**
   * Sends presence member lists the way a cluster of Soketi nodes does: from now on a presence
   * subscriber's list (`pusher_internal:subscription_succeeded`) is computed when it subscribes but
   * sent only when the returned `release()` is called, while the connection is already in the
   * channel: the `member_added` / `member_removed` of whoever joins or leaves meanwhile reach it
   * first, and the list it then gets lacks them (a node asking another for the members over Redis).
   * `release()` sends the held lists in order, to connections still subscribed, and stops holding.
   */
  holdMemberLists(): () => void {
    const held = (this.heldLists ??= []);
    return () => {
      if (this.heldLists === held) this.heldLists = null;
      for (const { conn, channel, data } of held.splice(0)) {
        if (conn.channels.has(channel)) this.send(conn, 'pusher_internal:subscription_succeeded', channel, data);
      }
    };
  }

  /** Connections open now. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Socket ids of the connections subscribed to a channel. */
  subscribers(channel: string): string[] {
    return [...(this.channels.get(channel) ?? [])].map((c) => c.socketId);
  }

  /** Users on a presence channel (one entry per user). */
  presenceMembers(channel: string): unknown[] {
    return [...(this.presence.get(channel)?.values() ?? [])].map((u) => u.info);
  }

  /** Frames of one event type, optionally for one channel. */
  frameCount(event: string, channel?: string): number {
    return (channel === undefined ? this.frames.get(event) : this.channelFrames.get(`${event} ${channel}`)) ?? 0;
  }

  /** Forgets counters (connections and subscriptions stay). */
  resetCounters(): void {
    this.frames.clear();
    this.channelFrames.clear();
    this.triggered.length = 0;
  }

  /** Echo / pusher-js options pointing at this server. */
  clientOptions(): { key: string; wsHost: string; wsPort: number; wssPort: number; forceTLS: false; enabledTransports: ['ws'] } {
    return { key: this.key, wsHost: this.host, wsPort: this.port, wssPort: this.port, forceTLS: false, enabledTransports: ['ws'] };
  }

  // ---- WebSocket side ----------------------------------------------------------------------

  private handleConnection(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/app\/([^/]+)$/.exec(url.pathname);
    if (!match || match[1] !== this.key) {
      this.sendError(ws, 4001, `Could not find app by key ${match?.[1] ?? ''}`);
      ws.close(4001);
      return;
    }
    const protocol = Number(url.searchParams.get('protocol') ?? 0);
    if (protocol < 5 || protocol > 7) {
      this.sendError(ws, 4007, 'Unsupported protocol version');
      ws.close(4007);
      return;
    }
    const conn: Connection = {
      ws,
      socketId: `${randomInt(1, 999_999_999)}.${randomInt(1, 999_999_999)}`,
      channels: new Set(),
      presence: new Map(),
    };
    this.connections.set(conn.socketId, conn);
    ws.on('message', (raw) => this.handleFrame(conn, raw));
    ws.on('close', () => this.forget(conn));
    ws.on('error', () => this.forget(conn));
    this.send(conn, 'pusher:connection_established', undefined, {
      socket_id: conn.socketId,
      activity_timeout: this.activityTimeout,
    });
  }

  private handleFrame(conn: Connection, raw: RawData): void {
    let message: { event?: unknown; channel?: unknown; data?: unknown };
    try {
      message = JSON.parse(raw.toString());
    } catch {
      this.sendError(conn.ws, 4200, 'Invalid message format');
      return;
    }
    const event = typeof message.event === 'string' ? message.event : '';
    const data = (typeof message.data === 'string' ? safeParse(message.data) : message.data) as Record<string, unknown>;
    const channel = typeof message.channel === 'string' ? message.channel : typeof data?.channel === 'string' ? data.channel : '';
    this.frames.set(event, (this.frames.get(event) ?? 0) + 1);
    if (channel) this.channelFrames.set(`${event} ${channel}`, (this.channelFrames.get(`${event} ${channel}`) ?? 0) + 1);

    if (event === 'pusher:ping') this.send(conn, 'pusher:pong', undefined, {});
    else if (event === 'pusher:subscribe') this.subscribe(conn, channel, data ?? {});
    else if (event === 'pusher:unsubscribe') this.unsubscribe(conn, channel);
    else if (event.startsWith('client-')) this.clientEvent(conn, channel, event, message.data);
  }

  private subscribe(conn: Connection, channel: string, data: Record<string, unknown>): void {
    if (!channel || channel.startsWith('#')) {
      this.sendError(conn.ws, 4009, `Invalid channel name ${channel}`);
      return;
    }
    if (conn.channels.has(channel)) return;
    const auth = typeof data.auth === 'string' ? data.auth : '';
    const channelData = typeof data.channel_data === 'string' ? data.channel_data : undefined;
    if (isPrivate(channel)) {
      const signed = channel.startsWith('presence-') ? channelData : undefined;
      const expected = channelSignature(this.key, this.secret, conn.socketId, channel, signed);
      if (!sameString(auth, expected) || (channel.startsWith('presence-') && channelData === undefined)) {
        // What Soketi and Reverb answer: an auth error on that channel, the connection stays up.
        this.send(conn, 'pusher:subscription_error', channel, {
          type: 'AuthError',
          error: 'The connection is unauthorized.',
          status: 401,
        });
        return;
      }
    }
    conn.channels.add(channel);
    let members = this.channels.get(channel);
    if (!members) this.channels.set(channel, (members = new Set()));
    members.add(conn);

    if (!channel.startsWith('presence-')) {
      this.send(conn, 'pusher_internal:subscription_succeeded', channel, {});
      return;
    }
    const { user_id, user_info } = (safeParse(channelData ?? '') ?? {}) as { user_id?: unknown; user_info?: unknown };
    const userId = String(user_id);
    conn.presence.set(channel, userId);
    let users = this.presence.get(channel);
    if (!users) this.presence.set(channel, (users = new Map()));
    const user = users.get(userId) ?? { info: user_info, connections: 0 };
    user.connections += 1;
    users.set(userId, user);
    const hash = Object.fromEntries([...users].map(([id, u]) => [id, u.info]));
    const list = { presence: { ids: Object.keys(hash), hash, count: users.size } };
    if (this.heldLists) this.heldLists.push({ conn, channel, data: list });
    else this.send(conn, 'pusher_internal:subscription_succeeded', channel, list);
    if (user.connections === 1) {
      this.broadcast(channel, 'pusher_internal:member_added', { user_id: userId, user_info }, conn);
    }
  }

  private unsubscribe(conn: Connection, channel: string, silently = false): void {
    if (!conn.channels.delete(channel)) return;
    const held = this.heldLists ?? [];
    for (let i = held.length - 1; i >= 0; i--) if (held[i].conn === conn && held[i].channel === channel) held.splice(i, 1);
    const members = this.channels.get(channel);
    members?.delete(conn);
    if (members?.size === 0) this.channels.delete(channel);
    const userId = conn.presence.get(channel);
    if (userId === undefined) return;
    conn.presence.delete(channel);
    const users = this.presence.get(channel);
    const user = users?.get(userId);
    if (!users || !user) return;
    user.connections -= 1;
    if (user.connections > 0) return;
    users.delete(userId);
    if (users.size === 0) this.presence.delete(channel);
    if (!silently) this.broadcast(channel, 'pusher_internal:member_removed', { user_id: userId }, conn);
  }

  private clientEvent(conn: Connection, channel: string, event: string, data: unknown): void {
    if (!isPrivate(channel) || !conn.channels.has(channel)) {
      this.sendError(conn.ws, null, `Client event rejected - only supported on private and presence channels you are subscribed to: ${channel}`);
      return;
    }
    const frame: Record<string, unknown> = { event, channel, data };
    const userId = conn.presence.get(channel);
    if (userId !== undefined) frame.user_id = userId;
    const text = JSON.stringify(frame);
    for (const other of this.channels.get(channel) ?? []) if (other !== conn) other.ws.send(text);
  }

  /** Removes a connection from every channel (announcing presence departures). */
  private forget(conn: Connection, silently = false): void {
    if (this.connections.get(conn.socketId) !== conn) return;
    this.connections.delete(conn.socketId);
    for (const channel of [...conn.channels]) this.unsubscribe(conn, channel, silently);
  }

  private send(conn: Connection, event: string, channel: string | undefined, data: unknown): void {
    const frame: Record<string, unknown> = { event, data: JSON.stringify(data) };
    if (channel !== undefined) frame.channel = channel;
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(JSON.stringify(frame));
  }

  private broadcast(channel: string, event: string, data: unknown, except?: Connection): void {
    for (const conn of this.channels.get(channel) ?? []) if (conn !== except) this.send(conn, event, channel, data);
  }

  private sendError(ws: WebSocket, code: number | null, message: string): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event: 'pusher:error', data: { code, message } }));
  }

  // ---- HTTP API ----------------------------------------------------------------------------

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readBody(req);
    const route = /^\/apps\/([^/]+)\/(events|batch_events|channels)(?:\/([^/]+)(\/users)?)?$/.exec(url.pathname);
    if (!route || (route[3] !== undefined && route[2] !== 'channels')) return reply(res, 404, { error: 'Not found' });
    if (route[1] !== this.appId) return reply(res, 404, { error: `Unknown app ${route[1]}` });
    const problem = this.checkSignature(req.method ?? 'GET', url, body);
    if (problem) return reply(res, 401, { error: problem });

    if (route[2] === 'channels' && route[3] !== undefined && req.method === 'GET') {
      // GET /channels/{name}[/users]: one channel's state, or a presence channel's users.
      const name = decodeURIComponent(route[3]);
      const users = this.presence.get(name);
      if (route[4]) {
        if (!name.startsWith('presence-')) return reply(res, 400, { error: 'Users can only be retrieved for presence channels' });
        return reply(res, 200, { users: [...(users?.keys() ?? [])].map((id) => ({ id })) });
      }
      const subscriptionCount = this.channels.get(name)?.size ?? 0;
      return reply(res, 200, {
        occupied: subscriptionCount > 0,
        subscription_count: subscriptionCount,
        ...(name.startsWith('presence-') ? { user_count: users?.size ?? 0 } : {}),
      });
    }
    if (route[2] === 'channels' && req.method === 'GET') {
      const prefix = url.searchParams.get('filter_by_prefix') ?? '';
      const channels: Record<string, unknown> = {};
      for (const [name] of this.channels) {
        if (!name.startsWith(prefix)) continue;
        channels[name] = name.startsWith('presence-') ? { user_count: this.presence.get(name)?.size ?? 0 } : {};
      }
      return reply(res, 200, { channels });
    }
    if (req.method !== 'POST') return reply(res, 405, { error: 'Method not allowed' });
    const parsed = safeParse(body) as Record<string, unknown> | undefined;
    if (!parsed) return reply(res, 400, { error: 'Body is not JSON' });
    const batch =
      route[2] === 'batch_events'
        ? ((parsed.batch as Record<string, unknown>[] | undefined) ?? [])
        : [parsed];
    const events: TriggeredEvent[] = [];
    for (const item of batch) {
      const channels = Array.isArray(item.channels) ? item.channels : [item.channel];
      const { name, data } = item;
      if (typeof name !== 'string' || typeof data !== 'string' || channels.some((c) => typeof c !== 'string')) {
        return reply(res, 400, { error: 'Each event needs a name, string data and channels' });
      }
      if (Buffer.byteLength(data) > this.maxPayloadBytes) return reply(res, 413, { error: 'Payload too large' });
      const socketId = typeof item.socket_id === 'string' ? item.socket_id : undefined;
      for (const channel of channels as string[]) events.push({ channel, name, data, socketId });
    }
    for (const event of events) {
      this.triggered.push(event);
      this.onTriggered?.(event);
      const frame = JSON.stringify({ event: event.name, channel: event.channel, data: event.data });
      for (const conn of this.channels.get(event.channel) ?? []) {
        if (conn.socketId !== event.socketId) conn.ws.send(frame);
      }
    }
    return reply(res, 200, route[2] === 'batch_events' ? { batch: events.map(() => ({})) } : {});
  }

  /** Pusher's REST signature: hmac(secret, "METHOD\npath\nsorted query without auth_signature"). */
  private checkSignature(method: string, url: URL, body: string): string | null {
    const params = Object.fromEntries(url.searchParams);
    if (params.auth_key !== this.key) return 'Unknown auth_key';
    if (Math.abs(Date.now() / 1000 - Number(params.auth_timestamp)) > 600) return 'Timestamp expired';
    if (body && params.body_md5 !== createHash('md5').update(body).digest('hex')) return 'body_md5 mismatch';
    const signature = params.auth_signature ?? '';
    delete params.auth_signature;
    const query = Object.keys(params)
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join('&');
    const expected = createHmac('sha256', this.secret).update(`${method}\n${url.pathname}\n${query}`).digest('hex');
    return sameString(signature, expected) ? null : 'Invalid signature';
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
