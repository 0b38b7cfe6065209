// The shape of src/, checked in `npm test` (ARCHITECTURE.md explains it):
// - no import circles, type-only imports included (a circle of types is still a knot to a reader);
// - a file outside a folder of src/core reaches that folder only through its index.ts, and that
//   index opens with a comment saying what the folder owns (as src/react's does).
// Run: `node scripts/check-imports.mjs` (exit 1 with each problem on its own line).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const core = join(src, 'core');

/** Every .ts / .tsx file under `dir`. */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The file a relative specifier names (`./x` -> x.ts, x.tsx or x/index.ts). */
function resolveSpecifier(from, specifier) {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  throw new Error(`${relative(root, from)}: cannot resolve ${specifier}`);
}

const importPattern = /^\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms;
const graph = new Map();
for (const file of files(src)) {
  const code = readFileSync(file, 'utf8');
  graph.set(file, [...code.matchAll(importPattern)].map((m) => resolveSpecifier(file, m[1])));
}

const problems = [];
const show = (file) => relative(src, file).split(sep).join('/');

// The folder of src/core a file belongs to (null for core's own top-level files and files outside core).
const folderOf = (file) => {
  const rel = relative(core, file);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(sep);
  return parts.length > 1 ? parts[0] : null;
};
for (const [file, targets] of graph) {
  for (const target of targets) {
    const folder = folderOf(target);
    if (folder && folderOf(file) !== folder && !target.endsWith(`${sep}index.ts`)) {
      problems.push(`${show(file)} imports ${show(target)}: import core/${folder} through its index`);
    }
  }
}

// Each folder's index opens with its comment.
for (const dir of [...readdirSync(core).filter((name) => statSync(join(core, name)).isDirectory()).map((name) => join(core, name)), join(src, 'react')]) {
  const index = join(dir, 'index.ts');
  if (!existsSync(index)) problems.push(`${show(dir)}/ has no index.ts`);
  else if (!readFileSync(index, 'utf8').startsWith('/**')) problems.push(`${show(index)} does not open with a comment saying what the folder owns`);
}

// Circles: a depth-first search that reports each back edge's loop once.
const state = new Map(); // file -> 'open' | 'done'
const stack = [];
const seen = new Set();
function visit(file) {
  state.set(file, 'open');
  stack.push(file);
  for (const target of graph.get(file) ?? []) {
    if (state.get(target) === 'open') {
      const loop = stack.slice(stack.indexOf(target)).map(show);
      const key = [...loop].sort().join(' ');
      if (!seen.has(key)) {
        seen.add(key);
        problems.push(`import circle: ${[...loop, show(target)].join(' -> ')}`);
      }
    } else if (!state.has(target)) visit(target);
  }
  stack.pop();
  state.set(file, 'done');
}
for (const file of graph.keys()) if (!state.has(file)) visit(file);

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`check:imports: ${graph.size} files in src/, no import circle, every core folder entered through its index, each index saying what it owns.`);
