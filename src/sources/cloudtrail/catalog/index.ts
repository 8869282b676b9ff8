/** The curated CloudTrail catalog: every event the source knows, by service group. */
import { bedrockGroup } from './bedrock.js';
import { computeGroup } from './compute.js';
import { ec2ConnectGroup } from './ec2-connect.js';
import { ec2Group } from './ec2.js';
import { governanceGroup } from './governance.js';
import { iamGroup } from './iam.js';
import { identityGroup } from './identity.js';
import { networkEdgeGroup } from './network-edge.js';
import { platformGroup } from './platform.js';
import { rdsGroup } from './rds.js';
import { s3Group } from './s3.js';
import type { CatalogGroup, EventSpec } from './types.js';

/** Every catalog file. Adding a service is adding a file and listing it here. */
export const CATALOG_GROUPS: readonly CatalogGroup[] = [
  identityGroup,
  iamGroup,
  s3Group,
  ec2Group,
  ec2ConnectGroup,
  computeGroup,
  platformGroup,
  governanceGroup,
  bedrockGroup,
  rdsGroup,
  networkEdgeGroup,
];

export const CATALOG: readonly EventSpec[] = CATALOG_GROUPS.flatMap((g) => g.events);

export const CATALOG_BY_NAME: ReadonlyMap<string, EventSpec> = new Map(CATALOG.map((e) => [e.name, e]));


export type { CatalogGroup, EventSpec } from './types.js';
