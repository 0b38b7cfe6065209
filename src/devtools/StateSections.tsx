import type { InspectorSnapshot, RealtimeClient } from '../core';
import { CHANNEL_TONE, COMMAND_TONE, CONNECTION_TONE, keyText, relative } from './format';
import { Badge, useNow } from './parts';

// The sections that show state now: connection, channels, queries, commands, presence.

/** Status, socket id, retrying; in development, buttons to drop the socket and reconnect. */
export function ConnectionSection({ snapshot, client }: { snapshot: InspectorSnapshot; client: RealtimeClient }) {
  const { status, socketId, attempt, nextAttemptAt } = snapshot.connection;
  const now = useNow(250, nextAttemptAt !== null);
  return (
    <div>
      <dl className="erq-dl">
        <dt>Status</dt>
        <dd>
          <Badge tone={CONNECTION_TONE[status]}>{status}</Badge>
        </dd>
        <dt>Socket id</dt>
        <dd className="erq-mono">{socketId ?? '—'}</dd>
        <dt>Attempts</dt>
        <dd>{attempt}</dd>
        <dt>Next attempt</dt>
        <dd>{nextAttemptAt === null ? '—' : nextAttemptAt > now ? relative(nextAttemptAt, now) : 'now'}</dd>
      </dl>
      {process.env.NODE_ENV !== 'production' && (
        <p className="erq-filters" style={{ marginTop: 8 }}>
          <button type="button" onClick={() => dropSocket(client)}>
            Drop the socket
          </button>
          <button type="button" onClick={() => client.reconnect()}>
            Reconnect
          </button>
        </p>
      )}
    </div>
  );
}

/** Closes the socket under the client as a network drop would (not `disconnect()`: it is recovered from). */
function dropSocket(client: RealtimeClient): void {
  const connector = (client.getEcho() as { connector?: Record<string, unknown> } | null)?.connector as
    | { pusher?: { connection?: { connection?: { close?: () => void } } }; socket?: { io?: { engine?: { close?: () => void } } } }
    | undefined;
  const pusherSocket = connector?.pusher?.connection?.connection;
  if (pusherSocket?.close) pusherSocket.close();
  else connector?.socket?.io?.engine?.close?.();
}

export function ChannelsSection({ snapshot }: { snapshot: InspectorSnapshot }) {
  const now = useNow(1000, snapshot.channels.length > 0);
  if (snapshot.channels.length === 0) return <p className="erq-empty">No channel is held.</p>;
  return (
    <table className="erq-table">
      <thead>
        <tr>
          <th scope="col">Channel</th>
          <th scope="col">Status</th>
          <th scope="col">Holders</th>
          <th scope="col">Events bound</th>
          <th scope="col">Last event</th>
        </tr>
      </thead>
      <tbody>
        {snapshot.channels.map((c) => (
          <tr key={c.channel}>
            <td>
              <span className="erq-mono">{c.channel}</span> <Badge tone="muted">{c.channelType}</Badge>
            </td>
            <td>
              <Badge tone={CHANNEL_TONE[c.status]}>{c.status}</Badge>
              {c.error && <div>{c.error}</div>}
            </td>
            <td>{c.holders}</td>
            <td className="erq-mono">{c.events.map((e) => `${e.event}${e.handlers > 1 ? ` ×${e.handlers}` : ''}`).join(', ') || '—'}</td>
            <td>{c.lastEvent ? `${c.lastEvent.event} ${relative(c.lastEvent.at, now)}` : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function QueriesSection({ snapshot }: { snapshot: InspectorSnapshot }) {
  const now = useNow(500, true);
  const { waiting, inFlight, fetching, recovering } = snapshot.queries;
  return (
    <div>
      <h3 className="erq-h">Waiting for the rate limit ({waiting.length})</h3>
      {waiting.length === 0 ? (
        <p className="erq-empty">No key waits: every request so far has run.</p>
      ) : (
        <ul>
          {waiting.map((w) => (
            <li key={w.target + keyText(w.key)}>
              <span className="erq-mono">{keyText(w.key)}</span> · {w.requests} request{w.requests === 1 ? '' : 's'} ({w.causes.join(', ')}) since{' '}
              {relative(w.since, now)}
            </li>
          ))}
        </ul>
      )}
      <h3 className="erq-h">Fetching ({fetching.length})</h3>
      {fetching.length === 0 ? (
        <p className="erq-empty">No query is fetching.</p>
      ) : (
        <ul>
          {fetching.map((f) => (
            <li key={f.id}>
              <span className="erq-mono">{keyText(f.key)}</span> for {relative(f.at, now).replace(' ago', '')}
              {f.runId === null ? ' (started by the app)' : ''}
            </li>
          ))}
        </ul>
      )}
      <h3 className="erq-h">Runs settling ({inFlight.length})</h3>
      {inFlight.length === 0 ? (
        <p className="erq-empty">Every invalidation and reload has settled.</p>
      ) : (
        <ul>
          {inFlight.map((r) => (
            <li key={r.id}>
              <span className="erq-mono">{keyText(r.key)}</span> {r.target === 'reload' ? 'reloading' : 'invalidated'} {relative(r.at, now)}
            </li>
          ))}
        </ul>
      )}
      <h3 className="erq-h">Waiting for recovery ({recovering.length})</h3>
      {recovering.length === 0 ? (
        <p className="erq-empty">No channel is being re-joined.</p>
      ) : (
        <ul>
          {recovering.map((r) => (
            <li key={r.channel + keyText(r.key)}>
              <span className="erq-mono">{keyText(r.key)}</span>, once <span className="erq-mono">{r.channel}</span> is confirmed
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function CommandsSection({ snapshot }: { snapshot: InspectorSnapshot }) {
  if (snapshot.commands.length === 0) return <p className="erq-empty">No command (useRealtimeMutation) in the last 30 s.</p>;
  return (
    <table className="erq-table">
      <thead>
        <tr>
          <th scope="col">commandId</th>
          <th scope="col">Status</th>
          <th scope="col">Sent</th>
          <th scope="col">Took</th>
        </tr>
      </thead>
      <tbody>
        {snapshot.commands.map((c) => (
          <tr key={c.commandId}>
            <td className="erq-mono" title={c.commandId}>
              {c.commandId.slice(0, 8)}
            </td>
            <td>
              <Badge tone={COMMAND_TONE[c.status] ?? 'info'}>{c.status}</Badge>
            </td>
            <td>{new Date(c.startedAt).toLocaleTimeString()}</td>
            <td>{c.settledAt === null ? '…' : `${c.settledAt - c.startedAt} ms`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PresenceSection({ snapshot }: { snapshot: InspectorSnapshot }) {
  const rooms = snapshot.channels.filter((c) => c.members !== null);
  if (rooms.length === 0) return <p className="erq-empty">No presence channel is tracked (usePresence).</p>;
  return (
    <div>
      {rooms.map((room) => (
        <section key={room.channel} aria-label={room.channel}>
          <h3 className="erq-h">
            <span className="erq-mono">{room.channel}</span> · {room.members!.length} member{room.members!.length === 1 ? '' : 's'}
          </h3>
          <ul>
            {room.members!.map((m, i) => (
              <li key={String(m.id ?? i)}>{String(m.name ?? m.id ?? JSON.stringify(m))}</li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
