/**
 * AWS commercial-partition regions (partition `aws`), with a weight that reflects how much API activity a typical
 * multi-region organisation sees there. us-east-1 dominates real CloudTrail because global services (IAM, STS's
 * global endpoint, sign-in, Organizations) log there.
 */
export interface RegionInfo {
  readonly name: string;
  readonly weight: number;
}

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

/** Where each region's data centres are, for geo fields of calls made from inside AWS. */
export const REGION_GEO: Readonly<Record<string, { country: string; city: string; lat: number; lon: number }>> = {
  'us-east-1': { country: 'US', city: 'Ashburn', lat: 39.04, lon: -77.49 },
  'us-east-2': { country: 'US', city: 'Columbus', lat: 39.96, lon: -83.0 },
  'us-west-1': { country: 'US', city: 'San Jose', lat: 37.34, lon: -121.89 },
  'us-west-2': { country: 'US', city: 'Boardman', lat: 45.84, lon: -119.7 },
  'eu-west-1': { country: 'IE', city: 'Dublin', lat: 53.35, lon: -6.26 },
  'eu-west-2': { country: 'GB', city: 'London', lat: 51.51, lon: -0.13 },
  'eu-central-1': { country: 'DE', city: 'Frankfurt am Main', lat: 50.11, lon: 8.68 },
  'ap-south-1': { country: 'IN', city: 'Mumbai', lat: 19.08, lon: 72.88 },
  'ap-northeast-1': { country: 'JP', city: 'Tokyo', lat: 35.68, lon: 139.69 },
  'ap-southeast-1': { country: 'SG', city: 'Singapore', lat: 1.35, lon: 103.82 },
  'ap-southeast-2': { country: 'AU', city: 'Sydney', lat: -33.87, lon: 151.21 },
  'sa-east-1': { country: 'BR', city: 'Sao Paulo', lat: -23.55, lon: -46.63 },
  'ca-central-1': { country: 'CA', city: 'Montreal', lat: 45.5, lon: -73.57 },
};

export const AWS_REGION_NAMES: readonly string[] = AWS_REGIONS.map((r) => r.name);

/** Used when the config names no regions: the regions most organisations actually run in. */
export const DEFAULT_REGIONS: readonly RegionInfo[] = [
  { name: 'us-east-1', weight: 60 },
  { name: 'us-west-2', weight: 25 },
  { name: 'eu-west-1', weight: 15 },
];
