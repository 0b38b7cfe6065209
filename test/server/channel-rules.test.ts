// The stand-in's routes/channels.php matcher: Laravel's rules (one segment per {param}, the rest
// literal), a dev-only catch-all, and the reasons a refusal gives.
import { describe, expect, test } from 'vitest';
import { CATCH_ALL, decide, matchChannel, type ChannelRule } from './channel-rules';

const allow = () => true;
const rules: ChannelRule[] = [
  { pattern: 'orders.{id}', authorize: allow },
  { pattern: 'App.Models.User.{id}', authorize: (user, { id }) => String(user.id) === id },
  { pattern: 'servers.{server}.deployments.{deployment}', authorize: allow },
  { pattern: 'admin.dashboard', authorize: () => false },
  { pattern: 'room.{id}', authorize: (user) => ({ id: user.id, name: user.name }) },
];
const ann = { id: 1, name: 'Ann' };

describe('matchChannel', () => {
  test('multi-segment patterns match with their parameters', () => {
    expect(matchChannel(rules, 'App.Models.User.1')).toMatchObject({ rule: rules[1], params: { id: '1' } });
    expect(matchChannel(rules, 'servers.7.deployments.42')).toMatchObject({ params: { server: '7', deployment: '42' } });
  });

  test('{param} is one dot-free segment, as in Laravel, and the rest of the pattern is literal', () => {
    expect(matchChannel(rules, 'orders.1')?.params).toEqual({ id: '1' });
    expect(matchChannel(rules, 'orders.1.items')).toBeNull();
    expect(matchChannel(rules, 'orders.')).toBeNull();
    // The dot is a dot, not a regex wildcard.
    expect(matchChannel(rules, 'ordersX1')).toBeNull();
    expect(matchChannel(rules, 'App.Models.User.1.extra')).toBeNull();
  });

  test('the catch-all admits any name, multi-segment too, and only after the rules before it', () => {
    const withCatchAll = [...rules, { pattern: CATCH_ALL, authorize: allow }];
    expect(matchChannel(withCatchAll, 'orders.1.items.3')?.rule.pattern).toBe(CATCH_ALL);
    expect(matchChannel(withCatchAll, 'anything')?.rule.pattern).toBe(CATCH_ALL);
    expect(matchChannel(withCatchAll, 'orders.1')?.rule.pattern).toBe('orders.{id}');
    expect(decide(withCatchAll, 'private-admin.dashboard', ann)).toMatchObject({ ok: false });
  });
});

describe('decide', () => {
  test('strips private-, private-encrypted- and presence- before matching', () => {
    expect(decide(rules, 'private-orders.1', ann)).toMatchObject({ ok: true, result: true });
    expect(decide(rules, 'private-encrypted-orders.1', ann)).toMatchObject({ ok: true });
    expect(decide(rules, 'presence-room.1', ann)).toMatchObject({ ok: true, result: { id: 1, name: 'Ann' } });
  });

  test('says why it refuses: no user, no rule, the rule returned false, a presence rule without member info', () => {
    expect(decide(rules, 'private-orders.1', undefined, 'no user: no Authorization header')).toEqual({ ok: false, reason: 'no user: no Authorization header' });
    expect(decide(rules, 'private-orders.1.items', ann)).toEqual({ ok: false, reason: 'no rule in routes/channels.php matches "orders.1.items"' });
    expect(decide(rules, 'private-admin.dashboard', ann)).toEqual({ ok: false, reason: 'the rule "admin.dashboard" returned false for Ann (id 1)' });
    expect(decide(rules, 'private-App.Models.User.2', ann)).toMatchObject({ ok: false, reason: expect.stringContaining('"App.Models.User.{id}" returned false') });
    expect(decide(rules, 'presence-orders.1', ann)).toMatchObject({ ok: false, reason: expect.stringContaining("must return the member's info") });
  });
});
