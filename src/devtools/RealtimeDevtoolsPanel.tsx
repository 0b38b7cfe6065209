import { type ReactElement, useContext, useId, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';
import type { InspectorSnapshot, RealtimeClient } from '../core';
import { RealtimeContext } from '../react/context';
import { EventsSection } from './EventsSection';
import { CONNECTION_TONE } from './format';
import { Badge, DevtoolsBoundary } from './parts';
import { ChannelsSection, CommandsSection, ConnectionSection, PresenceSection, QueriesSection } from './StateSections';
import { STYLES } from './styles';
import { useInspector } from './use-inspector';

/** Light, dark, or the system's. */
export type DevtoolsTheme = 'light' | 'dark' | 'system';

/** The panel's sections. */
export type DevtoolsSection = 'events' | 'connection' | 'channels' | 'queries' | 'commands' | 'presence';

/** Props of {@link RealtimeDevtoolsPanel}. */
export interface RealtimeDevtoolsPanelProps {
  /** The client to inspect. Default: the one from the nearest `RealtimeProvider`. */
  client?: RealtimeClient | null;
  /** Default `'system'`. */
  theme?: DevtoolsTheme;
  /** The section shown first. Default `'events'`. */
  initialSection?: DevtoolsSection;
  /** How many records the log keeps. Default 500. */
  bufferSize?: number;
  /** A close button in the header (the floating panel's). */
  onClose?: () => void;
  style?: CSSProperties;
  className?: string;
}

const SECTIONS: { id: DevtoolsSection; label: string; count?: (s: InspectorSnapshot) => number }[] = [
  { id: 'events', label: 'Events', count: (s) => s.events.filter((e) => e.type === 'event').length },
  { id: 'connection', label: 'Connection' },
  { id: 'channels', label: 'Channels', count: (s) => s.channels.length },
  { id: 'queries', label: 'Queries', count: (s) => s.queries.waiting.length + s.queries.fetching.length + s.queries.recovering.length },
  { id: 'commands', label: 'Commands', count: (s) => s.commands.length },
  { id: 'presence', label: 'Presence', count: (s) => s.channels.filter((c) => c.members !== null).length },
];

/**
 * The realtime devtools panel, to place anywhere (a Storybook column, your own drawer, TanStack
 * Devtools through {@link realtimeDevtoolsPlugin}): what the socket does, live. An error inside it
 * stays inside it.
 */
export function RealtimeDevtoolsPanel(props: RealtimeDevtoolsPanelProps): ReactElement | null {
  return (
    <div className={`erq-devtools${props.className ? ` ${props.className}` : ''}`} data-theme={props.theme ?? 'system'} style={props.style}>
      <style>{STYLES}</style>
      <DevtoolsBoundary>
        <PanelBody {...props} />
      </DevtoolsBoundary>
    </div>
  );
}

function PanelBody({ client: given, initialSection = 'events', bufferSize, onClose }: RealtimeDevtoolsPanelProps) {
  const provided = useContext(RealtimeContext);
  const client = given === undefined ? provided : given;
  const { snapshot } = useInspector(client?.enabled ? client : null, bufferSize);
  const [section, setSection] = useState<DevtoolsSection>(initialSection);
  const ids = useId();
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  if (!client || !snapshot) {
    return (
      <p className="erq-body">
        {client === undefined
          ? 'No realtime client: render the devtools inside <RealtimeProvider>, or pass client={realtime}.'
          : 'Realtime is off (no client, or no key): nothing to inspect.'}
      </p>
    );
  }
  let eventCount = 0;
  let fetches = 0;
  let reloads = 0;
  for (const record of snapshot.events) {
    if (record.type === 'event') eventCount += 1;
    else if (record.type === 'fetch') fetches += 1;
    else if (record.type === 'run' && record.target === 'reload') reloads += 1;
  }
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const summary = [
    plural(eventCount, 'event', 'events'),
    plural(fetches, 'fetch', 'fetches'),
    ...(reloads ? [plural(reloads, 'reload', 'reloads')] : []),
    plural(snapshot.channels.length, 'channel', 'channels'),
  ].join(' · ');
  // Arrow keys move between tabs, as WAI-ARIA's tabs pattern says.
  const onTabKey = (e: KeyboardEvent, index: number) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    const to = e.key === 'Home' ? 0 : e.key === 'End' ? SECTIONS.length - 1 : step ? (index + step + SECTIONS.length) % SECTIONS.length : -1;
    if (to < 0) return;
    e.preventDefault();
    setSection(SECTIONS[to]!.id);
    tabs.current[to]?.focus();
  };
  let body: ReactNode;
  switch (section) {
    case 'events':
      body = <EventsSection snapshot={snapshot} />;
      break;
    case 'connection':
      body = <ConnectionSection snapshot={snapshot} client={client} />;
      break;
    case 'channels':
      body = <ChannelsSection snapshot={snapshot} />;
      break;
    case 'queries':
      body = <QueriesSection snapshot={snapshot} />;
      break;
    case 'commands':
      body = <CommandsSection snapshot={snapshot} />;
      break;
    case 'presence':
      body = <PresenceSection snapshot={snapshot} />;
      break;
  }
  return (
    <>
      <div className="erq-head">
        <h2 className="erq-title">Realtime</h2>
        <Badge tone={CONNECTION_TONE[snapshot.connection.status]}>{snapshot.connection.status}</Badge>
        <span className="erq-summary" data-testid="devtools-summary">
          {summary}
        </span>
        <span className="erq-spacer" />
        {onClose && (
          <button type="button" onClick={onClose} aria-label="Close the realtime devtools">
            ✕
          </button>
        )}
      </div>
      <div className="erq-tabs" role="tablist" aria-label="Realtime devtools sections">
        {SECTIONS.map(({ id, label, count }, index) => (
          <button
            key={id}
            ref={(el) => {
              tabs.current[index] = el;
            }}
            type="button"
            role="tab"
            id={`${ids}-tab-${id}`}
            className="erq-tab"
            aria-selected={section === id}
            aria-controls={`${ids}-panel`}
            tabIndex={section === id ? 0 : -1}
            onClick={() => setSection(id)}
            onKeyDown={(e) => onTabKey(e, index)}
          >
            {label}
            {count ? ` (${count(snapshot)})` : ''}
          </button>
        ))}
      </div>
      <div className="erq-body" role="tabpanel" id={`${ids}-panel`} aria-labelledby={`${ids}-tab-${section}`} tabIndex={0}>
        {body}
      </div>
    </>
  );
}
