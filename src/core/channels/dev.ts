import { warnOnce } from '../shared';
import type { ChannelType } from './types';
import { onEveryEvent, type EchoChannelLike } from './wire';

// Development builds: likely mistakes in naming and authorising channels, each warned once with the fix.

/**
 * Development builds: `/broadcasting/auth` refused a channel (401 / 403), has no route (404 / 405),
 * or never answered (status 0: the network, or CORS in a browser). Once per channel and status,
 * with the likely fixes.
 */
export function warnRefused(wire: string, name: string, type: ChannelType, status: number | undefined, echo: unknown): void {
  const options = (echo as { options?: { authEndpoint?: string; channelAuthorization?: { endpoint?: string } } } | null)?.options;
  const endpoint = options?.channelAuthorization?.endpoint ?? options?.authEndpoint ?? '/broadcasting/auth';
  if (status === 0) {
    warnOnce(
      `The auth request for "${wire}" to ${endpoint} got no HTTP answer (status 0): the network failed or, in a ` +
        'browser, CORS blocked it (the console says which). If the endpoint is on another origin than the page, ' +
        "allow it in Laravel's config/cors.php (paths: 'broadcasting/auth'; supports_credentials for the session " +
        "cookie), or set `authEndpoint` to a URL the page can reach.",
      `auth:${wire}:0`,
    );
  } else if (status === 404 || status === 405) {
    warnOnce(
      `The auth request for "${wire}" found no route at ${endpoint} (HTTP ${status}). Laravel registers it with ` +
        '`php artisan install:broadcasting` (routes/channels.php loaded by withRouting or withBroadcasting). A page ' +
        'served by another server (Vite, a separate SPA) must send /broadcasting to Laravel (a proxy), or set ' +
        "`authEndpoint` to Laravel's URL.",
      `auth:${wire}:${status}`,
    );
  } else if (status === 401 || status === 403) {
    const publicHint =
      type === 'private'
        ? `If Laravel broadcasts it on a public channel (new Channel('${name}')), subscribe with type: 'public' ` +
          '(channels are private by default here). Otherwise, check '
        : 'Check ';
    warnOnce(
      `${endpoint} refused "${wire}" (HTTP ${status}). ${publicHint}its rule in routes/channels.php ` +
        `(Broadcast::channel('${name}', ...) must return true, or the member's data on a presence channel) and ` +
        'that the auth request carries the user: the session cookie, or a token from `getToken`.',
      `auth:${wire}:${status}`,
    );
  }
}

const PREFIXED = /^(private-encrypted-|private-|presence-)/;
const TYPE_OF_PREFIX: Record<string, ChannelType> = {
  'private-encrypted-': 'encrypted',
  'private-': 'private',
  'presence-': 'presence',
};

/** Development builds: a channel name as Echo would not expect it. */
export function checkChannelName(name: string, type: ChannelType): void {
  if (name.trim() !== name) {
    warnOnce(`Channel name ${JSON.stringify(name)} has surrounding whitespace, which is part of the name on the wire.`);
  }
  const prefix = PREFIXED.exec(name)?.[1];
  if (!prefix) return;
  const bare = name.slice(prefix.length);
  const named = `name it as in routes/channels.php: channel: ${JSON.stringify(bare)}, type: '${TYPE_OF_PREFIX[prefix]}'`;
  warnOnce(
    type === 'public'
      ? `Channel ${JSON.stringify(name)} is given as public, but "${prefix}" makes it a ${TYPE_OF_PREFIX[prefix]} channel on the wire; ${named}.`
      : `Channel ${JSON.stringify(name)} already carries "${prefix}", and type '${type}' adds its prefix again ` +
          `(Echo joins a channel no Laravel code broadcasts on); ${named}.`,
  );
}

/** Development builds: an event name Echo would rewrite into something nobody broadcasts. */
export function checkEventName(event: string): void {
  if (event.includes('\\') && event[0] !== '.' && event[0] !== '\\') {
    warnOnce(
      `Event ${JSON.stringify(event)} looks like a full class name without a leading "." or "\\": Echo puts its ` +
        `namespace in front (App\\Events\\${event}). Write ${JSON.stringify('.' + event)}.`,
    );
  }
}

/** An event name without Echo's namespace: `App\\Events\\OrderShipped` and `App.Events.OrderShipped` are `OrderShipped`. */
const withoutNamespace = (name: string) => name.slice(Math.max(name.lastIndexOf('\\'), name.lastIndexOf('.')) + 1);

/**
 * Development builds: an event that arrives on a held channel where no binding hears it, but one
 * listens for the same name spelled another way (the leading dot, Echo's namespace): warns once,
 * with the spelling that hears it. `heard` gives the formatted names bound now. Pusher-protocol
 * channels only (pusher-js reports every event to a global callback); returns the undo.
 */
export function watchUnheard(channel: EchoChannelLike, wire: string, heard: () => Iterable<string>): (() => void) | undefined {
  return onEveryEvent(channel, (event) => {
    // Development builds run this for every event on the channel: one pass, no copy.
    let listened: string | undefined;
    for (const name of heard()) {
      if (name === event) return;
      if (listened === undefined && withoutNamespace(name) === withoutNamespace(event)) listened = name;
    }
    if (listened === undefined) return;
    warnOnce(
      `"${event}" arrived on "${wire}", but the binding there listens for "${listened}", so nothing happened. ` +
        `Write event: '.${event}' (a leading dot takes the name exactly as the server sends it: with broadcastAs(), ` +
        `its return value; without, the class name).`,
      `unheard:${wire}:${event}`,
    );
  });
}
