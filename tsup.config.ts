import { readFile, writeFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';
import { entries } from './scripts/entries.mjs';

// ESM only: laravel-echo 2.x cannot be require()d from CommonJS (its "require" build is a .js file in
// a "type": "module" package, which Node loads as ESM), so a CJS build of ours would break at runtime
// the moment it loaded Echo. `require()` reaches this ESM build through scripts/require-entries.mjs,
// which `npm run build` runs after tsup. Peer dependencies (laravel-echo, pusher-js, react,
// TanStack) and use-debounce stay external: tsup externalises dependencies and peers by default.
export default defineConfig({
  entry: Object.fromEntries(entries.map(({ out, source }) => [out, source])),
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  splitting: true,
  treeshake: true,
  sourcemap: false,
  // The hooks and devtools entries are client modules ("use client", as @tanstack/react-query ships), so a Next.js
  // App Router client component (docs/nextjs.md) can use it. Added after bundling: bundlers drop it
  // from source.
  async onSuccess() {
    for (const file of ['dist/index.js', 'dist/devtools/index.js', 'dist/devtools/production/index.js']) {
      const code = await readFile(file, 'utf8');
      if (!code.startsWith('"use client";')) await writeFile(file, `"use client";\n${code}`);
    }
  },
});
