import { useId, useMemo, useState } from 'react';
import type { InspectorEvent, InspectorSnapshot } from '../core';
import { badgeOf, clock, describe, jsonText } from './format';
import { Badge } from './parts';

/** Kinds of records the log can show, with the label of their filter. */
const KINDS: { kinds: InspectorEvent['type'][]; label: string }[] = [
  { kinds: ['event', 'unheard', 'write'], label: 'Events' },
  { kinds: ['invalidate', 'run', 'settled', 'fetch', 'fetched'], label: 'Fetches' },
  { kinds: ['channel', 'presence'], label: 'Channels' },
  { kinds: ['connection'], label: 'Connection' },
  { kinds: ['command'], label: 'Commands' },
  { kinds: ['error'], label: 'Errors' },
];

/** Rows rendered at most (the newest): the buffer may hold more. */
const ROWS = 200;

/** The live log: newest first, filtered by channel, event name and kind; a row opens its payload. */
export function EventsSection({ snapshot }: { snapshot: InspectorSnapshot }) {
  const [channel, setChannel] = useState('');
  const [name, setName] = useState('');
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set(['settled', 'invalidate']));
  const [open, setOpen] = useState<number | null>(null);
  const ids = useId();
  const channels = useMemo(() => {
    const set = new Set<string>();
    for (const record of snapshot.events) if ('channel' in record) set.add(record.channel);
    return [...set].sort();
  }, [snapshot.events]);
  const rows = useMemo(() => {
    const needle = name.trim().toLowerCase();
    const shown: InspectorEvent[] = [];
    for (let i = snapshot.events.length - 1; i >= 0 && shown.length < ROWS; i--) {
      const record = snapshot.events[i]!;
      if (hidden.has(record.type)) continue;
      if (channel && (!('channel' in record) || record.channel !== channel)) continue;
      if (needle && !('event' in record && typeof record.event === 'string' && record.event.toLowerCase().includes(needle))) continue;
      shown.push(record);
    }
    return shown;
  }, [snapshot.events, hidden, channel, name]);
  const toggle = (kinds: string[]) =>
    setHidden((before) => {
      const next = new Set(before);
      const off = kinds.every((k) => next.has(k));
      for (const k of kinds) {
        if (off) next.delete(k);
        else next.add(k);
      }
      return next;
    });

  return (
    <div>
      <div className="erq-filters">
        <label htmlFor={`${ids}-channel`}>Channel</label>
        <select id={`${ids}-channel`} value={channel} onChange={(e) => setChannel(e.target.value)}>
          <option value="">all</option>
          {channels.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-event`}>Event</label>
        <input id={`${ids}-event`} type="search" value={name} placeholder="name contains…" onChange={(e) => setName(e.target.value)} size={14} />
        {KINDS.map(({ kinds, label }) => {
          const on = kinds.some((k) => !hidden.has(k));
          return (
            <button key={label} type="button" aria-pressed={on} onClick={() => toggle(kinds)} style={on ? undefined : { opacity: 0.6 }}>
              {label}
            </button>
          );
        })}
      </div>
      {snapshot.dropped > 0 && <p className="erq-empty">{snapshot.dropped} older records dropped (the log keeps the last {snapshot.events.length}).</p>}
      {rows.length === 0 ? (
        <p className="erq-empty">Nothing recorded yet: events, fetches, channels and commands appear here as they happen.</p>
      ) : (
        <ol className="erq-log" aria-label="Log, newest first">
          {rows.map((record) => {
            const { label, tone } = badgeOf(record);
            const details = detailsOf(record);
            const expanded = open === record.id;
            return (
              <li key={record.id} className="erq-row" data-kind={record.type} data-testid={`log-${record.type}`}>
                <span className="erq-time">{clock(record.at).slice(3)}</span>
                <span>
                  <Badge tone={tone}>{label}</Badge>
                </span>
                <span>
                  {details === undefined ? (
                    describe(record)
                  ) : (
                    <button type="button" className="erq-link" aria-expanded={expanded} onClick={() => setOpen(expanded ? null : record.id)}>
                      {expanded ? '▾ ' : '▸ '}
                      {describe(record)}
                    </button>
                  )}
                </span>
                {expanded && details !== undefined && <pre className="erq-mono">{jsonText(details)}</pre>}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}

/** What a row opens to: the payload of an event, the error's context, nothing for the rest. */
function detailsOf(record: InspectorEvent): unknown {
  switch (record.type) {
    case 'event':
      return { payload: record.payload, invalidated: record.invalidated, wrote: record.wrote };
    case 'unheard':
      return { payload: record.payload };
    case 'error':
      return { code: record.error.code, message: record.error.message, channel: record.error.channel, event: record.error.event, status: record.error.status, payload: record.error.payload };
    case 'presence':
      return record.members;
    default:
      return undefined;
  }
}
