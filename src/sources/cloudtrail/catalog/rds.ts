/**
 * Amazon RDS: instances, Aurora clusters, snapshots. Changes are rare and come from admins (and from the
 * automation that stops idle dev databases at night); deletions, snapshot sharing and restores into new instances
 * are the moves of someone taking data out, so they stay very rare.
 *
 * Every account holds, per region, a few standalone instances and Aurora clusters (`rds.*` inventory, built once).
 * The slots of one record all read the same choice: the first `rds.*` slot a record resolves picks the instance,
 * cluster or snapshot, and the others read it back.
 */
import { fmt, opt, raw, ref, type Layout, type Slots, type SlotValue } from '../../../encode/layout/index.js';
import type { Rng } from '../../../util/rng.js';
import type { EventContext } from '../context.js';
import { text } from '../slot-values.js';
import { dangerous } from './baseline.js';
import { type CatalogGroup, type ErrorSpec, type EventSpec, deniedOn } from './types.js';

// ---- inventory ---------------------------------------------------------------------------------------------------

interface EngineVersion {
  readonly engine: string;
  readonly version: string;
  readonly paramGroup: string;
  readonly optionGroup: string;
  readonly port: number;
  readonly license: string;
  readonly master: string;
}

const mysql = (version: string): EngineVersion => {
  const major = version.startsWith('8.4') ? '8.4' : '8.0';
  return { engine: 'mysql', version, paramGroup: `default.mysql${major}`, optionGroup: `default:mysql-${major.replace('.', '-')}`, port: 3306, license: 'general-public-license', master: 'admin' };
};
const postgres = (version: string): EngineVersion => {
  const major = version.split('.')[0];
  return { engine: 'postgres', version, paramGroup: `default.postgres${major}`, optionGroup: `default:postgres-${major}`, port: 5432, license: 'postgresql-license', master: 'postgres' };
};
const mariadb = (version: string): EngineVersion => ({ engine: 'mariadb', version, paramGroup: 'default.mariadb10.11', optionGroup: 'default:mariadb-10-11', port: 3306, license: 'general-public-license', master: 'admin' });
const ENGINES: readonly EngineVersion[] = [
  postgres('16.4'),
  postgres('16.6'),
  postgres('15.8'),
  postgres('17.2'),
  mysql('8.0.39'),
  mysql('8.0.40'),
  mysql('8.0.41'),
  mysql('8.4.4'),
  mariadb('10.11.10'),
];
const MYSQL_VERSIONS = ['8.0.39', '8.0.40', '8.0.41'];

interface AuroraEngine {
  readonly engine: string;
  readonly version: string;
  readonly paramGroup: string;
  readonly port: number;
  readonly master: string;
}
const AURORA: readonly AuroraEngine[] = [
  { engine: 'aurora-postgresql', version: '16.4', paramGroup: 'default.aurora-postgresql16', port: 5432, master: 'postgres' },
  { engine: 'aurora-postgresql', version: '15.8', paramGroup: 'default.aurora-postgresql15', port: 5432, master: 'postgres' },
  { engine: 'aurora-mysql', version: '8.0.mysql_aurora.3.05.2', paramGroup: 'default.aurora-mysql8.0', port: 3306, master: 'admin' },
  { engine: 'aurora-mysql', version: '8.0.mysql_aurora.3.08.0', paramGroup: 'default.aurora-mysql8.0', port: 3306, master: 'admin' },
];

const CLASSES = ['db.t3.micro', 'db.t3.small', 'db.t3.medium', 'db.t4g.medium', 'db.m6g.large', 'db.m7g.large', 'db.r6g.large', 'db.r6i.xlarge', 'db.m5.xlarge'];
const SMALL_CLASSES = ['db.t3.micro', 'db.t3.small', 'db.t4g.micro', 'db.t4g.small'];
const STORAGE = [20, 50, 100, 200, 500, 1000];
const APPS = ['orders', 'payments', 'users', 'billing', 'inventory', 'analytics', 'auth', 'reporting', 'catalog', 'notifications'];
const ENVS = ['prod', 'staging', 'dev'];
const CAS = ['rds-ca-rsa2048-g1', 'rds-ca-rsa2048-g1', 'rds-ca-rsa2048-g1', 'rds-ca-rsa4096-g1', 'rds-ca-ecc384-g1'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** Route 53 hosted zones of RDS endpoints (public, one per region); other regions get a stable made-up one. */
const HOSTED_ZONES: Readonly<Record<string, string>> = {
  'us-east-1': 'Z2R2ITUGPM61AM',
  'us-east-2': 'Z2XHWR1WZ565X2',
  'us-west-1': 'Z10WI91S59XXQN',
  'us-west-2': 'Z1PVIF0B656C1W',
  'eu-west-1': 'Z29XKXDKYMONMX',
  'eu-central-1': 'Z1RLNUO7B9Q6NB',
  'ap-northeast-1': 'Z24O6O9L7SGTN7',
  'ap-southeast-1': 'Z2G0U3KFCY8NZ5',
};
const DAY_MS = 86_400_000;
/** Resources were created before this instant (or, for runs set earlier, some days before the call). */
const CREATED_BEFORE = Date.parse('2025-06-01T00:00:00Z');

interface DbInstance {
  readonly id: string;
  readonly cls: string;
  readonly eng: EngineVersion;
  readonly storage: number;
  readonly az: string;
  readonly resourceId: string;
  /** Days before CREATED_BEFORE the instance was created, with a fraction for the time of day. */
  readonly age: number;
  readonly kmsKeyId: string;
  readonly backupRetention: number;
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
  readonly ca: string;
  readonly publiclyAccessible: boolean;
  readonly deletionProtection: boolean;
  readonly copyTags: boolean;
  readonly snapshots: readonly string[];
}

interface DbCluster {
  readonly id: string;
  readonly eng: AuroraEngine;
  readonly resourceId: string;
  readonly age: number;
  readonly kmsKeyId: string;
  readonly backupRetention: number;
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
  readonly deletionProtection: boolean;
  readonly copyTags: boolean;
  /** Stopped dev/staging clusters (they restart by themselves after seven days). */
  readonly stopped: boolean;
  readonly stoppedAgo: number;
  readonly snapshots: readonly string[];
}

interface GlobalCluster {
  readonly id: string;
  readonly eng: AuroraEngine;
  readonly resourceId: string;
  readonly endpointSuffix: string;
  readonly encrypted: boolean;
}

interface RdsRegion {
  readonly region: string;
  readonly suffix: string;
  readonly hostedZoneId: string;
  readonly azs: readonly string[];
  readonly subnetGroupName: string;
  readonly subnetGroupJson: string;
  readonly securityGroupId: string;
  readonly instances: readonly DbInstance[];
  readonly clusters: readonly DbCluster[];
}

const decoder = new TextDecoder();
const str = (b: Uint8Array) => decoder.decode(b);
const pickOf = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];
const lowerAlnum = (rng: Rng, n: number) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[rng.int(36)]).join('');
const base32 = (rng: Rng, n: number) => Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[rng.int(32)]).join('');
const hex = (rng: Rng, n: number) => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(16)]).join('');
/** The engine word people put in database names. */
const nameToken = (rng: Rng, engine: string) => pickOf(rng, engine === 'postgres' ? ['db', 'postgres', 'pg', 'rds'] : engine === 'mysql' ? ['db', 'mysql', 'rds'] : ['db', 'mariadb', 'rds']);
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function windows(rng: Rng): { backup: string; maintenance: string } {
  const b = rng.int(48) * 30 + rng.int(30);
  // Maintenance starts at least an hour after the backup window ends, on a random day.
  const m = (b + 90 + rng.int(600)) % 1440;
  const day = rng.int(7);
  const dayEnd = m + 30 >= 1440 ? (day + 1) % 7 : day;
  return { backup: `${hhmm(b)}-${hhmm(b + 30)}`, maintenance: `${DAYS[day]}:${hhmm(m)}-${DAYS[dayEnd]}:${hhmm(m + 30)}` };
}

