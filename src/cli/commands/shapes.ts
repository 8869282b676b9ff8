/** `seclog shapes`: generated records against real ones, field path by field path. */
import { Command } from 'commander';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { UsageError } from '../../util/errors.js';
import { wholeNumber } from '../args.js';
import { compareShapes, readJsonl, shapesReport } from '../shapes.js';

/** Records from a JSONL file (plain or gzip) or every such file of a directory. */
function readRecordsFrom(path: string): Record<string, unknown>[] {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) throw new UsageError(`shapes ${JSON.stringify(path)}: no such file or directory`);
  const files = info.isDirectory() ? readdirSync(path).filter((f) => /\.(jsonl|json\.gz)$/.test(f)).map((f) => join(path, f)) : [path];
  return files.flatMap((f) => {
    const raw = readFileSync(f);
    return (f.endsWith('.gz') ? gunzipSync(raw) : raw)
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l, i) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          throw new UsageError(`${f} line ${i + 1}: not a JSON record`);
        }
      });
  });
}

export function shapesCommand(): Command {
  return new Command('shapes')
    .description('compare the field paths of generated records with real ones, event by event (JSONL files or directories)')
    .argument('<generated>', 'generated records: a .jsonl/.json.gz file or a directory of them')
    .requiredOption('-r, --reference <file>', 'real records, one JSON object per line')
    .option('--worst <n>', 'events to detail', wholeNumber('--worst', 1, 100_000), 10)
    .action(async (generated: string, flags: { reference: string; worst: number }) => {
      const records = readRecordsFrom(generated);
      if (!statSync(flags.reference, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`--reference ${JSON.stringify(flags.reference)}: no such file`);
      process.stdout.write(`${shapesReport(compareShapes(readJsonl(flags.reference), records), flags.worst)}\n`);
    });
}
