/**
 * What the SIEM's rules are made of, shared by the Sigma compiler (sigma/), the per-source field knowledge
 * (logsources.ts), the detector that runs them on records as they stream in (engine.ts) and the alert store.
 */

/** Sigma's levels; `informational` raises no alert. */
export const SIGMA_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SigmaLevel = (typeof SIGMA_LEVELS)[number];

/** Alert severities, as the seed names them. */
export const ALERT_SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export interface SigmaLogsource {
  readonly product?: string;
  readonly service?: string;
  readonly category?: string;
}

/** What every Sigma document says of itself. */
export interface SigmaHead {
  /** The rule's `id` (a UUID in SigmaHQ), or a stable id derived from its title when it has none. */
  readonly id: string;
  /** The rule's `name` (correlations may refer to it instead of the id). */
  readonly name?: string;
  readonly title: string;
  readonly description: string;
  readonly level: SigmaLevel;
  readonly status?: string;
  /** `attack.t1110.001`, `attack.credential-access`, … as written. */
  readonly tags: readonly string[];
}

/** A Sigma detection rule (one YAML document with `detection`). */
export interface SigmaRule extends SigmaHead {
  readonly kind: 'detection';
  readonly logsource: SigmaLogsource;
  /** The `detection` mapping as parsed from YAML, `condition` included. */
  readonly detection: Readonly<Record<string, unknown>>;
  readonly falsepositives: readonly string[];
  readonly references: readonly string[];
  readonly author?: string;
  /** Fields the rule names in `fields:` (shown with an alert). */
  readonly fields: readonly string[];
}

export type CorrelationType = 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';

/** A Sigma correlation rule (a YAML document with `correlation`), Sigma specification 2.x. */
export interface SigmaCorrelation extends SigmaHead {
  readonly kind: 'correlation';
  readonly type: CorrelationType;
  /** The detection (or correlation) rules it combines, by id or name, in order for `temporal_ordered`. */
  readonly rules: readonly string[];
  /** Fields whose values must be equal across the correlated records (after `aliases`). */
  readonly group_by: readonly string[];
  /** The window, in milliseconds (`timespan: 5m`). */
  readonly timespan_ms: number;
  /** event_count / value_count: the count's bounds; value_count: the `field` whose distinct values are counted. */
  readonly condition?: {
    readonly field?: string;
    readonly gt?: number;
    readonly gte?: number;
    readonly lt?: number;
    readonly lte?: number;
    readonly eq?: number;
    readonly neq?: number;
  };
  /** alias → (rule id or name → that rule's field): a group-by name whose field differs per rule. */
  readonly aliases: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Whether the combined rules also raise their own alerts (`generate: true`). */
  readonly generate: boolean;
}

export type SigmaDocument = SigmaRule | SigmaCorrelation;

/** Reads a field's value(s) from a parsed record (a JSON value, or a text record's parts). */
export type FieldGetter = (record: unknown) => unknown;

/**
 * How a detection reads the records of one source: Sigma field names onto the record's own paths (the logsource
 * mappings), and where keywords (a detection's bare values) are searched.
 */
export interface FieldResolver {
  /** A getter for this Sigma field on this source (one that always answers undefined when the source lacks it). */
  field(name: string): FieldGetter;
  /** The text keywords are searched in (the record's message, or its whole text). */
  keywords(record: unknown, text: string): string;
}

/** A compiled detection: does this record (parsed, with its original text) match. */
export type Predicate = (record: unknown, text: string) => boolean;

/** Where a Sigma field is in a record: a path, the first present of several, or several joined. */
export type FieldPaths = string | readonly string[] | JoinedPaths;
export interface JoinedPaths {
  readonly join: readonly string[];
  readonly with: string;
}

export function isJoined(f: FieldPaths): f is JoinedPaths {
  return typeof f === 'object' && !Array.isArray(f);
}

/**
 * Which seclog source a Sigma logsource reads, and how its field names land on that source's records: vendor
 * knowledge as data (logsources.ts). A rule's logsource matches a mapping when every key the mapping's `match` names
 * equals the rule's (a rule with `product: windows, category: process_creation` matches `{product: windows,
 * category: process_creation}`); one rule may match several mappings (Windows process creation: Sysmon event 1
 * and Security event 4688) and then runs on each.
 */
export interface LogsourceMapping {
  readonly match: SigmaLogsource;
  /** The seclog source (`sysmon`, `cloudtrail`, `linux-auditd`, …) whose records the rule reads. */
  readonly source: string;
  /** What the logsource implies beyond the source, as Sigma field → accepted values (Sysmon's EventID 1 for process_creation). */
  readonly conditions?: Readonly<Record<string, readonly (string | number)[]>>;
  /**
   * Sigma field → path(s) in the record (JSON dotted paths, or a text record's part names); the first present wins.
   * `{ join, with }`: the present values of several paths joined (Winlogbeat splits Sysmon's `User: NT AUTHORITY\SYSTEM`
   * into user.domain and user.name; rules compare the whole).
   */
  readonly fields?: Readonly<Record<string, FieldPaths>>;
  /** For fields not in `fields`: these prefixes are tried in order (`winlog.event_data.`), then the field's own name. */
  readonly prefixes?: readonly string[];
  /** Where keywords are searched: these paths' values joined, or (absent) the record's whole text. */
  readonly keywords?: readonly string[];
  /**
   * Sigma fields that tell records apart best, most selective first: a rule requiring one of them is filed under it
   * (rules/prefilter.ts), so a record runs only the rules its own value names (CloudTrail: eventName, not eventSource).
   */
  readonly selective?: readonly string[];
}
