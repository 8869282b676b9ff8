/**
 * Builds the actor population from actors.toml: a pure function of the config (and its seed).
 */
import type { ActorsConfig } from './config.js';
import { deriveOrganisation, type BaseActor } from './organisation.js';
import { AliasTable, Rng, WeightedPicker } from '../util/rng.js';
import { canonicalActor, type IdentityStyle, type Population, type ServiceRuntime } from './actor.js';
import { accountIdFrom, hex, roleUniqueId, userUniqueId, accessKeyId } from './aws-ids.js';
import { NAMES, regionForZone } from './data/names.js';
import { awsEgressBlocks, locationsForZone } from './data/networks.js';
import { DEFAULT_REGIONS, REGION_GEO } from './data/regions.js';
import { USER_AGENT_BUILDERS, type ClientKind } from './data/user-agents.js';
import {
  DEFAULT_ROLE_RATES_PER_HOUR,
  DEFAULT_ROLE_WEIGHTS,
  DEFAULT_SERVICE_PROFILES,
  DEFAULT_TIMEZONES,
  HUMAN_ROLES,
  SERVICE_PROFILES,
  type ActivityPattern,
  type HumanRole,
  type ServiceProfile,
} from './kinds.js';
import { randomAddressIn, randomSubnetIn } from './cidr.js';
import { mergeShares } from './shares.js';

/** IAM Identity Center permission set each role signs in with. */
const PERMISSION_SETS: Readonly<Record<HumanRole, string>> = {
  admin: 'AdministratorAccess',
  developer: 'PowerUserAccess',
  readonly: 'ReadOnlyAccess',
  auditor: 'SecurityAudit',
};

/** Share of sessions people of each role run in the console rather than the CLI. */
const CONSOLE_SHARE: Readonly<Record<HumanRole, number>> = { admin: 0.35, developer: 0.25, readonly: 0.75, auditor: 0.55 };

interface ServiceShape {
  readonly names: readonly string[];
  readonly runtimes: readonly ServiceRuntime[];
  readonly clients: readonly ClientKind[];
}

/** How each service profile looks in IAM: role base names, where it runs, which SDK it calls with. */
const SERVICE_SHAPES: Readonly<Record<ServiceProfile, ServiceShape>> = {
  generic: { names: ['app-backend', 'orders-api', 'billing-worker', 'web-frontend', 'notifications', 'search-indexer', 'payments-api', 'auth-service'], runtimes: ['ec2', 'lambda', 'ecs'], clients: ['boto3', 'java', 'js', 'go'] },
  ec2_reaper: { names: ['ec2-reaper', 'instance-janitor', 'idle-instance-stopper', 'snapshot-cleaner'], runtimes: ['lambda'], clients: ['boto3', 'js'] },
  datalake_bot: { names: ['datalake-ingest', 'etl-nightly', 'glue-crawler-runner', 'lakehouse-compactor', 'spark-batch'], runtimes: ['ec2', 'ecs'], clients: ['java', 'boto3'] },
  logs_shipper: { names: ['logs-shipper', 'fluentbit-forwarder', 'log-archiver', 'vector-agent'], runtimes: ['ecs', 'ec2'], clients: ['go'] },
  metrics_collector: { names: ['metrics-collector', 'cloudwatch-exporter', 'datadog-integration', 'cost-reporter'], runtimes: ['ec2', 'ecs'], clients: ['go', 'boto3'] },
};

const ENV_SUFFIXES = ['prod', 'staging', 'dev', 'eu', 'us', 'blue', 'green', 'shared', 'ops', 'analytics'];

