/**
 * How the SIEM reads one source's records: the vendor knowledge of the receiving side, as data (mappings.ts). A
 * mapping turns a record's text into a flat or nested object (JSON, or a line's parts), then names where each
 * normalised field, the time, the id, the outcome and the severity are, and which records are processes or host
 * metrics rather than log events.
 */
import type { NormalisedField, Severity } from '../../schema/record.js';

/** Dotted path into a JSON record (`userIdentity.arn`), or the name of a part of a text record (`host`, `kv.acct`). */
export type Path = string;

/** The first present, non-empty value of these paths. */
export type Paths = Path | readonly Path[];

export type TimeFormat =
  /** RFC 3339 / ISO 8601 with a zone. */
  | 'iso'
  /** Seconds since the epoch, with a fraction (auditd's `msg=audit(1764547242.166:1048)`). */
  | 'epoch'
  /**
   * RFC 3164 syslog, `Dec  1 00:00:39`: no year, no zone (UTC; the year of the reference time, the message's Kafka
   * timestamp or the file's, or the year before when that would be more than a day ahead); or RFC 3339.
   */
  | 'syslog'
  /** Common Log Format, `01/Dec/2025:00:00:39 +0000`. */
  | 'clf';

export interface OutcomeRule {
  readonly path: Path;
  /** Values that mean success (compared as strings). */
  readonly success?: readonly string[];
  /** Values that mean failure. */
  readonly failure?: readonly string[];
  /** What a missing or empty value means (default: no outcome). */
  readonly missing?: 'success' | 'failure';
  /** What any other value means (default: no outcome). */
  readonly other?: 'success' | 'failure';
}

/** The vendor's level, by value (`map`) or, for a number, by the lowest bound it reaches (`bands`, ascending). */
export type SeverityRule =
  | { readonly path: Path; readonly map: Readonly<Record<string, Severity>> }
  | { readonly path: Path; readonly bands: readonly (readonly [number, Severity])[] };

/** Columns of the process table, each from paths of the record. */
export interface ProcessColumns {
  readonly pid?: Paths;
  readonly ppid?: Paths;
  readonly name?: Paths;
  readonly executable?: Paths;
  readonly command_line?: Paths;
  readonly parent_name?: Paths;
  readonly user?: Paths;
}

export interface MetricColumns {
  readonly metricset: Paths;
  /** CPU in use, 0..1 of all cores. */
  readonly cpu_pct?: Paths;
  /** Memory in use, 0..1. */
  readonly memory_pct?: Paths;
}

/** Records whose `path` is one of `equals` go to another table than `logs`. */
export type Route =
  | { readonly when: { readonly path: Path; readonly equals: readonly string[] }; readonly table: 'process_logs'; readonly process: ProcessColumns }
  | { readonly when: { readonly path: Path; readonly equals?: readonly string[] }; readonly table: 'host_metrics'; readonly metric: MetricColumns };

/** A text record's parts: the named groups of `line`, `kv.<key>` from its key=value part, groups of message rules. */
export interface TextParts {
  /** Regular expression with named groups over the whole line. */
  readonly line: string;
  /** A group holding `key=value key="quoted value"` pairs, read into `kv.<key>`. */
  readonly kv?: string;
  /** Rules over the group `message`, first match wins: its named groups join the parts, `event` names the event. */
  readonly messages?: readonly { readonly match: string; readonly event: string; readonly outcome?: 'success' | 'failure' }[];
  /** Parts derived from others: `args` joins auditd's `a0`…`aN` (hex-encoded or quoted) into a command line. */
  readonly derive?: readonly { readonly name: string; readonly from: 'auditd_args' | 'basename'; readonly path?: Path }[];
}

export interface SourceMapping {
  readonly format: 'json' | 'text';
  /** Text records: how a line splits into parts. */
  readonly text?: TextParts;
  /** JSON: a top-level array that carries several records in one message (Event Hub's `records`). */
  readonly batch?: string;
  /** The record's own id: these paths' values joined by `:`. Absent, or all empty: recordHash of the text. */
  readonly id?: readonly Path[];
  readonly time: { readonly path: Path; readonly format: TimeFormat };
  readonly fields: { readonly [F in NormalisedField]?: Paths };
  readonly outcome?: OutcomeRule;
  readonly severity?: SeverityRule;
  readonly routes?: readonly Route[];
}