function regionInventory(ctx: EventContext): RdsRegion {
  const world = ctx.world();
  const region = ctx.regionText;
  const account = ctx.actor.account;
  return world.memo('rds.inventory', (rng) => {
    const subnets = world.subnets.map(str);
    const vpcs = world.vpcs.map(str);
    const azs = world.availabilityZones.map(str);
    const keys = world.kmsKeyArns.map(str);
    // A subnet's VPC and zone follow the world's own layout (subnet i: VPC i mod 2, zone i mod 3).
    const members = subnets.map((id, i) => ({ id, i })).filter((s) => s.i % vpcs.length === 0);
    const defaultGroup = rng.chance(0.3);
    const subnetGroupName = defaultGroup ? 'default' : pickOf(rng, ['db-private', 'rds-private-subnets', `${account.company}-db-subnets`, 'database-subnets']);
    const subnetGroupJson = JSON.stringify({
      dBSubnetGroupName: subnetGroupName,
      dBSubnetGroupDescription: defaultGroup ? 'default' : 'Private subnets for RDS',
      vpcId: vpcs[0],
      subnetGroupStatus: 'Complete',
      subnets: members.map((s) => ({ subnetIdentifier: s.id, subnetAvailabilityZone: { name: azs[s.i % azs.length] }, subnetOutpost: {}, subnetStatus: 'Active' })),
    });
    const groupAzs = members.map((s) => azs[s.i % azs.length]);
    const used = new Set<string>();
    const name = (suffix: string) => {
      for (;;) {
        const n = `${pickOf(rng, APPS)}-${suffix}-${pickOf(rng, ENVS)}`;
        const id = rng.chance(0.3) ? `${account.company}-${n}` : n;
        if (!used.has(id)) {
          used.add(id);
          return id;
        }
      }
    };
    const instances: DbInstance[] = Array.from({ length: rng.range(2, 6) }, () => {
      const eng = pickOf(rng, ENGINES);
      const id = name(nameToken(rng, eng.engine));
      const w = windows(rng);
      const encrypted = rng.chance(0.8);
      return {
        id,
        cls: pickOf(rng, CLASSES),
        eng,
        storage: pickOf(rng, STORAGE),
        az: pickOf(rng, groupAzs),
        resourceId: `db-${base32(rng, 26)}`,
        age: rng.float() * 900,
        kmsKeyId: encrypted ? pickOf(rng, keys) : '',
        backupRetention: pickOf(rng, [1, 7, 7, 14, 35]),
        backupWindow: w.backup,
        maintenanceWindow: w.maintenance,
        ca: pickOf(rng, CAS),
        publiclyAccessible: rng.chance(0.1),
        deletionProtection: id.endsWith('-prod') && rng.chance(0.7),
        copyTags: rng.chance(0.6),
        snapshots: [`${id}-pre-upgrade`, `${id}-manual-${rng.range(1, 9)}`, `${id}-before-migration`].slice(0, rng.range(1, 3)),
      };
    });
    const clusters: DbCluster[] = Array.from({ length: rng.range(1, 3) }, () => {
      const eng = pickOf(rng, AURORA);
      const id = name(pickOf(rng, ['aurora', 'cluster', eng.engine === 'aurora-mysql' ? 'aurora-mysql' : 'aurora-pg']));
      const w = windows(rng);
      const encrypted = rng.chance(0.9);
      return {
        id,
        eng,
        resourceId: `cluster-${base32(rng, 26)}`,
        age: rng.float() * 900,
        kmsKeyId: encrypted ? pickOf(rng, keys) : '',
        backupRetention: pickOf(rng, [1, 7, 7, 14, 35]),
        backupWindow: w.backup,
        maintenanceWindow: w.maintenance,
        deletionProtection: id.endsWith('-prod') && rng.chance(0.7),
        copyTags: rng.chance(0.6),
        stopped: !id.endsWith('-prod') && rng.chance(0.3),
        stoppedAgo: 1 + rng.float() * 5,
        snapshots: [`${id}-snapshot-${rng.range(1, 9)}`, `${id}-pre-upgrade`].slice(0, rng.range(1, 2)),
      };
    });
    return {
      region,
      suffix: lowerAlnum(rng, 12),
      hostedZoneId: HOSTED_ZONES[region] ?? `Z${base32(rng, 13)}`,
      azs: groupAzs,
      subnetGroupName,
      subnetGroupJson,
      securityGroupId: str(world.securityGroups[rng.int(world.securityGroups.length)]),
      instances,
      clusters,
    };
  });
}

