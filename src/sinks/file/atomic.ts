/**
 * Files appear under their final name only when complete: writers work on a temporary sibling and rename it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temporary name beside `path`: hidden, and marked so that readers globbing `*.jsonl` never pick it up. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Runs `write(tmp)` and renames tmp to `path` on success; removes tmp on failure. */
export async function atomicTarget(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(path) || '.', { recursive: true });
  const tmp = temporaryPathFor(path);
  try {
    await write(tmp);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
