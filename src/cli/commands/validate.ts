/** `seclog validate <dir>`: the DuckDB validation suite over a directory of output. */
import { Command } from 'commander';
import { statSync } from 'node:fs';
import { UsageError } from '../../util/errors.js';
import { formatTable, runScripts } from '../duckdb-scripts.js';

export function validateCommand(): Command {
  return new Command('validate')
    .description('run the DuckDB validation suite (scripts/duckdb/*.sql) over a directory of Parquet or JSONL output')
    .argument('<dir>', 'directory of seclog output files')
    .action(async (dir: string) => {
      if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`validate ${JSON.stringify(dir)}: expected a directory of seclog output`);
      let failed = 0;
      const runs = await runScripts(dir);
      if (runs.length === 0) throw new UsageError(`validate ${JSON.stringify(dir)}: no seclog output found there (files named after a source, or a folder per source)`);
      for (const { source, script, results } of runs) {
        process.stdout.write(`\n# ${source}: ${script}\n`);
        for (const result of results) {
          process.stdout.write(`\n${formatTable(result)}\n`);
          const status = result.columns.indexOf('status');
          if (status >= 0) failed += result.rows.filter((r) => r[status] === 'FAIL').length;
        }
      }
      process.stdout.write(failed === 0 ? '\nAll session-model checks pass.\n' : `\n${failed} session-model check(s) FAIL.\n`);
      if (failed > 0) process.exitCode = 1;
    });
}
