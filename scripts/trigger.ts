/**
 * `npm run trigger -- orders.1 .OrderShipped '{"id":1,"status":"shipped"}'`: broadcasts one event
 * the way Laravel does, through the running `npm run dev:server`'s Pusher HTTP API with the official
 * `pusher` SDK (what pusher-php-server is to Laravel), then says how many connections got it.
 */
import Pusher from 'pusher';
import { devSettings } from '../test/server/dev-settings';

const USAGE = `Usage: npm run trigger -- <channel> <event> [data] [--private (default) | --public | --presence | --encrypted]

  npm run trigger -- orders.1 .OrderShipped '{"id":1,"status":"shipped"}'

  <channel>  as in routes/channels.php and the hooks. Private by default: orders.1 goes to
             private-orders.1. --public for new Channel(...) (type: 'public'), --presence for a
             presence channel, --encrypted for private-encrypted-. A full name (presence-room.1) is sent as is.
  <event>    as Echo listens: .OrderShipped is an event with broadcastAs('OrderShipped');
             OrderShipped without the dot is App\\Events\\OrderShipped.
  [data]     the event's data, JSON (default {}).

Ports as for npm run dev:server: PUSHER_PORT (default 6001).`;

type ChannelType = 'private' | 'public' | 'presence' | 'encrypted';
const PREFIXES: Record<ChannelType, string> = { private: 'private-', public: '', presence: 'presence-', encrypted: 'private-encrypted-' };

/** Ends with one line on stderr and exit code 1. */
function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** The event's name on the wire, by Echo's rule: a leading dot (or backslash) is verbatim, else `App\Events\` + name. */
function wireEvent(event: string): string {
  if (event.startsWith('.') || event.startsWith('\\')) return event.slice(1);
  return `App.Events.${event}`.replace(/\./g, '\\');
}

function wireChannel(name: string, type: ChannelType | undefined): string {
  const given = /^(private-encrypted-|private-|presence-)/.exec(name)?.[1];
  if (given === undefined) return PREFIXES[type ?? 'private'] + name;
  if (type !== undefined && PREFIXES[type] !== given) fail(`${name} already says ${given}: drop --${type}, or the prefix.`);
  return name;
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const flags = args.filter((a) => a.startsWith('--'));
const positional = args.filter((a) => !a.startsWith('--'));
const types = flags.map((f) => f.slice(2)).filter((f): f is ChannelType => f in PREFIXES);
const unknown = flags.filter((f) => !(f.slice(2) in PREFIXES));
if (unknown.length) fail(`Unknown option ${unknown[0]}.\n\n${USAGE}`);
if (types.length > 1) fail(`Pick one of --private, --public, --presence, --encrypted (got ${types.map((t) => `--${t}`).join(' ')}).`);
if (positional.length < 2 || positional.length > 3) fail(USAGE);
const [name, event, json = '{}'] = positional;

let data: unknown;
try {
  data = JSON.parse(json);
} catch (error) {
  fail(`The data is not JSON (${(error as Error).message}): ${json}\nQuote it for the shell: '{"id":1,"status":"shipped"}'`);
}

let settings;
try {
  settings = devSettings(process.env);
} catch (error) {
  fail((error as Error).message);
}
const channel = wireChannel(name, types[0]);
const wireName = wireEvent(event);
const where = `${settings.host}:${settings.pusherPort}`;
const sdk = new Pusher({
  appId: settings.appId,
  key: settings.key,
  secret: settings.secret,
  host: settings.host,
  port: String(settings.pusherPort),
  useTLS: false,
  timeout: 5000,
  encryptionMasterKeyBase64: settings.encryptionMasterKeyBase64,
});

/** One line for whatever the SDK threw: no server, or a server that refused. */
function explain(error: unknown): string {
  const { status, body, error: cause } = error as { status?: number; body?: string; error?: { code?: string; type?: string } };
  if (status) return `The server on ${where} refused the event: HTTP ${status} ${body ?? ''}`.trim();
  if (cause?.code === 'ECONNREFUSED' || cause?.type === 'aborted') {
    return `No dev server on ${where}: start it with npm run dev:server, or set PUSHER_PORT to the port it runs on.`;
  }
  return `Sending to ${where} failed: ${(cause as Error | undefined)?.message ?? String(error)}`;
}

try {
  await sdk.trigger(channel, wireName, data);
} catch (error) {
  fail(explain(error));
}
console.log(`Sent ${wireName} to ${channel} (Echo listens for '${event}'): ${JSON.stringify(data)}`);

try {
  const info = (await (await sdk.get({ path: `/channels/${channel}`, params: { info: 'subscription_count' } })).json()) as { subscription_count?: number };
  const count = info.subscription_count ?? 0;
  const connections = `${count} connection${count === 1 ? '' : 's'}`;
  if (count > 0) {
    console.log(`${connections} subscribed to ${channel} received it.`);
  } else {
    const all = (await (await sdk.get({ path: '/channels' })).json()) as { channels?: Record<string, unknown> };
    const open = Object.keys(all.channels ?? {});
    console.log(
      `0 connections are subscribed to ${channel}: is the page open? Channels are private by default: ` +
        `--public for new Channel(...) (type: 'public'), --presence for presence channels.\n` +
        `Subscribed now: ${open.length ? open.join(', ') : 'nothing'}.`,
    );
  }
} catch (error) {
  fail(explain(error));
}
