// Types of pack.mjs, for the TypeScript tests that install the package from its tarball.

/** The tarball as a fresh clone's `npm pack` makes it, written to `destination`. */
export function packFreshClone(destination: string): {
  tarball: string;
  filename: string;
  files: string[];
  size: number;
  unpackedSize: number;
};

/** A temporary directory removed at exit (also on Ctrl-C). */
export function tempDir(prefix: string): string;

/** The repository's root. */
export const root: string;
