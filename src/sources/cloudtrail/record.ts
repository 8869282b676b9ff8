/**
 * The CloudTrail record layout, declared once: top-level fields in CloudTrail's own key order. Each catalog entry
 * is compiled through this layout twice (success and failure).
 */
import { fmt, gen, opt, raw, ref, when, type Layout } from '../../encode/layout/index.js';
import type { EventSpec } from './catalog/types.js';
import { SERVICES } from './data/services.js';

/** Services workloads in a VPC commonly reach through VPC endpoints (gateway or interface). */
export const VPC_ENDPOINT_SERVICES: ReadonlySet<string> = new Set(['s3', 'kms', 'secretsmanager', 'sts', 'logs', 'ssm', 'dynamodb', 'ecr']);

/** eventVersion of API calls as CloudTrail writes them since late 2023. */
const API_CALL_VERSION = '1.11';

export function defaultHost(spec: EventSpec): Layout {
  const service = SERVICES[spec.service];
  return service.globalHost ?? fmt(`${service.endpoint}.{region}.amazonaws.com`);
}

export function recordLayout(spec: EventSpec, failed: boolean): Layout {
  const service = SERVICES[spec.service];
  if (!service) throw new Error(`catalog event ${spec.name}: unknown service ${spec.service}`);
  const record: Record<string, Layout> = {
    eventVersion: spec.eventVersion ?? API_CALL_VERSION,
    userIdentity: raw('userIdentity'),
    eventTime: ref('eventTime'),
    eventSource: service.eventSource,
    eventName: spec.name,
    awsRegion: ref('region'),
    sourceIPAddress: ref('sourceIPAddress'),
    userAgent: fmt('{userAgentBase}{userAgentSuffix}'),
  };
  if (failed) {
    record.errorCode = opt(ref('errorCode'));
    record.errorMessage = opt(ref('errorMessage'));
  }
  record.requestParameters = spec.request;
  record.responseElements = failed ? (spec.errorResponse ?? null) : spec.response;
  if (spec.additional !== undefined) record.additionalEventData = spec.additional;
  if (spec.requestId !== 'none') record.requestID = gen(spec.requestId === 's3' ? 's3RequestId' : 'requestId');
  record.eventID = gen('eventId');
  record.readOnly = spec.readOnly;
  if (spec.resources !== undefined) record.resources = spec.resources;
  record.eventType = spec.eventType ?? 'AwsApiCall';
  record.managementEvent = spec.management;
  record.recipientAccountId = ref('accountId');
  if (spec.serviceEventDetails !== undefined) record.serviceEventDetails = spec.serviceEventDetails;
  if (VPC_ENDPOINT_SERVICES.has(spec.service)) {
    record.vpcEndpointId = opt(ref('vpcEndpointId'));
    record.vpcEndpointAccountId = opt(ref('vpcEndpointAccountId'));
  }
  record.eventCategory = spec.management ? 'Management' : 'Data';
  if (spec.tls !== false) record.tlsDetails = when('hasTls', { tlsVersion: ref('tlsVersion'), cipherSuite: ref('cipherSuite'), clientProvidedHostHeader: spec.host ?? defaultHost(spec) });
  record.sessionCredentialFromConsole = opt(ref('fromConsole'));
  return record;
}
