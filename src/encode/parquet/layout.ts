/**
 * What a source declares to be written as Parquet: its record columns (JSON keys with DuckDB type names) and the
 * common envelope, whose values are data — taken from record fields, constants, or the actor — so the same
 * declaration drives the writer, the docs and the validation queries.
 */

import { ENVELOPE_COLUMN, ENVELOPE_FIELDS, ENVELOPE_VERSION, type EnvelopeName } from '../../schema/envelope.js';

/** How an envelope column gets its value. Record paths are dotted (`userIdentity.arn`); in a list, the first element. */
export type EnvelopeValue =
  | { readonly const: string }
  | { readonly first: readonly string[] }
  | { readonly failureIf: readonly string[] }
  /** `failure` when the record's string `field` is one of `values`, else `success`. */
  | { readonly failureWhen: { readonly field: string; readonly values: readonly string[] } }
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
  if ('first' in value) return value.first.length === 0 ? 'null (the source has no such field)' : value.first.map((p) => `\`${p}\``).join(', else ');
  if ('failureWhen' in value) return `\`failure\` if \`${value.failureWhen.field}\` is ${value.failureWhen.values.map((v) => `\`${v}\``).join(' or ')}, else \`success\``;
  if ('failureIf' in value) return `\`failure\` if ${value.failureIf.map((p) => `\`${p}\``).join(' or ')} is set, else \`success\``;
  if ('actor' in value) return `actor's \`${value.actor}\``;
  return `actor's ${Object.values(value.fields)
    .map((v) => ('actor' in v ? `\`${v.actor}\`` : '?'))
    .join(', ')}`;
}

/**
 * The envelope for a source: one struct column, `seclog` (ENVELOPE_COLUMN), holding the common fields
 * (src/schema/envelope.ts) in their order, each with the source's way of getting its value. One column, so that no
 * envelope field can collide with a vendor's own top-level field (Okta's `actor`, ECS's `source`); `schema_version`
 * is the vocabulary's own.
 */
export function bindEnvelope(values: Readonly<Record<Exclude<EnvelopeName, 'schema_version'>, EnvelopeValue>>): EnvelopeColumn[] {
  const fields = Object.fromEntries(ENVELOPE_FIELDS.map((f) => [f.name, f.name === 'schema_version' ? { const: ENVELOPE_VERSION } : values[f.name]]));
  const type = `STRUCT(${ENVELOPE_FIELDS.map((f) => `"${f.name}" ${f.type}`).join(', ')})`;
  return [{ name: ENVELOPE_COLUMN, type, description: 'The common envelope (the same fields for every source)', value: { fields } }];
}

/** A Parquet layout as Markdown: the envelope (same for every source), then the source's record columns. */
export function layoutMarkdown(layout: ParquetLayout, title: string, intro: readonly string[]): string {
  const row = (c: ParquetColumn) => `| \`${c.name}\` | \`${c.type.replaceAll('|', '\\|')}\` | ${c.description} |`;
  return [
    `# Parquet schema (${title})`,
    '',
    ...intro,
    '',
    '## Envelope (the struct column `seclog`, the same for every source)',
    '',
    '| column | type | meaning | value |',
    '| --- | --- | --- | --- |',
    ...layout.envelope.flatMap((c) =>
      c.name === ENVELOPE_COLUMN && 'fields' in c.value
        ? ENVELOPE_FIELDS.map((f) => `${row({ ...f, name: `${ENVELOPE_COLUMN}.${f.name}` })} ${describeValue((c.value as { fields: Record<string, EnvelopeValue> }).fields[f.name])} |`)
        : [`${row(c)} ${describeValue(c.value)} |`],
    ),
    '',
    `## ${title} record`,
    '',
    '| column | type | meaning |',
    '| --- | --- | --- |',
    ...layout.columns.map(row),
    '',
  ].join('\n');
}
