/**
 * The file output: the `[output]` table (dir, rotation, format), also accepted as an
 * `[[outputs]]` entry with `type = "file"`.
 */
import * as z from 'zod';
import { SOURCES } from '../../sources/registry.js';
import { int } from '../../util/schema.js';

export const COMPRESSIONS = ['none', 'gzip', 'zstd', 'snappy'] as const;
/** Compressions each output format supports, the first being its default. */
export const FORMAT_COMPRESSIONS = { jsonl: ['none', 'gzip', 'zstd'], parquet: ['zstd', 'snappy', 'none'], delivery: ['gzip'] } as const;
/** `delivery`: the source's own delivery files (SourcePlugin.delivery). */
export const FORMATS = ['jsonl', 'parquet', 'delivery'] as const;

/** Other names of formats that sources declare (their delivery layout's alias, from configs written before it). */
const FORMAT_ALIASES = new Map(SOURCES.flatMap((s) => (s.delivery?.alias ? [[s.delivery.alias, 'delivery'] as const] : [])));

/** Parquet rows per row group: about 128 MiB of CloudTrail uncompressed, what readers like to scan. */
export const DEFAULT_ROW_GROUP_ROWS = 100_000;

const formatSchema = z
  .strictObject({
    type: z.preprocess((v) => (typeof v === 'string' ? (FORMAT_ALIASES.get(v) ?? v) : v), z.enum(FORMATS)),
    compression: z.enum(COMPRESSIONS).optional(),
    compression_level: int().optional(),
    row_group_rows: int().min(1000).max(10_000_000).optional(),
    dictionary: z.boolean().optional(),
  })
  .superRefine((f, ctx) => {
    const allowed: readonly string[] = FORMAT_COMPRESSIONS[f.type];
    if (f.compression !== undefined && !allowed.includes(f.compression)) {
      ctx.addIssue({ code: 'custom', path: ['compression'], input: f.compression, message: `expected one of ${allowed.map((c) => JSON.stringify(c)).join(', ')} for type = "${f.type}"` });
    }
    if (f.row_group_rows !== undefined && f.type !== 'parquet') {
      ctx.addIssue({ code: 'custom', path: ['row_group_rows'], input: f.row_group_rows, message: 'only allowed with type = "parquet"' });
    }
    if (f.dictionary !== undefined && f.type !== 'parquet') {
      ctx.addIssue({ code: 'custom', path: ['dictionary'], input: f.dictionary, message: 'only allowed with type = "parquet"' });
    }
    if (f.compression_level === undefined) return;
    const compression = f.compression ?? allowed[0];
    const [lo, hi] = f.type !== 'parquet' && compression === 'gzip' ? [1, 9] : f.type !== 'delivery' && compression === 'zstd' ? [1, 19] : [0, -1];
    if (hi < lo) ctx.addIssue({ code: 'custom', path: ['compression_level'], input: f.compression_level, message: 'only allowed with gzip or zstd compression' });
    else if (f.compression_level < lo || f.compression_level > hi)
      ctx.addIssue({ code: 'custom', path: ['compression_level'], input: f.compression_level, message: `expected an integer from ${lo} to ${hi} for ${compression}` });
  })
  .transform((f) => ({ ...f, compression: f.compression ?? FORMAT_COMPRESSIONS[f.type][0], row_group_rows: f.row_group_rows ?? DEFAULT_ROW_GROUP_ROWS, dictionary: f.dictionary ?? false }));

/** The keys of a file output, shared by `[output]` and `[[outputs]] type = "file"`. */
export const fileOutputKeys = {
  dir: z.string().min(1),
  rotation: z.strictObject({
    target_size_mb: int().min(1).max(1_000_000),
    flush_interval_ms: int().min(1).max(86_400_000).default(30000),
    max_age_seconds: int().min(1).max(31_536_000).optional(),
  }),
  format: formatSchema,
};

/** The `[output]` table. */
export const legacyFileOutputSchema = z.strictObject(fileOutputKeys);
export type FileOutputKeys = z.output<typeof legacyFileOutputSchema>;
