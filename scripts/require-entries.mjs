// `npm run build` runs this after tsup: the "require" condition of each entry in package.json.
//
// Not a CommonJS build (laravel-echo 2 has no working one, see tsup.config.ts) but a door to the ES
// module: Node.js 20.19+ and 22.12+ require() ES modules (require(esm)), so `require('echo-react-query')`
// returns the very module `import` does (one instance, no dual-package hazard). Where that cannot
// work (older Node, Jest's CommonJS runtime with no transform for this package) require() fails
// with ERR_REQUIRE_ESM, and this says what to do instead of Node's "No exports main defined". Any
// other error (a missing peer dependency) passes through untouched.
//
// Written after tsup, not in its onSuccess: tsup's declaration build runs after onSuccess and
// cleans the .d.cts files written there.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { entries } from './entries.mjs';

const dist = resolve(import.meta.dirname, '..', 'dist');

const door = (specifier) => `'use strict';
// ${specifier} is ESM-only: this file only lets require() reach the ES module next to it
// (see scripts/require-entries.mjs in the repository).
try {
  module.exports = require('./index.js');
} catch (error) {
  if (!error || error.code !== 'ERR_REQUIRE_ESM') throw error;
  throw new Error(
    "${specifier} is ESM-only (as laravel-echo 2 is), and require() cannot load it here: " +
      String(error.message).split('\\n')[0] +
      "\\n- Use import, or await import('${specifier}') from CommonJS. Node.js 20.19+ and 22.12+ can also require() it." +
      "\\n- Jest: let your transform compile it (transformIgnorePatterns: ['/node_modules/(?!echo-react-query/)']) " +
      'or run Jest in ESM mode (NODE_OPTIONS=--experimental-vm-modules).' +
      '\\n  See https://github.com/echo-react-query/echo-react-query/blob/main/docs/jest.md',
    { cause: error },
  );
}
`;

for (const { specifier, out } of entries) {
  const dir = join(dist, out, '..');
  writeFileSync(join(dir, 'index.cjs'), door(specifier));
  // require() returns the ES module's namespace: the same types.
  writeFileSync(join(dir, 'index.d.cts'), "export * from './index.js';\n");
}
