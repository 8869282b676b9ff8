/**
 * AWS commercial-partition regions (partition `aws`), with a weight that reflects how much API activity a typical
 * multi-region organisation sees there. us-east-1 dominates real CloudTrail because global services (IAM, STS's
 * global endpoint, sign-in, Organizations) log there.
 */
import type { RegionInfo } from '../../../population/data/regions.js';

export const AWS_REGIONS: readonly RegionInfo[] = [
  { name: 'us-east-1', weight: 40 },
  { name: 'us-east-2', weight: 8 },
  { name: 'us-west-1', weight: 3 },
  { name: 'us-west-2', weight: 14 },
  { name: 'af-south-1', weight: 0.3 },
  { name: 'ap-east-1', weight: 0.5 },
  { name: 'ap-east-2', weight: 0.2 },
  { name: 'ap-south-1', weight: 2 },
  { name: 'ap-south-2', weight: 0.3 },
  { name: 'ap-northeast-1', weight: 3 },
  { name: 'ap-northeast-2', weight: 1 },
  { name: 'ap-northeast-3', weight: 0.3 },
  { name: 'ap-southeast-1', weight: 2 },
  { name: 'ap-southeast-2', weight: 2 },
  { name: 'ap-southeast-3', weight: 0.3 },
  { name: 'ap-southeast-4', weight: 0.2 },
  { name: 'ap-southeast-5', weight: 0.2 },
  { name: 'ap-southeast-7', weight: 0.1 },
  { name: 'ca-central-1', weight: 1.5 },
  { name: 'ca-west-1', weight: 0.2 },
  { name: 'eu-central-1', weight: 5 },
  { name: 'eu-central-2', weight: 0.3 },
  { name: 'eu-west-1', weight: 7 },
  { name: 'eu-west-2', weight: 3 },
  { name: 'eu-west-3', weight: 1 },
  { name: 'eu-south-1', weight: 0.3 },
  { name: 'eu-south-2', weight: 0.2 },
  { name: 'eu-north-1', weight: 1 },
  { name: 'il-central-1', weight: 0.2 },
  { name: 'me-south-1', weight: 0.2 },
  { name: 'me-central-1', weight: 0.3 },
  { name: 'mx-central-1', weight: 0.1 },
  { name: 'sa-east-1', weight: 1 },
];

export const AWS_REGION_NAMES: readonly string[] = AWS_REGIONS.map((r) => r.name);