function globalCluster(ctx: EventContext): GlobalCluster {
  return ctx.actor.account.memo('rds.global', (rng) => ({
    id: `${ctx.actor.account.company}-${pickOf(rng, APPS)}-global`,
    eng: pickOf(rng, AURORA),
    resourceId: `cluster-${hex(rng, 16)}`,
    endpointSuffix: lowerAlnum(rng, 12),
    encrypted: rng.chance(0.8),
  }));
}

/** Accounts snapshots are shared with on purpose: the organisation's backup and DR accounts. */
function partnerAccounts(ctx: EventContext): readonly string[] {
  return ctx.actor.account.memo('rds.partners', (rng) => [0, 1].map(() => String(rng.range(1, 9)) + Array.from({ length: 11 }, () => rng.int(10)).join('')));
}

// ---- the record's choice -----------------------------------------------------------------------------------------

interface InstanceCall {
  readonly reg: RdsRegion;
  readonly db: DbInstance;
  readonly creating: boolean;
  readonly createdMs: number;
  readonly status: string;
  /** ModifyDBInstance: new publiclyAccessible value (null: unchanged), master password reset, new class. */
  readonly makePublic: boolean | null;
  readonly resetPassword: boolean;
  readonly newClass: string | null;
  readonly snapshot: string;
  readonly skipFinalSnapshot: boolean;
}

interface ClusterCall {
  readonly reg: RdsRegion;
  readonly cl: DbCluster;
  readonly createdMs: number;
  readonly status: string;
  readonly backupRetention: number | null;
  readonly resetPassword: boolean;
  readonly skipFinalSnapshot: boolean;
}

interface ShareCall {
  readonly snapshot: string;
  readonly add: readonly string[];
  readonly remove: readonly string[];
  readonly values: readonly string[];
}

const instanceCalls = new WeakMap<EventContext, InstanceCall>();
const clusterCalls = new WeakMap<EventContext, ClusterCall>();
const shareCalls = new WeakMap<EventContext, ShareCall>();

function createdMs(ctx: EventContext, ageDays: number): number {
  const fixed = CREATED_BEFORE - ageDays * DAY_MS;
  return fixed < ctx.timeMs - DAY_MS ? Math.floor(fixed) : Math.floor(ctx.timeMs - (1 + ageDays / 30) * DAY_MS);
}

const STATUS: Readonly<Record<string, string>> = {
  CreateDBInstance: 'creating',
  RestoreDBInstanceFromDBSnapshot: 'creating',
  RestoreDBInstanceFromS3: 'creating',
  DeleteDBInstance: 'deleting',
  StopDBInstance: 'stopping',
};

function newInstance(ctx: EventContext, reg: RdsRegion, from: DbInstance | null): DbInstance {
  const rng = ctx.rng;
  const w = windows(rng);
  const event = ctx.event.spec.name;
  const date = new Date(ctx.timeMs).toISOString().slice(0, 10).replace(/-/g, '');
  const eng = from ? from.eng : event === 'RestoreDBInstanceFromS3' ? mysql(pickOf(rng, MYSQL_VERSIONS)) : pickOf(rng, ENGINES);
  const id = from
    ? `${from.id}-${pickOf(rng, ['restored', 'restore-test', `restore-${date}`, 'copy'])}`
    : event === 'RestoreDBInstanceFromS3'
      ? `${pickOf(rng, APPS)}-mysql-${pickOf(rng, ['migrated', 'import', 'from-s3'])}`
      : `${pickOf(rng, APPS)}-${nameToken(rng, eng.engine)}-${pickOf(rng, ['dev', 'test', 'staging', 'sandbox'])}${rng.chance(0.3) ? `-${rng.range(2, 9)}` : ''}`;
  return {
    id,
    cls: from ? pickOf(rng, [from.cls, pickOf(rng, SMALL_CLASSES)]) : pickOf(rng, SMALL_CLASSES),
    eng,
    storage: from ? from.storage : pickOf(rng, [20, 20, 50, 100]),
    az: '',
    resourceId: `db-${base32(rng, 26)}`,
    age: 0,
    kmsKeyId: from ? from.kmsKeyId : '',
    backupRetention: from ? from.backupRetention : 1,
    backupWindow: from ? from.backupWindow : w.backup,
    maintenanceWindow: from ? from.maintenanceWindow : w.maintenance,
    ca: 'rds-ca-rsa2048-g1',
    publiclyAccessible: rng.chance(dangerous('rds.newInstancePublic')),
    deletionProtection: false,
    copyTags: false,
    snapshots: [],
  };
}

/** The resource a call acts on; a deletion that goes through cannot be of a deletion-protected one. */
function target<T extends { readonly deletionProtection: boolean }>(rng: Rng, all: readonly T[], deleting: boolean): T {
  const open = deleting ? all.filter((x) => !x.deletionProtection) : all;
  const from = open.length > 0 ? open : all;
  return from[rng.int(from.length)];
}

function chooseInstance(ctx: EventContext): InstanceCall {
  const reg = regionInventory(ctx);
  const rng = ctx.rng;
  const event = ctx.event.spec.name;
  const pick = target(rng, reg.instances, event === 'DeleteDBInstance');
  const creating = STATUS[event] === 'creating';
  const db = creating ? newInstance(ctx, reg, event === 'RestoreDBInstanceFromDBSnapshot' ? pick : null) : pick;
  const modify = event === 'ModifyDBInstance';
  const resetPassword = modify && rng.chance(dangerous('rds.masterPasswordReset'));
  const makePublic = modify && !resetPassword ? (rng.chance(dangerous('rds.modifyMakePublic')) ? true : rng.chance(dangerous('rds.modifyMakePrivate')) ? false : null) : null;
  return {
    reg,
    db,
    creating,
    createdMs: creating ? ctx.timeMs : createdMs(ctx, db.age),
    status: STATUS[event] ?? 'available',
    makePublic,
    resetPassword,
    // What an ordinary modification changes: the instance class (a resize).
    newClass: modify && !resetPassword && makePublic === null ? pickOf(rng, CLASSES.filter((c) => c !== db.cls)) : null,
    snapshot: pickOf(rng, pick.snapshots),
    skipFinalSnapshot: !db.id.endsWith('-prod') || rng.chance(dangerous('rds.skipFinalSnapshotProd')),
  };
}

