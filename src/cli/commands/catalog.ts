/** `seclog catalog`: the events each source generates (with the details the source lists: service, weight, …). */
import { Command } from 'commander';
import { UsageError } from '../../util/errors.js';
import { SOURCES } from '../../sources/registry.js';

export function catalogCommand(): Command {
  return new Command('catalog')
    .description('list the events each source can generate, with what the source says of each')
    .argument('[source]', `one source: ${SOURCES.map((s) => s.type).join(', ')}`)
    .action((only?: string) => {
      const listed = SOURCES.filter((s) => s.catalog && (only === undefined || s.type === only));
      if (listed.length === 0) throw new UsageError(`catalog ${JSON.stringify(only)}: expected one of ${SOURCES.filter((s) => s.catalog).map((s) => s.type).join(', ')}`);
      for (const s of listed) {
        if (listed.length > 1) process.stdout.write(`# ${s.type}\n`);
        for (const line of s.catalog!()) process.stdout.write(`${line}\n`);
      }
    });
}
