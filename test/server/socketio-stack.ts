/**
 * Echo's socket.io broadcaster for real: laravel-echo-server 1.6 (socket.io 2) with Debian's
 * redis-server, each started as a child process on free loopback ports. Events are published to
 * Redis in Laravel's RedisBroadcaster format. Needs `redis-server` on PATH (.ci/run installs it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Redis from 'ioredis';

/** True when redis-server can be started here. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `command` and resolves once a line of its output matches `ready`. */
function startProcess(command: string, args: string[], ready: RegExp, cwd?: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not start:\n${output}`));
    }, 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}:\n${output}`));
    });
  });
}

function stopProcess(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const echoServerBin = fileURLToPath(new URL('../../node_modules/laravel-echo-server/bin/server.js', import.meta.url));

/** Redis + laravel-echo-server, authorising against `authHost` (the Laravel stand-in). */
export class SocketIoStack {
  redisPort = 0;
  port = 0;
  private redis: ChildProcess | null = null;
  private echoServer: ChildProcess | null = null;
  private publisher: InstanceType<typeof Redis> | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'erq-les-'));

  constructor(private readonly authHost: string) {}

  async start(): Promise<this> {
    this.redisPort = await freePort();
    this.redis = await startProcess(
      'redis-server',
      ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      /Ready to accept connections/,
    );
    this.publisher = new Redis({ port: this.redisPort, host: '127.0.0.1', lazyConnect: false });
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
      databaseConfig: { redis: { port: String(this.redisPort), host: '127.0.0.1' } },
      devMode: false,
      host: '127.0.0.1',
      port: String(this.port),
      protocol: 'http',
      socketio: {},
      subscribers: { http: false, redis: true },
      apiOriginAllow: { allowCors: false },
    };
    writeFileSync(join(this.dir, 'laravel-echo-server.json'), JSON.stringify(config));
    this.echoServer = await startProcess(process.execPath, [echoServerBin, 'start'], /Server ready!/, this.dir);
  }

  async stopEchoServer(): Promise<void> {
    await stopProcess(this.echoServer);
    this.echoServer = null;
  }

  /** What Laravel's RedisBroadcaster publishes for `broadcast(new Event)` (socketId: `toOthers()`). */
  async broadcast(channel: string, event: string, data: unknown, socketId: string | null = null): Promise<void> {
    await this.publisher?.publish(channel, JSON.stringify({ event, data, socket: socketId }));
  }

  /** Echo options for this server (pass socket.io-client 2's `io` as `client`). */
  echoOptions(io: unknown) {
    return { broadcaster: 'socket.io' as const, host: `http://127.0.0.1:${this.port}`, client: io, transports: ['websocket'] };
  }

  async stop(): Promise<void> {
    await this.stopEchoServer();
    this.publisher?.disconnect();
    await stopProcess(this.redis);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
