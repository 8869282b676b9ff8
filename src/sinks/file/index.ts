/**
 * `type = "file"`: JSONL (plain, gzip, zstd), Parquet, or CloudTrail's own delivery files, rotated by size and age
 * into a local directory.
 */
import { join } from 'node:path';
import * as z from 'zod';
import { UsageError } from '../../util/errors.js';
import { createCompressor, type CompressionKind } from '../../encode/compress.js';
import { commonOutputKeys, shardTag, type PreparedOutput, type SinkContext, type SinkPlugin } from '../plugin.js';
import type { RecordSink } from '../sink.js';
import { DeliverySink } from './delivery-sink.js';
import { parseFileName } from './naming.js';
import { prepareOutputDir } from './output-dir.js';
import { fileOutputKeys, type FileOutputKeys } from './config.js';
import { FileSink } from './file-sink.js';
import { ParquetSink } from './parquet-sink.js';
import { encoderThreads, formatEncodeCost } from '../../encode/encoder-threads.js';

const schema = z.strictObject({ type: z.literal('file'), ...commonOutputKeys, ...fileOutputKeys });
export type FileOutputConfig = z.output<typeof schema>;

/** The label a file's name starts with: the source's, and the shard group's tag when this process writes one group. */
function labelOf(ctx: Pick<SinkContext, 'source' | 'shard'>): string {
  return ctx.shard === undefined ? ctx.source.label : `${ctx.source.label}_${shardTag(ctx.shard)}`;
}

export function createFileSink(output: FileOutputKeys, ctx: SinkContext, key = 'output'): RecordSink {
  const { source: plugin, population, workers, timeScale } = ctx;
  // Delivery files' unique parts come from the seed: each shard group draws its own.
  const seed = ctx.shard === undefined ? ctx.seed : `${ctx.seed}/${shardTag(ctx.shard)}`;
  const label = labelOf(ctx);
  const targetBytes = output.rotation.target_size_mb * 1024 * 1024;
  const maxAgeMs = output.rotation.max_age_seconds !== undefined ? output.rotation.max_age_seconds * 1000 : undefined;
  if (output.format.type === 'parquet') {
    if (!plugin.parquet) throw new UsageError(`${key}.format.type = "parquet": source.type = "${plugin.type}" has no Parquet layout`);
    return new ParquetSink({
      dir: output.dir,
      label,
      layout: plugin.parquet,
      actors: population.actors,
      targetBytes,
      maxAgeMs,
      compression: output.format.compression as 'zstd' | 'snappy' | 'none',
      rowGroupRows: output.format.row_group_rows,
      dictionary: output.format.dictionary,
      level: output.format.compression_level,
      threads: encoderThreads(workers),
      sharedBuffers: ctx.sharedBuffers,
      append: ctx.existing === 'append',
    });
  }
  if (output.format.type === 'delivery') {
    if (!plugin.delivery) throw new UsageError(`${key}.format.type = "delivery": source.type = "${plugin.type}" has no delivery files of its own`);
    const gzip = plugin.delivery.gzip !== false;
    return new DeliverySink({ dir: output.dir, layout: plugin.delivery, compressor: gzip ? createCompressor('gzip', output.format.compression_level, workers, ctx.sharedBuffers)! : null, maxFileBytes: targetBytes, seed });
  }
  const compressor = createCompressor(output.format.compression as CompressionKind, output.format.compression_level, workers, ctx.sharedBuffers);
  return new FileSink({
    dir: output.dir,
    label,
    compressor,
    // Lines of text keep their own extension: .log, .log.gz, .log.zst.
    extension: plugin.textExtension ? `.${plugin.textExtension}${compressor ? compressor.extension.replace(/^\.json/, '') : ''}` : undefined,
    targetBytes,
    maxAgeMs,
    flushSimMs: timeScale > 0 ? output.rotation.flush_interval_ms * timeScale : Infinity,
    sharedBuffers: ctx.sharedBuffers,
    append: ctx.existing === 'append',
  });
}

/** Checks the output directory before the run (src/sinks/file/output-dir.ts). */
export function prepareFileOutput(output: FileOutputKeys, ctx: SinkContext, key: string): Promise<PreparedOutput> {
  const delivery = output.format.type === 'delivery' ? ctx.source.delivery : undefined;
  return prepareOutputDir(output.dir, {
    key: key === 'output' ? 'output.dir' : `${key}.dir`,
    existing: ctx.existing,
    // A shard group's own files only: other groups may be writing beside it.
    isOutput: delivery ? (name) => delivery.isFileName(name) : ctx.shard === undefined ? (name) => parseFileName(name) !== null : (name) => parseFileName(name)?.label === labelOf(ctx),
    subtree: delivery ? (name) => delivery.isRoot(name) : undefined,
    noAppend: delivery ? 'delivery files are named by what they hold, so a second run would replace files of the first; use --overwrite or another directory' : undefined,
  });
}

/** The output's folder for this source: `<dir>/<source type>/` in a run of `[[sources]]`. */
function forSource<T extends FileOutputKeys>(config: T, ctx: Pick<SinkContext, 'subdir'>): T {
  return ctx.subdir === undefined ? config : { ...config, dir: join(config.dir, ctx.subdir) };
}

export const fileSink: SinkPlugin<FileOutputConfig> = {
  type: 'file',
  schema,
  prepare: (config, ctx, id) => prepareFileOutput(forSource(config, ctx), ctx, id.key),
  create: (config, ctx, id) => createFileSink(forSource(config, ctx), ctx, id.key),
  describe: (unscoped, ctx) => {
    const config = forSource(unscoped, ctx);
    if (config.format.type === 'delivery') return `delivery files (${ctx.source.delivery?.gzip === false ? 'uncompressed' : 'gzip'}) in ${config.dir}`;
    const details = [config.format.compression !== 'none' ? config.format.compression : '', config.format.dictionary ? 'dictionary' : ''].filter(Boolean);
    return `${config.format.type}${details.length > 0 ? ` (${details.join(', ')})` : ''} files in ${config.dir}`;
  },
  encodeCost: (config) => formatEncodeCost(config.format.type),
};
