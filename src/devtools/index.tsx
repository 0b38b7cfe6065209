/**
 * echo-react-query/devtools: see what the socket does. `<RealtimeDevtools />` (a corner button
 * and a panel), `<RealtimeDevtoolsPanel />` to place yourself, and `realtimeDevtoolsPlugin()` for
 * `<TanStackDevtools plugins>`. In production builds they render nothing and weigh nothing (as
 * TanStack Query's devtools); `echo-react-query/devtools/production` ships them.
 * @packageDocumentation
 */
import * as Devtools from './production';

const off = () => null;

/** {@link Devtools.RealtimeDevtools}; nothing in production builds. */
export const RealtimeDevtools: typeof Devtools.RealtimeDevtools = process.env.NODE_ENV === 'production' ? off : Devtools.RealtimeDevtools;

/** {@link Devtools.RealtimeDevtoolsPanel}; nothing in production builds. */
export const RealtimeDevtoolsPanel: typeof Devtools.RealtimeDevtoolsPanel = process.env.NODE_ENV === 'production' ? off : Devtools.RealtimeDevtoolsPanel;

/** {@link Devtools.realtimeDevtoolsPlugin}; a plugin that renders nothing in production builds. */
export const realtimeDevtoolsPlugin: typeof Devtools.realtimeDevtoolsPlugin =
  process.env.NODE_ENV === 'production' ? (options) => ({ id: 'echo-react-query', name: 'Realtime', render: <></>, ...(options?.defaultOpen === undefined ? {} : { defaultOpen: options.defaultOpen }) }) : Devtools.realtimeDevtoolsPlugin;

export type * from './production';
