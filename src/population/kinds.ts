/**
 * The vocabulary of the actor population: the human roles and service profiles that actors.toml names, with the
 * defaults a population gets when actors.toml does not override them.
 */

export const HUMAN_ROLES = ['admin', 'developer', 'readonly', 'auditor'] as const;
export type HumanRole = (typeof HUMAN_ROLES)[number];

export const SERVICE_PROFILES = ['generic', 'ec2_reaper', 'datalake_bot', 'logs_shipper', 'metrics_collector'] as const;
export type ServiceProfile = (typeof SERVICE_PROFILES)[number];

export const ACTIVITY_PATTERNS = ['constant', 'diurnal', 'bursty'] as const;
export type ActivityPattern = (typeof ACTIVITY_PATTERNS)[number];

export const DEFAULT_ROLE_WEIGHTS: Readonly<Record<HumanRole, number>> = {
  admin: 0.1,
  developer: 0.5,
  readonly: 0.25,
  auditor: 0.15,
};

/** Events per hour at the peak of a working day, before the hot-actor multiplier. */
export const DEFAULT_ROLE_RATES_PER_HOUR: Readonly<Record<HumanRole, number>> = {
  admin: 24,
  developer: 36,
  readonly: 12,
  auditor: 8,
};

export interface ServiceProfileDefaults {
  readonly weight: number;
  readonly pattern: ActivityPattern;
}

export const DEFAULT_SERVICE_PROFILES: Readonly<Record<ServiceProfile, ServiceProfileDefaults>> = {
  generic: { weight: 0.3, pattern: 'diurnal' },
  ec2_reaper: { weight: 0.1, pattern: 'bursty' },
  datalake_bot: { weight: 0.25, pattern: 'bursty' },
  logs_shipper: { weight: 0.2, pattern: 'constant' },
  metrics_collector: { weight: 0.15, pattern: 'constant' },
};

/** A global organisation by default: most staff in the Americas and Europe, some in Asia-Pacific. */
export const DEFAULT_TIMEZONES: readonly { name: string; weight: number }[] = [
  { name: 'America/Los_Angeles', weight: 0.22 },
  { name: 'America/New_York', weight: 0.24 },
  { name: 'America/Sao_Paulo', weight: 0.04 },
  { name: 'Europe/London', weight: 0.14 },
  { name: 'Europe/Berlin', weight: 0.12 },
  { name: 'Asia/Kolkata', weight: 0.12 },
  { name: 'Asia/Tokyo', weight: 0.06 },
  { name: 'Australia/Sydney', weight: 0.06 },
];