function chooseCluster(ctx: EventContext): ClusterCall {
  const reg = regionInventory(ctx);
  const rng = ctx.rng;
  const event = ctx.event.spec.name;
  const cl = target(rng, reg.clusters, event === 'DeleteDBCluster');
  const modify = event === 'ModifyDBCluster';
  const resetPassword = modify && rng.chance(dangerous('rds.masterPasswordReset'));
  const retention = modify && !resetPassword ? pickOf(rng, [7, 14, 30, 35].filter((d) => d !== cl.backupRetention)) : null;
  return {
    reg,
    cl,
    createdMs: createdMs(ctx, cl.age),
    status: event === 'DeleteDBCluster' && cl.stopped ? 'stopped' : 'available',
    backupRetention: retention,
    resetPassword,
    skipFinalSnapshot: !cl.id.endsWith('-prod') || rng.chance(dangerous('rds.skipFinalSnapshotProd')),
  };
}

const call = (ctx: EventContext, slots: Slots<EventContext>): InstanceCall => {
  slots.byName('rds.dbInstanceId');
  return instanceCalls.get(ctx)!;
};
const clusterCall = (ctx: EventContext, slots: Slots<EventContext>): ClusterCall => {
  slots.byName('rds.dbClusterId');
  return clusterCalls.get(ctx)!;
};
const shareCall = (ctx: EventContext, slots: Slots<EventContext>): ShareCall => {
  slots.byName('rds.snapshotId');
  return shareCalls.get(ctx)!;
};

