/**
 * Files on disk, the way every writer of seclog uses them: directories made one level at a time (Node's recursive
 * mkdir never returns under /proc), destinations checked before anything is generated, and files that appear under
 * their final name only when complete — written as hidden temporary siblings whose name carries the writing
 * process's id, so a later run can tell the leftovers of a killed run from the files of a live one.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** A destination that cannot be used; the message is one line naming the path and the reason. */
export class DestinationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DestinationError';
  }
}

/** What an errno means to a user, in a few words. */
export function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    case 'EEXIST':
      return 'a file of that name is in the way';
    case 'ENOENT':
      return 'no such file or directory';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    default:
      return code ?? (err as Error).message;
  }
}

/**
 * Makes `dir` and its missing parents, one level at a time, and returns the directories it created (outermost
 * first). Each mkdir is a plain one: a file system that refuses (procfs answers ENOENT for a directory that exists)
 * fails at once instead of looping.
 */
export async function ensureDir(dir: string): Promise<string[]> {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    try {
      if (!(await stat(at)).isDirectory()) throw new DestinationError(`${at} is a file, not a directory`);
      break;
    } catch (err) {
      if (err instanceof DestinationError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') throw new DestinationError(`cannot create ${dir}: ${reason(err)}`);
      if (code !== 'ENOENT') throw new DestinationError(`cannot use ${at}: ${reason(err)}`);
      missing.unshift(at);
      const parent = dirname(at);
      if (parent === at) break;
      at = parent;
    }
  }
  const created: string[] = [];
  for (const d of missing) {
    try {
      await mkdir(d);
      created.push(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && (await stat(d).catch(() => null))?.isDirectory()) continue;
      // Its parent exists (made or found above): ENOENT here is a file system that does not take new directories.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new DestinationError(`cannot create ${d}: the file system there does not allow new directories`);
      throw new DestinationError(`cannot create ${d === resolve(dir) ? d : `${d} (for ${dir})`}: ${reason(err)}`);
    }
  }
  return created;
}

/**
 * Checks that files can be created in `dir` (which exists) by creating and removing a hidden probe file: the
 * permission bits alone do not tell (root, read-only mounts, procfs).
 */
export async function checkWritableDir(dir: string): Promise<void> {
  const probe = temporaryPathFor(join(dir, 'seclog-write-check'));
  try {
    const handle = await open(probe, 'wx');
    await handle.close();
  } catch (err) {
    throw new DestinationError(`cannot write files in ${dir}: ${reason(err)}`);
  }
  await rm(probe, { force: true });
}

/**
 * Checks, without writing anything, that a file could be created at `path`: it is not a directory, and its nearest
 * existing ancestor is a directory this process may write in (missing folders are made when the file is written).
 * For files written at the end of a step (a population, a run summary), so that a bad path is reported first.
 */
export function checkFileDestination(path: string, what: string): void {
  const target = resolve(path);
  const info = (p: string) => {
    try {
      return statSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      throw new DestinationError(`${what} ${path}: ${reason(err)}`);
    }
  };
  if (info(target)?.isDirectory()) throw new DestinationError(`${what} ${path}: it is a directory; expected a file name`);
  let dir = dirname(target);
  let found = info(dir);
  while (found === null && dirname(dir) !== dir) {
    dir = dirname(dir);
    found = info(dir);
  }
  if (found && !found.isDirectory()) throw new DestinationError(`${what} ${path}: ${dir} is a file, not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new DestinationError(`${what} ${path}: cannot write in ${dir} (${reason(err)})`);
  }
}

// ---- temporary files -----------------------------------------------------------------------------------------

const TEMPORARY = /^\..+\.(\d+)\.([0-9a-f]+\.)?tmp$/;

/** The hidden temporary name for a file this process writes: `.<name>.<pid>.tmp`, or `.<name>.<pid>.<random>.tmp`. */
export function temporaryName(name: string, unique = false): string {
  return `.${name}.${process.pid}.${unique ? `${randomBytes(4).toString('hex')}.` : ''}tmp`;
}

/** A temporary sibling of `path` unique to this call. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), temporaryName(basename(path), true));
}

/** The process id a temporary name carries, or null when `name` is not one of ours. */
export function temporaryOwner(name: string): number | null {
  const m = TEMPORARY.exec(name);
  return m ? Number(m[1]) : null;
}

/**
 * Whether the process `pid` may still be writing: it exists and (where /proc tells) is a Node.js process. A pid
 * reused by an unrelated program counts as gone, so its leftovers are cleaned up.
 */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    return /node|seclog/.test(cmdline);
  } catch {
    return true;
  }
}

/** Runs `write(tmp)` and renames tmp to `path` on success; removes tmp on failure. */
export async function atomicTarget(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  await ensureDir(dirname(path) || '.');
  const tmp = temporaryPathFor(path);
  try {
    await write(tmp);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
