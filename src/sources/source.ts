/**
 * A source plug-in: what a source folder exports. The per-shard contract it implements (ShardSource, RecordOut,
 * ShardContext) belongs to the traffic layer that drives it (src/traffic/shard-source.ts) and is re-exported here.
 */
import type { DeliveryDelay } from './delivery-delay.js';
import type * as z from 'zod';
import type { Actor } from '../population/actor.js';
import type { ParquetLayout } from '../encode/parquet/layout.js';
import type { ShardContext, ShardSource } from '../traffic/shard-source.js';

export type { Attacker, InjectedStep, RecordOut, ShardContext, ShardSource, Spells } from '../traffic/shard-source.js';

/**
 * A source's own delivery files (`format.type = "delivery"`), as data: how the vendor groups records into files and
 * where it puts them (CloudTrail: per account, region and 5 minutes, `{"Records":[…]}` under `AWSLogs/…`).
 */
export interface DeliveryLayout {
  /** Record fields (string values at any depth, found by `"field":"`) whose values group records into files. */
  readonly groupBy: readonly string[];
  /** Files cover this much event time; a group is written once simulated time has passed its interval. */
  readonly intervalMs: number;
  /** Text before and after a file's records, which are joined by `separator` (default a comma). */
  readonly head: string;
  readonly tail: string;
  readonly separator?: string;
  /** Whether files are gzip-compressed (default true: CloudTrail's `.json.gz`). */
  readonly gzip?: boolean;
  /** One file per group, however large (a fixed name such as Azure's `PT1H.json`); default: split at the target size. */
  readonly oneFilePerGroup?: boolean;
  /** Length of the random-looking part of file names (deterministic per run). */
  readonly uniqueLength: number;
  /** A file's path relative to the output directory, from its group's values, delivery time and unique part. */
  path(values: readonly string[], deliveredMs: number, unique: string): string;
  /** Whether a top folder belongs to the layout: where a run looks for earlier runs' files. */
  isRoot(name: string): boolean;
  /** Whether a file name is one this layout writes. */
  isFileName(name: string): boolean;
  /** Another name `format.type` accepts for this layout (kept for configs written before "delivery"). */
  readonly alias?: string;
}

/**
 * How the vendor's streaming delivery packs several records into one message, as data (Azure Monitor's diagnostic
 * settings to an Event Hub: `{"records":[…]}`). Outputs that send messages use it when asked for more than one record
 * per message (Kafka's `records_per_message`): a message is `open`, its records joined by `separator`, then `close`,
 * and must parse as one document. Sources without it are sent one record per message.
 */
export interface MessageBatchForm {
  /** Text before a message's first record, e.g. `{"records":[`. */
  readonly open: string;
  /** Text between two records of a message, e.g. `,`. */
  readonly separator: string;
  /** Text after a message's last record, e.g. `]}`. */
  readonly close: string;
  /**
   * Record fields (string values at any depth, found by `"field":"`, as DeliveryLayout.groupBy) whose values all
   * records of one message share: the vendor batches them separately (Azure Monitor: one category per message).
   * Absent: consecutive records share messages whatever they hold. Fields with few values only (one message is open per value).
   */
  readonly groupBy?: readonly string[];
  /** Names the form in the run summary's output line, e.g. `the Event Hub form {"records":[…]}`. */
  readonly description: string;
}

/** A source's DuckDB validation suite (`seclog validate`). */
export interface SourceValidation {
  /** Folder of the scripts, relative to the package root (the DuckDB CLI runs them from the repository root). */
  readonly dir: string;
  /** The scripts `seclog validate` runs, in order. */
  readonly scripts: readonly string[];
  /** Scripts generated from the source's code, committed so the DuckDB CLI can run them (a test checks they are current). */
  readonly generated: Readonly<Record<string, () => string>>;
  /** Scripts that check this source against others (by type): run only when those sources' output is there too. */
  readonly needs?: Readonly<Record<string, readonly string[]>>;
}

/** A source plug-in: its `[source]` schema and a factory for per-shard generators (called inside workers). */
export interface SourcePlugin<C, R = unknown> {
  readonly type: string;
  readonly configSchema: z.ZodType<C>;
  /** Prefix of output file names, e.g. `cloudtrail`. */
  readonly label: string;
  /**
   * Present when the records are lines of text rather than JSON documents (a syslog file, an access log): they are
   * written as they are, and file outputs name their files `.<textExtension>` (`.log`, `.log.gz`, `.log.zst`).
   */
  readonly textExtension?: string;
  /** Per-worker setup shared by all its shards (compiled catalogs, the read-only world). */
  createRuntime(config: C, seed: string, actors: readonly Actor[]): R;
  createShard(runtime: R, ctx: ShardContext): ShardSource;
  /** Present when the source can be written as Parquet: its columns and envelope, as data. */
  readonly parquet?: ParquetLayout;
  /** Present when the vendor has delivery files of its own. */
  readonly delivery?: DeliveryLayout;
  /** Present when the vendor streams several records per message (an output's `records_per_message` above 1 needs it). */
  readonly messageBatch?: MessageBatchForm;
  /** The sourcetype Splunk's add-on for this vendor expects (HEC output). */
  readonly splunkSourcetype?: string;
  /** `seclog catalog`: one line per event the source generates. */
  catalog?(): readonly string[];
  /** `seclog schema`: the source's Parquet schema as Markdown. */
  schemaMarkdown?(): string;
  /** `seclog validate`: the source's DuckDB checks. */
  readonly validation?: SourceValidation;
  /**
   * The identity provider this source is (`okta`, `entra`: the names actors.toml's identity_provider uses): people sign
   * in to other sources' apps through it when the run has it.
   */
  readonly identityProvider?: string;
  /**
   * Present when the source is benign look-alike noise of attack signals (an alert feed): its config with its rate
   * multiplied by `ratio` (`[scenarios] noise_ratio`).
   */
  scaleNoise?(config: C, ratio: number): C;
  /** The events a scenario's step can ask of this source (its shard's `inject`); packs: every event of the pack. */
  readonly scenarioEvents?: readonly string[];
  /**
   * A record's unique id in this source, from its text (the ground truth of scenarios names records by it): the
   * vendor's own (CloudTrail's eventID, Okta's uuid), else `<host>:<counter>`. Absent: a hash of the record.
   */
  recordId?(text: string): string;
  /**
   * Records the source writes a day on its own schedule, whatever the traffic (a pack's `every_s` samples of the
   * hosts), for the whole run: `traffic.events_per_day` steers the activity to the rest. Absent: none.
   */
  timedRecordsPerDay?(runtime: R): number;
  /** How the vendor delivers records (`[delivery] delayed = true`); absent: at once. */
  readonly deliveryDelay?: DeliveryDelay;
  /** The source's table in `seclog demo`'s embedded config (absent: not in the demo). */
  readonly demo?: Readonly<Record<string, unknown>>;
}
