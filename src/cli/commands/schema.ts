/** `seclog schema`: each source's Parquet schema (Markdown): the common envelope and the source's record columns. */
import { Command } from 'commander';
import { UsageError } from '../../util/errors.js';
import { SOURCES } from '../../sources/registry.js';

export function schemaCommand(): Command {
  return new Command('schema')
    .description('print the Parquet schema (Markdown) of each source: the common envelope and its record columns')
    .argument('[source]', `one source: ${SOURCES.map((s) => s.type).join(', ')}`)
    .action((only?: string) => {
      const listed = SOURCES.filter((s) => s.schemaMarkdown && (only === undefined || s.type === only));
      if (listed.length === 0) throw new UsageError(`schema ${JSON.stringify(only)}: expected one of ${SOURCES.filter((s) => s.schemaMarkdown).map((s) => s.type).join(', ')}`);
      process.stdout.write(listed.map((s) => s.schemaMarkdown!()).join('\n'));
    });
}
