/**
 * The population's file form: one Parquet row per actor, columns as declared in ACTOR_COLUMNS.
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../util/errors.js';
import { readParquetRows } from '../encode/parquet/duckdb.js';
import { writeRecordsParquet } from '../encode/parquet/write-records.js';
import { atomicTarget } from '../util/files.js';
import { ACTOR_COLUMNS, type Actor, canonicalActor, type Population } from './actor.js';
import { DERIVED_KEYS, deriveOrganisation } from './organisation.js';

export async function writePopulationParquet(population: Population, path: string): Promise<void> {
  const layout = { envelope: [], columns: ACTOR_COLUMNS.map(([name, type]) => ({ name, type, description: '' })) };
  const rows = population.actors.map((actor) => Object.fromEntries(ACTOR_COLUMNS.map(([name]) => [name, actor[name]])));
  await atomicTarget(path, (tmp) => writeRecordsParquet(tmp, layout, rows));
}

export async function readPopulationParquet(path: string, keyForErrors: string): Promise<Population> {
  if (!existsSync(path)) {
    throw new UsageError(`${keyForErrors} = ${JSON.stringify(path)}: file not found. Build it first, e.g. \`seclog actors --config examples/actors.toml --output ${path}\``);
  }
  let table: Awaited<ReturnType<typeof readParquetRows>>;
  try {
    table = await readParquetRows(path);
  } catch (err) {
    throw new UsageError(`${keyForErrors} = ${JSON.stringify(path)}: not a readable Parquet file (${(err as Error).message.split('\n')[0]})`);
  }
  const derived = new Set<string>(DERIVED_KEYS);
  const missing = ACTOR_COLUMNS.map(([name]) => name).filter((name) => !derived.has(name) && !table.columns.includes(name));
  if (missing.length > 0) {
    throw new UsageError(`${keyForErrors} = ${JSON.stringify(path)}: not a seclog actor population (missing columns: ${missing.join(', ')})`);
  }
  if (table.rows.length === 0) throw new UsageError(`${keyForErrors} = ${JSON.stringify(path)}: the population has no actors`);
  let actors = table.rows.map((row) => {
    const actor: Record<string, unknown> = {};
    for (const [name, type] of ACTOR_COLUMNS) {
      if (!table.columns.includes(name)) continue;
      const value = row[name];
      actor[name] = value === null ? null : type === 'INTEGER' || type === 'DOUBLE' ? Number(value) : value;
    }
    return actor as unknown as Actor;
  });
  // A file written before the derived columns existed: derive them, as `seclog actors` does.
  if (DERIVED_KEYS.some((k) => !table.columns.includes(k))) actors = deriveOrganisation(actors, null);
  const accounts = [...new Set(actors.map((a) => a.account_id))];
  return { actors: actors.map(canonicalActor), account_ids: accounts };
}