export function buildPopulation(config: ActorsConfig, seed: number | bigint | string): Population {
  const p = config.population;
  const rng = (stream: string) => new Rng(seed, `population/${stream}`);

  const accountRng = rng('accounts');
  const accountIds = p.account_ids ? [...p.account_ids] : uniqueAccounts(accountRng, p.account_count);

  const zones = config.timezone_distribution ?? DEFAULT_TIMEZONES;
  const zonePicker = new WeightedPicker(zones.map((z) => z.name), zones.map((z) => z.weight));

  const roleWeights = mergeShares(HUMAN_ROLES, DEFAULT_ROLE_WEIGHTS, p.role_distribution);
  const rolePicker = new WeightedPicker(HUMAN_ROLES, HUMAN_ROLES.map((r) => roleWeights[r]));
  const roleRates = { ...DEFAULT_ROLE_RATES_PER_HOUR };
  for (const r of p.role_rates_per_hour ?? []) roleRates[r.name] = r.rate_per_hour;

  const profileWeights = mergeShares(SERVICE_PROFILES, Object.fromEntries(SERVICE_PROFILES.map((n) => [n, DEFAULT_SERVICE_PROFILES[n].weight])) as Record<ServiceProfile, number>, p.service_profiles);
  const profiles = SERVICE_PROFILES.map((name) => {
    const listed = p.service_profiles?.find((sp) => sp.name === name);
    return {
      name,
      weight: profileWeights[name],
      rate: listed?.rate_per_hour ?? p.service_rate_per_hour,
      pattern: listed?.pattern ?? DEFAULT_SERVICE_PROFILES[name].pattern,
    };
  });
  const profilePicker = new AliasTable(profiles.map((sp) => sp.weight));

  const serviceCount = Math.round(p.actor_count * p.service_ratio);
  const humanCount = p.actor_count - serviceCount;
  const hotCount = Math.round(p.actor_count * p.hot_actor_ratio);
  const hot = chooseHot(rng('hot'), p.actor_count, hotCount);

  const usedNames = new Set<string>();
  const ssoRoles = new Map<string, { arn: string; principal: string; name: string }>();
  const ssoRng = rng('sso-roles');
  const actors: BaseActor[] = [];

  for (let i = 0; i < p.actor_count; i++) {
    const r = rng(`actor/${i}`);
    const isService = i >= humanCount;
    const account = accountIds[r.int(accountIds.length)];
    const zone = zonePicker.pick(r);
    const id = `${isService ? 'svc' : 'usr'}-${String(i).padStart(6, '0')}`;
    const multiplier = hot.has(i) ? p.hot_actor_multiplier : 1;
    const actor = isService
      ? buildService(r, { id, account, zone, multiplier, usedNames, profile: profiles[profilePicker.pick(r)] })
      : buildHuman(r, { id, account, zone, multiplier, usedNames, ssoRoles, ssoRng, emailDomain: p.email_domain, role: rolePicker.pick(r), roleRates });
    actor.hot = hot.has(i);
    actors.push(actor);
  }
  return { actors: deriveOrganisation(actors, p.identity_provider ?? null).map(canonicalActor), account_ids: accountIds };
}

function uniqueAccounts(rng: Rng, count: number): string[] {
  const out = new Set<string>();
  while (out.size < count) out.add(accountIdFrom(rng));
  return [...out];
}

