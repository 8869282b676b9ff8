/**
 * Output file names: `<label>-<first event time>-<last event time>-<sequence><ext>`, times as compact UTC stamps,
 * so names sort in time order and say what they hold. A file being written is a hidden temporary sibling whose name
 * carries the writer's process id (src/util/files.ts).
 */
import { readdir } from 'node:fs/promises';
import { compactStamp } from '../../encode/time-format.js';
import { temporaryName as hiddenTemporary } from '../../util/files.js';

export function fileName(label: string, minMs: number, maxMs: number, sequence: number, extension: string): string {
  return `${label}-${compactStamp(minMs)}-${compactStamp(maxMs)}-${String(sequence).padStart(6, '0')}${extension}`;
}

export function temporaryName(label: string, sequence: number, extension: string): string {
  return hiddenTemporary(`${label}-${String(sequence).padStart(6, '0')}${extension}`);
}

/** The extensions the file output writes (text sources: their own, e.g. `.log`, `.log.gz`, `.log.zst`). */
export const OUTPUT_EXTENSIONS = ['.jsonl', '.json.gz', '.json.zst', '.parquet'] as const;

const OUTPUT_NAME = /^([a-z0-9_]+)-(\d{8}T\d{6}Z)-(\d{8}T\d{6}Z)-(\d{6,})(\.[a-z0-9]{1,8}(?:\.gz|\.zst)?)$/;

/** The label and sequence number of a name the file output writes, or null for any other name. */
export function parseFileName(name: string): { label: string; sequence: number } | null {
  const m = OUTPUT_NAME.exec(name);
  return m ? { label: m[1], sequence: Number(m[4]) } : null;
}

/** The highest sequence number of `label`'s files in `dir` (0 when there are none): where an appending run goes on. */
export async function lastSequence(dir: string, label: string): Promise<number> {
  let last = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const parsed = parseFileName(name);
    if (parsed && parsed.label === label && parsed.sequence > last) last = parsed.sequence;
  }
  return last;
}
