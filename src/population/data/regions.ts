/**
 * The cloud regions the population's workloads run in: the mix a service actor's home region is drawn from, and
 * where each region's data centres are (the geo fields of calls made from inside the cloud). Sources read the same
 * mix as their default (the CloudTrail source, when its config names no regions).
 */

/** A region and its share of activity. */
export interface RegionInfo {
  readonly name: string;
  readonly weight: number;
}

/** The regions most organisations actually run in: services' home regions, and a source's regions when its config names none. */
export const DEFAULT_REGIONS: readonly RegionInfo[] = [
  { name: 'us-east-1', weight: 60 },
  { name: 'us-west-2', weight: 25 },
  { name: 'eu-west-1', weight: 15 },
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
