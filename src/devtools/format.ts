import type { QueryKey } from '@tanstack/query-core';
import type { ChannelStatus, ConnectionStatus, InspectorEvent } from '../core';

// How the panel words things: keys, times, and a tone (colour) for each status, always shown with
// the status's own word.

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'muted';

/** A query key as written in code: `["orders",1]`. */
export function keyText(key: QueryKey | undefined): string {
  try {
    return JSON.stringify(key) ?? String(key);
  } catch {
    return String(key);
  }
}

/** A value for the payload viewer, whatever it holds (cycles, functions). */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The start of a payload, on one line. */
export function preview(payload: unknown, max = 60): string {
  let text: string;
  try {
    text = JSON.stringify(payload) ?? String(payload);
  } catch {
    text = String(payload);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `12:04:05.123`, the time of a record. */
export function clock(at: number): string {
  const d = new Date(at);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `3.2 s ago`, `in 1.4 s`. */
export function relative(at: number, now: number): string {
  const ms = at - now;
  const text = Math.abs(ms) < 1000 ? `${Math.round(Math.abs(ms))} ms` : `${(Math.abs(ms) / 1000).toFixed(1)} s`;
  return ms > 0 ? `in ${text}` : `${text} ago`;
}

export const CONNECTION_TONE: Record<ConnectionStatus, Tone> = {
  idle: 'muted',
  connecting: 'warn',
  connected: 'ok',
  reconnecting: 'warn',
  disconnected: 'muted',
  failed: 'bad',
};

export const CHANNEL_TONE: Record<ChannelStatus | 'left', Tone> = {
  idle: 'muted',
  subscribing: 'warn',
  subscribed: 'ok',
  error: 'bad',
  left: 'muted',
};

export const COMMAND_TONE: Record<string, Tone> = { pending: 'warn', confirmed: 'ok', unconfirmed: 'info', failed: 'bad' };

/** One line saying what a record is. */
export function describe(record: InspectorEvent): string {
  switch (record.type) {
    case 'connection':
      return `${record.status}${record.socketId ? ` · socket ${record.socketId}` : ''}${record.nextAttemptAt ? ` · attempt ${record.attempt + 1} ${relative(record.nextAttemptAt, record.at)}` : ''}`;
    case 'channel':
      return `${record.channel} ${record.status}${record.error ? `: ${record.error}` : ''} (${record.holders} holding)`;
    case 'event': {
      const did = [
        record.invalidated.length ? `invalidates ${record.invalidated.map(keyText).join(' ')}` : '',
        record.wrote.length ? `writes ${record.wrote.map(keyText).join(' ')}` : '',
      ].filter(Boolean);
      return `${record.event} on ${record.channel} ${preview(record.payload)} → ${record.handlers} binding${record.handlers === 1 ? '' : 's'}${did.length ? `, ${did.join(', ')}` : ''}`;
    }
    case 'unheard':
      return `${record.event} on ${record.channel} ${preview(record.payload)}: no binding listens for it`;
    case 'invalidate':
      return `asks to ${record.target === 'reload' ? 'reload' : 'invalidate'} ${record.keys.map(keyText).join(' ')} (${record.cause})`;
    case 'run':
      return `${record.target === 'reload' ? 'reload' : 'invalidate'} ${keyText(record.key)}${record.coalesced > 1 ? ` · ${record.coalesced} requests coalesced` : ''}${record.owed ? ' · again after a fetch in flight' : ''} (${record.causes.join(', ') || 'owed'})`;
    case 'settled':
      return `${keyText(record.key)} settled in ${record.durationMs} ms`;
    case 'fetch':
      return `fetch ${keyText(record.key)}${record.runId === null ? ' (started by the app: a mount, a focus, a refetch)' : ''}`;
    case 'fetched':
      return `${keyText(record.key)} ${record.outcome === 'success' ? 'fetched' : record.outcome === 'error' ? 'failed' : 'cancelled'} in ${record.durationMs} ms`;
    case 'write':
      return `cache write ${keyText(record.key)}`;
    case 'presence':
      return `${record.channel}: ${record.count} member${record.count === 1 ? '' : 's'}`;
    case 'command':
      return `command ${record.commandId.slice(0, 8)} ${record.previous ? `${record.previous} → ` : ''}${record.status}${record.settledAt ? ` in ${record.settledAt - record.startedAt} ms` : ''}`;
    case 'error':
      return record.error.message;
  }
}

/** The badge of a record: its kind, in a colour. */
export function badgeOf(record: InspectorEvent): { label: string; tone: Tone } {
  switch (record.type) {
    case 'connection':
      return { label: 'connection', tone: CONNECTION_TONE[record.status] };
    case 'channel':
      return { label: 'channel', tone: CHANNEL_TONE[record.status] };
    case 'event':
      return { label: 'event', tone: 'info' };
    case 'unheard':
      return { label: 'unheard', tone: 'warn' };
    case 'invalidate':
      return { label: 'asked', tone: 'muted' };
    case 'run':
      return { label: record.target === 'reload' ? 'reload' : 'run', tone: 'info' };
    case 'settled':
      return { label: 'settled', tone: 'muted' };
    case 'fetch':
      return { label: 'fetch', tone: 'ok' };
    case 'fetched':
      return record.outcome === 'error' ? { label: 'fetch failed', tone: 'warn' } : { label: record.outcome === 'success' ? 'fetched' : 'cancelled', tone: 'muted' };
    case 'write':
      return { label: 'write', tone: 'ok' };
    case 'presence':
      return { label: 'presence', tone: 'info' };
    case 'command':
      return { label: 'command', tone: COMMAND_TONE[record.status] ?? 'info' };
    case 'error':
      return { label: 'error', tone: 'bad' };
  }
}
