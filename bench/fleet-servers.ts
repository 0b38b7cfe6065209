/**
 * What the fleet benchmark (reconnect.bench.tsx) counts at the server side.
 *
 * A counting TCP proxy standing in for a load balancer in front of the WebSocket server: every
 * accepted connection is timestamped (so connection attempts are counted even while the backend is
 * down); while the backend is marked down, or cannot be reached, the client socket is destroyed at
 * once, as an LB with no healthy backend does; otherwise bytes are piped both ways.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export class CountingProxy {
  /** `performance.now()` of every accepted connection since the last `reset()`. */
  readonly accepted: number[] = [];
  /** Connections accepted while the backend was down (or unreachable) and cut at once. */
  refused = 0;
  /** While false, accepted connections are destroyed at once. */
  backendUp = true;
  port = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly backendHost: string,
    private readonly backendPort: () => number,
    private readonly host = '127.0.0.1',
  ) {}

  async start(): Promise<this> {
    const server = createServer({ noDelay: true }, (client) => this.accept(client));
    // Many clients may hit the port in the same millisecond (a stampede): keep them all.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: 0, host: this.host, backlog: 4096 }, () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  reset(): void {
    this.accepted.length = 0;
    this.refused = 0;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = null;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private accept(client: Socket): void {
    this.accepted.push(performance.now());
    this.track(client);
    if (!this.backendUp) {
      this.refused += 1;
      client.destroy();
      return;
    }
    client.pause();
    const upstream = connect({ host: this.backendHost, port: this.backendPort(), noDelay: true });
    this.track(upstream);
    let opened = false;
    upstream.once('connect', () => {
      opened = true;
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    upstream.once('close', () => {
      if (!opened) this.refused += 1;
      client.destroy();
    });
    client.once('close', () => upstream.destroy());
  }
}

/** The Laravel stand-in: `GET /state` answers `{ version }`, every request timestamped. */
export class StateApi {
  version = 1;
  /** `performance.now()` of every GET /state since the last reset. */
  readonly requests: number[] = [];
  port = 0;
  private server: HttpServer | null = null;

  async start(): Promise<this> {
    const server = createHttpServer((req, res) => {
      if (req.method === 'GET' && req.url === '/state') {
        this.requests.push(performance.now());
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ version: this.version }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
