/**
 * An output directory, checked before the first record is generated: it exists or can be made, files can be
 * written in it, no live run is writing into it, and the files of earlier runs are refused, kept (`--append`) or
 * removed (`--overwrite`). Temporary files left by killed runs (their process is gone) are removed.
 */
import { readdir, rm, rmdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { checkWritableDir, DestinationError, ensureDir, processAlive, temporaryOwner } from '../../util/files.js';
import type { ExistingOutput, PreparedOutput } from '../plugin.js';

export interface OutputDirRules {
  /** Names the directory in messages: `--output`'s value or the config key. */
  readonly key: string;
  readonly existing: ExistingOutput;
  /** A file this output writes (by name); such files of earlier runs count as that run's output. */
  isOutput(name: string): boolean;
  /** Folders of the output's own layout to look into as well (the delivery format's `AWSLogs` tree). */
  readonly subtree?: (name: string) => boolean;
  /** Set when appending is refused, with the reason. */
  readonly noAppend?: string;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

interface Found {
  outputs: string[];
  stale: string[];
  /** The layout's top folders found (emptied ones are removed after an overwrite). */
  roots: string[];
}

async function scan(dir: string, rules: OutputDirRules, found: Found, deep: boolean): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (deep || rules.subtree?.(e.name)) {
        if (!deep) found.roots.push(path);
        await scan(path, rules, found, true);
      }
      continue;
    }
    const owner = temporaryOwner(e.name);
    if (owner !== null) {
      if (owner !== process.pid && processAlive(owner)) {
        throw new DestinationError(`${rules.key} ${dir}: another seclog run (process ${owner}) is writing into it (${e.name}); stop it or choose another directory`);
      }
      found.stale.push(path);
    } else if (rules.isOutput(e.name)) found.outputs.push(path);
  }
}

/** Removes `dir`'s empty folders, deepest first (not `dir` itself). */
async function pruneEmpty(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (!e.isDirectory()) continue;
    const path = join(dir, e.name);
    await pruneEmpty(path);
    await rmdir(path).catch(() => undefined);
  }
}

/**
 * Checks `dir` for an output with these rules. Nothing is removed until `commit` (called once every output of the
 * run has passed its checks); `created` lists the directories made for it, for the caller to remove on failure.
 */
export async function prepareOutputDir(dir: string, rules: OutputDirRules): Promise<PreparedOutput & { outputs: string[] }> {
  let created: string[];
  try {
    created = await ensureDir(dir);
    await checkWritableDir(dir);
  } catch (err) {
    throw err instanceof DestinationError ? new DestinationError(`${rules.key}: ${err.message}`) : err;
  }
  const found: Found = { outputs: [], stale: [], roots: [] };
  try {
    await scan(dir, rules, found, false);
  } catch (err) {
    for (const d of created.reverse()) await rmdir(d).catch(() => undefined);
    throw err;
  }
  if (found.outputs.length > 0) {
    const example = relative(dir, found.outputs[0]);
    const what = `${found.outputs.length} file${found.outputs.length === 1 ? '' : 's'} of an earlier run (${example}${found.outputs.length > 1 ? ', …' : ''})`;
    if (rules.existing === 'refuse') {
      throw new DestinationError(`${rules.key} ${dir} already holds ${what}; add --overwrite to replace them, --append to add to them, or choose another directory`);
    }
    if (rules.existing === 'append' && rules.noAppend) throw new DestinationError(`--append: ${rules.noAppend}`);
  }
  const remove = [...found.stale, ...(rules.existing === 'overwrite' ? found.outputs : [])];
  return {
    created,
    outputs: rules.existing === 'append' ? found.outputs : [],
    async commit() {
      for (const path of remove) await rm(path, { force: true });
      const notes: string[] = [];
      if (found.stale.length > 0) notes.push(`removed ${plural(found.stale.length, 'temporary file')} that killed runs left in ${dir}`);
      if (rules.existing === 'overwrite' && found.outputs.length > 0) notes.push(`removed ${plural(found.outputs.length, 'file')} of an earlier run from ${dir}`);
      if (remove.length > 0) {
        for (const root of found.roots) {
          await pruneEmpty(root);
          await rmdir(root).catch(() => undefined);
        }
      }
      return notes;
    },
  };
}
