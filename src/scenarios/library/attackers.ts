/**
 * The attacker's side of an instance, as data: where attacks come from (hosting providers and anonymisers that
 * threat reports keep naming for cloud-credential abuse and SSH brute force) and the clients they use. One address
 * and one client per instance, so every source sees the same attacker.
 */

/** Networks attacks come from: [CIDR, who runs it]. */
export const ATTACKER_NETWORKS: readonly (readonly [string, string])[] = [
  ['159.89.0.0/16', 'DigitalOcean (AS14061)'],
  ['104.248.0.0/16', 'DigitalOcean (AS14061)'],
  ['51.75.0.0/16', 'OVH (AS16276)'],
  ['95.216.0.0/16', 'Hetzner Online (AS24940)'],
  ['5.161.0.0/16', 'Hetzner Online (AS213230)'],
  ['185.220.100.0/22', 'Tor exit relays'],
  ['45.155.204.0/22', 'VPS hosting'],
  ['193.32.162.0/24', 'VPS hosting'],
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
