/**
 * The contract between the traffic layer (when actors act) and a source (what their records say).
 */
import type * as z from 'zod';
import type { ByteWriter } from '../encode/byte-writer.js';
import type { Actor } from '../population/actor.js';
import type { ParquetLayout } from '../encode/parquet/layout.js';

/** Where a source writes records: bytes go to `w`, then `commit` closes the record (adds the newline and index). */
export interface RecordOut {
  readonly w: ByteWriter;
  commit(timeMs: number, actorIndex: number): void;
  /** True when the current output part should be handed on before more records are written. */
  readonly full: boolean;
  /** Size in bytes of the last committed record, newline included. */
  readonly lastRecordBytes: number;
}

/** One shard's view of a source: generates records for the actors the shard owns. */
export interface ShardSource {
  /**
   * Actor `local` (index into the shard's actor list) starts a session at `timeMs`. Writes the session-opening
   * record (a sign-in, a role assumption) when the source has one, and returns whether it wrote a record.
   */
  startSession(local: number, timeMs: number, out: RecordOut): boolean;
  /** Writes one record of actor `local` acting at `timeMs` in its current session. */
  emit(local: number, timeMs: number, out: RecordOut): void;
}

export interface ShardContext {
  readonly seed: string;
  readonly shard: number;
  /** The actors this shard owns, in global index order, with their global indexes. */
  readonly actors: readonly Actor[];
  readonly actorIndexes: readonly number[];
}

/** A source plug-in: its `[source]` schema and a factory for per-shard generators (called inside workers). */
export interface SourcePlugin<C, R = unknown> {
  readonly type: string;
  readonly configSchema: z.ZodType<C>;
  /** Prefix of output file names, e.g. `cloudtrail`. */
  readonly label: string;
  /** Per-worker setup shared by all its shards (compiled catalogs, the read-only world). */
  createRuntime(config: C, seed: string, actors: readonly Actor[]): R;
  createShard(runtime: R, ctx: ShardContext): ShardSource;
  /** Present when the source can be written as Parquet: its columns and envelope, as data. */
  readonly parquet?: ParquetLayout;
}
