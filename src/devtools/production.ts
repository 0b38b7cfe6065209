/**
 * echo-react-query/devtools/production: the realtime devtools in every build, production too (for
 * a staging build or a support page). Apps that only want them in development import
 * `echo-react-query/devtools`.
 * @packageDocumentation
 */
export { RealtimeDevtools } from './RealtimeDevtools';
export type { RealtimeDevtoolsProps } from './RealtimeDevtools';
export { RealtimeDevtoolsPanel } from './RealtimeDevtoolsPanel';
export type { DevtoolsSection, DevtoolsTheme, RealtimeDevtoolsPanelProps } from './RealtimeDevtoolsPanel';
export { realtimeDevtoolsPlugin } from './plugin';
export type { RealtimeDevtoolsPlugin, RealtimeDevtoolsPluginOptions } from './plugin';
