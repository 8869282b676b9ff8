/**
 * The attacker's side of an instance, as data: where attacks come from (hosting providers and anonymisers that
 * threat reports keep naming for cloud-credential abuse and SSH brute force) and the clients they use. One address
 * and one client per instance, so every source sees the same attacker.
 */
import type { Attacker } from '../../traffic/shard-source.js';

/** A network attacks come from: its range, who runs it and where it is, as IP-intelligence services place it. */
export type AttackerNetwork = Omit<Attacker, 'ip' | 'agent' | 'browser'> & { readonly cidr: string };

export const ATTACKER_NETWORKS: readonly AttackerNetwork[] = [
  { cidr: '159.89.0.0/16', org: 'DigitalOcean, LLC', asn: 14061, country: 'Germany', countryCode: 'DE', state: 'Hesse', city: 'Frankfurt am Main', latitude: 50.1155, longitude: 8.6842, proxy: false },
  { cidr: '104.248.0.0/16', org: 'DigitalOcean, LLC', asn: 14061, country: 'Netherlands', countryCode: 'NL', state: 'North Holland', city: 'Amsterdam', latitude: 52.3759, longitude: 4.8975, proxy: false },
  { cidr: '51.75.0.0/16', org: 'OVH SAS', asn: 16276, country: 'France', countryCode: 'FR', state: 'Hauts-de-France', city: 'Roubaix', latitude: 50.6942, longitude: 3.1746, proxy: false },
  { cidr: '95.216.0.0/16', org: 'Hetzner Online GmbH', asn: 24940, country: 'Finland', countryCode: 'FI', state: 'Uusimaa', city: 'Helsinki', latitude: 60.1797, longitude: 24.9344, proxy: false },
  { cidr: '5.161.0.0/16', org: 'Hetzner Online GmbH', asn: 213230, country: 'United States', countryCode: 'US', state: 'Virginia', city: 'Ashburn', latitude: 39.0469, longitude: -77.4903, proxy: false },
  { cidr: '185.220.100.0/22', org: 'Zwiebelfreunde e.V.', asn: 205100, country: 'Germany', countryCode: 'DE', state: 'Bavaria', city: 'Nuremberg', latitude: 49.4478, longitude: 11.0683, proxy: true },
  { cidr: '45.155.204.0/22', org: 'Pfcloud UG', asn: 51396, country: 'Netherlands', countryCode: 'NL', state: 'North Holland', city: 'Amsterdam', latitude: 52.3759, longitude: 4.8975, proxy: false },
  { cidr: '193.32.162.0/24', org: 'MivoCloud SRL', asn: 39798, country: 'Moldova', countryCode: 'MD', state: 'Chisinau Municipality', city: 'Chisinau', latitude: 47.0056, longitude: 28.8575, proxy: false },
];

/**
 * Clients of cloud-API attacks: tooling on the attacker's own machine (Kali and Parrot builds are what GuardDuty's
 * PenTest findings look for), and the SDKs of scripts. One per instance.
 */
export const ATTACKER_AGENTS: readonly string[] = [
  'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.6.9-amd64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#kali.2024 md/prompt#off',
  'Boto3/1.34.51 md/Botocore#1.34.51 ua/2.0 os/linux#6.5.0-kali3-amd64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.51',
  'Boto3/1.28.85 md/Botocore#1.31.85 ua/2.0 os/linux#5.15.0-1051-aws md/arch#x86_64 lang/python#3.10.12 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.31.85',
  'aws-sdk-go-v2/1.24.1 os/linux lang/go#1.21.6 md/GOOS#linux md/GOARCH#amd64',
  'aws-cli/1.29.62 Python/3.11.6 Linux/6.5.0-parrot1-amd64 botocore/1.31.62',
];

/** The browser of an attacker who signs in with stolen credentials (console, identity provider). */
export const ATTACKER_BROWSERS: readonly string[] = [
  'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
];
