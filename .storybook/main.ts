import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/react-vite';

// The demos import the package by its published names, as an app would.
const src = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.tsx'],
  addons: ['@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true },
  viteFinal: async (vite) => ({
    ...vite,
    resolve: {
      ...vite.resolve,
      alias: [
        { find: /^echo-react-query$/, replacement: src('index.ts') },
        { find: /^echo-react-query\/testing$/, replacement: src('testing/index.ts') },
      ],
    },
  }),
};

export default config;
