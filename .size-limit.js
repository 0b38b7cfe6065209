// The size budget, checked in `npm test` (`size-limit` after the build): what an app ships for the
// hooks in its production build, with the peers external, esbuild minify + gzip. The first line is
// what every app pays; each other line adds one feature to it, so its marginal cost is visible
// (BENCHMARKS.md: where the bytes go). Each figure is a ceiling no change may silently cross.
// esbuild's default target keeps class-private fields (#x) as they are, as Vite 7 and Next.js 15+
// do by default; a build for ES2020 (Vite 6 and earlier) turns them into WeakMaps, about 1.3 KB more.
const peers = [
  'react',
  'react-dom',
  'react/jsx-runtime',
  '@tanstack/react-query',
  '@tanstack/query-core',
  'laravel-echo',
  'pusher-js',
  'use-debounce',
  '@inertiajs/react',
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
  // With the reconnect driver (on by default for every Pusher-protocol app). The goal is 8,000 B; the
  // inspector's reporting may add at most 300 B over the regroup's 9,480 B (issue #20), so never past 9,780 B.
  line('minimal import: createRealtimeClient, RealtimeProvider, useRealtimeEvent', '9700 B', []),
  line('+ presence: usePresence', '10830 B', ['usePresence']),
  line('+ optimistic commands: useRealtimeMutation, useCommands', '12920 B', ['useRealtimeMutation', 'useCommands']),
  line('+ Laravel hooks: echoConfigFromEnv, useRealtimeModel(s), useRealtimeNotifications', '11490 B', [
    'echoConfigFromEnv',
    'useRealtimeModel',
    'useRealtimeModels',
    'useRealtimeNotifications',
  ]),
  // socket.io apps also track presence members from the start (laravel-echo-server lists them once per subscription).
  // Presence holds the member events that race the member list (issue #21): about +170 B on both lines.
  line('+ socket.io: socketIo (echo-react-query/socket.io)', '10810 B', [], { 'dist/socket.io/index.js': '{ socketIo }' }),
  line('+ Inertia: useRealtimeReload (echo-react-query/inertia)', '10970 B', [], { 'dist/inertia/index.js': '{ useRealtimeReload }' }),
  {
    // An Inertia-only app: everything from echo-react-query/inertia, no TanStack Query hooks.
    name: 'Inertia only: createRealtimeClient, RealtimeProvider, useRealtimeReload (echo-react-query/inertia)',
    path: 'dist/inertia/index.js',
    import: '{ createRealtimeClient, RealtimeProvider, useRealtimeReload }',
    ignore: peers,
    gzip: true,
    modifyEsbuildConfig: production,
    limit: '10240 B',
  },
  {
    // Everything the main entry exports. The goal is 14,000 B; inspectRealtime is about 2.4 KB of it (issue #20).
    name: 'whole entry',
    path: 'dist/index.js',
    import: '*',
    ignore: peers,
    gzip: true,
    modifyEsbuildConfig: production,
    limit: '19000 B',
  },
  {
    // The devtools from their development path in a production build: nothing ships (as TanStack's).
    name: 'devtools in production: RealtimeDevtools (echo-react-query/devtools)',
    path: 'dist/devtools/index.js',
    import: '{ RealtimeDevtools }',
    ignore: peers,
    gzip: true,
    modifyEsbuildConfig: production,
    limit: '100 B',
  },
  {
    // The devtools shipped on purpose (a staging build): the panel, its styles and the inspector, over the minimal import.
    name: 'devtools shipped: RealtimeDevtools (echo-react-query/devtools/production)',
    import: {
      'dist/index.js': `{ ${minimal} }`,
      'dist/devtools/production/index.js': '{ RealtimeDevtools, realtimeDevtoolsPlugin }',
    },
    ignore: peers,
    gzip: true,
    modifyEsbuildConfig: production,
    limit: '19120 B',
  },
];
