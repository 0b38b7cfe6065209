// Bundle size of what an app downloads for the hooks: our dist next to @laravel/echo-react's,
// raw, gzip -9, and minified + gzip -9 (esbuild), as an app bundler would ship them. Our main entry
// is bundled with the chunk it shares with echo-react-query/socket.io (peers external), so the row is
// everything `import ... from 'echo-react-query'` can reach.
// Run after `npm run build`: `npm run bench:size`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync, transformSync } from 'esbuild';

const require = createRequire(import.meta.url);
const peers = ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query', '@tanstack/query-core', 'laravel-echo', 'pusher-js', 'use-debounce'];
const ours = (minify) =>
  buildSync({ entryPoints: [fileURLToPath(new URL('../dist/index.js', import.meta.url))], bundle: true, format: 'esm', platform: 'neutral', external: peers, minify, write: false })
    .outputFiles[0].text;
const files = {
  'echo-react-query dist/index.js (and its shared chunk)': () => [ours(false), ours(true)],
  '@laravel/echo-react 2.5 dist/index.js': () => source(new URL(import.meta.resolve('@laravel/echo-react'))),
  'laravel-echo 2.5 dist/echo.js (a peer for us, bundled inside @laravel/echo-react)': () => source(require.resolve('laravel-echo')),
};
function source(path) {
  const code = readFileSync(path, 'utf8');
  return [code, transformSync(code, { minify: true, format: 'esm', loader: 'js' }).code];
}
const gz = (s) => gzipSync(s, { level: 9 }).length;
console.log('| file | raw B | gzip B | min+gzip B |');
console.log('|---|---|---|---|');
for (const [name, read] of Object.entries(files)) {
  const [code, min] = read();
  console.log(`| ${name} | ${code.length} | ${gz(code)} | ${gz(min)} |`);
}
