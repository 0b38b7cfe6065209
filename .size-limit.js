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
    // #17 adds about 150 B: RealtimeProvider closing the socket of a client no provider shows any
    // more (fast refresh left the old one open forever) and dispose()/disconnect() closing before
    // leaving (no frame sent into a closed WebSocket). Every app renders the provider. About 50 B
    // more from its review: a channel held outside React keeps the socket, and that close is no drop.
    limit: '10150 B',
  },
  {
    // The optimistic commands (#9) add about 3.4 KB, only for apps that import them.
    name: 'minimal import + optimistic commands: useRealtimeMutation, useCommands',
    path: 'dist/index.js',
    import: '{ createRealtimeClient, RealtimeProvider, useRealtimeEvent, useRealtimeMutation, useCommands }',
    ignore: peers,
    gzip: true,
    modifyEsbuildConfig: production,
    limit: '13475 B', // +175 B: #17's provider and close order, as above
  },
  {
    // The Laravel-native hooks (#10) are layers over useRealtimeChannel, for apps that import them.
    name: 'minimal import + Laravel hooks: echoConfigFromEnv, useRealtimeModel(s), useRealtimeNotifications',
    path: 'dist/index.js',
    import: '{ createRealtimeClient, RealtimeProvider, useRealtimeEvent, echoConfigFromEnv, useRealtimeModel, useRealtimeModels, useRealtimeNotifications }',
    ignore: peers,
    gzip: true,
    modifyEsbuildConfig: production,
    // +230 B: #17's provider and close order (as above), and echoConfigFromEnv reading Next.js's
    // NEXT_PUBLIC_* names (about 40 B; the variable a missing key names is development-only).
    limit: '11830 B',
  },
  {
    name: 'whole entry',
    path: 'dist/index.js',
    import: '*',
    ignore: peers,
    gzip: true,
    modifyEsbuildConfig: production,
    limit: '15950 B', // +200 B: #17 and the NEXT_PUBLIC_* names, as above
  },
];
