/**
 * config.toml: how logs are generated and written. Keys and defaults as documented in docs/configuration.md;
 * `[traffic] mode`, `events_per_second`, `bytes_per_second` and `bursts` add constant-rate and burst control.
 * The `[source]` table is validated by the schema of the source plug-in its `type` names.
 */
import * as z from 'zod';
import { sourceConfigSchema } from '../sources/registry.js';
import { legacyFileOutputSchema } from '../sinks/file/config.js';
import { outputEntrySchema, type OutputEntry } from '../sinks/registry.js';
import { trafficSchema } from '../traffic/config.js';
import { seedSchema } from '../util/schema.js';

export const genConfigSchema = z
  .strictObject({
    seed: seedSchema.optional(),
    traffic: trafficSchema,
    /** The single file output table, `[output]`. */
    output: legacyFileOutputSchema.optional(),
    /** Any number of outputs of any type; records go to all of them. */
    outputs: z.array(outputEntrySchema).min(1).optional(),
    source: sourceConfigSchema,
  })
  .superRefine((c, ctx) => {
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

