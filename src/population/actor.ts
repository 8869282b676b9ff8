/**
 * An actor: a person or a service account, with everything that stays stable across every record it produces.
 * This flat shape is what `seclog actors` writes to Parquet (one column per field) and what `gen` reads back.
 */
import type { ActivityPattern, HumanRole, ServiceProfile } from './kinds.js';
import type { ClientKind } from './data/user-agents.js';

export type ActorKind = 'human' | 'service';
/** How the actor authenticates: IAM Identity Center (SSO) roles, IAM users with keys, or service roles. */
export type IdentityStyle = 'sso' | 'iam_user' | 'service_role';
/** Where a service runs, which decides who assumes its role (`invokedBy`) and its session name. */
export type ServiceRuntime = 'ec2' | 'lambda' | 'ecs';

export interface Actor {
  id: string;
  kind: ActorKind;
  role: HumanRole | null;
  service_profile: ServiceProfile | null;
  pattern: ActivityPattern;
  hot: boolean;
  /** Events per hour at the actor's peak (working hours for people), hot multiplier included. */
  rate_per_hour: number;
  /** Probability that one of the actor's calls fails (before per-event overrides from config). */
  error_rate: number;
  timezone: string;
  /** Local working hours, as fractional hours of the day. */
  work_start_hour: number;
  work_end_hour: number;
  /** Activity on Saturdays and Sundays relative to a weekday. */
  weekend_factor: number;
  account_id: string;
  display_name: string;
  email: string | null;
  identity_style: IdentityStyle;
  /** `IAMUser` or `AssumedRole`, as CloudTrail's userIdentity.type will show it. */
  identity_type: 'IAMUser' | 'AssumedRole';
  /** IAM user name (IAMUser) or role name (AssumedRole). */
  user_name: string;
  /** The IAM user ARN, or for roles the role ARN (the session issuer). */
  identity_arn: string;
  /** AIDA… for users, AROA… for roles. */
  principal_id: string;
  /** Role session name for AssumedRole actors (email, instance id, function name). */
  session_name: string | null;
  /** Long-term AKIA… key of IAM users. */
  access_key_id: string | null;
  mfa: boolean;
  runtime: ServiceRuntime | null;
  /** Share of a person's sessions that are console sessions (rest: CLI). */
  console_share: number;
  console_user_agent: string | null;
  /** Client used outside the console: `cli` for people, an SDK or terraform for services. */
  api_client: ClientKind;
  api_user_agent: string;
  /** Network the actor calls from: a home/office ISP block for people, an AWS egress address for services. */
  ip_cidr: string;
  home_region: string;
  country: string;
  city: string;
  latitude: number;
  longitude: number;
  isp: string;
  asn: number;
  // Derived (population/organisation.ts): the same for a file written before these columns existed.
  department: string | null;
  title: string | null;
  /** The id of the person this one reports to (null: heads a department, or a service). */
  manager_id: string | null;
  /** The organisation's identity provider as actors.toml sets it (`okta`, `entra`, `both`, `none`); null: unset. */
  identity_provider: string | null;
  /** Okta user id (`00u…`; services: the OAuth service app's `0oa…` client id). Login = e-mail. */
  okta_id: string;
  /** Entra ID object id (UPN = e-mail). */
  entra_object_id: string;
  ad_sam_account_name: string;
  ad_sid: string;
  linux_user: string;
  linux_uid: number;
  /** A person's workstation: hostname, operating system, address in the office LAN. */
  workstation_hostname: string | null;
  workstation_os: string | null;
  workstation_ip: string | null;
}

/**
 * The actor as one object literal with every field in declaration order. Actors built field by field, or cloned
 * into a worker, end up with a hundred hidden classes between them, which makes every `actor.x` on the hot path a
 * megamorphic lookup; objects from this one literal share a single shape.
 */
