import Echo, { EventFormatter } from 'laravel-echo';
import { FakePusher, type FakeChannel, type FakeHubLink, type FakePusherOptions } from './fake-pusher';

/** A presence member as the auth endpoint would return it (`user_info`); `id` is the `user_id`. */
export type FakeUser = Record<string, unknown> & { id: string | number };

/** One channel-auth request the fake received. */
export interface FakeAuthRequest {
  /** Full channel name, e.g. `private-orders.1`. */
  channel: string;
  socketId: string;
  /** Headers the client would send to `/broadcasting/auth` (including `Authorization` from `getToken`). */
  headers: Record<string, string>;
  /** The presence identity of the connection asking. */
  user: FakeUser;
}

/** How an auth request is decided (see {@link FakeAuthorizer}). */
export type FakeAuthDecision = boolean | { status: number } | { user: FakeUser };

/**
 * Decides an auth request: `true` allows, `false` refuses with 403, `{ status }` refuses with that
 * status, `{ user }` allows and makes this connection that presence member. Return a promise to
 * hold the answer back, like a slow `/broadcasting/auth`.
 */
export type FakeAuthorizer = (request: FakeAuthRequest) => FakeAuthDecision | Promise<FakeAuthDecision>;

/** Options of {@link createFakeEcho}. */
export interface FakeEchoOptions {
  /** Presence identity of connections that do not name one. Default `{ id: 1, name: 'User 1' }`. */
  user?: FakeUser;
  /** Custom auth decisions (see {@link FakeAuthorizer}); `failAuth` rules are checked first. */
  authorize?: FakeAuthorizer;
  /** Echo's event namespace, used to format event names in `emit`. Default `App.Events`. */
  namespace?: string | false;
  /** State new connections reach. Default `'connected'`. */
  connectionState?: FakeConnectionState;
}

/** pusher-js connection states the fake can be put in. */
export type FakeConnectionState = 'connected' | 'connecting' | 'unavailable' | 'failed' | 'disconnected';

/** Counters for one channel (its full name, as on the wire). */
export interface FakeChannelStats {
  /** `pusher:subscribe` frames that reached the server. */
  subscribes: number;
  /** `pusher:unsubscribe` frames that reached the server. */
  unsubscribes: number;
  /** Requests to the auth endpoint. */
  authRequests: number;
  /** Connections subscribed right now. */
  subscribed: number;
  /** Callbacks bound on the client-side channel objects right now. */
  listeners: number;
}

/** A whisper (client event) sent by a connection. */
export interface FakeWhisper {
  channel: string;
  /** Without the `client-` prefix. */
  event: string;
  data: unknown;
  socketId: string | undefined;
}

interface PresenceRecord {
  info: FakeUser;
  connections: number;
}

/**
 * A fake Pusher-protocol server plus client factory, per test. `fake.echo` is a real laravel-echo
 * instance (Echo's real PusherConnector and channel classes) over an in-memory pusher-js client,
 * so the code under test runs the same paths as in production; no module mocking needed.
 */
export class FakeEcho {
  /**
   * A pusher-js-compatible constructor bound to this fake: pass it as Echo's `Pusher` option, e.g.
   * `createRealtimeClient({ echo: { broadcaster: 'reverb', key: 'k', Pusher: fake.Pusher } })`.
   */
  readonly Pusher: new (key: string, options?: Record<string, unknown>) => object;
  /** Whispers sent by connections, oldest first. */
  readonly whispers: FakeWhisper[] = [];
  /** Auth requests received, oldest first. */
  readonly authRequests: FakeAuthRequest[] = [];

  private readonly clients = new Set<FakePusher>();
  private readonly refused = new Map<string, number>();
  private readonly counters = new Map<string, { subscribes: number; unsubscribes: number; authRequests: number }>();
  private readonly presence = new Map<string, Map<string, PresenceRecord>>();
  private readonly queue: (() => void)[] = [];
  private draining = false;
  private state: FakeConnectionState;
  private socketSeq = 0;
  private readonly formatter: EventFormatter;
  private readonly defaultUser: FakeUser;
  private firstEcho: Echo<'pusher'> | null = null;

  constructor(private readonly options: FakeEchoOptions = {}) {
    this.state = options.connectionState ?? 'connected';
    this.defaultUser = options.user ?? { id: 1, name: 'User 1' };
    this.formatter = new EventFormatter(options.namespace === undefined ? 'App.Events' : options.namespace);
    const link = this.link();
    this.Pusher = class extends FakePusher {
      constructor(key: string, opts?: Record<string, unknown>) {
        super(link, key, opts as FakePusherOptions);
      }
    };
  }

  /** A real Echo on this fake (created on first use), as user `options.user`. */
  get echo(): Echo<'pusher'> {
    return (this.firstEcho ??= this.createEcho());
  }

