// Bundle size of what an app downloads for the hooks: our dist next to @laravel/echo-react's,
// raw, gzip -9, and minified + gzip -9 (esbuild), as an app bundler would ship them.
// Run after `npm run build`: `npm run bench:size`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { transformSync } from 'esbuild';

const require = createRequire(import.meta.url);
const files = {
  'echo-react-query dist/index.js': new URL('../dist/index.js', import.meta.url),
  '@laravel/echo-react 2.5 dist/index.js': new URL(import.meta.resolve('@laravel/echo-react')),
  'laravel-echo 2.5 dist/echo.js (a peer for us, bundled inside @laravel/echo-react)': require.resolve('laravel-echo'),
};
const gz = (s) => gzipSync(s, { level: 9 }).length;
console.log('| file | raw B | gzip B | min+gzip B |');
console.log('|---|---|---|---|');
for (const [name, path] of Object.entries(files)) {
  const code = readFileSync(path, 'utf8');
  const min = transformSync(code, { minify: true, format: 'esm', loader: 'js' }).code;
  console.log(`| ${name} | ${code.length} | ${gz(code)} | ${gz(min)} |`);
}
