/**
 * Echo's socket.io broadcaster for real: laravel-echo-server 1.6 (socket.io 2) with Debian's
 * redis-server, each started as a child process on free loopback ports. Events are published to
 * Redis in Laravel's RedisBroadcaster format. Needs `redis-server` on PATH (.ci/run installs it).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, connect, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Redis from 'ioredis';
import { socketIo } from '../../src/socket.io';
import { freePort, startProcess, stopProcess } from './processes';

/** True when redis-server can be started here. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

const echoServerBin = fileURLToPath(new URL('../../node_modules/laravel-echo-server/bin/server.js', import.meta.url));

/** Options of {@link SocketIoStack}. */
export interface SocketIoStackOptions {
  /**
   * Redis answers laravel-echo-server this late (ms), in order, as a Redis across a network: a
   * joining socket is in the room for two round trips before its member list goes out, so the
   * presence:joining of a socket that joined just before it comes first (and the list may lack it).
   */
  redisDelayMs?: number;
}

/** Redis + laravel-echo-server, authorising against `authHost` (the Laravel stand-in). */
export class SocketIoStack {
  redisPort = 0;
  port = 0;
  private redis: ChildProcess | null = null;
  private echoServer: ChildProcess | null = null;
  private publisher: InstanceType<typeof Redis> | null = null;
  private proxy: Server | null = null;
  /** The port laravel-echo-server reaches Redis on (a delaying proxy's, with `redisDelayMs`). */
  private echoRedisPort = 0;
  private readonly dir = mkdtempSync(join(tmpdir(), 'erq-les-'));

  constructor(
    private readonly authHost: string,
    private readonly options: SocketIoStackOptions = {},
  ) {}

  async start(): Promise<this> {
    this.redisPort = await freePort();
    this.redis = await startProcess(
      'redis-server',
      ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { ready: /Ready to accept connections/ },
    );
    this.publisher = new Redis({ port: this.redisPort, host: '127.0.0.1', lazyConnect: false });
    this.echoRedisPort = this.redisPort;
    if (this.options.redisDelayMs) {
      this.proxy = await delayingProxy(this.redisPort, this.options.redisDelayMs);
      this.echoRedisPort = (this.proxy.address() as { port: number }).port;
    }
    this.port = await freePort();
    await this.startEchoServer();
    return this;
  }

  /** (Re)starts laravel-echo-server on the same port. */
  async startEchoServer(): Promise<void> {
    const config = {
      authHost: this.authHost,
      authEndpoint: '/broadcasting/auth',
      clients: [],
      database: 'redis',
      databaseConfig: { redis: { port: String(this.echoRedisPort), host: '127.0.0.1' } },
      devMode: false,
      host: '127.0.0.1',
      port: String(this.port),
      protocol: 'http',
      socketio: {},
      subscribers: { http: false, redis: true },
      apiOriginAllow: { allowCors: false },
    };
    writeFileSync(join(this.dir, 'laravel-echo-server.json'), JSON.stringify(config));
    this.echoServer = await startProcess(process.execPath, [echoServerBin, 'start'], { ready: /Server ready!/, cwd: this.dir });
  }

  async stopEchoServer(): Promise<void> {
    await stopProcess(this.echoServer);
    this.echoServer = null;
  }

  /** What Laravel's RedisBroadcaster publishes for `broadcast(new Event)` (socketId: `toOthers()`). */
  async broadcast(channel: string, event: string, data: unknown, socketId: string | null = null): Promise<void> {
    await this.publisher?.publish(channel, JSON.stringify({ event, data, socket: socketId }));
  }

  /** Echo options for this server (pass socket.io-client 2's `io` as `client`), as an app gives them. */
  echoOptions(io: unknown) {
    return socketIo({ host: `http://127.0.0.1:${this.port}`, client: io, transports: ['websocket'] });
  }

  async stop(): Promise<void> {
    await this.stopEchoServer();
    this.publisher?.disconnect();
    await new Promise((resolve) => (this.proxy ? this.proxy.close(resolve) : resolve(undefined)));
    await stopProcess(this.redis);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A TCP proxy to `port` on loopback whose answers arrive `delayMs` late, in order. */
async function delayingProxy(port: number, delayMs: number): Promise<Server> {
  const proxy = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => setTimeout(() => client.destroyed || client.write(chunk), delayMs));
    for (const socket of [client, upstream]) socket.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return proxy;
}
