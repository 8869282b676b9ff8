/**
 * CloudTrail as Parquet: CloudTrail's own nesting as structs, with typed timestamps and booleans. Fields whose shape
 * differs per event (requestParameters, responseElements, additionalEventData) are JSON text columns, as in AWS's
 * own Athena table for CloudTrail. The common envelope columns come first, so one query spans every source.
 */
import type { ParquetLayout } from '../source.js';

export interface Column {
  readonly name: string;
  readonly type: string;
  readonly description: string;
}

const struct = (fields: Record<string, string>) =>
  `STRUCT(${Object.entries(fields)
    .map(([k, v]) => `"${k}" ${v}`)
    .join(', ')})`;

const SESSION_ISSUER = struct({ type: 'VARCHAR', principalId: 'VARCHAR', arn: 'VARCHAR', accountId: 'VARCHAR', userName: 'VARCHAR' });
const USER_IDENTITY = struct({
  type: 'VARCHAR',
  principalId: 'VARCHAR',
  arn: 'VARCHAR',
  accountId: 'VARCHAR',
  accessKeyId: 'VARCHAR',
  userName: 'VARCHAR',
  invokedBy: 'VARCHAR',
  sessionContext: struct({
    sessionIssuer: SESSION_ISSUER,
    webIdFederationData: struct({ federatedProvider: 'VARCHAR', attributes: 'JSON' }),
    attributes: struct({ creationDate: 'TIMESTAMP WITH TIME ZONE', mfaAuthenticated: 'VARCHAR' }),
    sourceIdentity: 'VARCHAR',
    ec2RoleDelivery: 'VARCHAR',
  }),
  onBehalfOf: struct({ userId: 'VARCHAR', identityStoreArn: 'VARCHAR' }),
  credentialId: 'VARCHAR',
  identityProvider: 'VARCHAR',
});

/** CloudTrail record fields, in CloudTrail's key order, with their DuckDB (and so Parquet) types. */
export const CLOUDTRAIL_COLUMNS: readonly Column[] = [
  { name: 'eventVersion', type: 'VARCHAR', description: 'Record format version, e.g. 1.11' },
  { name: 'userIdentity', type: USER_IDENTITY, description: 'Who made the call: type, principal, ARN, keys; sessionContext with sessionIssuer and attributes' },
  { name: 'eventTime', type: 'TIMESTAMP WITH TIME ZONE', description: 'When the call was made (UTC)' },
  { name: 'eventSource', type: 'VARCHAR', description: 'Service endpoint, e.g. s3.amazonaws.com' },
  { name: 'eventName', type: 'VARCHAR', description: 'API action' },
  { name: 'awsRegion', type: 'VARCHAR', description: 'Region the call was made to' },
  { name: 'sourceIPAddress', type: 'VARCHAR', description: 'Caller address, or the AWS service name' },
  { name: 'userAgent', type: 'VARCHAR', description: 'Client user agent' },
  { name: 'errorCode', type: 'VARCHAR', description: 'Error code of a failed call' },
  { name: 'errorMessage', type: 'VARCHAR', description: 'Error message of a failed call' },
  { name: 'requestParameters', type: 'JSON', description: 'Request parameters (JSON text: the shape differs per event)' },
  { name: 'responseElements', type: 'JSON', description: 'Response elements (JSON text; null for most reads)' },
  { name: 'additionalEventData', type: 'JSON', description: 'Additional data (JSON text)' },
  { name: 'requestID', type: 'VARCHAR', description: 'Service request id' },
  { name: 'eventID', type: 'VARCHAR', description: 'Unique record id' },
  { name: 'readOnly', type: 'BOOLEAN', description: 'Whether the call only reads' },
  { name: 'resources', type: `${struct({ accountId: 'VARCHAR', type: 'VARCHAR', ARN: 'VARCHAR' })}[]`, description: 'Resources the call touched' },
  { name: 'eventType', type: 'VARCHAR', description: 'AwsApiCall, AwsConsoleSignIn, AwsServiceEvent' },
  { name: 'apiVersion', type: 'VARCHAR', description: 'API version, for services that log it' },
  { name: 'managementEvent', type: 'BOOLEAN', description: 'Management (true) or data event (false)' },
  { name: 'recipientAccountId', type: 'VARCHAR', description: 'Account that received the call' },
  { name: 'serviceEventDetails', type: 'JSON', description: 'Details of AwsServiceEvent records (JSON text)' },
  { name: 'sharedEventID', type: 'VARCHAR', description: 'Id shared by the records of one cross-account call' },
  { name: 'vpcEndpointId', type: 'VARCHAR', description: 'VPC endpoint the call came through' },
  { name: 'vpcEndpointAccountId', type: 'VARCHAR', description: 'Account that owns that VPC endpoint' },
  { name: 'eventCategory', type: 'VARCHAR', description: 'Management or Data' },
  { name: 'tlsDetails', type: struct({ tlsVersion: 'VARCHAR', cipherSuite: 'VARCHAR', clientProvidedHostHeader: 'VARCHAR' }), description: 'TLS version, cipher and host header of the call' },
  { name: 'sessionCredentialFromConsole', type: 'VARCHAR', description: '"true" when the credentials came from a console session' },
];

