/**
 * config.toml: how logs are generated and written. Keys and defaults follow the seed README's reference table;
 * `[traffic] mode`, `events_per_second`, `bytes_per_second` and `bursts` add constant-rate and burst control.
 * The `[source]` table is validated by the schema of the source plug-in its `type` names.
 */
import * as z from 'zod';
import { sourceConfigSchema } from '../sources/registry.js';
import { int, seedSchema } from './validate.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
export const rfc3339 = z
  .string()
  .refine((s) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)), { message: 'expected an RFC 3339 time such as "2025-12-01T00:00:00Z"' });

export const TRAFFIC_MODES = ['realistic', 'constant'] as const;
export const COMPRESSIONS = ['none', 'gzip', 'zstd', 'snappy'] as const;
/** Compressions each output format supports, the first being its default. */
export const FORMAT_COMPRESSIONS = { jsonl: ['none', 'gzip', 'zstd'], parquet: ['zstd', 'snappy', 'none'], cloudtrail_delivery: ['gzip'] } as const;
export const FORMATS = ['jsonl', 'parquet', 'cloudtrail_delivery'] as const;

/** Parquet rows per row group: about 128 MiB of CloudTrail uncompressed, what readers like to scan. */
export const DEFAULT_ROW_GROUP_ROWS = 100_000;

const trafficSchema = z
  .strictObject({
    start_time: rfc3339.optional(),
    time_scale: z.number().min(0).max(1e9).default(1.0),
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

const outputSchema = z.strictObject({
  dir: z.string().min(1),
  rotation: z.strictObject({
    target_size_mb: int().min(1).max(1_000_000),
    flush_interval_ms: int().min(1).max(86_400_000).default(30000),
    max_age_seconds: int().min(1).max(31_536_000).optional(),
  }),
  format: z
    .strictObject({
      type: z.enum(FORMATS),
      compression: z.enum(COMPRESSIONS).optional(),
      compression_level: int().optional(),
      row_group_rows: int().min(1000).max(10_000_000).optional(),
    })
    .superRefine((f, ctx) => {
      const allowed: readonly string[] = FORMAT_COMPRESSIONS[f.type];
      if (f.compression !== undefined && !allowed.includes(f.compression)) {
        ctx.addIssue({ code: 'custom', path: ['compression'], input: f.compression, message: `expected one of ${allowed.map((c) => JSON.stringify(c)).join(', ')} for type = "${f.type}"` });
      }
      if (f.row_group_rows !== undefined && f.type !== 'parquet') {
        ctx.addIssue({ code: 'custom', path: ['row_group_rows'], input: f.row_group_rows, message: 'only allowed with type = "parquet"' });
      }
      if (f.compression_level === undefined) return;
      const compression = f.compression ?? allowed[0];
      const [lo, hi] = f.type !== 'parquet' && compression === 'gzip' ? [1, 9] : f.type === 'jsonl' && compression === 'zstd' ? [1, 19] : [0, -1];
      if (hi < lo) ctx.addIssue({ code: 'custom', path: ['compression_level'], input: f.compression_level, message: 'only allowed with gzip or zstd compression (jsonl, cloudtrail_delivery)' });
      else if (f.compression_level < lo || f.compression_level > hi)
        ctx.addIssue({ code: 'custom', path: ['compression_level'], input: f.compression_level, message: `expected an integer from ${lo} to ${hi} for ${compression}` });
    })
    .transform((f) => ({ ...f, compression: f.compression ?? FORMAT_COMPRESSIONS[f.type][0], row_group_rows: f.row_group_rows ?? DEFAULT_ROW_GROUP_ROWS })),
});

export const genConfigSchema = z.strictObject({
  seed: seedSchema.optional(),
  traffic: trafficSchema,
  output: outputSchema,
  source: sourceConfigSchema,
});

export type GenConfig = z.output<typeof genConfigSchema>;
export type TrafficConfig = GenConfig['traffic'];
export type OutputConfig = GenConfig['output'];
