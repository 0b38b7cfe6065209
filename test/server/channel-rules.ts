/**
 * `routes/channels.php` for the Laravel stand-in: which rule a channel name matches, with Laravel's
 * own matching (`{param}` is one dot-free segment, the rest literal), and why a request was refused,
 * in one line a person can act on.
 */

/** A logged-in user. */
export interface AppUser {
  id: number | string;
  name: string;
  [field: string]: unknown;
}

/**
 * A `routes/channels.php` entry: `pattern` is the channel name without prefix, with `{param}`
 * placeholders (one segment each, as in Laravel); `authorize` returns false (403), true (private),
 * or member info (presence). The pattern `*` is a dev-only catch-all matching any name (Laravel has
 * no such rule); rules are tried in order, so it goes last.
 */
export interface ChannelRule {
  pattern: string;
  authorize: (user: AppUser, params: Record<string, string>) => boolean | Record<string, unknown>;
  /** Who may join, for the dev server's printout. */
  description?: string;
}

export const CATCH_ALL = '*';

const PREFIX = /^(private-encrypted-|private-|presence-)/;

/** The name `routes/channels.php` sees: the wire name without `private-`, `private-encrypted-`, `presence-`. */
export function bareChannelName(channel: string): string {
  return channel.replace(PREFIX, '');
}

/** The first rule matching `bare` (a name without prefix), with its parameters; null when none does. */
export function matchChannel(rules: readonly ChannelRule[], bare: string): { rule: ChannelRule; params: Record<string, string> } | null {
  for (const rule of rules) {
    if (rule.pattern === CATCH_ALL) return { rule, params: {} };
    const names: string[] = [];
    const source = rule.pattern
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const param = /^\{([^}]+)\}$/.exec(part);
        if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(param[1]);
        // Laravel's Broadcaster::channelNameMatchesPattern: `{param}` becomes ([^\.]+).
        return '([^.]+)';
      })
      .join('');
    const found = new RegExp(`^${source}$`).exec(bare);
    if (found) return { rule, params: Object.fromEntries(names.map((n, i) => [n, found[i + 1]])) };
  }
  return null;
}

/** What a `/broadcasting/auth` request decided: a user and the rule's answer, or why it was refused. */
export type AuthDecision =
  | { ok: true; user: AppUser; result: true | Record<string, unknown> }
  | { ok: false; reason: string };

/**
 * Decides as Laravel's broadcaster does: a guest is refused, then the first matching rule answers.
 * `guest` says why there is no user (shown in the reason).
 */
export function decide(rules: readonly ChannelRule[], channel: string, user: AppUser | undefined, guest = 'no user'): AuthDecision {
  if (!user) return { ok: false, reason: guest };
  const bare = bareChannelName(channel);
  const match = matchChannel(rules, bare);
  if (!match) return { ok: false, reason: `no rule in routes/channels.php matches "${bare}"` };
  const result = match.rule.authorize(user, match.params);
  const who = `${user.name} (id ${user.id})`;
  if (result === false) return { ok: false, reason: `the rule "${match.rule.pattern}" returned false for ${who}` };
  if (channel.startsWith('presence-') && typeof result !== 'object') {
    return { ok: false, reason: `the rule "${match.rule.pattern}" returned true for a presence channel: it must return the member's info, e.g. ['id' => $user->id, 'name' => $user->name]` };
  }
  return { ok: true, user, result };
}
