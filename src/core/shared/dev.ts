const warned = new Set<string>();

/**
 * Development builds only (`process.env.NODE_ENV !== 'production'`, as React and TanStack do):
 * warns once per distinct message (or per `key`, when one mistake can be worded several ways)
 * about a likely mistake. Callers guard the call with the same condition so production bundles
 * drop the message text too.
 */
export function warnOnce(message: string, key = message): void {
  if (process.env.NODE_ENV === 'production' || warned.has(key)) return;
  warned.add(key);
  console.warn(`[echo-react-query] ${message}`);
}

/** Forgets which warnings were given (tests: each starts as a fresh page would). */
export function resetWarnings(): void {
  warned.clear();
}
