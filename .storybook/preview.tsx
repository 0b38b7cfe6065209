import type { Preview } from '@storybook/react-vite';
import { BackendContext, DEV_SERVER, type Backend } from '../stories/demo-server';
import '../stories/demo.css';

const preview: Preview = {
  parameters: {
    // Each demo lays itself out: the page, and the devtools panel beside it.
    layout: 'fullscreen',
    options: { storySort: { order: ['Introduction', 'Demos'] } },
    // Every story is checked with axe (@storybook/addon-a11y): a violation fails its test.
    a11y: { test: 'error' },
  },
  // The toolbar switch: the embedded backend (nothing to run), or `npm run dev:server`.
  globalTypes: {
    backend: {
      description: "Where the demos' sockets, auth and broadcasts go",
      toolbar: {
        title: 'Backend',
        icon: 'database',
        items: [
          { value: 'embedded', title: 'Embedded (nothing to run)' },
          { value: 'dev-server', title: `npm run dev:server (real WebSockets on ${DEV_SERVER.wsPort}, app on ${DEV_SERVER.app})` },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { backend: 'embedded' },
  decorators: [
    (Story, context) => {
      const backend = (context.globals.backend ?? 'embedded') as Backend;
      return (
        <BackendContext.Provider value={backend} key={backend}>
          <Story />
        </BackendContext.Provider>
      );
    },
  ],
};

export default preview;
