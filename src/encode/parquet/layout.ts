/**
 * What a source declares to be written as Parquet: its record columns (JSON keys with DuckDB type names) and the
 * common envelope, whose values are data — taken from record fields, constants, or the actor — so the same
 * declaration drives the writer, the docs and the validation queries.
 */

/** How an envelope column gets its value. Record paths are dotted (`userIdentity.arn`); in a list, the first element. */
export type EnvelopeValue =
  | { readonly const: string }
  | { readonly first: readonly string[] }
  | { readonly failureIf: readonly string[] }
  | { readonly actor: string }
  | { readonly fields: Readonly<Record<string, EnvelopeValue>> };

export interface ParquetColumn {
  readonly name: string;
  /** DuckDB type name (`VARCHAR`, `STRUCT("a" VARCHAR)`, `T[]`, …). */
  readonly type: string;
  readonly description: string;
}

export interface EnvelopeColumn extends ParquetColumn {
  readonly value: EnvelopeValue;
}

export interface ParquetLayout {
  /** The envelope columns, first in every file. */
  readonly envelope: readonly EnvelopeColumn[];
  /** The source record's own columns, in its key order. */
  readonly columns: readonly ParquetColumn[];
}

/** A human reading of an envelope value, for the schema docs. */
export function describeValue(value: EnvelopeValue): string {
  if ('const' in value) return `\`'${value.const}'\``;
  if ('first' in value) return value.first.map((p) => `\`${p}\``).join(', else ');
  if ('failureIf' in value) return `\`failure\` if ${value.failureIf.map((p) => `\`${p}\``).join(' or ')} is set, else \`success\``;
  if ('actor' in value) return `actor's \`${value.actor}\``;
  return `actor's ${Object.values(value.fields)
    .map((v) => ('actor' in v ? `\`${v.actor}\`` : '?'))
    .join(', ')}`;
}
