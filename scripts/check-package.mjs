// Checks the package as npm would ship it: pack the tarball, judge its types with
// @arethetypeswrong/cli (ESM-only profile: we ship no CJS, see tsup.config.ts), make sure
// laravel-echo / pusher-js are not bundled, and import both entry points from the installed
// tarball in plain Node (no DOM: importing must not touch `window` or open a socket).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'erq-pack-'));
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

try {
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work]))[0];
  const tarball = join(work, packed.filename);
  const files = packed.files.map((f) => f.path).sort();
  console.log(`packed ${packed.filename}: ${files.length} files, ${packed.size} B`);
  for (const f of files) {
    if (!/^(dist\/|README\.md$|package\.json$|LICENSE)/.test(f)) throw new Error(`unexpected file in the tarball: ${f}`);
  }
  if (!files.includes('LICENSE')) throw new Error('LICENSE is not in the tarball');

  run('npx', ['attw', tarball, '--profile', 'esm-only']);
  console.log('attw (esm-only): no problems');

  // Install the tarball by hand next to the peers we already have, then import it from Node.
  const app = join(work, 'app');
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, 'echo-react-query'), { recursive: true });
  run('tar', ['-xzf', tarball, '-C', join(modules, 'echo-react-query'), '--strip-components=1']);
  for (const dep of ['react', 'laravel-echo', 'pusher-js', 'use-debounce', '@tanstack']) {
    symlinkSync(join(root, 'node_modules', dep), join(modules, dep));
  }
  // The published types: every declaration in a bundled .d.ts is exported (one that is not is an
  // internal that leaked into a public signature, and users cannot name it).
  for (const entry of ['index.d.ts', 'testing/index.d.ts']) {
    const dts = readFileSync(join(modules, 'echo-react-query', 'dist', entry), 'utf8');
    const declared = new Set([...dts.matchAll(/^(?:declare )?(?:abstract )?(?:interface|type|class|function|const|enum) (\w+)/gm)].map((m) => m[1]));
    const exported = new Set(
      [...dts.matchAll(/export \{([^}]*)\}/g)].flatMap((m) => m[1].split(',').map((x) => x.trim().replace(/^type /, '').split(' as ').pop())),
    );
    const leaked = [...declared].filter((name) => !exported.has(name));
    if (leaked.length) throw new Error(`dist/${entry} declares types it does not export (internals in public signatures): ${leaked.join(', ')}`);
    if (/@internal/.test(dts)) throw new Error(`dist/${entry} mentions @internal`);
  }
  console.log('published types: every declaration exported, nothing @internal');
  // Next.js App Router: the entry must be a client module, as @tanstack/react-query's is.
  if (!readFileSync(join(modules, 'echo-react-query', 'dist', 'index.js'), 'utf8').startsWith('"use client";')) {
    throw new Error('dist/index.js does not start with "use client"');
  }
  for (const file of readdirSync(join(modules, 'echo-react-query', 'dist'), { recursive: true })) {
    if (!String(file).endsWith('.js')) continue;
    const code = readFileSync(join(modules, 'echo-react-query', 'dist', String(file)), 'utf8');
    if (/registerInterceptors|class PusherConnector|Pusher\.Runtime/.test(code)) {
      throw new Error(`dist/${file} bundles laravel-echo or pusher-js`);
    }
  }
  const probe = `
    const main = await import('echo-react-query');
    const testing = await import('echo-react-query/testing');
    const expected = ['createRealtimeClient', 'RealtimeProvider', 'useRealtimeEvent', 'useRealtimeChannel',
      'usePresence', 'useRealtimeGlobalSubscriber', 'useConnectionStatus', 'useSocketId', 'useDebouncedReload',
      'useRealtimeClient', 'defineBinding', 'RealtimeError'];
    const missing = expected.filter((name) => !(name in main));
    if (missing.length) throw new Error('missing exports: ' + missing);
    if (typeof testing.createFakeEcho !== 'function') throw new Error('testing kit missing');
    if (typeof window !== 'undefined') throw new Error('window appeared');
    const client = main.createRealtimeClient({ echo: { broadcaster: 'reverb', key: 'k', Pusher: class { constructor() { throw new Error('socket opened'); } } } });
    if (client.getEcho() !== null) throw new Error('Echo created eagerly');
    console.log('imported from the tarball in Node: ' + Object.keys(main).length + ' exports, testing kit ok, no socket, no window');
  `;
  process.stdout.write(run('node', ['--input-type=module', '-e', probe], app));
} finally {
  rmSync(work, { recursive: true, force: true });
}
