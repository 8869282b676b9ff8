/**
 * CloudTrail as Parquet: CloudTrail's own nesting as structs, with typed timestamps and booleans. Fields whose shape
 * differs per event (requestParameters, responseElements, additionalEventData) are JSON text columns, as in AWS's
 * own Athena table for CloudTrail. The common envelope columns come first, so one query spans every source.
 */
import { bindEnvelope, layoutMarkdown, type EnvelopeColumn, type ParquetColumn, type ParquetLayout } from '../../encode/parquet/layout.js';

type Column = ParquetColumn;

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

/** Where CloudTrail's records give the common envelope's values (src/schema/envelope.ts). */
export const ENVELOPE_COLUMNS: readonly EnvelopeColumn[] = bindEnvelope({
  source: { const: 'aws.cloudtrail' },
  timestamp: { first: ['eventTime'] },
  event_type: { first: ['eventName'] },
  actor: { first: ['userIdentity.arn', 'userIdentity.invokedBy'] },
  target: { first: ['resources.ARN'] },
  outcome: { failureIf: ['errorCode', 'errorMessage'] },
  actor_id: { actor: 'id' },
  geo: { fields: { country: { actor: 'country' }, city: { actor: 'city' }, latitude: { actor: 'latitude' }, longitude: { actor: 'longitude' }, asn: { actor: 'asn' }, isp: { actor: 'isp' } } },
  ip: { first: ['sourceIPAddress'] },
  user_agent: { first: ['userAgent'] },
  session_id: { first: ['userIdentity.accessKeyId'] },
  tenant_id: { first: ['recipientAccountId'] },
});

/** CloudTrail as Parquet: the envelope, then the record's own columns. */
export const cloudTrailParquet: ParquetLayout = { envelope: ENVELOPE_COLUMNS, columns: CLOUDTRAIL_COLUMNS };

/** The Parquet schema as a Markdown table (docs/parquet-schema.md is this, checked by a test). */
export function schemaMarkdown(): string {
  return layoutMarkdown(cloudTrailParquet, 'CloudTrail', [
    'Generated from `src/sources/cloudtrail/parquet.ts` (`seclog schema`); do not edit by hand.',
    '',
    'Types are DuckDB types; in the Parquet file, `VARCHAR` is a UTF-8 string, `JSON` a string with the JSON',
    'logical type, `TIMESTAMP WITH TIME ZONE` a UTC-adjusted microsecond timestamp, `STRUCT` a group and `[]` a list.',
    '`requestParameters`, `responseElements` and `additionalEventData` differ per event, so they are JSON text, as in',
    "AWS's own Athena table for CloudTrail; query them with `json_extract_string(requestParameters, '$.bucketName')`",
    "(DuckDB), `get_json_object` (Spark) or `json_extract_scalar` (Athena).",
  ]);
}
