/**
 * Real-browser tests in Debian's Chromium (no browser download works here), driven from Node by
 * playwright-core: a page bundled from a TSX entry with esbuild, served on loopback, and every
 * console message and uncaught error the page prints, so a test can require a clean console.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build, type Plugin } from 'esbuild';
import { entries } from '../../scripts/entries.mjs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);

/** Chromium as the probe runs it: headless, and no background traffic this machine would refuse. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Bundles `entry` (a TSX file that renders into `#root`) for the browser: the package from `src/`,
 * React and the peers from node_modules, `process.env.NODE_ENV` as given (development by default,
 * so development warnings show), plus any `define`s and esbuild plugins. Returns the JavaScript.
 */
export async function bundlePage(
  entry: string,
  options: { nodeEnv?: 'development' | 'production'; define?: Record<string, string>; plugins?: Plugin[] } = {},
): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': JSON.stringify(options.nodeEnv ?? 'development'), ...options.define },
    // Every entry of the package from its source, as apps import it.
    alias: Object.fromEntries(entries.map(({ specifier, source }) => [specifier, new URL(`../../${source}`, import.meta.url).pathname])),
    plugins: options.plugins,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** One origin serving a page (`/`), its script (`/page.js`), and any extra routes. */
export interface PageServer {
  readonly origin: string;
  stop(): Promise<void>;
}

/**
 * Serves `script` as `/page.js` under a minimal HTML page on `host` (127.0.0.1 by default; pass
 * `localhost` for a second origin). `routes` answers anything else (return false for a 404).
 */
export async function servePage(
  script: string,
  options: { host?: string; routes?: (req: IncomingMessage, res: ServerResponse) => boolean } = {},
): Promise<PageServer> {
  const html = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>test</title></head><body><div id="root"></div><script type="module" src="/page.js"></script></body></html>';
  const http: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/' || path === '/index.html') return void res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    if (path === '/page.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    if (!options.routes?.(req, res)) res.writeHead(404).end();
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => http.listen(0, host, resolve));
  const { port } = http.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/** A console message or uncaught error the page printed. */
export interface ConsoleEntry {
  type: string;
  text: string;
}

/** Records everything `page` prints to its console, and its uncaught errors (as type `pageerror`). */
export function recordConsole(page: Page): ConsoleEntry[] {
  const entries: ConsoleEntry[] = [];
  page.on('console', (message) => entries.push({ type: message.type(), text: message.text() }));
  page.on('pageerror', (error) => entries.push({ type: 'pageerror', text: String(error) }));
  return entries;
}

/** The entries a clean page must not have: errors, warnings and uncaught errors. */
export function problems(entries: ConsoleEntry[]): ConsoleEntry[] {
  return entries.filter((e) => e.type === 'error' || e.type === 'warning' || e.type === 'pageerror');
}
