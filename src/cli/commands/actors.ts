/** `seclog actors`: builds the actor population from actors.toml and writes it as Parquet. */
import { Command } from 'commander';
import { randomInt } from 'node:crypto';
import { actorsConfigSchema } from '../../population/config.js';
import { readConfigFile } from '../../util/config-file.js';
import { validate } from '../../util/validate.js';
import { buildPopulation } from '../../population/build.js';
import { writePopulationParquet } from '../../population/parquet.js';
import { checkFileDestination } from '../../util/files.js';
import { inventoryHosts } from '../../population/inventory.js';
import { directoryPeople } from '../../population/directory.js';
import { writeFileSync } from 'node:fs';

export function actorsCommand(): Command {
  return new Command('actors')
    .description('build the actor population (people and service accounts) and write it as Parquet')
    .requiredOption('-c, --config <file>', 'actors.toml (or .yaml) describing the population')
    .requiredOption('-o, --output <file>', 'Parquet file to write (replaced if it exists), e.g. ./actors.parquet')
    .option('--inventory <file>', "also write the organisation's hosts (servers and workstations, with owner and criticality) as JSON Lines, for `seclog siem`'s [enrich] inventory")
    .option('--directory <file>', "also write the organisation's identity directory (each person with every account name the sources write for them, and their workstation) as JSON Lines, for `seclog siem`'s [enrich] directory")
    .action(async (flags: { config: string; output: string; inventory?: string; directory?: string }) => {
      const config = validate(actorsConfigSchema, readConfigFile(flags.config), flags.config);
      checkFileDestination(flags.output, '--output');
      if (flags.inventory !== undefined) checkFileDestination(flags.inventory, '--inventory');
      if (flags.directory !== undefined) checkFileDestination(flags.directory, '--directory');
      const seed = config.seed ?? randomInt(0, 2 ** 31);
      const population = buildPopulation(config, seed);
      await writePopulationParquet(population, flags.output);
      if (flags.inventory !== undefined) writeFileSync(flags.inventory, inventoryHosts(population).map((h) => JSON.stringify(h)).join('\n') + '\n');
      if (flags.directory !== undefined) writeFileSync(flags.directory, directoryPeople(population).map((p) => JSON.stringify(p)).join('\n') + '\n');
      const humans = population.actors.filter((a) => a.kind === 'human').length;
      process.stderr.write(
        `seclog actors: wrote ${population.actors.length} actors (${humans} people, ${population.actors.length - humans} services, ${population.account_ids.length} accounts, seed ${seed}) to ${flags.output}\n`,
      );
    });
}
