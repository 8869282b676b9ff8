/**
 * Where people connect from: consumer and business ISP address blocks by country and city, and the AWS egress
 * blocks that services running in AWS call from. Blocks are public, routed allocations of the named networks
 * (approximate: good enough for GeoIP-style enrichment to land in the right country), never private or
 * documentation space.
 */

export interface Location {
  readonly country: string; // ISO 3166-1 alpha-2
  readonly city: string;
  readonly lat: number;
  readonly lon: number;
  readonly isp: string;
  readonly asn: number;
  readonly cidrs: readonly string[];
}

const us = (city: string, lat: number, lon: number): Location[] => [
  { country: 'US', city, lat, lon, isp: 'Comcast Cable Communications', asn: 7922, cidrs: ['73.0.0.0/8', '98.192.0.0/10', '24.0.0.0/12'] },
  { country: 'US', city, lat, lon, isp: 'Verizon Fios', asn: 701, cidrs: ['71.160.0.0/11', '108.0.0.0/13'] },
  { country: 'US', city, lat, lon, isp: 'AT&T Internet', asn: 7018, cidrs: ['99.0.0.0/10', '76.192.0.0/10'] },
  { country: 'US', city, lat, lon, isp: 'Charter Communications', asn: 20115, cidrs: ['174.96.0.0/12', '66.168.0.0/14'] },
];

