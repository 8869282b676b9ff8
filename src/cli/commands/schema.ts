/** `seclog schema`: the Parquet schema (Markdown). */
import { Command } from 'commander';
import { schemaMarkdown } from '../../sources/cloudtrail/parquet.js';

export function schemaCommand(): Command {
  return new Command('schema').description('print the Parquet schema (Markdown): the common envelope and the CloudTrail record columns').action(() => {
    process.stdout.write(schemaMarkdown());
  });
}
