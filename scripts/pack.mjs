// The tarball as a fresh clone's `npm pack` makes it, for the checks that install the package
// (check-package, check-jest, check-next).
//
// The working tree (tracked files and new ones git does not ignore, so no dist/ and no
// node_modules/) is copied to a temporary directory with the project's node_modules linked in,
// and `npm pack` runs there: its `prepack` script has to build dist/ from nothing, as it would for
// `npm publish` from a clone. The checkout's own dist/ is never read or written.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');

/**
 * Packs a fresh copy of the working tree into `destination`. Returns the tarball's path, its
 * file list (sorted) and size in bytes (npm's `size`, the gzipped tarball).
 */
export function packFreshClone(destination) {
  const clone = mkdtempSync(join(tmpdir(), 'erq-clone-'));
  try {
    const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root })
      .toString()
      .split('\0')
      .filter(Boolean);
    for (const file of listed) {
      const from = join(root, file);
      if (!existsSync(from)) continue; // deleted in the working tree, not yet committed
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      cpSync(from, join(clone, file));
    }
    if (existsSync(join(clone, 'dist'))) throw new Error('the fresh copy has a dist/ before packing');
    symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'));
    // prepack's build prints to stdout before npm's JSON: take the JSON from its own first line.
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
      cwd: clone,
      stdio: ['ignore', 'pipe', 'inherit'],
    }).toString();
    const start = out.search(/^\[\s*$/m);
    if (start < 0) throw new Error(`npm pack printed no JSON:\n${out}`);
    const packed = JSON.parse(out.slice(start))[0];
    return {
      tarball: join(destination, packed.filename),
      filename: packed.filename,
      files: packed.files.map((f) => f.path).sort(),
      size: packed.size,
      unpackedSize: packed.unpackedSize,
    };
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
}

/** A temporary directory removed at exit (also on Ctrl-C). */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const clean = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', clean);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      clean();
      process.exit(130);
    });
  }
  return dir;
}