/** Locations by IANA zone. Zones not listed fall back to the continent's entry in `CONTINENT_FALLBACK`. */
export const LOCATIONS_BY_ZONE: Readonly<Record<string, readonly Location[]>> = {
  'America/Los_Angeles': [...us('Seattle', 47.61, -122.33), ...us('San Francisco', 37.77, -122.42), ...us('Los Angeles', 34.05, -118.24), ...us('Portland', 45.52, -122.68)],
  'America/Denver': [...us('Denver', 39.74, -104.99)],
  'America/Chicago': [...us('Chicago', 41.88, -87.63), ...us('Austin', 30.27, -97.74), ...us('Dallas', 32.78, -96.8)],
  'America/New_York': [...us('New York', 40.71, -74.01), ...us('Boston', 42.36, -71.06), ...us('Atlanta', 33.75, -84.39), ...us('Washington', 38.91, -77.04)],
  'America/Toronto': [
    { country: 'CA', city: 'Toronto', lat: 43.65, lon: -79.38, isp: 'Rogers Communications', asn: 812, cidrs: ['99.224.0.0/11'] },
    { country: 'CA', city: 'Toronto', lat: 43.65, lon: -79.38, isp: 'Bell Canada', asn: 577, cidrs: ['70.48.0.0/13'] },
  ],
  'America/Vancouver': [{ country: 'CA', city: 'Vancouver', lat: 49.28, lon: -123.12, isp: 'TELUS Communications', asn: 852, cidrs: ['70.64.0.0/11'] }],
  'America/Sao_Paulo': [
    { country: 'BR', city: 'Sao Paulo', lat: -23.55, lon: -46.63, isp: 'Telefonica Brasil (Vivo)', asn: 18881, cidrs: ['177.32.0.0/11', '187.56.0.0/13'] },
    { country: 'BR', city: 'Rio de Janeiro', lat: -22.91, lon: -43.17, isp: 'Claro NXT', asn: 28573, cidrs: ['177.64.0.0/13', '189.0.0.0/13'] },
  ],
  'America/Mexico_City': [{ country: 'MX', city: 'Mexico City', lat: 19.43, lon: -99.13, isp: 'Telmex', asn: 8151, cidrs: ['187.128.0.0/11', '201.96.0.0/12'] }],
  'Europe/London': [
    { country: 'GB', city: 'London', lat: 51.51, lon: -0.13, isp: 'British Telecommunications', asn: 2856, cidrs: ['86.128.0.0/10', '81.128.0.0/12'] },
    { country: 'GB', city: 'Manchester', lat: 53.48, lon: -2.24, isp: 'Virgin Media', asn: 5089, cidrs: ['82.0.0.0/14', '86.0.0.0/13'] },
    { country: 'GB', city: 'London', lat: 51.51, lon: -0.13, isp: 'Sky Broadband', asn: 5607, cidrs: ['90.192.0.0/11'] },
  ],
  'Europe/Dublin': [{ country: 'IE', city: 'Dublin', lat: 53.35, lon: -6.26, isp: 'Eir', asn: 5466, cidrs: ['86.40.0.0/13'] }],
  'Europe/Berlin': [
    { country: 'DE', city: 'Berlin', lat: 52.52, lon: 13.41, isp: 'Deutsche Telekom', asn: 3320, cidrs: ['79.192.0.0/10', '91.0.0.0/10', '84.128.0.0/10'] },
    { country: 'DE', city: 'Munich', lat: 48.14, lon: 11.58, isp: 'Deutsche Telekom', asn: 3320, cidrs: ['93.192.0.0/10'] },
    { country: 'DE', city: 'Frankfurt am Main', lat: 50.11, lon: 8.68, isp: 'Vodafone Germany', asn: 3209, cidrs: ['188.192.0.0/11', '94.216.0.0/13'] },
    { country: 'DE', city: 'Hamburg', lat: 53.55, lon: 9.99, isp: 'Vodafone Germany', asn: 3209, cidrs: ['95.88.0.0/13'] },
  ],
  'Europe/Paris': [
    { country: 'FR', city: 'Paris', lat: 48.86, lon: 2.35, isp: 'Orange', asn: 3215, cidrs: ['90.0.0.0/10', '86.192.0.0/11'] },
    { country: 'FR', city: 'Lyon', lat: 45.76, lon: 4.84, isp: 'Free SAS', asn: 12322, cidrs: ['78.192.0.0/10'] },
  ],
  'Europe/Amsterdam': [{ country: 'NL', city: 'Amsterdam', lat: 52.37, lon: 4.9, isp: 'KPN', asn: 1136, cidrs: ['77.160.0.0/12', '145.128.0.0/11'] }],
  'Europe/Madrid': [{ country: 'ES', city: 'Madrid', lat: 40.42, lon: -3.7, isp: 'Telefonica de Espana', asn: 3352, cidrs: ['83.32.0.0/11', '88.0.0.0/11'] }],
  'Europe/Rome': [{ country: 'IT', city: 'Milan', lat: 45.46, lon: 9.19, isp: 'Telecom Italia', asn: 3269, cidrs: ['79.0.0.0/11', '87.0.0.0/13'] }],
  'Europe/Stockholm': [{ country: 'SE', city: 'Stockholm', lat: 59.33, lon: 18.07, isp: 'Telia Company', asn: 3301, cidrs: ['78.64.0.0/12'] }],
  'Europe/Warsaw': [{ country: 'PL', city: 'Warsaw', lat: 52.23, lon: 21.01, isp: 'Orange Polska', asn: 5617, cidrs: ['83.0.0.0/11'] }],
  'Asia/Kolkata': [
    { country: 'IN', city: 'Bengaluru', lat: 12.97, lon: 77.59, isp: 'Bharti Airtel', asn: 24560, cidrs: ['122.160.0.0/12', '106.192.0.0/11'] },
    { country: 'IN', city: 'Mumbai', lat: 19.08, lon: 72.88, isp: 'Reliance Jio Infocomm', asn: 55836, cidrs: ['49.32.0.0/11', '157.32.0.0/12'] },
    { country: 'IN', city: 'Hyderabad', lat: 17.39, lon: 78.49, isp: 'Atria Convergence Technologies', asn: 24309, cidrs: ['183.82.0.0/15', '106.51.0.0/16'] },
    { country: 'IN', city: 'Pune', lat: 18.52, lon: 73.86, isp: 'Bharti Airtel', asn: 24560, cidrs: ['182.64.0.0/12'] },
  ],
  'Asia/Tokyo': [
    { country: 'JP', city: 'Tokyo', lat: 35.68, lon: 139.69, isp: 'SoftBank Corp.', asn: 17676, cidrs: ['126.0.0.0/8'] },
    { country: 'JP', city: 'Tokyo', lat: 35.68, lon: 139.69, isp: 'KDDI Corporation', asn: 2516, cidrs: ['106.128.0.0/10'] },
    { country: 'JP', city: 'Osaka', lat: 34.69, lon: 135.5, isp: 'NTT Communications (OCN)', asn: 4713, cidrs: ['153.128.0.0/10', '180.0.0.0/11'] },
  ],
  'Asia/Singapore': [{ country: 'SG', city: 'Singapore', lat: 1.35, lon: 103.82, isp: 'Singtel', asn: 9506, cidrs: ['116.86.0.0/15', '220.255.0.0/16'] }],
  'Asia/Seoul': [{ country: 'KR', city: 'Seoul', lat: 37.57, lon: 126.98, isp: 'Korea Telecom', asn: 4766, cidrs: ['121.128.0.0/10'] }],
  'Asia/Shanghai': [{ country: 'CN', city: 'Shanghai', lat: 31.23, lon: 121.47, isp: 'China Telecom', asn: 4812, cidrs: ['101.80.0.0/12'] }],
  'Asia/Dubai': [{ country: 'AE', city: 'Dubai', lat: 25.2, lon: 55.27, isp: 'Emirates Telecommunications (Etisalat)', asn: 5384, cidrs: ['94.200.0.0/13'] }],
  'Australia/Sydney': [
    { country: 'AU', city: 'Sydney', lat: -33.87, lon: 151.21, isp: 'Telstra', asn: 1221, cidrs: ['1.120.0.0/13', '101.160.0.0/11'] },
    { country: 'AU', city: 'Sydney', lat: -33.87, lon: 151.21, isp: 'Optus', asn: 4804, cidrs: ['49.176.0.0/12'] },
  ],
  'Australia/Melbourne': [{ country: 'AU', city: 'Melbourne', lat: -37.81, lon: 144.96, isp: 'Telstra', asn: 1221, cidrs: ['110.140.0.0/14'] }],
  'Pacific/Auckland': [{ country: 'NZ', city: 'Auckland', lat: -36.85, lon: 174.76, isp: 'Spark New Zealand', asn: 4771, cidrs: ['122.56.0.0/14'] }],
  'Africa/Johannesburg': [{ country: 'ZA', city: 'Johannesburg', lat: -26.2, lon: 28.05, isp: 'Telkom SA', asn: 37457, cidrs: ['105.224.0.0/12'] }],
  'Africa/Lagos': [{ country: 'NG', city: 'Lagos', lat: 6.52, lon: 3.38, isp: 'MTN Nigeria', asn: 29465, cidrs: ['105.112.0.0/12'] }],
};

