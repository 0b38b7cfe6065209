import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { format } from 'node:util';

// Tell React that act() is in use, so updates outside act() warn instead of being silently flaky.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// A clean run prints no React warning and no stray console.error or console.warn: any that reaches
// the console fails the test that caused it. A test that expects one spies on the console with
// `vi.spyOn(console, 'warn').mockImplementation(...)` and asserts it (that never reaches here).
const unexpected: string[] = [];
for (const level of ['error', 'warn'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    unexpected.push(`console.${level}: ${format(...args).split('\n')[0]}`);
    original(...args);
  };
}

beforeEach(() => {
  unexpected.length = 0;
});

afterEach(() => {
  // React Testing Library only auto-cleans when test globals are on; we import explicitly.
  cleanup();
  if (unexpected.length > 0) {
    const lines = unexpected.splice(0);
    throw new Error(`Unexpected console output:\n${lines.join('\n')}`);
  }
});