export function canonicalActor(a: Actor): Actor {
  return {
    id: a.id,
    kind: a.kind,
    role: a.role,
    service_profile: a.service_profile,
    pattern: a.pattern,
    hot: a.hot,
    rate_per_hour: a.rate_per_hour,
    error_rate: a.error_rate,
    timezone: a.timezone,
    work_start_hour: a.work_start_hour,
    work_end_hour: a.work_end_hour,
    weekend_factor: a.weekend_factor,
    account_id: a.account_id,
    display_name: a.display_name,
    email: a.email,
    identity_style: a.identity_style,
    identity_type: a.identity_type,
    user_name: a.user_name,
    identity_arn: a.identity_arn,
    principal_id: a.principal_id,
    session_name: a.session_name,
    access_key_id: a.access_key_id,
    mfa: a.mfa,
    runtime: a.runtime,
    console_share: a.console_share,
    console_user_agent: a.console_user_agent,
    api_client: a.api_client,
    api_user_agent: a.api_user_agent,
    ip_cidr: a.ip_cidr,
    home_region: a.home_region,
    country: a.country,
    city: a.city,
    latitude: a.latitude,
    longitude: a.longitude,
    isp: a.isp,
    asn: a.asn,
    department: a.department,
    title: a.title,
    manager_id: a.manager_id,
    identity_provider: a.identity_provider,
    okta_id: a.okta_id,
    entra_object_id: a.entra_object_id,
    ad_sam_account_name: a.ad_sam_account_name,
    ad_sid: a.ad_sid,
    linux_user: a.linux_user,
    linux_uid: a.linux_uid,
    workstation_hostname: a.workstation_hostname,
    workstation_os: a.workstation_os,
    workstation_ip: a.workstation_ip,
  };
}

export interface Population {
  actors: Actor[];
  account_ids: string[];
}

/** Parquet column types (DuckDB type names), in column order. The single source for writing and reading. */
export const ACTOR_COLUMNS: readonly (readonly [keyof Actor, string])[] = [
  ['id', 'VARCHAR'],
  ['kind', 'VARCHAR'],
  ['role', 'VARCHAR'],
  ['service_profile', 'VARCHAR'],
  ['pattern', 'VARCHAR'],
  ['hot', 'BOOLEAN'],
  ['rate_per_hour', 'DOUBLE'],
  ['error_rate', 'DOUBLE'],
  ['timezone', 'VARCHAR'],
  ['work_start_hour', 'DOUBLE'],
  ['work_end_hour', 'DOUBLE'],
  ['weekend_factor', 'DOUBLE'],
  ['account_id', 'VARCHAR'],
  ['display_name', 'VARCHAR'],
  ['email', 'VARCHAR'],
  ['identity_style', 'VARCHAR'],
  ['identity_type', 'VARCHAR'],
  ['user_name', 'VARCHAR'],
  ['identity_arn', 'VARCHAR'],
  ['principal_id', 'VARCHAR'],
  ['session_name', 'VARCHAR'],
  ['access_key_id', 'VARCHAR'],
  ['mfa', 'BOOLEAN'],
  ['runtime', 'VARCHAR'],
  ['console_share', 'DOUBLE'],
  ['console_user_agent', 'VARCHAR'],
  ['api_client', 'VARCHAR'],
  ['api_user_agent', 'VARCHAR'],
  ['ip_cidr', 'VARCHAR'],
  ['home_region', 'VARCHAR'],
  ['country', 'VARCHAR'],
  ['city', 'VARCHAR'],
  ['latitude', 'DOUBLE'],
  ['longitude', 'DOUBLE'],
  ['isp', 'VARCHAR'],
  ['asn', 'INTEGER'],
  ['department', 'VARCHAR'],
  ['title', 'VARCHAR'],
  ['manager_id', 'VARCHAR'],
  ['identity_provider', 'VARCHAR'],
  ['okta_id', 'VARCHAR'],
  ['entra_object_id', 'VARCHAR'],
  ['ad_sam_account_name', 'VARCHAR'],
  ['ad_sid', 'VARCHAR'],
  ['linux_user', 'VARCHAR'],
  ['linux_uid', 'INTEGER'],
  ['workstation_hostname', 'VARCHAR'],
  ['workstation_os', 'VARCHAR'],
  ['workstation_ip', 'VARCHAR'],
];