export const CONTINENT_FALLBACK: Readonly<Record<string, string>> = {
  America: 'America/New_York',
  US: 'America/New_York',
  Canada: 'America/Toronto',
  Europe: 'Europe/Berlin',
  Asia: 'Asia/Singapore',
  Australia: 'Australia/Sydney',
  Pacific: 'Pacific/Auckland',
  Africa: 'Africa/Johannesburg',
  Atlantic: 'Europe/London',
  Indian: 'Asia/Kolkata',
  Etc: 'Europe/London',
  UTC: 'Europe/London',
};

export function locationsForZone(zone: string): readonly Location[] {
  const direct = LOCATIONS_BY_ZONE[zone];
  if (direct) return direct;
  const continent = zone.split('/')[0];
  return LOCATIONS_BY_ZONE[CONTINENT_FALLBACK[continent] ?? 'Europe/London'];
}

/**
 * Public EC2 egress blocks per region (from AWS's published ip-ranges, service EC2): where NAT gateways and
 * instances of services running in AWS call the APIs from.
 */
export const AWS_EGRESS_BY_REGION: Readonly<Record<string, readonly string[]>> = {
  'us-east-1': ['3.208.0.0/12', '34.192.0.0/12', '44.192.0.0/11', '52.0.0.0/15', '54.144.0.0/14'],
  'us-east-2': ['3.128.0.0/12', '18.188.0.0/14', '52.14.0.0/16'],
  'us-west-1': ['13.52.0.0/15', '54.176.0.0/15'],
  'us-west-2': ['34.208.0.0/12', '35.160.0.0/13', '44.224.0.0/11', '52.32.0.0/14'],
  'eu-west-1': ['34.240.0.0/13', '52.208.0.0/13', '54.72.0.0/15'],
  'eu-west-2': ['3.8.0.0/14', '18.130.0.0/16', '35.176.0.0/15'],
  'eu-central-1': ['3.120.0.0/14', '18.184.0.0/15', '52.28.0.0/16'],
  'ap-south-1': ['13.232.0.0/14', '65.0.0.0/14'],
  'ap-northeast-1': ['13.112.0.0/14', '18.176.0.0/14', '54.64.0.0/15'],
  'ap-southeast-1': ['13.212.0.0/15', '18.136.0.0/16', '52.74.0.0/16'],
  'ap-southeast-2': ['3.24.0.0/14', '13.54.0.0/15', '54.252.0.0/16'],
  'sa-east-1': ['18.228.0.0/16', '54.232.0.0/16'],
  'ca-central-1': ['3.96.0.0/15', '15.222.0.0/15'],
};

export function awsEgressBlocks(region: string): readonly string[] {
  return AWS_EGRESS_BY_REGION[region] ?? AWS_EGRESS_BY_REGION['us-east-1'];
}
