/** Benchmark scenario descriptions, shared by the runner and the per-scenario process. */

export const SCENARIO_OUTPUTS = ['devnull', 'files', 'kafka', 's3'] as const;

export interface ScenarioSpec {
  name: string;
  workers: number;
  seconds: number;
  output: (typeof SCENARIO_OUTPUTS)[number];
  /** Network outputs: where the server listens (KAFKA_BOOTSTRAP, S3_ENDPOINT… from scripts/services). */
  service?: Record<string, string>;
  /** Kafka: idempotent producer (one request in flight) or acks = 1 with 5 in flight. */
  idempotent?: boolean;
  format?: 'jsonl' | 'parquet';
  /** Parquet: dictionary-encode byte-array columns (output.format.dictionary). */
  dictionary?: boolean;
  compression: 'none' | 'gzip' | 'zstd';
  level?: number;
  targetMb?: number;
  /** The run's sources (default: CloudTrail alone, in the single-[source] form): types, or `pack:<name or folder>`. */
  sources?: string[];
  /** `[scenarios]` for the run (labels go to the run's folder). */
  scenarios?: Record<string, unknown>;
}

/** Rates are measured from the first metrics snapshot after this much of a run (threads starting, code optimising). */
export const WARMUP_MS = 2000;
/** The shortest measured window after the warm-up. */
export const MIN_MEASURED_MS = 2000;

/** The benchmark population: a 2,000-actor organisation in the default global time-zone mix. */
export const BENCH_ACTORS = { seed: 1, population: { actor_count: 2000, service_ratio: 0.25, account_count: 3 } };

