/**
 * The read-only world: each account's inventory (buckets, instances, roles, keys, log groups, secrets, …), derived
 * from the account id alone so that every worker, and every run, sees the same account. Values are pre-encoded as
 * JSON string content bytes, ready to be copied into records.
 */
import { arenaJson } from '../../encode/assemble/arena.js';
import type { Actor } from '../../population/actor.js';
import { hex } from '../../population/aws-ids.js';
import { Rng } from '../../util/rng.js';

export type Pool = readonly Uint8Array[];

const enc = (values: readonly string[]): Pool => values.map(arenaJson);

/** How object keys in a bucket look; decides the key generator used for that bucket. */
export type BucketStyle = 'lake' | 'logs' | 'artifacts' | 'backups' | 'uploads' | 'state' | 'web' | 'athena';

export interface Bucket {
  readonly name: Uint8Array;
  readonly style: BucketStyle;
  /** Dataset, service or component names used inside keys. */
  readonly topics: readonly string[];
}

export interface RegionalWorld {
  readonly instances: Pool;
  readonly instanceNames: Pool;
  readonly amis: Pool;
  readonly vpcs: Pool;
  readonly subnets: Pool;
  readonly securityGroups: Pool;
  readonly volumes: Pool;
  readonly snapshots: Pool;
  readonly kmsKeyIds: Pool;
  readonly kmsKeyArns: Pool;
  readonly kmsAliases: Pool;
  readonly secretNames: Pool;
  readonly secretArns: Pool;
  readonly functionNames: Pool;
  readonly functionArns: Pool;
  readonly logGroups: Pool;
  readonly tableNames: Pool;
  readonly topicArns: Pool;
  readonly targetGroupArns: Pool;
  readonly ecsClusters: Pool;
  readonly ecsServices: Pool;
  readonly detectorId: Uint8Array;
  readonly availabilityZones: Pool;
  /** Inventory a catalog file adds for itself: built once per account and region from its own random stream. */
  memo<T>(key: string, build: (rng: Rng) => T): T;
}

export interface AccountWorld {
  readonly accountId: Uint8Array;
  readonly accountIdText: string;
  /** The company word resource names start with. */
  readonly company: string;
  readonly buckets: readonly Bucket[];
  readonly roleNames: Pool;
  readonly roleArns: Pool;
  readonly roleIds: Pool;
  readonly users: Pool;
  readonly accessKeys: Pool;
  readonly policyArns: Pool;
  readonly trailArn: Uint8Array;
  readonly params: Pool;
  readonly paramPaths: Pool;
  readonly glueDatabases: Pool;
  readonly glueTables: Pool;
  region(name: string): RegionalWorld;
  /** Inventory a catalog file adds for itself: built once per account from its own random stream. */
  memo<T>(key: string, build: (rng: Rng) => T): T;
}

function memoizer(seed: string): <T>(key: string, build: (rng: Rng) => T) => T {
  const cache = new Map<string, unknown>();
  return <T>(key: string, build: (rng: Rng) => T): T => {
    if (!cache.has(key)) cache.set(key, build(new Rng(seed, `world/memo/${key}`)));
    return cache.get(key) as T;
  };
}

const COMPANY_WORDS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'tyrell', 'cyberdyne', 'soylent', 'wonka', 'vandelay'];
const ENVS = ['prod', 'staging', 'dev'];
export const BUCKET_KINDS: readonly { purpose: string; style: BucketStyle; topics: readonly string[] }[] = [
  { purpose: 'datalake-raw', style: 'lake', topics: ['clickstream', 'orders', 'payments', 'inventory', 'sessions'] },
  { purpose: 'datalake-curated', style: 'lake', topics: ['orders_daily', 'customer_360', 'revenue', 'churn_features'] },
  { purpose: 'app-logs', style: 'logs', topics: ['orders-api', 'payments-api', 'web-frontend', 'auth-service'] },
  { purpose: 'alb-access-logs', style: 'logs', topics: ['public-alb', 'internal-alb'] },
  { purpose: 'build-artifacts', style: 'artifacts', topics: ['orders-api', 'billing-worker', 'web-frontend', 'notifications'] },
  { purpose: 'db-backups', style: 'backups', topics: ['orders-db', 'users-db', 'billing-db'] },
  { purpose: 'user-uploads', style: 'uploads', topics: ['avatars', 'documents', 'invoices'] },
  { purpose: 'terraform-state', style: 'state', topics: ['network', 'eks', 'iam', 'data'] },
  { purpose: 'static-assets', style: 'web', topics: ['app', 'vendor', 'main', 'styles'] },
  { purpose: 'athena-query-results', style: 'athena', topics: ['primary'] },
  { purpose: 'ml-models', style: 'artifacts', topics: ['recommender', 'fraud-detector', 'forecast'] },
  { purpose: 'cloudtrail-logs', style: 'logs', topics: ['cloudtrail'] },
];
const SERVICE_NAMES = ['orders-api', 'payments-api', 'billing-worker', 'notifications', 'search-indexer', 'auth-service', 'web-frontend', 'image-resizer', 'report-generator', 'ec2-reaper'];
const ROLE_NAMES = ['OrganizationAccountAccessRole', 'AWSServiceRoleForECS', 'AWSServiceRoleForAutoScaling', 'AWSServiceRoleForSupport', 'github-actions-deploy', 'terraform-apply', 'readonly-auditor', 'break-glass-admin', 'eks-node-role', 'lambda-basic-execution', 'datadog-integration-role', 'backup-service-role'];
const MANAGED_POLICIES = ['ReadOnlyAccess', 'AdministratorAccess', 'AmazonS3FullAccess', 'AmazonS3ReadOnlyAccess', 'AmazonEC2FullAccess', 'SecurityAudit', 'AWSLambdaBasicExecutionRole', 'CloudWatchLogsFullAccess', 'AmazonSSMManagedInstanceCore', 'PowerUserAccess'];
const INSTANCE_NAME_PARTS = ['web', 'api', 'worker', 'bastion', 'kafka', 'etl', 'jenkins', 'grafana', 'vpn', 'batch'];
const TABLES = ['orders', 'sessions', 'users', 'carts', 'idempotency-keys', 'feature-flags', 'rate-limits'];
const GLUE_DATABASES = ['datalake_raw', 'datalake_curated', 'cloudtrail_logs', 'marketing', 'finance'];
const GLUE_TABLES = ['events', 'orders', 'clickstream', 'customers', 'payments', 'cloudtrail', 'daily_revenue'];

