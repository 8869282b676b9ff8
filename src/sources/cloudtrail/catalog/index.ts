/** The curated CloudTrail catalog: every event the source knows, by service group. */
import { COMPUTE_EVENTS } from './compute.js';
import { EC2_EVENTS } from './ec2.js';
import { IAM_EVENTS } from './iam.js';
import { IDENTITY_EVENTS } from './identity.js';
import { PLATFORM_EVENTS } from './platform.js';
import { S3_EVENTS } from './s3.js';
import type { EventSpec } from './types.js';

export const CATALOG: readonly EventSpec[] = [...IDENTITY_EVENTS, ...IAM_EVENTS, ...S3_EVENTS, ...EC2_EVENTS, ...COMPUTE_EVENTS, ...PLATFORM_EVENTS];

export const CATALOG_BY_NAME: ReadonlyMap<string, EventSpec> = new Map(CATALOG.map((e) => [e.name, e]));

/** Events that open sessions; the session model emits them, they are not drawn from the work mix. */
export const SESSION_START_EVENTS = new Set(['ConsoleLogin', 'GetSessionToken']);

export type { EventSpec } from './types.js';
