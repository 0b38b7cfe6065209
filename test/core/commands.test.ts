import { describe, expect, test, vi } from 'vitest';
import { defaultCommandIdOf, newCommandId } from '../../src/core/commands';

describe('commandId', () => {
  test('read from commandId, command_id or metadata.commandId (an event-sourced aggregate), else nothing', () => {
    expect(defaultCommandIdOf({ commandId: 'a' })).toBe('a');
    expect(defaultCommandIdOf({ command_id: 'b' })).toBe('b');
    expect(defaultCommandIdOf({ metadata: { commandId: 'c' } })).toBe('c');
    for (const payload of [null, undefined, 'x', 1, {}, { metadata: null }]) expect(defaultCommandIdOf(payload)).toBeUndefined();
  });

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  test('a v4 UUID, also without crypto.randomUUID (plain http) and without crypto at all', () => {
    expect(newCommandId()).toMatch(UUID);
    vi.stubGlobal('crypto', { getRandomValues: (b: Uint8Array) => b.fill(0xab) });
    expect(newCommandId()).toBe('abababab-abab-4bab-abab-abababababab');
    vi.stubGlobal('crypto', undefined);
    const ids = new Set(Array.from({ length: 100 }, () => newCommandId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(UUID);
    vi.unstubAllGlobals();
  });
});