/** Builds account worlds on demand and keeps them: one per account, shared by all actors of a shard. */
export class World {
  private readonly accounts = new Map<string, AccountWorld>();
  private readonly usersByAccount = new Map<string, string[]>();
  private readonly keysByAccount = new Map<string, string[]>();

  constructor(actors: readonly Actor[]) {
    // IAM users of the population are the account's users: targets of GetUser, CreateAccessKey, …
    for (const a of actors) {
      if (a.identity_type !== 'IAMUser') continue;
      let users = this.usersByAccount.get(a.account_id);
      if (!users) this.usersByAccount.set(a.account_id, (users = []));
      users.push(a.user_name);
      let keys = this.keysByAccount.get(a.account_id);
      if (!keys) this.keysByAccount.set(a.account_id, (keys = []));
      if (a.access_key_id) keys.push(a.access_key_id);
    }
  }

  account(accountId: string): AccountWorld {
    let w = this.accounts.get(accountId);
    if (!w) {
      w = buildAccount(accountId, this.usersByAccount.get(accountId) ?? [], this.keysByAccount.get(accountId) ?? []);
      this.accounts.set(accountId, w);
    }
    return w;
  }
}

function buildAccount(accountId: string, users: string[], keys: string[]): AccountWorld {
  const rng = new Rng(accountId, 'world/account');
  const company = COMPANY_WORDS[rng.int(COMPANY_WORDS.length)];
  const buckets: Bucket[] = [];
  for (const kind of BUCKET_KINDS) {
    if (!rng.chance(0.8)) continue;
    const env = ENVS[rng.int(ENVS.length)];
    const name = rng.chance(0.5) ? `${company}-${kind.purpose}-${env}` : `${company}-${kind.purpose}-${accountId}`;
    buckets.push({ name: arenaJson(name), style: kind.style, topics: kind.topics });
  }
  if (buckets.length === 0) buckets.push({ name: arenaJson(`${company}-data-${accountId}`), style: 'lake', topics: ['events'] });
  const roleNames = [...ROLE_NAMES];
  const userNames = users.length > 0 ? users : ['ci-deploy', 'terraform', 'backup-operator'];
  const accessKeys = keys.length > 0 ? keys : userNames.map(() => `AKIA${hex(rng, 16).toUpperCase()}`);
  const regions = new Map<string, RegionalWorld>();
  return {
    accountId: arenaJson(accountId),
    accountIdText: accountId,
    company,
    buckets,
    roleNames: enc(roleNames),
    roleArns: enc(roleNames.map((r) => `arn:aws:iam::${accountId}:role/${r.startsWith('AWSServiceRoleFor') ? `aws-service-role/${serviceRolePrincipal(r)}/` : ''}${r}`)),
    roleIds: enc(roleNames.map(() => `AROA${base32(rng, 17)}`)),
    users: enc(userNames),
    accessKeys: enc(accessKeys),
    policyArns: enc([...MANAGED_POLICIES.map((p) => `arn:aws:iam::aws:policy/${p === 'AWSLambdaBasicExecutionRole' || p === 'AmazonSSMManagedInstanceCore' ? `service-role/${p}` : p}`), `arn:aws:iam::${accountId}:policy/${company}-s3-data-access`, `arn:aws:iam::${accountId}:policy/${company}-deploy`]),
    trailArn: arenaJson(`arn:aws:cloudtrail:us-east-1:${accountId}:trail/${company}-org-trail`),
    params: enc(SERVICE_NAMES.flatMap((s) => [`/${ENVS[0]}/${s}/db-host`, `/${ENVS[0]}/${s}/api-key`, `/${ENVS[1]}/${s}/db-host`])),
    paramPaths: enc(SERVICE_NAMES.map((s) => `/${ENVS[rng.int(2)]}/${s}/`)),
    glueDatabases: enc(GLUE_DATABASES),
    glueTables: enc(GLUE_TABLES),
    memo: memoizer(accountId),
    region(name: string) {
      let r = regions.get(name);
      if (!r) regions.set(name, (r = buildRegion(accountId, name, company)));
      return r;
    },
  };
}

