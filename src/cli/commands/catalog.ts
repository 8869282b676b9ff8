/** `seclog catalog`: the CloudTrail events seclog generates, with service, weight, read/write, management/data. */
import { Command } from 'commander';
import { CATALOG } from '../../sources/cloudtrail/catalog/index.js';
import { SERVICES } from '../../sources/cloudtrail/data/services.js';

export function catalogCommand(): Command {
  return new Command('catalog').description('list the CloudTrail events seclog can generate, with service and curated weight').action(() => {
    for (const e of CATALOG) {
      process.stdout.write(`${e.name.padEnd(40)} ${SERVICES[e.service].eventSource.padEnd(38)} ${String(e.weight).padStart(6)}  ${e.readOnly ? 'read ' : 'write'}  ${e.management ? 'management' : 'data'}\n`);
    }
  });
}
