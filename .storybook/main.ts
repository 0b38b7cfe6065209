import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/react-vite';

// The demos import the package by its published names, as an app would.
const src = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.tsx'],
  addons: ['@storybook/addon-vitest'],
  // StrictMode, as apps run in development: the demos must survive its double effects.
  framework: { name: '@storybook/react-vite', options: { strictMode: true } },
  core: { disableTelemetry: true },
  viteFinal: async (vite) => ({
    ...vite,
    resolve: {
      ...vite.resolve,
      alias: [
        { find: /^echo-react-query$/, replacement: src('index.ts') },
        { find: /^echo-react-query\/testing$/, replacement: src('testing/index.ts') },
        ...(Array.isArray(vite.resolve?.alias)
          ? vite.resolve.alias
          : Object.entries(vite.resolve?.alias ?? {}).map(([find, replacement]) => ({ find, replacement: String(replacement) }))),
      ],
    },
  }),
};

export default config;
