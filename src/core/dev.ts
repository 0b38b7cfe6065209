import type { ChannelType } from './types';

const warned = new Set<string>();

/**
 * Development builds only (`process.env.NODE_ENV !== 'production'`, as React and TanStack do):
 * warns once per distinct message about a likely mistake. Callers guard the call with the same
 * condition so production bundles drop the message text too.
 */
export function warnOnce(message: string): void {
  if (process.env.NODE_ENV === 'production' || warned.has(message)) return;
  warned.add(message);
  console.warn(`[echo-react-query] ${message}`);
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
