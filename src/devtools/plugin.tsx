import type { ReactElement } from 'react';
import type { RealtimeClient } from '../core';
import { RealtimeDevtoolsPanel, type DevtoolsTheme } from './RealtimeDevtoolsPanel';

/** Options of {@link realtimeDevtoolsPlugin}. */
export interface RealtimeDevtoolsPluginOptions {
  /** The client to inspect. Default: the one from the nearest `RealtimeProvider` (render `<TanStackDevtools>` inside it). */
  client?: RealtimeClient | null;
  /** Open this plugin when the TanStack Devtools open. */
  defaultOpen?: boolean;
  /** Default `'system'`. */
  theme?: DevtoolsTheme;
}

/** A plugin for TanStack Devtools' shell (`@tanstack/react-devtools`): `{ id, name, render }`. */
export interface RealtimeDevtoolsPlugin {
  /** `'echo-react-query'`. */
  id: string;
  /** The tab's title in the shell: `'Realtime'`. */
  name: string;
  /** The panel. */
  render: ReactElement;
  /** Open this plugin when the shell opens. */
  defaultOpen?: boolean;
}

/**
 * The realtime panel as a TanStack Devtools plugin, next to TanStack Query's:
 *
 * ```tsx
 * <TanStackDevtools plugins={[{ name: 'TanStack Query', render: <ReactQueryDevtoolsPanel /> }, realtimeDevtoolsPlugin()]} />
 * ```
 */
export function realtimeDevtoolsPlugin({ client, defaultOpen, theme }: RealtimeDevtoolsPluginOptions = {}): RealtimeDevtoolsPlugin {
  return {
    id: 'echo-react-query',
    name: 'Realtime',
    render: <RealtimeDevtoolsPanel client={client} theme={theme} style={{ height: '100%' }} />,
    ...(defaultOpen === undefined ? {} : { defaultOpen }),
  };
}
