// The size budget, checked in `npm test` (`size-limit` after the build): what an app ships for the
// hooks in its production build, with the peers external, esbuild minify + gzip. Each figure is a
// ceiling that no change may silently cross; #8's goals are 4 KB (minimal) and 6 KB (whole entry).
const peers = [
  'react',
  'react-dom',
  'react/jsx-runtime',
  '@tanstack/react-query',
  '@tanstack/query-core',
  'laravel-echo',
  'pusher-js',
  'use-debounce',
];
// As Vite, webpack and Next build for production.
const production = (config) => ({ ...config, define: { ...config.define, 'process.env.NODE_ENV': '"production"' } });

export default [
  {
    name: 'minimal import: createRealtimeClient, RealtimeProvider, useRealtimeEvent',
    path: 'dist/index.js',
    import: '{ createRealtimeClient, RealtimeProvider, useRealtimeEvent }',
    ignore: peers,
    gzip: true,
    modifyEsbuildConfig: production,
    // The reconnect driver (#12) adds about 1.45 KB here: it is on by default for every Pusher-protocol app.
    limit: '9950 B',
  },
  {
    // The optimistic commands (#9) add about 3.4 KB, only for apps that import them.
    name: 'minimal import + optimistic commands: useRealtimeMutation, useCommands',
    path: 'dist/index.js',
    import: '{ createRealtimeClient, RealtimeProvider, useRealtimeEvent, useRealtimeMutation, useCommands }',
    ignore: peers,
    gzip: true,
    modifyEsbuildConfig: production,
    limit: '13300 B',
  },
  {
    // The Laravel-native hooks (#10) are layers over useRealtimeChannel, for apps that import them.
    name: 'minimal import + Laravel hooks: echoConfigFromEnv, useRealtimeModel(s), useRealtimeNotifications',
    path: 'dist/index.js',
    import: '{ createRealtimeClient, RealtimeProvider, useRealtimeEvent, echoConfigFromEnv, useRealtimeModel, useRealtimeModels, useRealtimeNotifications }',
    ignore: peers,
    gzip: true,
    modifyEsbuildConfig: production,
    limit: '11600 B',
  },
  {
    name: 'whole entry',
    path: 'dist/index.js',
    import: '*',
    ignore: peers,
    gzip: true,
    modifyEsbuildConfig: production,
    limit: '15750 B',
  },
];