function serviceRolePrincipal(role: string): string {
  const map: Record<string, string> = {
    AWSServiceRoleForECS: 'ecs.amazonaws.com',
    AWSServiceRoleForAutoScaling: 'autoscaling.amazonaws.com',
    AWSServiceRoleForSupport: 'support.amazonaws.com',
  };
  return map[role] ?? 'iam.amazonaws.com';
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += BASE32[rng.int(32)];
  return s;
}

const uuid = (rng: Rng) => `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${'89ab'[rng.int(4)]}${hex(rng, 3)}-${hex(rng, 12)}`;
const ids = (rng: Rng, prefix: string, n: number) => Array.from({ length: n }, () => `${prefix}-0${hex(rng, 16)}`);

function buildRegion(accountId: string, region: string, company: string): RegionalWorld {
  const rng = new Rng(accountId, `world/region/${region}`);
  const instanceCount = rng.range(8, 40);
  const instances = ids(rng, 'i', instanceCount);
  const instanceNames = instances.map(() => `${INSTANCE_NAME_PARTS[rng.int(INSTANCE_NAME_PARTS.length)]}-${ENVS[rng.int(ENVS.length)]}-${rng.range(1, 12)}`);
  const keyIds = Array.from({ length: rng.range(3, 8) }, () => uuid(rng));
  const aliases = ['alias/aws/s3', 'alias/aws/secretsmanager', 'alias/aws/ebs', `alias/${company}-data`, `alias/${company}-app`];
  const secrets = SERVICE_NAMES.slice(0, rng.range(4, SERVICE_NAMES.length)).flatMap((s) => [`prod/${s}/db-credentials`, `prod/${s}/api-token`]);
  const secretArns = secrets.map((s) => `arn:aws:secretsmanager:${region}:${accountId}:secret:${s}-${base62(rng, 6)}`);
  const functions = SERVICE_NAMES.filter(() => rng.chance(0.6)).map((s) => `${s}-handler`);
  if (functions.length === 0) functions.push('default-handler');
  const tables = TABLES.map((t) => `${t}-${ENVS[rng.int(2)]}`);
  const clusters = [`${company}-prod`, `${company}-staging`];
  return {
    instances: enc(instances),
    instanceNames: enc(instanceNames),
    amis: enc(ids(rng, 'ami', 4)),
    vpcs: enc(ids(rng, 'vpc', 2)),
    subnets: enc(ids(rng, 'subnet', 6)),
    securityGroups: enc(ids(rng, 'sg', 8)),
    volumes: enc(ids(rng, 'vol', instanceCount + 4)),
    snapshots: enc(ids(rng, 'snap', 12)),
    kmsKeyIds: enc(keyIds),
    kmsKeyArns: enc(keyIds.map((k) => `arn:aws:kms:${region}:${accountId}:key/${k}`)),
    kmsAliases: enc(aliases),
    secretNames: enc(secrets),
    secretArns: enc(secretArns),
    functionNames: enc(functions),
    functionArns: enc(functions.map((f) => `arn:aws:lambda:${region}:${accountId}:function:${f}`)),
    logGroups: enc([...functions.map((f) => `/aws/lambda/${f}`), ...SERVICE_NAMES.slice(0, 5).map((s) => `/ecs/${s}`), `/aws/rds/cluster/${company}-orders/postgresql`, 'API-Gateway-Execution-Logs_prod']),
    tableNames: enc(tables),
    topicArns: enc(['alerts', 'deployments', 'order-events'].map((t) => `arn:aws:sns:${region}:${accountId}:${t}`)),
    targetGroupArns: enc(SERVICE_NAMES.slice(0, 4).map((s) => `arn:aws:elasticloadbalancing:${region}:${accountId}:targetgroup/${s}-tg/${hex(rng, 16)}`)),
    ecsClusters: enc(clusters),
    ecsServices: enc(SERVICE_NAMES.slice(0, 6)),
    detectorId: arenaJson(hex(rng, 32)),
    availabilityZones: enc(['a', 'b', 'c'].map((z) => `${region}${z}`)),
    memo: memoizer(`${accountId}/${region}`),
  };
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function base62(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += BASE62[rng.int(62)];
  return s;
}