function chooseHot(rng: Rng, n: number, k: number): Set<number> {
  // Partial Fisher-Yates: exactly k distinct actors.
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return new Set(idx.slice(0, k));
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const round = (x: number, digits: number) => Number(x.toFixed(digits));

function uniqueName(base: string, used: Set<string>): string {
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}${n}`;
  used.add(name);
  return name;
}

function locate(r: Rng, zone: string) {
  const locations = locationsForZone(zone);
  return locations[r.int(locations.length)];
}

interface HumanArgs {
  id: string;
  account: string;
  zone: string;
  multiplier: number;
  usedNames: Set<string>;
  ssoRoles: Map<string, { arn: string; principal: string; name: string }>;
  ssoRng: Rng;
  emailDomain: string;
  role: HumanRole;
  roleRates: Record<HumanRole, number>;
}

function buildHuman(r: Rng, a: HumanArgs): BaseActor {
  const names = NAMES[regionForZone(a.zone)];
  const given = r.pick(names.given);
  const family = r.pick(names.family);
  const handle = uniqueName(`${given}.${family}`.toLowerCase().replace(/[^a-z.]/g, ''), a.usedNames);
  const email = `${handle}@${a.emailDomain}`;
  const style: IdentityStyle = r.chance(0.6) ? 'sso' : 'iam_user';
  const loc = locate(r, a.zone);
  const start = clamp(8.75 + 0.8 * r.normal(), 6, 11);
  const length = clamp(8.5 + 0.7 * r.normal(), 6, 11);
  const base = {
    id: a.id,
    kind: 'human' as const,
    role: a.role,
    service_profile: null,
    pattern: 'diurnal' as ActivityPattern,
    hot: false,
    rate_per_hour: round(a.roleRates[a.role] * a.multiplier, 4),
    error_rate: round(clamp(r.logNormal(a.role === 'admin' ? 0.012 : 0.02, 0.6), 0.002, 0.25), 5),
    timezone: a.zone,
    work_start_hour: round(start, 2),
    work_end_hour: round(start + length, 2),
    weekend_factor: round(a.role === 'admin' ? 0.08 + 0.17 * r.float() : 0.03 + 0.09 * r.float(), 3),
    account_id: a.account,
    display_name: `${given} ${family}`,
    email,
    console_share: round(clamp(CONSOLE_SHARE[a.role] + 0.15 * r.normal(), 0.05, 0.95), 3),
    console_user_agent: USER_AGENT_BUILDERS.console(r),
    api_client: (a.role === 'admin' && r.chance(0.25) ? 'terraform' : 'cli') as ClientKind,
    api_user_agent: '',
    ip_cidr: randomSubnetIn(r, r.pick(loc.cidrs), 28),
    home_region: pickDefaultRegion(r),
    country: loc.country,
    city: loc.city,
    latitude: loc.lat,
    longitude: loc.lon,
    isp: loc.isp,
    asn: loc.asn,
    runtime: null,
  };
  base.api_user_agent = USER_AGENT_BUILDERS[base.api_client](r);
  if (style === 'sso') {
    const key = `${a.account}/${a.role}`;
    let role = a.ssoRoles.get(key);
    if (!role) {
      const name = `AWSReservedSSO_${PERMISSION_SETS[a.role]}_${hex(a.ssoRng, 16)}`;
      role = { name, arn: `arn:aws:iam::${a.account}:role/aws-reserved/sso.amazonaws.com/${name}`, principal: roleUniqueId(a.ssoRng) };
      a.ssoRoles.set(key, role);
    }
    return { ...base, identity_style: style, identity_type: 'AssumedRole', user_name: role.name, identity_arn: role.arn, principal_id: role.principal, session_name: email, access_key_id: null, mfa: true };
  }
  return {
    ...base,
    identity_style: style,
    identity_type: 'IAMUser',
    user_name: handle,
    identity_arn: `arn:aws:iam::${a.account}:user/${handle}`,
    principal_id: userUniqueId(r),
    session_name: null,
    access_key_id: accessKeyId(r, false),
    mfa: r.chance(0.7),
  };
}

interface ServiceArgs {
  id: string;
  account: string;
  zone: string;
  multiplier: number;
  usedNames: Set<string>;
  profile: { name: ServiceProfile; rate: number; pattern: ActivityPattern };
}

function buildService(r: Rng, a: ServiceArgs): BaseActor {
  const shape = SERVICE_SHAPES[a.profile.name];
  const baseName = r.pick(shape.names);
  const roleName = uniqueName(`${baseName}-${r.pick(ENV_SUFFIXES)}-role`, a.usedNames);
  const runtime = r.pick(shape.runtimes);
  const client = r.pick(shape.clients);
  const region = pickDefaultRegion(r);
  const egress = randomAddressIn(r, r.pick(awsEgressBlocks(region)));
  const geo = REGION_GEO[region] ?? REGION_GEO['us-east-1'];
  const sessionName = runtime === 'ec2' ? `i-0${hex(r, 16)}` : runtime === 'lambda' ? roleName.replace(/-role$/, '') : hex(r, 32);
  return {
    id: a.id,
    kind: 'service',
    role: null,
    service_profile: a.profile.name,
    pattern: a.profile.pattern,
    hot: false,
    rate_per_hour: round(a.profile.rate * a.multiplier, 4),
    error_rate: round(clamp(r.logNormal(0.005, 0.8), 0.0005, 0.2), 5),
    timezone: a.zone,
    work_start_hour: 0,
    work_end_hour: 24,
    weekend_factor: a.profile.pattern === 'constant' ? 1 : a.profile.pattern === 'diurnal' ? 0.6 : 0.8,
    account_id: a.account,
    display_name: `${roleName.replace(/-role$/, '')} (${runtime})`,
    email: null,
    identity_style: 'service_role',
    identity_type: 'AssumedRole',
    user_name: roleName,
    identity_arn: `arn:aws:iam::${a.account}:role/${roleName}`,
    principal_id: roleUniqueId(r),
    session_name: sessionName,
    access_key_id: null,
    mfa: false,
    runtime,
    console_share: 0,
    console_user_agent: null,
    api_client: client,
    api_user_agent: USER_AGENT_BUILDERS[client](r),
    ip_cidr: `${egress}/32`,
    home_region: region,
    country: geo.country,
    city: geo.city,
    latitude: geo.lat,
    longitude: geo.lon,
    isp: 'Amazon.com, Inc.',
    asn: 16509,
  };
}

const defaultRegionTable = new AliasTable(DEFAULT_REGIONS.map((r) => r.weight));
function pickDefaultRegion(r: Rng): string {
  return DEFAULT_REGIONS[defaultRegionTable.pick(r)].name;
}
