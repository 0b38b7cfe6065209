/**
 * Ports and child processes for the tests and checks that run servers: a free loopback port, and a
 * command started until its output says it is ready, stopped with everything it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';

/** `count` distinct free loopback ports (held together while they are picked, so none repeats). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  for (let i = 0; i < count; i++) {
    servers.push(
      await new Promise<Server>((done, fail) => {
        const server = createServer().listen(0, '127.0.0.1', () => done(server));
        server.once('error', fail);
      }),
    );
  }
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  return ports;
}

/** One free loopback port. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/** Options of {@link startProcess}. */
export interface StartOptions {
  /**
   * Resolves once the output (stdout and stderr) matches this, or once this loopback port accepts
   * connections (for servers that print nothing when not on a terminal, as Vite's under CI=true).
   */
  ready: RegExp | { port: number };
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
}

/**
 * Starts `command` in its own process group (so `stopProcess` also ends what it starts, as `npm run`
 * does) and resolves once its output matches `ready`; rejects with the output if it exits first.
 */
export function startProcess(command: string, args: string[], options: StartOptions): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const timer = setTimeout(() => {
      void stopProcess(child);
      reject(new Error(`${command} ${args.join(' ')} did not start:\n${output}`));
    }, options.timeoutMs ?? 15_000);
    const started = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.stdout?.resume();
      child.stderr?.resume();
      resolve(child);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.ready instanceof RegExp && options.ready.test(output)) started();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const { ready } = options;
    if (!(ready instanceof RegExp)) {
      const probe = () => {
        if (child.exitCode !== null) return;
        const socket = connect(ready.port, 'localhost');
        socket.once('connect', () => {
          socket.destroy();
          started();
        });
        socket.once('error', () => setTimeout(probe, 50));
      };
      probe();
    }
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

/** Ends a process started by {@link startProcess}, and its group. */
export function stopProcess(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null || !child.pid) return Promise.resolve();
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      resolve(); // already gone
    }
  });
}
