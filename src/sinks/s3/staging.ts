/**
 * The S3 output's local staging: files are written there as the file output writes them, then uploaded. Checked
 * before the run; what killed runs left there is removed.
 */
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkWritableDir, DestinationError, ensureDir, processAlive } from '../../util/files.js';
import type { PreparedOutput } from '../plugin.js';
import type { S3OutputConfig } from './config.js';

/** Staging directories are `seclog-s3-<pid>-<random>`: the process id tells a killed run's leftovers. */
export const STAGING_PREFIX = 'seclog-s3-';
const STAGING_NAME = /^seclog-s3-(\d+)-/;

export function stagingBase(config: S3OutputConfig): string {
  return config.staging_dir ?? tmpdir();
}

/**
 * Before the run: the staging directory can be made and written, and the staging directories of killed runs
 * (files they never uploaded) are removed once every output has passed its checks.
 */
export async function prepareStaging(config: S3OutputConfig, key: string): Promise<PreparedOutput> {
  const base = stagingBase(config);
  let created: string[];
  try {
    created = await ensureDir(base);
    await checkWritableDir(base);
  } catch (err) {
    throw err instanceof DestinationError ? new DestinationError(`${key}.staging_dir: ${err.message}`) : err;
  }
  const stale = (await readdir(base, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory())
    .map((e) => ({ name: e.name, pid: Number(STAGING_NAME.exec(e.name)?.[1] ?? NaN) }))
    .filter((e) => Number.isInteger(e.pid) && !processAlive(e.pid))
    .map((e) => join(base, e.name));
  return {
    created,
    async commit() {
      for (const dir of stale) await rm(dir, { recursive: true, force: true });
      return stale.length > 0 ? [`removed ${stale.length} staging director${stale.length === 1 ? 'y' : 'ies'} that killed runs left in ${base}`] : [];
    },
  };
}