const GEO = struct({ country: 'VARCHAR', city: 'VARCHAR', latitude: 'DOUBLE', longitude: 'DOUBLE', asn: 'INTEGER', isp: 'VARCHAR' });

/** The common envelope: the same columns for every source, derived here from CloudTrail fields and the actor. */
export const ENVELOPE_COLUMNS: readonly (Column & { expression: string })[] = [
  { name: 'schema_version', type: 'VARCHAR', expression: "'1.0'", description: 'Version of the envelope' },
  { name: 'source', type: 'VARCHAR', expression: "'aws.cloudtrail'", description: 'Which source produced the record' },
  { name: 'timestamp', type: 'TIMESTAMP WITH TIME ZONE', expression: 'r.eventTime', description: 'Event time (UTC)' },
  { name: 'event_type', type: 'VARCHAR', expression: 'r.eventName', description: 'Source-specific event name' },
  { name: 'actor', type: 'VARCHAR', expression: 'coalesce(r.userIdentity.arn, r.userIdentity.invokedBy)', description: 'Who acted: the caller ARN, or the AWS service' },
  { name: 'target', type: 'VARCHAR', expression: 'r.resources[1].ARN', description: 'First resource acted on, if any' },
  { name: 'outcome', type: 'VARCHAR', expression: "CASE WHEN r.errorCode IS NULL AND r.errorMessage IS NULL THEN 'success' ELSE 'failure' END", description: 'success or failure' },
  { name: 'actor_id', type: 'VARCHAR', expression: 'r.a.id', description: 'Population id of the actor (joins with actors.parquet)' },
  { name: 'geo', type: GEO, expression: 'r.a.geo', description: "Where the actor's network is (country, city, coordinates, ASN, ISP)" },
  { name: 'ip', type: 'VARCHAR', expression: 'r.sourceIPAddress', description: 'Source address' },
  { name: 'user_agent', type: 'VARCHAR', expression: 'r.userAgent', description: 'Client' },
  { name: 'session_id', type: 'VARCHAR', expression: 'r.userIdentity.accessKeyId', description: 'Session credentials (the access key id)' },
  { name: 'tenant_id', type: 'VARCHAR', expression: 'r.recipientAccountId', description: 'Account (tenant) the record belongs to' },
];

/**
 * The DuckDB query that turns one staging file into Parquet rows: a typed read (no inference) of our CloudTrail
 * JSONL, whose staging lines carry the actor's population index as `_a`; the actor's id and geo come from a list
 * indexed by it (a list lookup, not a join: joins do not keep row order, and rows stay in output order).
 */
export const cloudTrailParquet: ParquetLayout = {
  columns: CLOUDTRAIL_COLUMNS.map((c) => [c.name, c.type] as const),
  actorColumns: [
    ['id', 'VARCHAR'],
    ['geo', GEO],
  ],
  select(source: string, actors: string): string {
    const envelope = ENVELOPE_COLUMNS.map((c) => `${c.expression} AS ${c.name}`).join(', ');
    return `SELECT ${envelope}, r.* EXCLUDE (_a, a) FROM (SELECT *, ${actors}[_a + 1] AS a FROM ${source}) r`;
  },
};

/** The Parquet schema as a Markdown table (docs/parquet-schema.md is this, checked by a test). */
export function schemaMarkdown(): string {
  const row = (c: Column) => `| \`${c.name}\` | \`${c.type.replaceAll('|', '\\|')}\` | ${c.description} |`;
  return [
    '# Parquet schema (CloudTrail)',
    '',
    'Generated from `src/sources/cloudtrail/parquet.ts` (`seclog schema`); do not edit by hand.',
    '',
    'Types are DuckDB types; in the Parquet file, `VARCHAR` is a UTF-8 string, `JSON` a string with the JSON',
    'logical type, `TIMESTAMP WITH TIME ZONE` a UTC-adjusted microsecond timestamp, `STRUCT` a group and `[]` a list.',
    '`requestParameters`, `responseElements` and `additionalEventData` differ per event, so they are JSON text, as in',
    "AWS's own Athena table for CloudTrail; query them with `json_extract_string(requestParameters, '$.bucketName')`",
    "(DuckDB), `get_json_object` (Spark) or `json_extract_scalar` (Athena).",
    '',
    '## Envelope (the same columns for every source)',
    '',
    '| column | type | meaning |',
    '| --- | --- | --- |',
    ...ENVELOPE_COLUMNS.map(row),
    '',
    '## CloudTrail record',
    '',
    '| column | type | meaning |',
    '| --- | --- | --- |',
    ...CLOUDTRAIL_COLUMNS.map(row),
    '',
  ].join('\n');
}
