/**
 * config.toml: how logs are generated and written. Keys and defaults as documented in docs/configuration.md;
 * `[traffic] mode`, `events_per_second`, `bytes_per_second` and `bursts` add constant-rate and burst control.
 * The `[source]` table is validated by the schema of the source plug-in its `type` names.
 */
import * as z from 'zod';
import { sourceConfigSchema } from '../sources/registry.js';
import { legacyFileOutputSchema } from '../sinks/file/config.js';
import { outputEntrySchema, type OutputEntry } from '../sinks/registry.js';
import { seedSchema } from './validate.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
export const rfc3339 = z
  .string()
  .refine((s) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)), { message: 'expected an RFC 3339 time such as "2025-12-01T00:00:00Z"' });

export const TRAFFIC_MODES = ['realistic', 'constant'] as const;
const trafficSchema = z
  .strictObject({
    start_time: rfc3339.optional(),
    time_scale: z.number({ error: 'expected a number from 0 (as fast as possible) to 1000000000 (1 = real time)' }).min(0).max(1e9).default(1.0),
    mode: z.enum(TRAFFIC_MODES).default('realistic'),
    events_per_second: z.number().gt(0).max(1e9).optional(),
    bytes_per_second: z.number().gt(0).max(1e12).optional(),
    bursts: z
      .strictObject({
        rate_per_day: z.number().min(0).max(1000).default(1),
        multiplier: z.number().min(1).max(1000).default(8),
        duration_minutes: z.number().gt(0).max(1440).default(20),
      })
      .optional(),
  })
  .superRefine((t, ctx) => {
    if (t.mode === 'constant') {
      const given = Number(t.events_per_second !== undefined) + Number(t.bytes_per_second !== undefined);
      if (given !== 1) {
        ctx.addIssue({ code: 'custom', path: ['mode'], input: t.mode, message: 'constant mode needs exactly one of traffic.events_per_second or traffic.bytes_per_second' });
      }
      if (t.bursts) ctx.addIssue({ code: 'custom', path: ['bursts'], input: t.bursts, message: 'bursts apply to realistic mode only; remove them or set mode = "realistic"' });
    } else {
      for (const key of ['events_per_second', 'bytes_per_second'] as const) {
        if (t[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], input: t[key], message: 'only allowed with traffic.mode = "constant"' });
      }
    }
  });

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
export type TrafficConfig = GenConfig['traffic'];

