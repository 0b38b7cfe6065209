/**
 * An in-memory stand-in for pusher-js's client, shaped like pusher-js so that laravel-echo's real
 * PusherConnector and Pusher channel classes run on top of it unchanged. The "server" side lives in
 * FakeHub; everything the network would make asynchronous (auth, subscription acks, connecting) is
 * delivered on a microtask, like the real thing, so code under test meets the same orderings.
 */

type Callback = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * pusher-js's event dispatcher: bind / unbind / bind_global / emit. Callbacks are kept where
 * pusher-js keeps them (`callbacks._callbacks` by `_`-prefixed event name, `global_callbacks`), so
 * code that inspects a real pusher-js channel reads this one the same way.
 */
export class Emitter {
  readonly callbacks: { _callbacks: Record<string, { fn: Callback }[]> } = { _callbacks: {} };
  global_callbacks: Callback[] = [];

  bind(event: string, callback: Callback): this {
    (this.callbacks._callbacks['_' + event] ??= []).push({ fn: callback });
    return this;
  }

  unbind(event?: string, callback?: Callback): this {
    const table = this.callbacks._callbacks;
    for (const name of event === undefined ? Object.keys(table) : ['_' + event]) {
      const kept = callback ? (table[name] ?? []).filter((b) => b.fn !== callback) : [];
      if (kept.length > 0) table[name] = kept;
      else delete table[name];
    }
    return this;
  }

  bind_global(callback: Callback): this {
    this.global_callbacks.push(callback);
    return this;
  }

  unbind_global(callback?: Callback): this {
    this.global_callbacks = callback ? this.global_callbacks.filter((cb) => cb !== callback) : [];
    return this;
  }

  unbind_all(): this {
    this.callbacks._callbacks = {};
    this.global_callbacks = [];
    return this;
  }

  emit(event: string, data?: unknown, metadata?: unknown): this {
    for (const cb of [...this.global_callbacks]) cb(event, data);
    for (const { fn } of [...(this.callbacks._callbacks['_' + event] ?? [])]) fn(data, metadata);
    return this;
  }

  /** Bound callbacks, optionally for one event (inspection). */
  listenerCount(event?: string): number {
    const table = this.callbacks._callbacks;
    if (event !== undefined) return table['_' + event]?.length ?? 0;
    let n = this.global_callbacks.length;
    for (const list of Object.values(table)) n += list.length;
    return n;
  }
}

/** pusher-js's presence `Members`. */
export class FakeMembers {
  members: Record<string, Record<string, unknown>> = {};
  count = 0;
  myID: string | null = null;
  me: { id: string; info: Record<string, unknown> } | null = null;

  get(id: string): { id: string; info: Record<string, unknown> } | null {
    return Object.prototype.hasOwnProperty.call(this.members, id) ? { id, info: this.members[id] } : null;
  }

  each(callback: (member: { id: string; info: Record<string, unknown> }) => void): void {
    for (const id of Object.keys(this.members)) callback(this.get(id)!);
  }

  reset(): void {
    this.members = {};
    this.count = 0;
    this.myID = null;
    this.me = null;
  }
}

/** A pusher-js channel as the client holds it. */
export class FakeChannel extends Emitter {
  subscribed = false;
  subscriptionPending = false;
  subscriptionCancelled = false;
  /** Counts subscribe attempts, so a late auth answer cannot confirm a later attempt. */
  attempt = 0;
  readonly members: FakeMembers | null;
  /** The user id this connection counts as in the hub's presence table. */
  memberId: string | null = null;

  constructor(
    readonly name: string,
    readonly pusher: FakePusher,
  ) {
    super();
    this.members = name.startsWith('presence-') ? new FakeMembers() : null;
  }

  /** Client events (whispers). Allowed on private and presence channels once subscribed. */
  trigger(event: string, data: unknown): boolean {
    if (!event.startsWith('client-')) throw new Error(`Event '${event}' does not start with 'client-'`);
    return this.pusher.hub.clientEvent(this.pusher, this, event, data);
  }

  disconnect(): void {
    this.subscribed = false;
    this.subscriptionPending = false;
    this.members?.reset();
  }
}

/** pusher-js's connection: `state`, `socket_id`, and `state_change` events. */
export class FakeConnection extends Emitter {
  state = 'initialized';
  socket_id: string | undefined = undefined;

  setState(next: string): void {
    if (next === this.state) return;
    const previous = this.state;
    this.state = next;
    this.emit('state_change', { previous, current: next });
    this.emit(next);
  }
}

/** What the hub needs to know about a client's options. */
export interface FakePusherOptions {
  /** The presence identity of this connection (set by `fake.createEcho({ user })`). */
  fakeUser?: Record<string, unknown> & { id: string | number };
  channelAuthorization?: { headers?: Record<string, string>; headersProvider?: () => Record<string, string> };
  auth?: { headers?: Record<string, string> };
  [option: string]: unknown;
}

/** The hub interface the fake client talks to (see FakeHub). */
export interface FakeHubLink {
  register(client: FakePusher): void;
  establish(client: FakePusher): void;
  subscribeChannel(client: FakePusher, channel: FakeChannel): void;
  unsubscribed(client: FakePusher, channel: FakeChannel): void;
  dropped(client: FakePusher, state: string): void;
  clientEvent(client: FakePusher, channel: FakeChannel, event: string, data: unknown): boolean;
  defer(task: () => void): void;
}

/** In-memory pusher-js client. Construct it through `fake.Pusher` (bound to one fake's hub). */
export class FakePusher {
  readonly connection = new FakeConnection();
  readonly channels = {
    channels: {} as Record<string, FakeChannel>,
    find: (name: string): FakeChannel | undefined => this.channels.channels[name],
    all: (): FakeChannel[] => Object.values(this.channels.channels),
  };
  /** True between connect() and disconnect(): the client keeps (re)connecting. */
  wantsConnection = false;

  constructor(
    readonly hub: FakeHubLink,
    readonly key: string,
    readonly options: FakePusherOptions = {},
  ) {
    hub.register(this);
    this.connect();
  }

  connect(): void {
    if (this.wantsConnection && this.connection.state !== 'disconnected') return;
    this.wantsConnection = true;
    this.connection.setState('connecting');
    this.hub.defer(() => this.hub.establish(this));
  }

  disconnect(): void {
    this.wantsConnection = false;
    this.hub.dropped(this, 'disconnected');
  }

  subscribe(name: string): FakeChannel {
    let channel = this.channels.channels[name];
    if (!channel) this.channels.channels[name] = channel = new FakeChannel(name, this);
    if (channel.subscriptionPending && channel.subscriptionCancelled) {
      channel.subscriptionCancelled = false;
    } else if (!channel.subscriptionPending && !channel.subscribed && this.connection.state === 'connected') {
      this.hub.subscribeChannel(this, channel);
    }
    return channel;
  }

  unsubscribe(name: string): void {
    const channel = this.channels.channels[name];
    if (!channel) return;
    if (channel.subscriptionPending) {
      channel.subscriptionCancelled = true;
      return;
    }
    delete this.channels.channels[name];
    if (channel.subscribed) {
      channel.subscribed = false;
      this.hub.unsubscribed(this, channel);
    }
  }

  channel(name: string): FakeChannel | undefined {
    return this.channels.channels[name];
  }

  allChannels(): FakeChannel[] {
    return this.channels.all();
  }

  /** Pusher user sign-in is not simulated. */
  signin(): void {}
}
