import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// React Testing Library only auto-cleans when test globals are on; we import explicitly.
afterEach(() => {
  cleanup();
});

// Tell React that act() is in use, so updates outside act() warn instead of being silently flaky.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