  /** Another Echo (another connection) on the same fake server, e.g. a second user or tab. */
  createEcho(options: { user?: FakeUser; [option: string]: unknown } = {}): Echo<'pusher'> {
    const { user, ...rest } = options;
    return new Echo({
      broadcaster: 'pusher',
      key: 'fake-key',
      cluster: 'fake',
      Pusher: this.Pusher,
      withoutInterceptors: true,
      ...(this.options.namespace === undefined ? {} : { namespace: this.options.namespace }),
      fakeUser: user,
      ...rest,
    } as never);
  }

  /**
   * Sends a server event, as Laravel's broadcaster does. `channel` is the name on the wire:
   * `orders.1` for `new Channel('orders.1')`, `private-orders.1` for `new PrivateChannel(...)`,
   * `presence-...`, `private-encrypted-...`; a component that joined the wrong type receives
   * nothing, as in production. `event` follows Echo's rules (`.OrderShipped`, `OrderShipped`).
   * Delivered to connections whose subscription is confirmed (`await fake.flush()` after mounting);
   * nothing is delivered while the fake is dropped, as events sent during an outage are lost.
   * Returns the number of deliveries.
   */
  emit(channel: string, event: string, payload?: unknown): number {
    return this.deliver(channel, this.formatter.format(event), payload);
  }

  /**
   * A whisper from someone else (not one of the fake's connections), on a private or presence
   * channel (`private-chat`, `presence-room`: names on the wire, as everywhere in the fake).
   */
  whisper(channel: string, event: string, data: unknown): number {
    if (!channel.startsWith('private-') && !channel.startsWith('presence-')) {
      throw new Error(`fake.whisper: client events exist on private and presence channels only, named on the wire ("private-${channel}" or "presence-${channel}"), not on "${channel}".`);
    }
    return this.deliver(channel, `client-${event}`, data);
  }

  /** Another user joins a presence channel (`presence-room`); one more connection for them, announced once per user. */
  join(channel: string, member: FakeUser): void {
    this.presenceJoin(presenceName('join', channel), member, null);
  }

  /** A user's connection leaves a presence channel (`presence-room`); announced when their last connection goes. */
  leave(channel: string, member: FakeUser | string | number): void {
    const id = String(typeof member === 'object' ? member.id : member);
    this.presenceLeave(presenceName('leave', channel), id, null);
  }

  /** Members the server has for a presence channel (`presence-room`), one per user. */
  members(channel: string): FakeUser[] {
    return [...(this.presence.get(presenceName('members', channel))?.values() ?? [])].map((r) => r.info);
  }

  /** Refuses auth for a private or presence channel (`private-admin`, `presence-room`) with `status`. */
  failAuth(channel: string, status = 403): void {
    if (!channel.startsWith('private-') && !channel.startsWith('presence-')) {
      throw new Error(`fake.failAuth: only private and presence channels are authorised; name it on the wire, e.g. "private-${channel}".`);
    }
    this.refused.set(channel, status);
  }

  /** Undoes {@link failAuth}. */
  allowAuth(channel: string): void {
    this.refused.delete(channel);
  }

  /**
   * Moves every connection to a pusher-js state. `'unavailable'` or `'connecting'` simulate a drop
   * (channels are lost, presence members leave); `'connected'` brings them back, with a new socket
   * id, re-subscribing (and re-authorising) every channel, as pusher-js does.
   */
  setConnectionState(state: FakeConnectionState): void {
    this.state = state;
    for (const client of this.clients) {
      if (!client.wantsConnection) continue;
      if (state === 'connected') this.establish(client);
      else this.dropped(client, state);
    }
  }

  /** The state connections are in (or will reach). */
  get connectionState(): FakeConnectionState {
    return this.state;
  }

  /** Counters for a channel, by its full name (`orders`, `private-orders`, `presence-room`). */
  stats(channel: string): FakeChannelStats {
    const c = this.counters.get(channel);
    const total: FakeChannelStats = {
      subscribes: c?.subscribes ?? 0,
      unsubscribes: c?.unsubscribes ?? 0,
      authRequests: c?.authRequests ?? 0,
      subscribed: 0,
      listeners: 0,
    };
    for (const client of this.clients) {
      const ch = client.channel(channel);
      if (!ch) continue;
      if (ch.subscribed) total.subscribed += 1;
      total.listeners += ch.listenerCount();
    }
    return total;
  }

  /** Channels some connection is subscribed to or subscribing to right now, sorted. */
  subscribedChannels(): string[] {
    const names = new Set<string>();
    for (const client of this.clients) {
      for (const ch of client.allChannels()) if (ch.subscribed || ch.subscriptionPending) names.add(ch.name);
    }
    return [...names].sort();
  }

