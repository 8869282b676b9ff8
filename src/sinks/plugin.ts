/**
 * A sink plug-in: the schema of its `[[outputs]]` entry and a factory for the RecordSink that delivers a run's
 * records there. Adding a sink means adding a folder under src/sinks/ with a SinkPlugin and listing it in
 * registry.ts.
 */
import type { SharedBufferPool } from '../encode/shared-buffers.js';
import * as z from 'zod';
import type { Population } from '../population/actor.js';
import type { SourcePlugin } from '../sources/source.js';
import type { RecordSink } from './sink.js';

/** What a sink may need to know about the run it serves. */
export interface SinkContext {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly source: SourcePlugin<any, any>;
  readonly population: Population;
  readonly workers: number;
  readonly seed: string;
  readonly timeScale: number;
  /** The run's SharedArrayBuffers for reuse: sinks that close hand theirs back (src/encode/shared-buffers.ts). */
  readonly sharedBuffers: SharedBufferPool;
  /** What to do with the files of earlier runs found where this run writes (`--append`, `--overwrite`). */
  readonly existing: ExistingOutput;
  /**
   * In a run of `[[sources]]`: the folder, under an output's own, where outputs that write files put this source's
   * records (the source's type). Absent in a run of the single `[source]` table (files directly in the output's folder).
   */
  readonly subdir?: string;
  /**
   * `seclog gen --shard k/n`: this process writes one group of the run's shards, beside others writing theirs. Outputs
   * that name files or objects put `shardTag` in their names, so groups writing to one place never collide.
   */
  readonly shard?: ShardGroup;
  /**
   * `[delivery] delayed`: records come in delivery order, their times being their delivery times (outputs that stamp
   * or name by time then do so by delivery time).
   */
  readonly delayed?: boolean;
}

/** Group `index` (1…count) of `count` groups of a run's logical shards. */
export interface ShardGroup {
  readonly index: number;
  readonly count: number;
}

/** `shard02of08`: sorts in group order, and names never collide between groups. */
export function shardTag(group: ShardGroup): string {
  const width = String(group.count).length < 2 ? 2 : String(group.count).length;
  return `shard${String(group.index).padStart(width, '0')}of${String(group.count).padStart(width, '0')}`;
}

/** Files of an earlier run where this run writes: refuse to start (the default), add to them, or remove them first. */
export type ExistingOutput = 'refuse' | 'append' | 'overwrite';

/** A destination checked by `prepare`. */
export interface PreparedOutput {
  /** Directories made for it: removed again if another output of the run fails its checks. */
  readonly created: readonly string[];
  /** Runs once every output has passed its checks: removes what `--overwrite` and killed runs left, and says so. */
  commit(): Promise<string[]>;
}

/** Keys every `[[outputs]]` entry accepts besides its own. */
export const commonOutputKeys = {
  /** Names the output in metrics and errors; defaults to its type (and position when a type repeats). */
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'expected 1-64 letters, digits, "_", "." or "-"' }).optional(),
  /** Routing: the source types whose records this output takes (default: every source). */
  sources: z.array(z.string().min(1)).min(1).optional(),
};

export interface OutputBase {
  type: string;
  name?: string;
  sources?: string[];
}

/** How an output is named in metrics (`name`) and in config errors (`key`, e.g. `outputs[1]`). */
export interface OutputId {
  readonly name: string;
  readonly key: string;
}

export interface SinkPlugin<C extends OutputBase> {
  readonly type: C['type'];
  /** The `[[outputs]]` entry: a strict object whose `type` is this plug-in's literal. */
  readonly schema: z.ZodType<C>;
  /**
   * Checks the destination before any record is generated (a directory that cannot be made or written, another
   * run's files) and throws a DestinationError saying so in one line. Absent: nothing to check before the run.
   */
  prepare?(config: C, ctx: SinkContext, id: OutputId): Promise<PreparedOutput>;
  /**
   * True when one stream takes every source's records as they come (stdout, blackhole): in a run of several sources
   * the output gets one sink for all of them, in generation order, instead of one per source.
   */
  readonly mixesSources?: boolean;
  /** The sink (a promise when the plug-in loads its implementation on first use). */
  create(config: C, ctx: SinkContext, id: OutputId): RecordSink | Promise<RecordSink>;
  /** Where the records go, for the run summary, e.g. `kafka 127.0.0.1:9092 topic seclog-cloudtrail`. */
  describe(config: C, ctx: Pick<SinkContext, 'source' | 'subdir'>): string;
  /**
   * CPU this output's encoding costs per event, relative to generating it (absent: negligible, done on the main
   * thread or by the compressor pool). Decides how many of the cores generate by default (src/encode/encoder-threads.ts).
   */
  encodeCost?(config: C): number;
}