type Resolver = (ctx: EventContext, out: SlotValue, slots: Slots<EventContext>) => void;
const onInstance = (f: (c: InstanceCall, ctx: EventContext) => string): Resolver => (ctx, out, slots) => text(out, f(call(ctx, slots), ctx));
const onCluster = (f: (c: ClusterCall, ctx: EventContext) => string): Resolver => (ctx, out, slots) => text(out, f(clusterCall(ctx, slots), ctx));

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** RDS writes dates the older Java way: `Oct 10, 2024 3:18:55 PM` (no comma after the year). */
function rdsDate(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${h12}:${mm}:${ss} ${h < 12 ? 'AM' : 'PM'}`;
}

/** The server certificate's expiry: a year after issue, renewed every year since the instance was created. */
function certValidTill(created: number, now: number): number {
  const year = 365 * DAY_MS;
  return created + Math.max(1, Math.ceil((now - created) / year)) * year;
}

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
const HIDDEN_PENDING = JSON.stringify({ masterUserPassword: HIDDEN });

const SLOTS: Record<string, Resolver> = {
  // ---- instances ----
  'rds.dbInstanceId': (ctx, out) => {
    const c = chooseInstance(ctx);
    instanceCalls.set(ctx, c);
    text(out, c.db.id);
  },
  'rds.dbInstanceArn': onInstance((c, ctx) => `arn:aws:rds:${ctx.regionText}:${ctx.actor.account.accountIdText}:db:${c.db.id}`),
  'rds.instanceClass': onInstance((c) => c.db.cls),
  'rds.engine': onInstance((c) => c.db.eng.engine),
  'rds.engineVersion': onInstance((c) => c.db.eng.version),
  'rds.paramGroup': onInstance((c) => c.db.eng.paramGroup),
  'rds.optionGroup': onInstance((c) => c.db.eng.optionGroup),
  'rds.license': onInstance((c) => c.db.eng.license),
  'rds.masterUsername': onInstance((c) => c.db.eng.master),
  'rds.port': onInstance((c) => String(c.db.eng.port)),
  'rds.allocatedStorage': onInstance((c) => String(c.db.storage)),
  'rds.az': onInstance((c) => c.db.az),
  'rds.dbiResourceId': onInstance((c) => c.db.resourceId),
  'rds.kmsKeyId': onInstance((c) => c.db.kmsKeyId),
  'rds.storageEncrypted': onInstance((c) => String(c.db.kmsKeyId !== '')),
  'rds.backupRetention': onInstance((c) => String(c.db.backupRetention)),
  'rds.backupWindow': onInstance((c) => c.db.backupWindow),
  'rds.maintenanceWindow': onInstance((c) => c.db.maintenanceWindow),
  'rds.ca': onInstance((c) => c.db.ca),
  'rds.certValidTill': onInstance((c, ctx) => rdsDate(certValidTill(c.createdMs, ctx.timeMs))),
  'rds.publiclyAccessible': onInstance((c) => String(c.makePublic ?? c.db.publiclyAccessible)),
  'rds.deletionProtection': onInstance((c) => String(c.db.deletionProtection)),
  'rds.copyTags': onInstance((c) => String(c.db.copyTags)),
  'rds.instanceCreateTime': onInstance((c) => rdsDate(c.createdMs)),
  // Instances back up their transaction logs every five minutes.
  'rds.latestRestorableTime': onInstance((_c, ctx) => rdsDate(Math.floor(ctx.timeMs / 300_000) * 300_000 - 300_000)),
  'rds.pending': onInstance((c, ctx) => (c.resetPassword || (c.creating && ctx.event.spec.name !== 'RestoreDBInstanceFromDBSnapshot') ? HIDDEN_PENDING : c.newClass ? JSON.stringify({ dBInstanceClass: c.newClass }) : '{}')),
  'rds.newClass': onInstance((c) => c.newClass ?? ''),
  'rds.makePublic': onInstance((c) => (c.makePublic === null ? '' : String(c.makePublic))),
  'rds.newPassword': onInstance((c) => (c.resetPassword ? HIDDEN : '')),
  'rds.subnetGroup': onInstance((c) => c.reg.subnetGroupJson),
  'rds.securityGroupId': (ctx, out) => text(out, regionInventory(ctx).securityGroupId),
  'rds.endpointSuffix': (ctx, out) => text(out, regionInventory(ctx).suffix),
  'rds.hostedZoneId': (ctx, out) => text(out, regionInventory(ctx).hostedZoneId),
  'rds.sourceSnapshot': onInstance((c) => c.snapshot),
  'rds.skipFinalSnapshot': onInstance((c) => String(c.skipFinalSnapshot)),
  'rds.finalSnapshot': onInstance((c, ctx) => (c.skipFinalSnapshot ? '' : `${c.db.id}-final-${new Date(ctx.timeMs).toISOString().slice(0, 10)}`)),
  'rds.deleteBackups': onInstance((c) => String(c.skipFinalSnapshot)),
  // RestoreDBInstanceFromS3: a Percona XtraBackup in the account's backup bucket, read through an import role.
  'rds.importBucket': (ctx, out) => {
    const buckets = ctx.actor.account.buckets;
    const backups = buckets.filter((b) => b.style === 'backups');
    out.set((backups.length > 0 ? backups : buckets)[ctx.rng.int(backups.length > 0 ? backups.length : buckets.length)].name);
  },
  'rds.importRoleArn': (ctx, out) => text(out, `arn:aws:iam::${ctx.actor.account.accountIdText}:role/${pickOf(ctx.rng, ['rds-s3-import', 'rds-s3-import-role', 'RDSImportFromS3'])}`),

  // ---- clusters ----
  'rds.dbClusterId': (ctx, out) => {
    const c = chooseCluster(ctx);
    clusterCalls.set(ctx, c);
    text(out, c.cl.id);
  },
  'rds.clusterArn': onCluster((c, ctx) => `arn:aws:rds:${ctx.regionText}:${ctx.actor.account.accountIdText}:cluster:${c.cl.id}`),
  'rds.clusterEngine': onCluster((c) => c.cl.eng.engine),
  'rds.clusterEngineVersion': onCluster((c) => c.cl.eng.version),
  'rds.clusterParamGroup': onCluster((c) => c.cl.eng.paramGroup),
  'rds.clusterPort': onCluster((c) => String(c.cl.eng.port)),
  'rds.clusterMaster': onCluster((c) => c.cl.eng.master),
  'rds.clusterResourceId': onCluster((c) => c.cl.resourceId),
  'rds.clusterKmsKeyId': onCluster((c) => c.cl.kmsKeyId),
  'rds.clusterEncrypted': onCluster((c) => String(c.cl.kmsKeyId !== '')),
  'rds.clusterBackupRetention': onCluster((c) => String(c.backupRetention ?? c.cl.backupRetention)),
  'rds.clusterNewRetention': onCluster((c) => (c.backupRetention === null ? '' : String(c.backupRetention))),
  'rds.clusterNewPassword': onCluster((c) => (c.resetPassword ? HIDDEN : '')),
  'rds.clusterBackupWindow': onCluster((c) => c.cl.backupWindow),
  'rds.clusterMaintenanceWindow': onCluster((c) => c.cl.maintenanceWindow),
  'rds.clusterDeletionProtection': onCluster((c) => String(c.cl.deletionProtection)),
  'rds.clusterCopyTags': onCluster((c) => String(c.cl.copyTags)),
  'rds.clusterStatus': onCluster((c) => c.status),
  'rds.clusterAzs': onCluster((c) => JSON.stringify(c.reg.azs)),
  'rds.clusterSubnetGroup': onCluster((c) => c.reg.subnetGroupName),
  'rds.clusterCreateTime': onCluster((c) => rdsDate(c.createdMs)),
  'rds.earliestRestorableTime': onCluster((c, ctx) => rdsDate(Math.max(c.createdMs + 51_000, ctx.timeMs - (c.backupRetention ?? c.cl.backupRetention) * DAY_MS + 3_600_000))),
  'rds.clusterLatestRestorableTime': onCluster((c, ctx) => rdsDate(c.status === 'stopped' ? ctx.timeMs - c.cl.stoppedAgo * DAY_MS : ctx.timeMs - 60_000 - (ctx.timeMs % 240_000))),
  // A stopped cluster starts again by itself seven days after it was stopped.
  'rds.automaticRestartTime': onCluster((c, ctx) => (c.status === 'stopped' ? rdsDate(ctx.timeMs + (7 - c.cl.stoppedAgo) * DAY_MS) : '')),
  'rds.localWriteForwarding': onCluster((c) => (c.cl.eng.engine === 'aurora-mysql' ? 'disabled' : '')),
  'rds.clusterSkipFinalSnapshot': onCluster((c) => String(c.skipFinalSnapshot)),
  'rds.clusterFinalSnapshot': onCluster((c, ctx) => (c.skipFinalSnapshot ? '' : `${c.cl.id}-final-${new Date(ctx.timeMs).toISOString().slice(0, 10)}`)),

  // ---- global clusters ----
  'rds.globalClusterId': (ctx, out) => text(out, globalCluster(ctx).id),
  'rds.globalResourceId': (ctx, out) => text(out, globalCluster(ctx).resourceId),
  'rds.globalEngine': (ctx, out) => text(out, globalCluster(ctx).eng.engine),
  'rds.globalEngineVersion': (ctx, out) => text(out, globalCluster(ctx).eng.version),
  'rds.globalEncrypted': (ctx, out) => text(out, String(globalCluster(ctx).encrypted)),
  'rds.globalEndpointSuffix': (ctx, out) => text(out, globalCluster(ctx).endpointSuffix),

  // ---- snapshot sharing: with the backup/DR accounts mostly; with a stranger, or everyone ("all"), rarely ----
  'rds.snapshotId': (ctx, out) => {
    const rng = ctx.rng;
    const reg = regionInventory(ctx);
    const cluster = ctx.event.spec.name === 'ModifyDBClusterSnapshotAttribute';
    const snapshot = cluster ? pickOf(rng, pickOf(rng, reg.clusters).snapshots) : pickOf(rng, pickOf(rng, reg.instances).snapshots);
    const partners = partnerAccounts(ctx);
    // Shared with the organisation's backup and DR accounts; outside it or with everyone, not in benign traffic.
    const target = rng.chance(dangerous('rds.snapshotSharePublic')) ? 'all' : rng.chance(dangerous('rds.snapshotShareOutside')) ? String(rng.range(100_000_000_000, 999_999_999_999)) : pickOf(rng, partners);
    const remove = !cluster && rng.chance(0.2);
    const c: ShareCall = remove
      ? { snapshot, add: [], remove: [target === 'all' ? pickOf(rng, partners) : target], values: [] }
      : { snapshot, add: [target], remove: [], values: target === 'all' || rng.chance(0.6) ? [target] : [...new Set([...partners, target])] };
    shareCalls.set(ctx, c);
    text(out, snapshot);
  },
  'rds.valuesToAdd': (ctx, out, slots) => {
    const c = shareCall(ctx, slots);
    text(out, c.add.length > 0 ? JSON.stringify(c.add) : '');
  },
  'rds.valuesToRemove': (ctx, out, slots) => {
    const c = shareCall(ctx, slots);
    text(out, c.remove.length > 0 ? JSON.stringify(c.remove) : '');
  },
  'rds.attributeValues': (ctx, out, slots) => text(out, JSON.stringify(shareCall(ctx, slots).values)),
};

// ---- layouts -----------------------------------------------------------------------------------------------------

type Phase = 'creating' | 'restoring' | 'existing' | 'deleting';

/** A DBInstance as RDS returns it, in the API's member order. */
function dbInstance(status: string, phase: Phase): Layout {
  const exists = phase === 'existing' || phase === 'deleting';
  const body: Record<string, Layout> = {
    dBInstanceIdentifier: ref('rds.dbInstanceId'),
    dBInstanceClass: ref('rds.instanceClass'),
    engine: ref('rds.engine'),
    dBInstanceStatus: status,
    masterUsername: ref('rds.masterUsername'),
  };
  if (exists) body.endpoint = { address: fmt('{rds.dbInstanceId}.{rds.endpointSuffix}.{region}.rds.amazonaws.com'), port: raw('rds.port'), hostedZoneId: ref('rds.hostedZoneId') };
  body.allocatedStorage = raw('rds.allocatedStorage');
  if (exists) body.instanceCreateTime = ref('rds.instanceCreateTime');
  Object.assign(body, {
    preferredBackupWindow: ref('rds.backupWindow'),
    backupRetentionPeriod: raw('rds.backupRetention'),
    dBSecurityGroups: [],
    vpcSecurityGroups: [{ vpcSecurityGroupId: ref('rds.securityGroupId'), status: 'active' }],
    dBParameterGroups: [{ dBParameterGroupName: ref('rds.paramGroup'), parameterApplyStatus: 'in-sync' }],
  });
  if (exists) body.availabilityZone = ref('rds.az');
  Object.assign(body, {
    dBSubnetGroup: raw('rds.subnetGroup'),
    preferredMaintenanceWindow: ref('rds.maintenanceWindow'),
    pendingModifiedValues: raw('rds.pending'),
  });
  if (exists) body.latestRestorableTime = ref('rds.latestRestorableTime');
  Object.assign(body, {
    multiAZ: false,
    engineVersion: ref('rds.engineVersion'),
    autoMinorVersionUpgrade: true,
    readReplicaDBInstanceIdentifiers: [],
    licenseModel: ref('rds.license'),
    optionGroupMemberships: [{ optionGroupName: ref('rds.optionGroup'), status: phase === 'restoring' ? 'pending-apply' : 'in-sync' }],
    publiclyAccessible: raw('rds.publiclyAccessible'),
    storageType: 'gp2',
    dbInstancePort: 0,
    storageEncrypted: raw('rds.storageEncrypted'),
    kmsKeyId: opt(ref('rds.kmsKeyId')),
    dbiResourceId: ref('rds.dbiResourceId'),
    cACertificateIdentifier: ref('rds.ca'),
    domainMemberships: [],
    copyTagsToSnapshot: raw('rds.copyTags'),
    monitoringInterval: 0,
    dBInstanceArn: ref('rds.dbInstanceArn'),
    iAMDatabaseAuthenticationEnabled: false,
    httpEndpointEnabled: false,
    performanceInsightsEnabled: false,
    deletionProtection: raw('rds.deletionProtection'),
    associatedRoles: [],
    tagList: [],
    customerOwnedIpEnabled: false,
    backupTarget: 'region',
    networkType: 'IPV4',
    storageThroughput: 0,
  });
  // A new instance has no server certificate yet; a deleted one's is not reported.
  if (phase === 'existing') body.certificateDetails = { cAIdentifier: ref('rds.ca'), validTill: ref('rds.certValidTill') };
  else if (phase !== 'deleting') body.certificateDetails = { cAIdentifier: ref('rds.ca') };
  body.dedicatedLogVolume = false;
  body.engineLifecycleSupport = 'open-source-rds-extended-support';
  return body;
}

/** A DBCluster as RDS returns it (Aurora, provisioned), in the API's member order. */
const dbCluster: Layout = {
  allocatedStorage: 1,
  availabilityZones: raw('rds.clusterAzs'),
  backupRetentionPeriod: raw('rds.clusterBackupRetention'),
  dBClusterIdentifier: ref('rds.dbClusterId'),
  dBClusterParameterGroup: ref('rds.clusterParamGroup'),
  dBSubnetGroup: ref('rds.clusterSubnetGroup'),
  status: ref('rds.clusterStatus'),
  automaticRestartTime: opt(ref('rds.automaticRestartTime')),
  earliestRestorableTime: ref('rds.earliestRestorableTime'),
  endpoint: fmt('{rds.dbClusterId}.cluster-{rds.endpointSuffix}.{region}.rds.amazonaws.com'),
  readerEndpoint: fmt('{rds.dbClusterId}.cluster-ro-{rds.endpointSuffix}.{region}.rds.amazonaws.com'),
  multiAZ: false,
  engine: ref('rds.clusterEngine'),
  engineVersion: ref('rds.clusterEngineVersion'),
  latestRestorableTime: ref('rds.clusterLatestRestorableTime'),
  port: raw('rds.clusterPort'),
  masterUsername: ref('rds.clusterMaster'),
  preferredBackupWindow: ref('rds.clusterBackupWindow'),
  preferredMaintenanceWindow: ref('rds.clusterMaintenanceWindow'),
  readReplicaIdentifiers: [],
  dBClusterMembers: [],
  vpcSecurityGroups: [{ vpcSecurityGroupId: ref('rds.securityGroupId'), status: 'active' }],
  hostedZoneId: ref('rds.hostedZoneId'),
  storageEncrypted: raw('rds.clusterEncrypted'),
  kmsKeyId: opt(ref('rds.clusterKmsKeyId')),
  dbClusterResourceId: ref('rds.clusterResourceId'),
  dBClusterArn: ref('rds.clusterArn'),
  associatedRoles: [],
  iAMDatabaseAuthenticationEnabled: false,
  clusterCreateTime: ref('rds.clusterCreateTime'),
  engineMode: 'provisioned',
  deletionProtection: raw('rds.clusterDeletionProtection'),
  httpEndpointEnabled: false,
  copyTagsToSnapshot: raw('rds.clusterCopyTags'),
  crossAccountClone: false,
  domainMemberships: [],
  tagList: [],
  autoMinorVersionUpgrade: true,
  networkType: 'IPV4',
  localWriteForwardingStatus: opt(ref('rds.localWriteForwarding')),
};

// ---- errors ------------------------------------------------------------------------------------------------------

const throttled: ErrorSpec = { code: 'Throttling', message: 'Rate exceeded', weight: 0.5 };
const instanceDenied = deniedOn('{rds.dbInstanceArn}');
const instanceNotFound: ErrorSpec = { code: 'DBInstanceNotFound', message: 'DBInstance {rds.dbInstanceId} not found.', weight: 1 };
const clusterDenied = deniedOn('{rds.clusterArn}');
const clusterNotFound: ErrorSpec = { code: 'DBClusterNotFoundFault', message: 'DBCluster {rds.dbClusterId} not found.', weight: 1 };
const instanceQuota: ErrorSpec = { code: 'InstanceQuotaExceeded', message: 'DB Instance quota exceeded', weight: 0.3 };
const alreadyExists: ErrorSpec = { code: 'DBInstanceAlreadyExists', message: 'DB instance already exists', weight: 1 };

// ---- events ------------------------------------------------------------------------------------------------------

const rds = { service: 'rds', readOnly: false, management: true, eventVersion: '1.08' } as const;
const dbAdmins = { admin: 1, developer: 0.3 };

const EVENTS: readonly EventSpec[] = [
  {
    name: 'ModifyDBInstance',
    ...rds,
    weight: 0.05,
    who: dbAdmins,
    request: { dBInstanceIdentifier: ref('rds.dbInstanceId'), dBInstanceClass: opt(ref('rds.newClass')), publiclyAccessible: opt(raw('rds.makePublic')), masterUserPassword: opt(ref('rds.newPassword')), applyImmediately: true, allowMajorVersionUpgrade: false },
    response: dbInstance('available', 'existing'),
    errors: [instanceDenied, instanceNotFound, { code: 'InvalidDBInstanceState', message: 'Database instance is not in available state.', weight: 1 }, throttled],
  },
  {
    name: 'StopDBInstance',
    ...rds,
    weight: 0.05,
    who: { admin: 0.5, developer: 0.5, ec2_reaper: 2 },
    request: { dBInstanceIdentifier: ref('rds.dbInstanceId') },
    response: dbInstance('stopping', 'existing'),
    errors: [instanceDenied, instanceNotFound, { code: 'InvalidDBInstanceState', message: 'Instance {rds.dbInstanceId} is not in available state.', weight: 2 }],
  },
  {
    name: 'CreateDBInstance',
    ...rds,
    weight: 0.02,
    who: { admin: 1, developer: 0.5 },
    request: { dBInstanceIdentifier: ref('rds.dbInstanceId'), allocatedStorage: raw('rds.allocatedStorage'), dBInstanceClass: ref('rds.instanceClass'), engine: ref('rds.engine'), masterUsername: ref('rds.masterUsername'), masterUserPassword: HIDDEN },
    response: dbInstance('creating', 'creating'),
    errors: [instanceDenied, alreadyExists, instanceQuota, { code: 'StorageQuotaExceeded', message: 'The request cannot be processed because it would exceed the maximum allowed storage quota for the account.', weight: 0.2 }],
  },
  {
    name: 'DeleteDBInstance',
    ...rds,
    weight: 0.006,
    who: { admin: 1, developer: 0.1 },
    request: { dBInstanceIdentifier: ref('rds.dbInstanceId'), skipFinalSnapshot: raw('rds.skipFinalSnapshot'), finalDBSnapshotIdentifier: opt(ref('rds.finalSnapshot')), deleteAutomatedBackups: raw('rds.deleteBackups') },
    response: dbInstance('deleting', 'deleting'),
    errors: [instanceDenied, instanceNotFound, { code: 'InvalidParameterCombination', message: 'Cannot delete protected DB Instance, please disable deletion protection and try again.', weight: 2 }],
  },
  {
    name: 'RestoreDBInstanceFromDBSnapshot',
    ...rds,
    weight: 0.005,
    who: dbAdmins,
    request: { dBInstanceIdentifier: ref('rds.dbInstanceId'), dBSnapshotIdentifier: ref('rds.sourceSnapshot'), dBInstanceClass: ref('rds.instanceClass') },
    response: dbInstance('creating', 'restoring'),
    errors: [instanceDenied, alreadyExists, { code: 'DBSnapshotNotFound', message: 'DBSnapshot not found: {rds.sourceSnapshot}', weight: 1 }, instanceQuota],
  },
  {
    name: 'RestoreDBInstanceFromS3',
    ...rds,
    weight: 0.002,
    who: { admin: 1, developer: 0.2 },
    request: {
      dBInstanceIdentifier: ref('rds.dbInstanceId'),
      allocatedStorage: raw('rds.allocatedStorage'),
      dBInstanceClass: ref('rds.instanceClass'),
      engine: 'mysql',
      masterUsername: ref('rds.masterUsername'),
      masterUserPassword: HIDDEN,
      engineVersion: ref('rds.engineVersion'),
      sourceEngine: 'mysql',
      sourceEngineVersion: ref('rds.engineVersion'),
      s3BucketName: ref('rds.importBucket'),
      s3IngestionRoleArn: ref('rds.importRoleArn'),
    },
    response: dbInstance('creating', 'creating'),
    errors: [instanceDenied, alreadyExists, { code: 'InvalidS3BucketFault', message: 'Access Denied to the S3 bucket {rds.importBucket}. Please check the IAM role and bucket policy.', weight: 1 }],
  },
  {
    name: 'ModifyDBCluster',
    ...rds,
    weight: 0.03,
    who: dbAdmins,
    request: { dBClusterIdentifier: ref('rds.dbClusterId'), backupRetentionPeriod: opt(raw('rds.clusterNewRetention')), applyImmediately: true, masterUserPassword: opt(ref('rds.clusterNewPassword')), allowMajorVersionUpgrade: false, allowEngineModeChange: false },
    response: dbCluster,
    errors: [clusterDenied, clusterNotFound, { code: 'InvalidDBClusterStateFault', message: 'DbCluster {rds.dbClusterId} is not in a valid state.', weight: 1 }, throttled],
  },
  {
    name: 'StopDBCluster',
    ...rds,
    weight: 0.02,
    who: { admin: 0.5, developer: 0.5, ec2_reaper: 1.5 },
    request: { dBClusterIdentifier: ref('rds.dbClusterId') },
    response: dbCluster,
    errors: [clusterDenied, clusterNotFound, { code: 'InvalidDBClusterStateFault', message: 'DbCluster {rds.dbClusterId} is in stopped state.', weight: 2 }],
  },
  {
    name: 'DeleteDBCluster',
    ...rds,
    weight: 0.003,
    who: { admin: 1 },
    request: { dBClusterIdentifier: ref('rds.dbClusterId'), skipFinalSnapshot: raw('rds.clusterSkipFinalSnapshot'), finalDBSnapshotIdentifier: opt(ref('rds.clusterFinalSnapshot')) },
    response: dbCluster,
    errors: [clusterDenied, clusterNotFound, { code: 'InvalidParameterCombination', message: 'Cannot delete protected Cluster, please disable deletion protection and try again.', weight: 2 }, { code: 'InvalidDBClusterStateFault', message: 'Cluster cannot be deleted, it still contains DB instances in non-deleting state.', weight: 1 }],
  },
  {
    name: 'DeleteGlobalCluster',
    ...rds,
    weight: 0.002,
    who: { admin: 1 },
    request: { globalClusterIdentifier: ref('rds.globalClusterId') },
    response: {
      globalClusterIdentifier: ref('rds.globalClusterId'),
      globalClusterResourceId: ref('rds.globalResourceId'),
      globalClusterArn: fmt('arn:aws:rds::{accountId}:global-cluster:{rds.globalClusterId}'),
      status: 'available',
      engine: ref('rds.globalEngine'),
      engineVersion: ref('rds.globalEngineVersion'),
      storageEncrypted: raw('rds.globalEncrypted'),
      deletionProtection: false,
      globalClusterMembers: [],
      endpoint: fmt('{rds.globalClusterId}.global-{rds.globalEndpointSuffix}.global.rds.amazonaws.com'),
      tagList: [],
    },
    errors: [deniedOn('arn:aws:rds::{accountId}:global-cluster:{rds.globalClusterId}'), { code: 'GlobalClusterNotFoundFault', message: 'Global cluster {rds.globalClusterId} not found', weight: 1 }, { code: 'InvalidGlobalClusterStateFault', message: 'Global Cluster {rds.globalClusterId} is not empty', weight: 2 }],
  },
  {
    name: 'ModifyDBSnapshotAttribute',
    ...rds,
    weight: 0.004,
    who: { admin: 1 },
    request: { dBSnapshotIdentifier: ref('rds.snapshotId'), attributeName: 'restore', valuesToAdd: opt(raw('rds.valuesToAdd')), valuesToRemove: opt(raw('rds.valuesToRemove')) },
    response: { dBSnapshotIdentifier: ref('rds.snapshotId'), dBSnapshotAttributes: [{ attributeName: 'restore', attributeValues: raw('rds.attributeValues') }] },
    errors: [deniedOn('arn:aws:rds:{region}:{accountId}:snapshot:{rds.snapshotId}'), { code: 'DBSnapshotNotFound', message: 'DBSnapshot not found: {rds.snapshotId}', weight: 1 }, { code: 'SharedSnapshotQuotaExceeded', message: 'You have exceeded the maximum number of accounts that you can share a manual DB snapshot with.', weight: 0.3 }],
  },
  {
    name: 'ModifyDBClusterSnapshotAttribute',
    ...rds,
    weight: 0.002,
    who: { admin: 1 },
    request: { dBClusterSnapshotIdentifier: ref('rds.snapshotId'), attributeName: 'restore', valuesToAdd: raw('rds.valuesToAdd') },
    response: { dBClusterSnapshotIdentifier: ref('rds.snapshotId'), dBClusterSnapshotAttributes: [{ attributeName: 'restore', attributeValues: raw('rds.attributeValues') }] },
    errors: [deniedOn('arn:aws:rds:{region}:{accountId}:cluster-snapshot:{rds.snapshotId}'), { code: 'DBClusterSnapshotNotFoundFault', message: 'DBClusterSnapshot {rds.snapshotId} not found.', weight: 1 }],
  },
];

export const rdsGroup: CatalogGroup = { events: EVENTS, slots: SLOTS };
