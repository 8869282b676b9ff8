/**
 * Okta as Parquet: the LogEvent's nesting as structs, typed times, numbers and booleans. `debugContext.debugData`,
 * `transaction.detail` and each target's `detailEntry` differ per event type, so they are JSON text. The common
 * envelope columns come first, so one query spans every source.
 */
import { bindEnvelope, layoutMarkdown, type EnvelopeColumn, type ParquetColumn, type ParquetLayout } from '../../encode/parquet/layout.js';

const struct = (fields: Record<string, string>) =>
  `STRUCT(${Object.entries(fields)
    .map(([k, v]) => `"${k}" ${v}`)
    .join(', ')})`;

const GEO = struct({ city: 'VARCHAR', state: 'VARCHAR', country: 'VARCHAR', postalCode: 'VARCHAR', geolocation: struct({ lat: 'DOUBLE', lon: 'DOUBLE' }) });
const PRINCIPAL = struct({ id: 'VARCHAR', type: 'VARCHAR', alternateId: 'VARCHAR', displayName: 'VARCHAR', detailEntry: 'JSON' });

/** LogEvent fields, in the System Log API's key order, with DuckDB (and so Parquet) types. */
export const OKTA_PARQUET_COLUMNS: readonly ParquetColumn[] = [
  { name: 'actor', type: PRINCIPAL, description: 'Who acted: id (00u… users, 0oa… apps), type, login (alternateId), name' },
  {
    name: 'client',
    type: struct({ userAgent: struct({ rawUserAgent: 'VARCHAR', os: 'VARCHAR', browser: 'VARCHAR' }), zone: 'VARCHAR', device: 'VARCHAR', id: 'VARCHAR', ipAddress: 'VARCHAR', geographicalContext: GEO }),
    description: 'The client: user agent (parsed), network zone, device class, address and its location',
  },
  {
    name: 'device',
    type: struct({ id: 'VARCHAR', name: 'VARCHAR', os_platform: 'VARCHAR', os_version: 'VARCHAR', managed: 'BOOLEAN', registered: 'BOOLEAN', device_integrator: 'JSON', disk_encryption_type: 'VARCHAR', screen_lock_type: 'VARCHAR', jailbreak: 'JSON', secure_hardware_present: 'BOOLEAN' }),
    description: 'The registered device (Okta Verify, FastPass), when there is one',
  },
  {
    name: 'authenticationContext',
    type: struct({ authenticationProvider: 'VARCHAR', credentialProvider: 'VARCHAR', credentialType: 'VARCHAR', issuer: 'JSON', interface: 'VARCHAR', authenticationStep: 'INTEGER', externalSessionId: 'VARCHAR' }),
    description: 'How the actor authenticated, and the Okta session (externalSessionId)',
  },
  { name: 'displayMessage', type: 'VARCHAR', description: 'Human-readable description of the event' },
  { name: 'eventType', type: 'VARCHAR', description: 'Event type, e.g. user.session.start' },
  { name: 'outcome', type: struct({ result: 'VARCHAR', reason: 'VARCHAR' }), description: 'SUCCESS, FAILURE, ALLOW, DENY, CHALLENGE…, and why' },
  { name: 'published', type: 'TIMESTAMP WITH TIME ZONE', description: 'When the event happened (UTC, milliseconds)' },
  { name: 'securityContext', type: struct({ asNumber: 'INTEGER', asOrg: 'VARCHAR', isp: 'VARCHAR', domain: 'VARCHAR', isProxy: 'BOOLEAN' }), description: "The client address's network: AS number and organisation, ISP, domain, proxy" },
  { name: 'severity', type: 'VARCHAR', description: 'DEBUG, INFO, WARN or ERROR' },
  { name: 'debugContext', type: struct({ debugData: 'JSON' }), description: 'Event-specific details (JSON text: the keys differ per event type)' },
  { name: 'legacyEventType', type: 'VARCHAR', description: 'The event type in Okta’s older naming' },
  { name: 'transaction', type: struct({ type: 'VARCHAR', id: 'VARCHAR', detail: 'JSON' }), description: 'The request (WEB) or job (JOB) the event belongs to' },
  { name: 'uuid', type: 'VARCHAR', description: 'Unique event id' },
  { name: 'version', type: 'VARCHAR', description: 'LogEvent format version' },
  {
    name: 'request',
    type: struct({ ipChain: `${struct({ ip: 'VARCHAR', geographicalContext: GEO, version: 'VARCHAR', source: 'VARCHAR' })}[]` }),
    description: 'The addresses the request came through',
  },
  { name: 'target', type: `${PRINCIPAL}[]`, description: 'What the event acted on: users, apps, groups, policies, authenticators…' },
];

export const OKTA_ENVELOPE: readonly EnvelopeColumn[] = bindEnvelope({
  source: { const: 'okta.system' },
  timestamp: { first: ['published'] },
  event_type: { first: ['eventType'] },
  actor: { first: ['actor.alternateId'] },
  target: { first: ['target.alternateId'] },
  outcome: { failureWhen: { field: 'outcome.result', values: ['FAILURE', 'DENY'] } },
  actor_id: { actor: 'id' },
  geo: { fields: { country: { actor: 'country' }, city: { actor: 'city' }, latitude: { actor: 'latitude' }, longitude: { actor: 'longitude' }, asn: { actor: 'asn' }, isp: { actor: 'isp' } } },
  ip: { first: ['client.ipAddress'] },
  user_agent: { first: ['client.userAgent.rawUserAgent'] },
  session_id: { first: ['authenticationContext.externalSessionId'] },
  tenant_id: { first: [] },
});

export const oktaParquet: ParquetLayout = { envelope: OKTA_ENVELOPE, columns: OKTA_PARQUET_COLUMNS };

export function oktaSchemaMarkdown(): string {
  return layoutMarkdown(oktaParquet, 'Okta System Log', [
    'Generated from `src/sources/okta/parquet.ts` (`seclog schema okta`); do not edit by hand.',
    '',
    '`debugContext.debugData`, `transaction.detail` and the targets\' `detailEntry` differ per event type, so they are',
    "JSON text; query them with `json_extract_string(debugContext.debugData, '$.requestUri')` (DuckDB).",
  ]);
}
