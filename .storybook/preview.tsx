import type { Preview } from '@storybook/react-vite';
import { BackendContext, DEV_SERVER, type Backend } from '../stories/demo-server';

const preview: Preview = {
  parameters: {
    layout: 'padded',
    options: { storySort: { order: ['Demos'] } },
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
