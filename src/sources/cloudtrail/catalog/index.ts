/** The curated CloudTrail catalog: every event the source knows, by service group. */
import { COMPUTE_EVENTS } from './compute.js';
import { EC2_EVENTS } from './ec2.js';
import { IAM_EVENTS } from './iam.js';
import { IDENTITY_EVENTS } from './identity.js';
import { PLATFORM_EVENTS } from './platform.js';
import { S3_EVENTS } from './s3.js';
import type { CatalogGroup, EventSpec } from './types.js';

/** Every catalog file. Adding a service is adding a file and listing it here. */
export const CATALOG_GROUPS: readonly CatalogGroup[] = [
  { events: IDENTITY_EVENTS },
  { events: IAM_EVENTS },
  { events: S3_EVENTS },
  { events: EC2_EVENTS },
  { events: COMPUTE_EVENTS },
  { events: PLATFORM_EVENTS },
];

export const CATALOG: readonly EventSpec[] = CATALOG_GROUPS.flatMap((g) => g.events);

export const CATALOG_BY_NAME: ReadonlyMap<string, EventSpec> = new Map(CATALOG.map((e) => [e.name, e]));


export type { CatalogGroup, EventSpec } from './types.js';
