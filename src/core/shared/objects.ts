/** A copy without the keys whose value is undefined, so spreading it never overrides a default with nothing. */
export function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
