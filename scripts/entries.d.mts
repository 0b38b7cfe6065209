// Types of entries.mjs, for the TypeScript configs that read it.

/** The package's entry points: the name apps import, its source, and its path under dist/ (no extension). */
export const entries: readonly { specifier: string; source: string; out: string }[];

/** Vite / Vitest aliases from each published name to its source. */
export const sourceAliases: { find: RegExp; replacement: string }[];
