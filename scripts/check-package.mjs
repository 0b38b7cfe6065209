// Checks the package as npm would ship it: pack a fresh copy of the tree (its `prepack` builds
// dist/, scripts/pack.mjs), lint the tarball with publint --strict, judge its types with
// @arethetypeswrong/cli (ESM-only profile: we ship no CJS build, see tsup.config.ts), make sure
// laravel-echo / pusher-js are not bundled, import both entry points from the installed tarball in
// plain Node (no DOM: importing must not touch `window` or open a socket), and require() them:
// the very ES module where Node can require() ES modules, else an error that says what to do.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { entries } from './entries.mjs';
import { packFreshClone, root, tempDir } from './pack.mjs';

// package.json's `exports` and tsconfig's `paths` name exactly the entries the build makes.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const named = (list) => [...list].sort().join(', ');
const subpaths = entries.map(({ specifier }) => specifier.replace(/^echo-react-query/, '.'));
if (named(Object.keys(pkg.exports).filter((k) => k !== './package.json')) !== named(subpaths)) {
  throw new Error(`package.json exports ${named(Object.keys(pkg.exports))}; scripts/entries.mjs lists ${named(subpaths)}`);
}
for (const { specifier, out } of entries) {
  const exported = pkg.exports[specifier.replace(/^echo-react-query/, '.')];
  if (exported.import.default !== `./dist/${out}.js` || exported.require.default !== `./dist/${out}.cjs`) {
    throw new Error(`package.json exports ${specifier} from the wrong files`);
  }
}
const paths = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')).compilerOptions.paths;
if (named(Object.keys(paths)) !== named(entries.map((e) => e.specifier))) throw new Error('tsconfig.json paths do not list every entry of scripts/entries.mjs');

const work = tempDir('erq-pack-');
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

try {
  const { tarball, filename, files, size, unpackedSize } = packFreshClone(work);
  console.log(`packed ${filename} from a fresh copy with no dist/ (prepack builds it): ${files.length} files, ${size} B (${unpackedSize} B unpacked)`);
  for (const f of files) {
    if (!/^(dist\/|README\.md$|package\.json$|LICENSE)/.test(f)) throw new Error(`unexpected file in the tarball: ${f}`);
  }
  if (!files.includes('LICENSE')) throw new Error('LICENSE is not in the tarball');
  const exported = Object.values(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports).flatMap(function targets(t) {
    return typeof t === 'string' ? [t.replace(/^\.\//, '')] : Object.values(t).flatMap(targets);
  });
  const missing = exported.filter((f) => f !== 'package.json' && !files.includes(f));
  if (missing.length) throw new Error(`package.json exports files the tarball does not have: ${missing.join(', ')}`);

  run('npx', ['publint', 'run', tarball, '--strict']);
  console.log('publint --strict (the tarball): no problems');
  run('npx', ['attw', tarball, '--profile', 'esm-only']);
  console.log('attw (esm-only): no problems');

  // Install the tarball by hand next to the peers we already have, then import it from Node.
  const app = join(work, 'app');
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, 'echo-react-query'), { recursive: true });
  run('tar', ['-xzf', tarball, '-C', join(modules, 'echo-react-query'), '--strip-components=1']);
  for (const dep of ['react', 'laravel-echo', 'pusher-js', 'use-debounce', '@tanstack', '@inertiajs', '@jridgewell', 'es-toolkit', 'laravel-precognition']) {
    symlinkSync(join(root, 'node_modules', dep), join(modules, dep));
  }
  // The published types: every declaration in a bundled .d.ts is exported (one that is not is an
  // internal that leaked into a public signature, and users cannot name it).
  for (const entry of entries.map(({ out }) => `${out}.d.ts`)) {
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
    const { socketIo } = await import('echo-react-query/socket.io');
    if (typeof socketIo !== 'function') throw new Error('socketIo missing');
    if (typeof window !== 'undefined') throw new Error('window appeared');
    const client = main.createRealtimeClient({ echo: { broadcaster: 'reverb', key: 'k', Pusher: class { constructor() { throw new Error('socket opened'); } } } });
    if (client.getEcho() !== null) throw new Error('Echo created eagerly');
    console.log('imported from the tarball in Node: ' + Object.keys(main).length + ' exports, testing kit ok, no socket, no window');
  `;
  process.stdout.write(run('node', ['--input-type=module', '-e', probe], app));
  // CommonJS: Node.js 20.19+ require()s the ES module itself (require(esm)): the same module
  // instance as import, so no second copy of the client's state.
  const requireProbe = `
    const main = require('echo-react-query');
    const testing = require('echo-react-query/testing');
    if (typeof main.createRealtimeClient !== 'function' || typeof testing.createFakeEcho !== 'function') throw new Error('require() gave no exports');
    const fake = testing.createFakeEcho();
    const client = main.createRealtimeClient({ echo: fake.echo });
    if (!client.enabled) throw new Error('a client over the fake Echo is not enabled');
    client.dispose();
    Promise.all([import('echo-react-query'), import('echo-react-query/testing')]).then(([esm, esmTesting]) => {
      if (esm.createRealtimeClient !== main.createRealtimeClient || esmTesting.createFakeEcho !== testing.createFakeEcho) {
        throw new Error('require() and import gave two copies of the package');
      }
      console.log('require() in Node ' + process.version + ': both entries, the same module as import (' + Object.keys(main).length + ' exports)');
    });
  `;
  process.stdout.write(run('node', ['-e', requireProbe], app));
  // Where require() of ES modules is off (Node < 20.19, and as Jest's CommonJS runtime behaves),
  // the "require" condition ends in an error that names the package and the fix, with Node's own
  // error as its cause.
  for (const entry of entries.map(({ specifier }) => specifier)) {
    const old = spawnSync('node', ['--no-experimental-require-module', '-e', `require(${JSON.stringify(entry)})`], { cwd: app, encoding: 'utf8' });
    if (/bad option/.test(old.stderr)) {
      console.log(`(this Node.js has no --no-experimental-require-module: the no-require(esm) path is not checked)`);
      break;
    }
    const said = old.stderr.split('\n').find((line) => line.startsWith('Error: '));
    if (old.status === 0 || !said?.includes(`${entry} is ESM-only`) || !old.stderr.includes('docs/jest.md') || !old.stderr.includes('ERR_REQUIRE_ESM')) {
      throw new Error(`require('${entry}') without require(esm) should fail saying the package is ESM-only and what to do; it printed:\n${old.stderr}`);
    }
  }
  console.log('require() without require(esm): fails with "ESM-only" and the fix, Node\'s error as the cause');
  // Any other failure passes through as it is: here, a missing peer dependency.
  const bare = join(work, 'bare', 'node_modules');
  mkdirSync(bare, { recursive: true });
  cpSync(join(modules, 'echo-react-query'), join(bare, 'echo-react-query'), { recursive: true });
  const peerless = spawnSync('node', ['-e', "require('echo-react-query')"], { cwd: join(work, 'bare'), encoding: 'utf8' });
  if (peerless.status === 0 || /ESM-only/.test(peerless.stderr) || !/Cannot find (package|module) '(react|laravel-echo|@tanstack\/[\w-]+|use-debounce)'/.test(peerless.stderr)) {
    throw new Error(`require() with the peers missing should fail naming the missing package, not "ESM-only"; it printed:\n${peerless.stderr}`);
  }
  console.log('require() with a peer missing: Node\'s own error, untouched');
} finally {
  rmSync(work, { recursive: true, force: true });
}