  /** Callbacks bound on channel objects, for one channel (full name) or all. */
  listenerCount(channel?: string): number {
    if (channel !== undefined) return this.stats(channel).listeners;
    let n = 0;
    for (const client of this.clients) for (const ch of client.allChannels()) n += ch.listenerCount();
    return n;
  }

  /** Callbacks bound on the connections' state events (what status observers leave behind). */
  connectionListenerCount(): number {
    let n = 0;
    for (const client of this.clients) n += client.connection.listenerCount();
    return n;
  }

  /** Open connections (clients that are connecting or connected). */
  get openConnections(): number {
    let n = 0;
    for (const client of this.clients) if (client.wantsConnection) n += 1;
    return n;
  }

  /**
   * Resolves once everything the fake delivers asynchronously (connecting, auth, acks) is done.
   * In React tests: `await act(() => fake.flush())`.
   */
  async flush(): Promise<void> {
    // A few turns first: an auth promise the test just resolved reaches the queue a turn or two later.
    for (let i = 0; i < 1000; i++) {
      await Promise.resolve();
      if (i >= 5 && this.queue.length === 0 && !this.draining) return;
    }
  }

  private link(): FakeHubLink {
    return {
      register: (client) => this.clients.add(client),
      establish: (client) => this.establish(client),
      subscribeChannel: (client, channel) => this.subscribeChannel(client, channel),
      unsubscribed: (client, channel) => {
        this.counter(channel.name).unsubscribes += 1;
        this.leavePresenceAs(client, channel);
      },
      dropped: (client, state) => this.dropped(client, state),
      clientEvent: (client, channel, event, data) => this.clientEvent(client, channel, event, data),
      defer: (task) => this.defer(task),
    };
  }

