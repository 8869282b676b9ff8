/**
 * config.toml: how logs are generated and written. Keys and defaults as documented in docs/configuration.md;
 * `[traffic] mode`, `events_per_second`, `bytes_per_second` and `bursts` add constant-rate and burst control.
 * The `[source]` table is validated by the schema of the source plug-in its `type` names.
 */
import * as z from 'zod';
import { sourceConfigSchema, sourceKey } from '../sources/registry.js';
import { legacyFileOutputSchema } from '../sinks/file/config.js';
import { outputEntrySchema, type OutputEntry } from '../sinks/registry.js';
import { trafficSchema } from '../traffic/config.js';
import { scenariosSchema } from '../scenarios/config.js';
import { seedSchema } from '../util/schema.js';

export const genConfigSchema = z
  .strictObject({
    seed: seedSchema.optional(),
    traffic: trafficSchema,
    /** The single file output table, `[output]`. */
    output: legacyFileOutputSchema.optional(),
    /** Any number of outputs of any type; records go to all of them. */
    outputs: z.array(outputEntrySchema).min(1).optional(),
    /** The population every source of the run draws on. */
    population: z.strictObject({ path: z.string().min(1) }).optional(),
    /** The run's sources, each with its own keys. */
    sources: z.array(sourceConfigSchema).min(1).optional(),
    /** A run with one source (the first config format): `actor_population_path` names the population. */
    source: sourceConfigSchema.optional(),
    /** Attack scenarios woven into the run, with their ground truth (off unless enabled). */
    scenarios: scenariosSchema.optional(),
    /** Write by delivery time: each source's records late and out of order as its vendor delivers them (off by default). */
    delivery: z
      .strictObject({
        delayed: z.boolean().default(false),
        /** Records waiting for their delivery time are held in memory, up to this much. */
        max_buffer_mb: z.int().min(16).max(262_144).default(2048),
      })
      .optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.source === undefined) === (c.sources === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['sources'], input: undefined, message: c.source ? 'give either a [source] table or [[sources]] entries, not both' : 'required: [[sources]] entries (or a single [source] table)' });
    }
    const types = new Set<string>();
    for (const [i, s] of (c.sources ?? []).entries()) {
      const key = sourceKey(s);
      if (types.has(key)) ctx.addIssue({ code: 'custom', path: ['sources', i, s.type === 'pack' ? 'pack' : 'type'], input: s.type === 'pack' ? s.pack : s.type, message: s.type === 'pack' ? 'each pack at most once in a run' : 'each source type at most once in a run' });
      types.add(key);
      if (legacyPath(s) !== undefined) ctx.addIssue({ code: 'custom', path: ['sources', i, 'actor_population_path'], input: legacyPath(s), message: 'with [[sources]], the population is [population] path' });
    }
    const oldPath = c.source ? legacyPath(c.source) : undefined;
    if (c.population === undefined && oldPath === undefined) {
      ctx.addIssue({ code: 'custom', path: c.source ? ['source', 'actor_population_path'] : ['population', 'path'], input: undefined, message: 'required: the population file written by `seclog actors`' });
    }
    if (c.population !== undefined && oldPath !== undefined && oldPath !== c.population.path) {
      ctx.addIssue({ code: 'custom', path: ['source', 'actor_population_path'], input: oldPath, message: `differs from population.path (${JSON.stringify(c.population.path)}): give the population once` });
    }
    if (c.output === undefined && c.outputs === undefined) {
      ctx.addIssue({ code: 'custom', path: ['output'], input: undefined, message: 'required: an [output] table or at least one [[outputs]] entry' });
    }
    const seen = new Set<string>();
    for (const [i, entry] of (c.outputs ?? []).entries()) {
      if (entry.name === undefined) continue;
      if (seen.has(entry.name)) ctx.addIssue({ code: 'custom', path: ['outputs', i, 'name'], input: entry.name, message: 'output names must be unique' });
      seen.add(entry.name);
    }
  });

/** Every output of a config, `[output]` first (as a file output), each with its name and config key. */
export function configuredOutputs(config: GenConfig): { entry: OutputEntry; name: string; key: string }[] {
  const list: { entry: OutputEntry; name: string; key: string }[] = [];
  if (config.output) list.push({ entry: { type: 'file', ...config.output }, name: 'file', key: 'output' });
  const outputs = config.outputs ?? [];
  for (const [i, entry] of outputs.entries()) {
    const sameType = outputs.filter((o) => o.type === entry.type).length + (config.output && entry.type === 'file' ? 1 : 0);
    list.push({ entry, name: entry.name ?? (sameType > 1 ? `${entry.type}-${i}` : entry.type), key: `outputs[${i}]` });
  }
  return list;
}

export type GenConfig = z.output<typeof genConfigSchema>;

/** The population file named in a single `[source]` table (the first config format). */
function legacyPath(source: object): string | undefined {
  return (source as { actor_population_path?: string }).actor_population_path;
}
export type SourceEntry = NonNullable<GenConfig['source']>;

/** The run's sources, in the order given (`[[sources]]`, or the single `[source]`). */
export function runSources(config: GenConfig): SourceEntry[] {
  return config.sources ?? [config.source!];
}

/** The population file and the key that named it (for messages). */
export function populationPath(config: GenConfig): { path: string; key: string } {
  if (config.population) return { path: config.population.path, key: 'population.path' };
  return { path: legacyPath(config.source!)!, key: 'source.actor_population_path' };
}

