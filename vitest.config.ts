import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { configDefaults, defineConfig } from 'vitest/config';
import { sourceAliases } from './scripts/entries.mjs';

// The stories are tests too: their play functions run in Debian's Chromium (no browser download).
// CI installs it (.ci/run) and must run them; without it a laptop skips them, with a warning.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium && process.env.CI) throw new Error(`Chromium is required in CI for the story tests (${chromiumPath})`);
if (!hasChromium) console.warn(`Chromium not found at ${chromiumPath}: skipping the story tests (apt-get install chromium).`);
const chromium = playwright({
  launchOptions: {
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  },
});

// The suite runs twice: on React 19 (the root `react`) and on React 18, the lowest peer we claim,
// installed by the `test/react18` workspace into its own node_modules (so react-dom 18 finds
// react 18). For the React 18 run every import of react or react-dom, ours and our dependencies',
// is redirected there; those dependencies are inlined so the alias reaches them too.
const react18 = fileURLToPath(new URL('./test/react18/node_modules/', import.meta.url));
const rtlEsm = fileURLToPath(
  new URL('./node_modules/@testing-library/react/dist/@testing-library/react.esm.js', import.meta.url),
);
const react18Alias = [
  // Testing Library has no `exports` map; point at its ESM build so its react-dom imports are aliased.
  { find: /^@testing-library\/react$/, replacement: rtlEsm },
  { find: /^react$/, replacement: `${react18}react` },
  { find: /^react\/(.*)$/, replacement: `${react18}react/$1` },
  { find: /^react-dom$/, replacement: `${react18}react-dom` },
  { find: /^react-dom\/(.*)$/, replacement: `${react18}react-dom/$1` },
];

// Tests may import the package by its published names (as the README's examples do).
const selfAlias = sourceAliases;

const shared = {
  environment: 'jsdom',
  include: ['test/{core,react,testing}/**/*.test.{ts,tsx}', 'test/*.test.{ts,tsx}'],
  setupFiles: ['test/setup.ts'],
  restoreMocks: true,
};

export default defineConfig({
  test: {
    projects: [
      { resolve: { alias: selfAlias }, test: { ...shared, name: 'react19' } },
      {
        resolve: { alias: [...selfAlias, ...react18Alias] },
        test: {
          ...shared,
          name: 'react18',
          // Property tests of the core use no React: once, in the react19 project, is enough.
          exclude: [...configDefaults.exclude, 'test/core/**/*.property.test.ts'],
          server: { deps: { inline: [/@tanstack\/react-query/, /@testing-library\/react/, /use-debounce/] } },
        },
      },
      {
        // Real laravel-echo + pusher-js over WebSockets against the Pusher-protocol test server.
        resolve: { alias: selfAlias },
        test: {
          ...shared,
          name: 'wire',
          environment: 'node',
          setupFiles: ['test/integration/dom.ts', 'test/setup.ts', 'test/integration/live.ts'],
          include: ['test/server/**/*.test.{ts,tsx}', 'test/integration/**/*.test.{ts,tsx}'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // echo-react-query/inertia on the previous major of @inertiajs/react (2), as its peer range says.
        resolve: {
          alias: [{ find: /^@inertiajs\/react$/, replacement: fileURLToPath(new URL('./node_modules/inertia-react-2/dist/index.esm.js', import.meta.url)) }, ...selfAlias],
        },
        test: {
          ...shared,
          name: 'wire (Inertia 2)',
          environment: 'node',
          setupFiles: ['test/integration/dom.ts', 'test/setup.ts', 'test/integration/live.ts'],
          include: ['test/integration/inertia.test.tsx'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      ...(hasChromium
        ? [
            {
              // Pages in Chromium driven from Node (playwright-core): what a person sees, a clean
              // console, CORS that is real.
              resolve: { alias: selfAlias },
              test: {
                name: 'chromium',
                environment: 'node',
                include: ['test/browser/**/*.test.{ts,tsx}'],
                setupFiles: ['test/setup.ts'],
                testTimeout: 60_000,
                hookTimeout: 60_000,
              },
            },
            {
              plugins: [storybookTest({ configDir: fileURLToPath(new URL('./.storybook', import.meta.url)) })],
              test: {
                name: 'storybook',
                browser: { enabled: true, headless: true, provider: chromium, instances: [{ browser: 'chromium' as const }] },
              },
            },
          ]
        : []),
      {
        test: {
          name: 'types',
          include: [],
          typecheck: { enabled: true, only: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
        },
      },
    ],
  },
});
