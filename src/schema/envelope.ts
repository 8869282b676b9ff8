/**
 * The common envelope: the same fields for every source, the shared vocabulary of the generator's outputs (Parquet's
 * first columns, the validation queries) and of what reads them. Each source says where its records' values for
 * these fields come from (sources/<name>/parquet.ts); the names, types and meanings are here, once.
 */

export interface EnvelopeField {
  readonly name: string;
  /** DuckDB type name. */
  readonly type: string;
  readonly description: string;
}

const GEO = 'STRUCT("country" VARCHAR, "city" VARCHAR, "latitude" DOUBLE, "longitude" DOUBLE, "asn" INTEGER, "isp" VARCHAR)';

export const ENVELOPE_FIELDS = [
  { name: 'schema_version', type: 'VARCHAR', description: 'Version of the envelope' },
  { name: 'source', type: 'VARCHAR', description: 'Which source produced the record' },
  { name: 'timestamp', type: 'TIMESTAMP WITH TIME ZONE', description: 'Event time (UTC)' },
  { name: 'event_type', type: 'VARCHAR', description: 'Source-specific event name' },
  { name: 'actor', type: 'VARCHAR', description: 'Who acted, as the source names them' },
  { name: 'target', type: 'VARCHAR', description: 'First resource acted on, if any' },
  { name: 'outcome', type: 'VARCHAR', description: 'success or failure' },
  { name: 'actor_id', type: 'VARCHAR', description: 'Population id of the actor (joins with actors.parquet)' },
  { name: 'geo', type: GEO, description: "Where the actor's network is (country, city, coordinates, ASN, ISP)" },
  { name: 'ip', type: 'VARCHAR', description: 'Source address' },
  { name: 'user_agent', type: 'VARCHAR', description: 'Client' },
  { name: 'session_id', type: 'VARCHAR', description: 'The session the record belongs to, as the source identifies it' },
  { name: 'tenant_id', type: 'VARCHAR', description: 'Account or tenant the record belongs to' },
] as const satisfies readonly EnvelopeField[];

export type EnvelopeName = (typeof ENVELOPE_FIELDS)[number]['name'];

/** The version of this vocabulary, written in `schema_version` (2.0: the fields moved into the `seclog` struct). */
export const ENVELOPE_VERSION = '2.0';

/** The column (a struct) that holds the envelope in every source's Parquet files. */
export const ENVELOPE_COLUMN = 'seclog';
