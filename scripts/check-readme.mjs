// Typechecks every ts/tsx code block in README.md, as a user would paste it (`npm run check:readme`).
//
// - A block is a whole file: it compiles as written, with its own imports. A block whose first line
//   is a file name comment (`// realtime.ts`) is written under that name, so blocks can import each
//   other (`import { realtime } from './realtime'`).
// - An HTML comment right before a block adds what the app itself would have, which the README does
//   not show: `<!-- readme-check: declare function reportToSentry(e: unknown): void; -->`.
// - `<!-- readme-check fragment: declare const id: number; -->` marks a fragment (a few lines from
//   inside a component): it is checked inside a function, with every export of the package and the
//   usual React / TanStack imports in scope.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dir = join(root, 'test', 'readme', '.blocks');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const readme = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
// Every export of the package (values and types), for the fragments' imports.
const ts = (await import('typescript')).default;
const entry = join(root, 'src', 'index.ts');
const program = ts.createProgram([entry], { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, jsx: ts.JsxEmit.ReactJSX });
const checker = program.getTypeChecker();
const exportsOfPackage = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry))).map((e) => e.name);

let count = 0;
const blocks = [];
for (let i = 0; i < readme.length; i++) {
  const open = /^```(tsx?)\s*$/.exec(readme[i]);
  if (!open) continue;
  const start = i + 1;
  let end = start;
  while (!readme[end].startsWith('```')) end++;
  const code = readme.slice(start, end).join('\n');
  const marker = /^<!--\s*readme-check( fragment)?:?([\s\S]*?)-->\s*$/.exec(readme[i - 1] ?? '');
  const fragment = !!marker?.[1];
  const context = marker?.[2]?.trim() ?? '';
  const header = `// README.md line ${start}\n`;
  const body = fragment
    ? `${header}import { QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';\n` +
      `import { ${exportsOfPackage.join(', ')} } from 'echo-react-query';\n` +
      `${context}\nexport async function Fragment${start}() {\n${code}\n}\n` +
      `void [QueryClient, useQuery, useQueryClient];\n`
    : `${header}${context}\n${code}\n${/^\s*(import|export)\b/m.test(code) ? '' : 'export {};\n'}`;
  const named = /^\/\/ ([\w.-]+\.tsx?)\b/.exec(code)?.[1];
  writeFileSync(join(dir, !fragment && named ? named : `block-${start}.${open[1] === 'tsx' || fragment ? 'tsx' : 'ts'}`), body);
  blocks.push(code);
  count += 1;
  i = end;
}

// Where the README says code runs as a test, the test holds that code verbatim.
const text = readme.join('\n');
const problems = [];
const example = readFileSync(join(root, 'test', 'testing', 'readme-example.test.tsx'), 'utf8').split('\n').slice(1).join('\n').trim();
if (!blocks.some((b) => b.trim() === example)) problems.push('test/testing/readme-example.test.tsx is not a README block verbatim');
const quickStart = readFileSync(join(root, 'test', 'react', 'quick-start.test.tsx'), 'utf8');
for (const [, section] of quickStart.matchAll(/\/\/ --- from the README ---\n([\s\S]*?)\/\/ --- end ---/g)) {
  if (!text.includes(section.trim())) problems.push(`test/react/quick-start.test.tsx quotes code the README does not have:\n${section}`);
}
// The recipes run as tests with the README's lines, indented as in a component.
const recipes = readFileSync(join(root, 'test', 'react', 'recipes.test.tsx'), 'utf8');
for (const [, name, section] of recipes.matchAll(/\/\/ --- recipe: ([\w ]+) ---\n([\s\S]*?)\/\/ --- end ---/g)) {
  const lines = section.replace(/\s+$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  const code = lines.map((l) => l.slice(indent)).join('\n');
  if (!blocks.some((b) => b.includes(code))) problems.push(`test/react/recipes.test.tsx recipe "${name}" is not in the README verbatim:\n${code}`);
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
      include: ['./*.ts', './*.tsx'],
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
  console.error(`README code blocks do not typecheck (generated files in ${dir}, named by README line)`);
  process.exit(1);
}
console.log(`README: ${count} ts/tsx code blocks typecheck`);
