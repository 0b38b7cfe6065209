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