  private defer(task: () => void): void {
    this.queue.push(task);
    if (this.draining) return;
    this.draining = true;
    void Promise.resolve().then(() => this.drain());
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const task = this.queue.shift()!;
      try {
        task();
      } catch (error) {
        // Surface it as the uncaught error it would be in a real socket callback.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
    this.draining = false;
  }

  private counter(name: string) {
    let c = this.counters.get(name);
    if (!c) this.counters.set(name, (c = { subscribes: 0, unsubscribes: 0, authRequests: 0 }));
    return c;
  }

  private establish(client: FakePusher): void {
    if (!client.wantsConnection || client.connection.state === 'connected') return;
    if (this.state !== 'connected') {
      client.connection.setState(this.state === 'disconnected' ? 'unavailable' : this.state);
      return;
    }
    client.connection.socket_id = `${++this.socketSeq}.${1000 + this.socketSeq}`;
    client.connection.setState('connected');
    for (const channel of client.allChannels()) {
      if (!channel.subscribed && !channel.subscriptionPending) this.subscribeChannel(client, channel);
    }
  }

  private dropped(client: FakePusher, state: string): void {
    if (client.connection.state === 'connected') {
      for (const channel of client.allChannels()) {
        if (channel.subscribed) this.leavePresenceAs(client, channel);
        channel.disconnect();
      }
    }
    client.connection.setState(state);
  }

  private subscribeChannel(client: FakePusher, channel: FakeChannel): void {
    channel.subscriptionPending = true;
    channel.subscriptionCancelled = false;
    const attempt = ++channel.attempt;
    const name = channel.name;
    const user = client.options.fakeUser ?? this.defaultUser;
    let decision: FakeAuthDecision | Promise<FakeAuthDecision> = true;
    if (name.startsWith('private-') || name.startsWith('presence-')) {
      this.counter(name).authRequests += 1;
      const request: FakeAuthRequest = {
        channel: name,
        socketId: client.connection.socket_id ?? '',
        headers: authHeaders(client.options),
        user,
      };
      this.authRequests.push(request);
      const refused = this.refused.get(name);
      if (refused !== undefined) decision = { status: refused };
      else if (this.options.authorize) decision = this.options.authorize(request);
    }
    const answer = (result: FakeAuthDecision) => this.defer(() => this.answerSubscribe(client, channel, attempt, result, user));
    if (decision instanceof Promise) decision.then(answer, () => answer({ status: 500 }));
    else answer(decision);
  }

  /** The server's answer to one subscribe attempt, once auth has decided. */
  private answerSubscribe(
    client: FakePusher,
    channel: FakeChannel,
    attempt: number,
    decision: FakeAuthDecision,
    user: FakeUser,
  ): void {
    const name = channel.name;
    if (client.channel(name) !== channel || !channel.subscriptionPending || channel.attempt !== attempt) return;
    channel.subscriptionPending = false;
    if (client.connection.state !== 'connected') return;
    const refusal = decision === false ? 403 : typeof decision === 'object' && 'status' in decision ? decision.status : null;
    if (refusal !== null) {
      channel.emit('pusher:subscription_error', {
        type: 'AuthError',
        error: `Unable to retrieve auth string from channel-authorization endpoint - received status: ${refusal} from /broadcasting/auth.`,
        status: refusal,
      });
      return;
    }
    const member = typeof decision === 'object' && 'user' in decision ? decision.user : user;
    this.counter(name).subscribes += 1;
    channel.subscribed = true;
    if (channel.subscriptionCancelled) {
      client.unsubscribe(name);
      return;
    }
    if (channel.members) {
      channel.memberId = String(member.id);
      this.presenceJoin(name, member, client);
      const hash: Record<string, Record<string, unknown>> = {};
      for (const [id, record] of this.presence.get(name) ?? []) hash[id] = record.info;
      channel.members.members = hash;
      channel.members.count = Object.keys(hash).length;
      channel.members.myID = channel.memberId;
      channel.members.me = channel.members.get(channel.memberId);
      channel.emit('pusher:subscription_succeeded', channel.members);
    } else {
      channel.emit('pusher:subscription_succeeded', {});
    }
  }

  private leavePresenceAs(client: FakePusher, channel: FakeChannel): void {
    if (channel.memberId !== null) this.presenceLeave(channel.name, channel.memberId, client);
    channel.memberId = null;
  }

  private presenceJoin(name: string, member: FakeUser, from: FakePusher | null): void {
    const id = String(member.id);
    let table = this.presence.get(name);
    if (!table) this.presence.set(name, (table = new Map()));
    const record = table.get(id) ?? { info: member, connections: 0 };
    record.connections += 1;
    table.set(id, record);
    if (record.connections > 1) return;
    this.forEachSubscribed(name, from, (ch) => {
      if (ch.members && ch.members.get(id) === null) ch.members.count += 1;
      if (ch.members) ch.members.members[id] = member;
      ch.emit('pusher:member_added', { id, info: member });
    });
  }

  private presenceLeave(name: string, id: string, from: FakePusher | null): void {
    const table = this.presence.get(name);
    const record = table?.get(id);
    if (!table || !record) return;
    record.connections -= 1;
    if (record.connections > 0) return;
    table.delete(id);
    this.forEachSubscribed(name, from, (ch) => {
      if (!ch.members || ch.members.get(id) === null) return;
      delete ch.members.members[id];
      ch.members.count -= 1;
      ch.emit('pusher:member_removed', { id, info: record.info });
    });
  }

  private forEachSubscribed(name: string, except: FakePusher | null, fn: (channel: FakeChannel) => void): void {
    for (const client of this.clients) {
      if (client === except) continue;
      const ch = client.channel(name);
      if (ch?.subscribed) fn(ch);
    }
  }

  private clientEvent(client: FakePusher, channel: FakeChannel, event: string, data: unknown): boolean {
    const name = channel.name;
    if (!channel.subscribed || !(name.startsWith('private-') || name.startsWith('presence-'))) return false;
    this.whispers.push({ channel: name, event: event.slice('client-'.length), data, socketId: client.connection.socket_id });
    this.forEachSubscribed(name, client, (ch) => ch.emit(event, data, { user_id: channel.memberId ?? undefined }));
    return true;
  }

  private deliver(channel: string, event: string, payload: unknown): number {
    let delivered = 0;
    for (const client of this.clients) {
      const ch = client.channel(channel);
      if (!ch?.subscribed || client.connection.state !== 'connected') continue;
      ch.emit(event, payload, {});
      delivered += 1;
    }
    return delivered;
  }
}

/** Every method of the fake names channels as on the wire; a presence method given a bare name says so. */
function presenceName(method: string, channel: string): string {
  if (channel.startsWith('presence-')) return channel;
  throw new Error(
    `fake.${method}: "${channel}" is not a presence channel's name on the wire; write "presence-${channel}" ` +
      '(the testing kit names every channel as on the wire, like Laravel broadcasts).',
  );
}

/** The headers pusher-js sends to the auth endpoint: `channelAuthorization` when given, else `auth`. */
function authHeaders(options: FakePusherOptions): Record<string, string> {
  const auth = options.channelAuthorization;
  if (!auth) return { ...options.auth?.headers };
  return { ...auth.headers, ...auth.headersProvider?.() };
}

/**
 * Creates a fake realtime server for one test. Hand `fake.echo` (a real Echo) to your client:
 *
 * ```ts
 * const fake = createFakeEcho();
 * const client = createRealtimeClient({ echo: fake.echo });
 * // render under <RealtimeProvider client={client}>, then:
 * act(() => fake.emit('private-orders', '.OrderShipped', { id: 1 })); // the name on the wire
 * ```
 */
export function createFakeEcho(options?: FakeEchoOptions): FakeEcho {
  return new FakeEcho(options);
}
