// The package's entry points: one list for the build (tsup.config.ts), the require() doors
// (require-entries.mjs), the package checks (check-package.mjs, which also holds package.json's
// `exports` and tsconfig's `paths` to it) and the aliases tests and Storybook resolve our names with.
import { fileURLToPath } from 'node:url';

/** Each entry: the name apps import, its source, and where the build writes it (under dist/, no extension). */
export const entries = [
  { specifier: 'echo-react-query', source: 'src/index.ts', out: 'index' },
  { specifier: 'echo-react-query/testing', source: 'src/testing/index.ts', out: 'testing/index' },
  { specifier: 'echo-react-query/socket.io', source: 'src/socket.io/index.ts', out: 'socket.io/index' },
  { specifier: 'echo-react-query/inertia', source: 'src/inertia/index.ts', out: 'inertia/index' },
  { specifier: 'echo-react-query/devtools', source: 'src/devtools/index.tsx', out: 'devtools/index' },
  { specifier: 'echo-react-query/devtools/production', source: 'src/devtools/production.ts', out: 'devtools/production/index' },
];

/** Vite / Vitest aliases from each published name to its source (tests import the package as apps do). */
export const sourceAliases = entries.map(({ specifier, source }) => ({
  find: new RegExp(`^${specifier.replace(/[.]/g, '\\.')}$`),
  replacement: fileURLToPath(new URL(`../${source}`, import.meta.url)),
}));
