// Typechecks every ts/tsx code block in README.md and docs/*.md, as a user would paste it
// (`npm run check:readme`).
//
// - A block is a whole file: it compiles as written, with its own imports. A block whose first line
//   is a file name comment (`// realtime.ts`) is written under that name, so blocks of the same page
//   can import each other (`import { realtime } from './realtime'`). Each page is its own app.
// - An HTML comment right before a block adds what the app itself would have, which the page does
//   not show: `<!-- readme-check: declare function reportToSentry(e: unknown): void; -->`.
// - `<!-- readme-check fragment: declare const id: number; -->` marks a fragment (a few lines from
//   inside a component): it is checked inside a function, with every export of the package and the
//   usual React / TanStack imports in scope.
// - `<!-- readme-check skip: why -->` leaves a block out, saying why (a file for another toolchain).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dir = join(root, 'test', 'readme', '.blocks');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

// Every export of the package (values and types), for the fragments' imports.
const ts = (await import('typescript')).default;
const entry = join(root, 'src', 'index.ts');
const program = ts.createProgram([entry], { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, jsx: ts.JsxEmit.ReactJSX });
const checker = program.getTypeChecker();
const exportsOfPackage = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry))).map((e) => e.name);

/** Every ts/tsx block of every page: `{ page, line, code }`. */
const blocks = [];
const problems = [];
for (const page of pages) {
  const lines = readFileSync(join(root, page), 'utf8').split('\n');
  const out = join(dir, basename(page, '.md'));
  mkdirSync(out, { recursive: true });
  const names = new Set();
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open || !open[1]) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end].startsWith('```')) end++;
    if (end === lines.length) problems.push(`${page}:${i + 1}: a code block is never closed`);
    i = end;
    if (open[1] !== 'ts' && open[1] !== 'tsx') continue;
    const code = lines.slice(start, end).join('\n');
    const marker = /^<!--\s*readme-check( fragment| skip)?:?([\s\S]*?)-->\s*$/.exec(lines[start - 2] ?? '');
    if (marker?.[1] === ' skip') continue;
    const fragment = marker?.[1] === ' fragment';
    const context = marker?.[2]?.trim() ?? '';
    const header = `// ${page} line ${start}\n`;
    const body = fragment
      ? `${header}import { QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';\n` +
        `import { ${exportsOfPackage.join(', ')} } from 'echo-react-query';\n` +
        `${context}\nexport async function Fragment${start}() {\n${code}\n}\n` +
        `void [QueryClient, useQuery, useQueryClient];\n`
      : `${header}${context}\n${code}\n${/^\s*(import|export)\b/m.test(code) ? '' : 'export {};\n'}`;
    const named = /^\/\/ ([\w./-]+\.tsx?)\b/.exec(code)?.[1];
    const file = !fragment && named ? named : `block-${start}.${open[1] === 'tsx' || fragment ? 'tsx' : 'ts'}`;
    if (names.has(file)) problems.push(`${page}:${start}: a second block named ${file} (one page is one app)`);
    names.add(file);
    mkdirSync(join(out, file, '..'), { recursive: true });
    writeFileSync(join(out, file), body);
    blocks.push({ page, line: start, code });
  }
}

// The README is read in five minutes: at most 250 lines, the rest in docs/. And the pages speak to
// users: no internal wording (our issue numbers, the field notes' seeds, versions nobody shipped).
const readmeLines = readFileSync(join(root, 'README.md'), 'utf8').trimEnd().split('\n').length;
if (readmeLines > 250) problems.push(`README.md has ${readmeLines} lines: at most 250 (move detail into docs/)`);
for (const page of pages) {
  readFileSync(join(root, page), 'utf8').split('\n').forEach((line, i) => {
    const internal = /(?<![\w/])#\d{1,3}\b|\bseeds? \d{3}\b|\b0\.1's\b/i.exec(line);
    if (internal) problems.push(`${page}:${i + 1}: internal wording "${internal[0]}": say it in the user's terms`);
  });
}

// Where a page says code runs as a test, the test holds that code verbatim.
const allText = pages.map((p) => readFileSync(join(root, p), 'utf8')).join('\n');
const example = readFileSync(join(root, 'test', 'testing', 'readme-example.test.tsx'), 'utf8').split('\n').slice(1).join('\n').trim();
if (!blocks.some((b) => b.code.trim() === example)) problems.push('test/testing/readme-example.test.tsx is not a docs block verbatim');
const quickStart = readFileSync(join(root, 'test', 'react', 'quick-start.test.tsx'), 'utf8');
for (const [, section] of quickStart.matchAll(/\/\/ --- from the README ---\n([\s\S]*?)\/\/ --- end ---/g)) {
  if (!allText.includes(section.trim())) problems.push(`test/react/quick-start.test.tsx quotes code the README does not have:\n${section}`);
}
// The recipes run as tests with the pages' lines, indented as in a component.
const recipes = readFileSync(join(root, 'test', 'react', 'recipes.test.tsx'), 'utf8');
for (const [, name, section] of recipes.matchAll(/\/\/ --- recipe: ([\w ]+) ---\n([\s\S]*?)\/\/ --- end ---/g)) {
  const lines = section.replace(/\s+$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  const code = lines.map((l) => l.slice(indent)).join('\n');
  if (!blocks.some((b) => b.code.includes(code))) problems.push(`test/react/recipes.test.tsx recipe "${name}" is not in the docs verbatim:\n${code}`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}

// What a Vite app has for `import.meta.env`.
writeFileSync(join(dir, 'env.d.ts'), 'interface ImportMeta { readonly env: Record<string, string | undefined> }\n');
writeFileSync(
  join(dir, 'tsconfig.json'),
  JSON.stringify(
    {
      extends: '../../../tsconfig.json',
      compilerOptions: { noUnusedLocals: false, noUnusedParameters: false, allowUnusedLabels: false },
      include: ['./**/*.ts', './**/*.tsx'],
      exclude: [],
    },
    null,
    2,
  ),
);
try {
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', join(dir, 'tsconfig.json')], {
    cwd: root,
    stdio: 'inherit',
  });
} catch {
  console.error(`Code blocks do not typecheck (generated files in ${dir}/<page>/, named by line)`);
  process.exit(1);
}
console.log(`README.md and docs/: ${blocks.length} ts/tsx code blocks in ${pages.length} pages typecheck`);
