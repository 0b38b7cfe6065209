// `npm run check:jest`: docs/jest.md works as printed, with Jest 30 and the packed package.
//
// The page's files are taken from the page itself (each block's first line names it), so what runs
// is what it shows. scripts/jest-fixture/ pins what its install lines install (`npm ci` of its
// lockfile); the tarball of a fresh clone (scripts/pack.mjs) is installed next to it without
// saving. Then, one directory per setup:
//
// - transform (Babel): babel.config.cjs + jest.config.cjs, `npx jest`: the test passes;
// - transform (@swc/jest): its jest.config.cjs, `npx jest`: passes;
// - ESM mode: babel.config.cjs + jest.config.mjs, NODE_OPTIONS=--experimental-vm-modules: passes;
// - no set-up (Jest's defaults, Babel configured): the test fails, and the message says the
//   package is ESM-only and points at docs/jest.md (the package's "require" condition).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packFreshClone, root, tempDir } from './pack.mjs';

const started = Date.now();
const elapsed = (since = started) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const log = (line) => console.log(`[check:jest ${elapsed()}] ${line}`);

// ---- the page's blocks, by their first line ----
const page = readFileSync(join(root, 'docs', 'jest.md'), 'utf8');
const blocks = new Map();
const commands = [];
for (const [, lang, body] of page.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) {
  if (lang === 'sh') commands.push(...body.trim().split('\n'));
  const first = /^\/\/ (.+)$/m.exec(body.split('\n')[0])?.[1];
  if (first) blocks.set(first, body);
}
const block = (title) => {
  const body = blocks.get(title);
  if (body === undefined) throw new Error(`docs/jest.md has no block starting "// ${title}"`);
  return body;
};
const test = block('OrderStatus.test.tsx');
const setups = {
  babel: { files: { 'babel.config.cjs': block('babel.config.cjs'), 'jest.config.cjs': block('jest.config.cjs') }, command: 'npx jest' },
  swc: { files: { 'jest.config.cjs': block('jest.config.cjs (@swc/jest)') }, command: 'npx jest' },
  esm: {
    files: { 'babel.config.cjs': block('babel.config.cjs'), 'jest.config.mjs': block('jest.config.mjs (ESM mode)') },
    command: 'NODE_OPTIONS=--experimental-vm-modules npx jest',
  },
};
for (const { command } of Object.values(setups)) {
  if (!commands.includes(command)) throw new Error(`docs/jest.md does not show the command "${command}"`);
}
// What the page tells people to install is what the fixture installs.
const fixture = JSON.parse(readFileSync(join(root, 'scripts', 'jest-fixture', 'package.json'), 'utf8'));
const installed = Object.keys({ ...fixture.dependencies, ...fixture.devDependencies });
for (const line of commands.filter((c) => /^npm install\b/.test(c))) {
  const missing = line.split(/\s+/).filter((w) => !w.startsWith('-') && !['npm', 'install'].includes(w) && !installed.includes(w));
  if (missing.length) throw new Error(`docs/jest.md installs ${missing.join(', ')}, which scripts/jest-fixture/package.json does not`);
}
for (const peer of ['@swc/core', '@swc/jest']) {
  if (!page.includes(peer) || !installed.includes(peer)) throw new Error(`${peer}: named by docs/jest.md and installed by the fixture`);
}

// ---- install ----
const work = tempDir('erq-jest-');
const { tarball, size } = packFreshClone(work);
log(`packed the package (${size} B) from a fresh copy`);
const project = join(work, 'project');
mkdirSync(project);
for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(root, 'scripts', 'jest-fixture', file), join(project, file));
const installStart = Date.now();
const npm = (args) => {
  const result = spawnSync('npm', args, { cwd: project, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
};
npm(['ci', '--no-audit', '--no-fund']);
npm(['install', '--no-save', '--no-audit', '--no-fund', tarball]);
const jestVersion = JSON.parse(readFileSync(join(project, 'node_modules', 'jest', 'package.json'), 'utf8')).version;
log(`npm ci (jest ${jestVersion}) and the tarball installed in ${elapsed(installStart)}`);

// ---- run each setup ----
const jest = join(project, 'node_modules', '.bin', 'jest');
function runJest(name, files, env = {}) {
  const dir = join(project, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'OrderStatus.test.tsx'), test);
  for (const [file, body] of Object.entries(files)) writeFileSync(join(dir, file), body);
  const runStart = Date.now();
  const result = spawnSync(jest, ['--ci'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  return { ...result, output: `${result.stdout}\n${result.stderr}`, took: elapsed(runStart) };
}
const timings = [];
for (const [name, setup] of Object.entries(setups)) {
  const env = setup.command.startsWith('NODE_OPTIONS=') ? { NODE_OPTIONS: setup.command.split(' ')[0].slice('NODE_OPTIONS='.length) } : {};
  const result = runJest(name, setup.files, env);
  if (result.status !== 0 || !/Tests:\s+1 passed, 1 total/.test(result.output)) {
    throw new Error(`docs/jest.md, ${name}: ${setup.command} did not pass the test:\n${result.output}`);
  }
  timings.push(`${name} ${result.took}`);
  log(`${name}: ${setup.command} passed (${result.took})`);
}
// Jest's defaults (no transformIgnorePatterns): the package's own message, naming the fix.
const bare = runJest('defaults', { 'babel.config.cjs': block('babel.config.cjs'), 'jest.config.cjs': "module.exports = { testEnvironment: 'jsdom' };\n" });
if (bare.status === 0 || !bare.output.includes('echo-react-query is ESM-only') || !bare.output.includes('docs/jest.md')) {
  throw new Error(`with Jest's defaults the test should fail saying the package is ESM-only and pointing at docs/jest.md:\n${bare.output}`);
}
log(`defaults: fails with "echo-react-query is ESM-only ... docs/jest.md" (${bare.took})`);
log(`done in ${elapsed()} (jest runs: ${timings.join(', ')})`);
