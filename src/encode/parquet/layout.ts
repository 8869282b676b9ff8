/**
 * What a source declares to be written as Parquet: its record columns (JSON keys with DuckDB type names) and the
 * common envelope, whose values are data — taken from record fields, constants, or the actor — so the same
 * declaration drives the writer, the docs and the validation queries.
 */

import { ENVELOPE_FIELDS, ENVELOPE_VERSION, type EnvelopeName } from '../../schema/envelope.js';

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

/**
 * The envelope's columns for a source: the common fields (src/schema/envelope.ts), in their order, each with the
 * source's way of getting its value. `schema_version` is the vocabulary's own.
 */
export function bindEnvelope(values: Readonly<Record<Exclude<EnvelopeName, 'schema_version'>, EnvelopeValue>>): EnvelopeColumn[] {
  return ENVELOPE_FIELDS.map((f) => ({ ...f, value: f.name === 'schema_version' ? { const: ENVELOPE_VERSION } : values[f.name] }));
}

/** A Parquet layout as Markdown: the envelope (same for every source), then the source's record columns. */
export function layoutMarkdown(layout: ParquetLayout, title: string, intro: readonly string[]): string {
  const row = (c: ParquetColumn) => `| \`${c.name}\` | \`${c.type.replaceAll('|', '\\|')}\` | ${c.description} |`;
  return [
    `# Parquet schema (${title})`,
    '',
    ...intro,
    '',
    '## Envelope (the same columns for every source)',
    '',
    '| column | type | meaning | value |',
    '| --- | --- | --- | --- |',
    ...layout.envelope.map((c) => `${row(c)} ${describeValue(c.value)} |`),
    '',
    `## ${title} record`,
    '',
    '| column | type | meaning |',
    '| --- | --- | --- |',
    ...layout.columns.map(row),
    '',
  ].join('\n');
}
