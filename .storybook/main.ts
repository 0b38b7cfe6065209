import type { StorybookConfig } from '@storybook/react-vite';
import { sourceAliases } from '../scripts/entries.mjs';
import { devSettings } from '../test/server/dev-settings.js';

const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.tsx'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  // The sidebar's "get started" checklist is for people writing stories, not for readers of demos.
  features: { sidebarOnboardingChecklist: false },
  // StrictMode, as apps run in development: the demos must survive its double effects.
  framework: { name: '@storybook/react-vite', options: { strictMode: true } },
  core: { disableTelemetry: true },
  // The "dev:server" backend's ports: the page reads the settings dev:server and npm run trigger read
  // (stories/demo-server.tsx), so `PUSHER_PORT=7001 APP_PORT=7002 npm run storybook` matches the
  // same variables given to `npm run dev:server`. A bad port stops here with one sentence.
  env: (config) => {
    const dev = devSettings(process.env);
    return { ...config, STORYBOOK_PUSHER_PORT: String(dev.pusherPort), STORYBOOK_APP_PORT: String(dev.appPort) };
  },
  viteFinal: async (vite) => ({
    ...vite,
    resolve: {
      ...vite.resolve,
      alias: [
        ...sourceAliases,
        ...(Array.isArray(vite.resolve?.alias)
          ? vite.resolve.alias
          : Object.entries(vite.resolve?.alias ?? {}).map(([find, replacement]) => ({ find, replacement: String(replacement) }))),
      ],
    },
  }),
};

export default config;
