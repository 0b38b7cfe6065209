// The size budget, checked in `npm test` (`size-limit` after the build): what an app ships for the
// hooks in its production build, with the peers external, esbuild minify + gzip. The first line is
// what every app pays; each other line adds one feature to it, so its marginal cost is visible
// (BENCHMARKS.md: where the bytes go). Each figure is a ceiling no change may silently cross.
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
const minimal = 'createRealtimeClient, RealtimeProvider, useRealtimeEvent';
const line = (name, limit, imports, more = {}) => ({
  name,
  import: { 'dist/index.js': `{ ${[minimal, ...imports].join(', ')} }`, ...more },
  ignore: peers,
  gzip: true,
  modifyEsbuildConfig: production,
  limit,
});

export default [
  // With the reconnect driver (on by default for every Pusher-protocol app). The goal is 8,000 B.
  line('minimal import: createRealtimeClient, RealtimeProvider, useRealtimeEvent', '9130 B', []),
  line('+ presence: usePresence', '10080 B', ['usePresence']),
  line('+ optimistic commands: useRealtimeMutation, useCommands', '12320 B', ['useRealtimeMutation', 'useCommands']),
  line('+ Laravel hooks: echoConfigFromEnv, useRealtimeModel(s), useRealtimeNotifications', '10910 B', [
    'echoConfigFromEnv',
    'useRealtimeModel',
    'useRealtimeModels',
    'useRealtimeNotifications',
  ]),
  line('+ socket.io: socketIo (echo-react-query/socket.io)', '9490 B', [], { 'dist/socket.io/index.js': '{ socketIo }' }),
  {
    // Everything the main entry exports. The goal is 14,000 B.
    name: 'whole entry',
    path: 'dist/index.js',
    import: '*',
    ignore: peers,
    gzip: true,
    modifyEsbuildConfig: production,
    limit: '15420 B',
  },
];
