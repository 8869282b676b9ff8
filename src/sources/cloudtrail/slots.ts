/**
 * Slot resolvers of the CloudTrail source: how each named value in the catalog (`{bucket}`, `{instanceId}`, …)
 * is produced for the record being written. Values come from the session, the account's world, or the record's
 * random stream; resolvers write into the slot's scratch buffer or point it at pre-encoded bytes.
 */
import { arenaJson, arenaUtf8 } from '../../encode/assemble/arena.js';
import { ByteWriter } from '../../encode/byte-writer.js';
import { SlotRegistry } from '../../encode/layout/index.js';
import { writeJavaMediumDate } from '../../encode/time-format.js';
import { EventContext, Pick, TLS_VARIANTS } from './context.js';
import type { Bucket } from './world.js';
import { dangerous } from './catalog/baseline.js';
import { CATALOG_GROUPS } from './catalog/index.js';
import { BASE32, BASE62, BASE64, chars, pool, text, UPPER_ALNUM, uuid } from './slot-values.js';

const EMPTY = new Uint8Array(0);
const TRUE = arenaUtf8('true');
const ZERO = arenaUtf8('0');
const YES = arenaUtf8('Yes');
const NO = arenaUtf8('No');
/** Share of an actor's bucket and instance calls that go to the ones it created itself (when it has some). */
const OWN_RESOURCE_SHARE = 0.5;

/** The record's bucket: one the actor created, or one of the account's; the same for every field of the record. */
function bucketOf(ctx: EventContext): Bucket {
  if (ctx.bucket) return ctx.bucket;
  const own = ctx.actor.buckets;
  const shared = ctx.actor.account.buckets;
  ctx.bucket = own.length > 0 && ctx.rng.chance(OWN_RESOURCE_SHARE) ? own[ctx.rng.int(own.length)] : shared[ctx.pick(Pick.Bucket, shared.length)];
  return ctx.bucket;
}

/** The record's instance: one the actor launched in this region, or one of the account's. */
function instanceOf(ctx: EventContext): Uint8Array {
  if (ctx.instance) return ctx.instance;
  const own = ctx.actor.instances;
  let mine: Uint8Array | null = null;
  if (own.length > 0 && ctx.rng.chance(OWN_RESOURCE_SHARE)) {
    const candidate = own[ctx.rng.int(own.length)];
    if (candidate.regionIndex === ctx.regionIndex) mine = candidate.id;
  }
  ctx.instance = mine ?? ctx.world().instances[ctx.pick(Pick.Instance, ctx.world().instances.length)];
  return ctx.instance;
}

/** `YYYY<sep>MM<sep>DD` from an ISO timestamp's bytes (object keys partitioned by day). */
function writeKeyDate(w: ByteWriter, iso: Uint8Array, sep: number): void {
  w.bytesN(iso, 4);
  w.byte(sep);
  w.range(iso, 5, 7);
  w.byte(sep);
  w.range(iso, 8, 10);
}

/** Object keys that look like what lives in each kind of bucket. */
function objectKey(w: ByteWriter, ctx: EventContext, bucket: Bucket): void {
  const rng = ctx.rng;
  const topic = bucket.topics[rng.int(bucket.topics.length)];
  const iso = ctx.clock.set(ctx.timeMs);
  switch (bucket.style) {
    case 'lake':
      w.ascii('raw/');
      w.ascii(topic);
      w.ascii('/dt=');
      writeKeyDate(w, iso, 45);
      w.ascii('/part-0000');
      w.uint(rng.int(10));
      w.byte(45);
      uuid(w, rng);
      w.ascii('.c000.snappy.parquet');
      break;
    case 'logs':
      w.ascii(topic);
      w.ascii('/');
      writeKeyDate(w, iso, 47);
      w.byte(47);
      w.range(iso, 11, 13);
      w.ascii('/');
      w.ascii(topic);
      w.ascii('-');
      w.hex32(rng.u32());
      w.ascii('.log.gz');
      break;
    case 'artifacts':
      w.ascii('builds/');
      w.ascii(topic);
      w.ascii('/');
      w.hex32(rng.u32());
      w.hexN(rng.u32(), 4);
      w.ascii('.zip');
      break;
    case 'backups':
      w.ascii('backups/');
      w.ascii(topic);
      w.ascii('/');
      writeKeyDate(w, iso, 45);
      w.ascii('/');
      w.ascii(topic);
      w.ascii('-');
      w.hex32(rng.u32());
      w.ascii('.sql.gz');
      break;
    case 'uploads':
      w.ascii(topic);
      w.ascii('/');
      w.hexN(rng.u32(), 4);
      w.byte(47);
      w.hex32(rng.u32());
      w.hex32(rng.u32());
      w.ascii(rng.chance(0.5) ? '.pdf' : '.png');
      break;
    case 'state':
      w.ascii('env/prod/');
      w.ascii(topic);
      w.ascii('/terraform.tfstate');
      break;
    case 'web':
      w.ascii('assets/');
      w.ascii(topic);
      w.ascii('.');
      w.hex32(rng.u32());
      w.ascii(rng.chance(0.6) ? '.js' : '.css');
      break;
    case 'athena':
      w.ascii('query-results/');
      uuid(w, rng);
      w.ascii('.csv');
      break;
  }
}

const OBJECT_SIZES = [512, 4096, 65536, 1048576, 16777216];

/** Registers every slot the catalog and the record layout use. */
export function cloudTrailSlots(): SlotRegistry<EventContext> {
  const r = new SlotRegistry<EventContext>();

  // ---- record envelope ----
  r.define('userIdentity', (ctx, out) => out.set(ctx.opening ? ctx.openingIdentity! : ctx.actor.workIdentity));
  r.define('eventTime', (ctx, out) => out.set(ctx.clock.set(ctx.timeMs)));
  r.define('isoTime', (ctx, out) => out.set(ctx.clock.set(ctx.timeMs)));
  r.define('region', (ctx, out) => out.set(ctx.regionName));
  r.define('accountId', (ctx, out) => out.set(ctx.actor.accountId));
  // Calls through a VPC endpoint show the caller's private address, the endpoint, and the endpoint's account.
  const viaEndpoint = (ctx: EventContext) => !ctx.opening && ctx.actor.vpcEndpoint !== null && ctx.event.viaVpcEndpoint;
  r.define('sourceIPAddress', (ctx, out) => out.set(ctx.openingSource ?? (viaEndpoint(ctx) ? ctx.actor.privateIp! : ctx.actor.sourceIp)));
  r.define('vpcEndpointId', (ctx, out) => out.set(viaEndpoint(ctx) ? ctx.actor.vpcEndpoint! : EMPTY));
  r.define('vpcEndpointAccountId', (ctx, out) => out.set(viaEndpoint(ctx) ? ctx.actor.accountId : EMPTY));
  r.define('userAgentBase', (ctx, out) => out.set(ctx.openingByService ? ctx.openingSource! : (ctx.openingAgent ?? ctx.actor.userAgent)));
  r.define('userAgentSuffix', (ctx, out) => out.set(ctx.openingByService || ctx.openingAgent ? EMPTY : ctx.event.userAgentSuffix[ctx.actor.clientIndex]));
  r.define('errorCode', (ctx, out) => out.set(ctx.error?.code ?? EMPTY));
  r.define('errorMessage', (ctx, out, slots) => {
    if (!ctx.error) return out.clear();
    ctx.error.message.write(out.compose(), slots);
  });
  r.generator('requestId', (ctx, w) => uuid(w, ctx.rng));
  r.generator('s3RequestId', (ctx, w) => chars(w, ctx.rng, UPPER_ALNUM, 16));
  r.generator('eventId', (ctx, w) => uuid(w, ctx.rng));
  r.define('hasTls', (ctx, out) => out.set(ctx.openingByService ? EMPTY : TRUE));
  r.define('tlsVersion', (ctx, out) => out.set(TLS_VARIANTS[ctx.actor.tls].version));
  r.define('cipherSuite', (ctx, out) => out.set(TLS_VARIANTS[ctx.actor.tls].cipher));
  r.define('fromConsole', (ctx, out) => out.set(ctx.actor.fromConsole && !ctx.opening ? TRUE : EMPTY));

  // ---- caller ----
  r.define('callerArn', (ctx, out) => out.set(ctx.actor.callerArn));
  r.define('iamAction', (ctx, out) => out.set(ctx.event.iamAction));
  r.define('userName', (ctx, out) => out.set(ctx.actor.userName));
  r.define('mfaSerial', (ctx, out) => {
    const a = ctx.actor.actor;
    if (!a.mfa) return out.clear();
    text(out, `arn:aws:iam::${a.account_id}:mfa/${a.user_name}`);
  });
  r.define('mfaIdentifier', (ctx, out) => {
    if (ctx.openingSaml) return out.clear();
    const a = ctx.actor.actor;
    // The root user signs in with the account's root MFA device.
    if (ctx.actor.kind === 'root') return text(out, `arn:aws:iam::${a.account_id}:mfa/root-account-mfa-device`);
    if (!a.mfa || a.identity_type !== 'IAMUser') return out.clear();
    text(out, `arn:aws:iam::${a.account_id}:mfa/${a.user_name}`);
  });
  // A console sign-in federated through the IdP did its MFA there: AWS records MFAUsed "No".
  r.define('mfaUsed', (ctx, out) => out.set(!ctx.openingSaml && (ctx.actor.actor.mfa || ctx.actor.kind === 'root') ? YES : NO));
  r.define('loginTo', (ctx, out) => {
    const w = out.compose();
    w.ascii('https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_');
    w.bytes(ctx.regionName);
    w.byte(95);
    w.hex32(ctx.rng.u32());
    w.hex32(ctx.rng.u32());
  });

  // ---- sessions and credentials ----
  // While a session opens, AssumeRole/GetSessionToken hand out the session's own key; as ordinary calls they
  // return fresh keys for another role.
  r.define('sessionAccessKeyId', (ctx, out) => {
    if (ctx.opening) return out.set(ctx.actor.sessionKey);
    const w = out.compose();
    w.ascii('ASIA');
    chars(w, ctx.rng, BASE32, 16);
  });
  r.generator('sessionToken', (ctx, w) => {
    w.ascii('IQoJb3JpZ2luX2VjE');
    chars(w, ctx.rng, BASE64, 340);
  });
  // An opening call's credentials expire when the session that uses them ends (shard.ts: how long they are held).
  r.define('expiration', (ctx, out) =>
    writeJavaMediumDate(out.compose(), ctx.timeMs + (ctx.openingDurationMs > 0 ? ctx.openingDurationMs : ctx.event.spec.name === 'GetSessionToken' ? 43_200_000 : 3_600_000)),
  );
  r.define('sessionDurationSeconds', (ctx, out) => out.compose().uint(ctx.openingDurationMs > 0 ? Math.round(ctx.openingDurationMs / 1000) : 43_200));
  r.define('createDate', (ctx, out) => writeJavaMediumDate(out.compose(), ctx.timeMs));
  r.define('deletionDate', (ctx, out) => writeJavaMediumDate(out.compose(), ctx.timeMs + 30 * 86_400_000));
  r.define('durationSeconds', (ctx, out) => out.set(ctx.opening ? DURATION_3600 : DURATIONS[ctx.rng.int(DURATIONS.length)]));
  r.define('roleArn', (ctx, out) => {
    if (ctx.opening) return out.set(ctx.actor.own().arn);
    pool(out, ctx, Pick.Role, ctx.actor.account.roleArns);
  });
  r.define('roleName', (ctx, out) => pool(out, ctx, Pick.Role, ctx.actor.account.roleNames));
  r.define('roleId', (ctx, out) => {
    if (ctx.opening) return out.set(ctx.actor.own().principalId);
    pool(out, ctx, Pick.Role, ctx.actor.account.roleIds);
  });
  r.define('roleSessionName', (ctx, out) => {
    const own = ctx.actor.own();
    if (ctx.opening && own.sessionName) return out.set(own.sessionName);
    const w = out.compose();
    w.bytes(own.sessionPrefix);
    w.uint(Math.floor(ctx.timeMs / 1000));
  });
  r.define('assumedRoleArn', (ctx, out, slots) => {
    const w = out.compose();
    w.ascii('arn:aws:sts::');
    w.bytes(ctx.actor.accountId);
    w.ascii(':assumed-role/');
    if (ctx.opening) w.bytes(ctx.actor.own().roleName);
    else w.bytes(slots.byName('roleName').ref!);
    w.byte(47);
    const session = slots.byName('roleSessionName');
    w.bytesN(session.ref ?? session.scratch.buf, session.length);
  });
  r.define('newAccessKeyId', (ctx, out) => {
    const w = out.compose();
    w.ascii('AKIA');
    chars(w, ctx.rng, BASE32, 16);
  });
  r.define('oldAccessKeyId', (ctx, out) => pool(out, ctx, Pick.User, ctx.actor.account.accessKeys));
  r.define('targetUser', (ctx, out) => pool(out, ctx, Pick.User, ctx.actor.account.users));
  r.define('newUserName', (ctx, out) => {
    const w = out.compose();
    w.ascii(NEW_USER_PREFIXES[ctx.rng.int(NEW_USER_PREFIXES.length)]);
    w.hexN(ctx.rng.u32(), 4);
  });
  r.define('newUserId', (ctx, out) => {
    const w = out.compose();
    w.ascii('AIDA');
    chars(w, ctx.rng, BASE32, 17);
  });
  r.define('policyArn', (ctx, out) => out.set(ctx.actor.account.policyArns[ctx.rng.int(ctx.actor.account.policyArns.length)]));
  r.define('policyDocument', (_ctx, out) => out.set(POLICY_DOCUMENT));
  r.define('trustPolicyDocument', (ctx, out) => text(out, JSON.stringify(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ctx.actor.actor.account_id}:root` }, Action: 'sts:AssumeRole' }] })).slice(1, -1)));

  // ---- S3 ----
  r.define('bucket', (ctx, out) => out.set(bucketOf(ctx).name));
  r.define('objectKey', (ctx, out) => objectKey(out.compose(), ctx, bucketOf(ctx)));
  r.define('objectPrefix', (ctx, out) => {
    const b = bucketOf(ctx);
    text(out, b.style === 'lake' ? `raw/${b.topics[ctx.rng.int(b.topics.length)]}/` : `${b.topics[ctx.rng.int(b.topics.length)]}/`);
  });
  r.define('zero', (_ctx, out) => out.set(ZERO));
  r.define('objectSize', (ctx, out) => out.compose().uint(Math.floor(OBJECT_SIZES[ctx.rng.int(OBJECT_SIZES.length)] * (0.2 + ctx.rng.float()))));
  r.generator('amzId2', (ctx, w) => chars(w, ctx.rng, BASE64, 76));
  r.define('bucketPolicyJson', (ctx, out, slots) => {
    const bucket = new TextDecoder().decode(slots.byName('bucket').ref!);
    text(out, JSON.stringify(JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] })).slice(1, -1));
  });

  // ---- EC2 ----
  r.define('uuid', (ctx, out) => uuid(out.compose(), ctx.rng));
  r.define('clientToken', (ctx, out) => uuid(out.compose(), ctx.rng));
  r.define('instanceId', (ctx, out) => out.set(instanceOf(ctx)));
  r.define('instanceName', (ctx, out) => pool(out, ctx, Pick.Instance, ctx.world().instanceNames));
  r.define('amiId', (ctx, out) => out.set(ctx.world().amis[ctx.rng.int(ctx.world().amis.length)]));
  r.define('instanceType', (ctx, out) => out.set(INSTANCE_TYPES[ctx.rng.int(INSTANCE_TYPES.length)]));
  r.define('subnetId', (ctx, out) => pool(out, ctx, Pick.Subnet, ctx.world().subnets));
  r.define('vpcId', (ctx, out) => out.set(ctx.world().vpcs[ctx.pick(Pick.Subnet, ctx.world().subnets.length) % ctx.world().vpcs.length]));
  r.define('securityGroupId', (ctx, out) => out.set(ctx.world().securityGroups[ctx.rng.int(ctx.world().securityGroups.length)]));
  r.define('volumeId', (ctx, out) => pool(out, ctx, Pick.Instance, ctx.world().volumes));
  r.define('snapshotId', (ctx, out) => out.set(ctx.world().snapshots[ctx.rng.int(ctx.world().snapshots.length)]));
  r.define('availabilityZone', (ctx, out) => out.set(ctx.world().availabilityZones[ctx.pick(Pick.Subnet, ctx.world().subnets.length) % 3]));
  r.define('newInstanceId', (ctx, out) => {
    const w = out.compose();
    w.ascii('i-0');
    w.hex32(ctx.rng.u32());
    w.hex32(ctx.rng.u32());
  });
  r.define('newSnapshotId', (ctx, out) => {
    const w = out.compose();
    w.ascii('snap-0');
    w.hex32(ctx.rng.u32());
    w.hex32(ctx.rng.u32());
  });
  r.define('reservationId', (ctx, out) => {
    const w = out.compose();
    w.ascii('r-0');
    w.hex32(ctx.rng.u32());
    w.hex32(ctx.rng.u32());
  });
  r.define('eniId', (ctx, out) => {
    const w = out.compose();
    w.ascii('eni-0');
    w.hex32(ctx.rng.u32());
    w.hex32(ctx.rng.u32());
  });
  r.define('hex17', (ctx, out) => {
    const w = out.compose();
    w.byte(48);
    w.hex32(ctx.rng.u32());
    w.hex32(ctx.rng.u32());
  });
  r.define('privateIp', (ctx, out) => {
    const w = out.compose();
    w.ascii('10.');
    w.uint(ctx.pick(Pick.Subnet, 6) * 16);
    w.byte(46);
    w.uint(ctx.rng.int(16));
    w.byte(46);
    w.uint(1 + ctx.rng.int(254));
  });
  r.define('privateDnsName', (ctx, out, slots) => {
    const ip = slots.byName('privateIp');
    const w = out.compose();
    w.ascii('ip-');
    const src = ip.scratch.buf;
    for (let i = 0; i < ip.length; i++) w.byte(src[i] === 46 ? 45 : src[i]);
    if (ctx.regionText === 'us-east-1') w.ascii('.ec2.internal');
    else {
      w.byte(46);
      w.bytes(ctx.regionName);
      w.ascii('.compute.internal');
    }
  });
  r.define('macAddress', (ctx, out) => {
    const w = out.compose();
    w.ascii('0e:');
    for (let i = 0; i < 5; i++) {
      if (i > 0) w.byte(58);
      w.hexN(ctx.rng.u32(), 2);
    }
  });
  r.define('epochMillis', (ctx, out) => out.compose().uint(Math.floor(ctx.timeMs / 1000) * 1000));
  r.define('port', (ctx, out) => out.set(PORTS[ctx.rng.int(PORTS.length)]));
  r.define('ingressCidr', (ctx, out, slots) => {
    let cidr = INGRESS_CIDRS[ctx.rng.int(INGRESS_CIDRS.length)];
    // The internet reaches web ports; SSH, RDP and databases are opened to company ranges (catalog/baseline.ts).
    if (cidr === INGRESS_CIDRS[0] && ADMIN_PORTS.has(slots.byName('port').ref!) && !ctx.rng.chance(dangerous('ec2.ingressWorldAdminPort'))) {
      cidr = INGRESS_CIDRS[1 + ctx.rng.int(INGRESS_CIDRS.length - 1)];
    }
    out.set(cidr);
  });
  r.define('volumeSize', (ctx, out) => out.set(VOLUME_SIZES[ctx.rng.int(VOLUME_SIZES.length)]));

  // ---- KMS, Lambda, logs, secrets, SSM ----
  r.define('kmsKeyId', (ctx, out) => pool(out, ctx, Pick.KmsKey, ctx.world().kmsKeyIds));
  r.define('kmsKeyArn', (ctx, out) => pool(out, ctx, Pick.KmsKey, ctx.world().kmsKeyArns));
  r.define('kmsKeyAlias', (ctx, out) => out.set(ctx.world().kmsAliases[ctx.rng.int(ctx.world().kmsAliases.length)]));
  r.define('functionName', (ctx, out) => pool(out, ctx, Pick.Function, ctx.world().functionNames));
  r.define('functionArn', (ctx, out) => pool(out, ctx, Pick.Function, ctx.world().functionArns));
  r.define('functionRoleArn', (ctx, out) => {
    const w = out.compose();
    w.ascii('arn:aws:iam::');
    w.bytes(ctx.actor.accountId);
    w.ascii(':role/lambda-basic-execution');
  });
  r.define('lambdaRuntime', (ctx, out) => out.set(LAMBDA_RUNTIMES[ctx.pick(Pick.Function, LAMBDA_RUNTIMES.length)]));
  r.define('codeSize', (ctx, out) => out.compose().uint(2048 + ctx.rng.int(40_000_000)));
  r.define('codeSha256', (ctx, out) => chars(out.compose(), ctx.rng, BASE64, 43));
  r.define('lambdaModified', (ctx, out) => {
    const w = out.compose();
    w.bytesN(ctx.clock.set(ctx.timeMs), 19);
    w.byte(46);
    w.padded(Math.floor(ctx.timeMs) % 1000, 3);
    w.ascii('+0000');
  });
  r.define('logGroup', (ctx, out) => pool(out, ctx, Pick.LogGroup, ctx.world().logGroups));
  r.define('logGroupPrefix', (ctx, out) => out.set(LOG_PREFIXES[ctx.rng.int(LOG_PREFIXES.length)]));
  r.define('logStream', (ctx, out) => {
    const w = out.compose();
    const iso = ctx.clock.set(ctx.timeMs);
    w.bytesN(iso, 4);
    w.byte(47);
    w.range(iso, 5, 7);
    w.byte(47);
    w.range(iso, 8, 10);
    w.ascii('/[$LATEST]');
    w.hex32(ctx.rng.u32());
    w.hex32(ctx.rng.u32());
    w.hex32(ctx.rng.u32());
    w.hex32(ctx.rng.u32());
  });
  r.define('secretName', (ctx, out) => pool(out, ctx, Pick.Secret, ctx.world().secretNames));
  r.define('secretArn', (ctx, out) => pool(out, ctx, Pick.Secret, ctx.world().secretArns));
  r.define('paramName', (ctx, out) => pool(out, ctx, Pick.Param, ctx.actor.account.params));
  r.define('paramPath', (ctx, out) => out.set(ctx.actor.account.paramPaths[ctx.rng.int(ctx.actor.account.paramPaths.length)]));
  r.define('ssmSessionId', (ctx, out) => {
    const w = out.compose();
    const a = ctx.actor.actor;
    w.ascii(`${(a.session_name ?? a.user_name).replace(/[^\w.@-]/g, '')}-`);
    w.hex32(ctx.rng.u32());
    w.hex32(ctx.rng.u32());
    w.hexN(ctx.rng.u32(), 1);
  });
  r.define('cellNumber', (ctx, out) => chars(out.compose(), ctx.rng, BASE62, 40));

  // ---- platform ----
  r.define('trailArn', (ctx, out) => out.set(ctx.actor.account.trailArn));
  /** The trail's home region (where calls that change it are made). */
  r.define('trailRegion', (ctx, out) => text(out, new TextDecoder().decode(ctx.actor.account.trailArn).split(':')[3]));
  r.define('lookupEventName', (ctx, out) => out.set(LOOKUP_EVENTS[ctx.rng.int(LOOKUP_EVENTS.length)]));
  r.define('metricStart', (ctx, out) => writeJavaMediumDate(out.compose(), ctx.timeMs - 3_600_000));
  r.define('metricEnd', (ctx, out) => writeJavaMediumDate(out.compose(), ctx.timeMs));
  r.define('metricNamespace', (ctx, out) => out.set(METRIC_NAMESPACES[ctx.rng.int(METRIC_NAMESPACES.length)]));
  r.define('tableName', (ctx, out) => pool(out, ctx, Pick.Table, ctx.world().tableNames));
  r.define('glueDatabase', (ctx, out) => pool(out, ctx, Pick.Table, ctx.actor.account.glueDatabases));
  r.define('glueTable', (ctx, out) => out.set(ctx.actor.account.glueTables[ctx.rng.int(ctx.actor.account.glueTables.length)]));
  r.define('athenaQuery', (ctx, out, slots) => {
    const w = out.compose();
    w.ascii(ATHENA_QUERIES[ctx.rng.int(ATHENA_QUERIES.length)]);
    w.bytes(slots.byName('glueTable').ref!);
    w.ascii(' WHERE dt = \'');
    w.bytesN(ctx.clock.set(ctx.timeMs), 10);
    w.ascii('\' LIMIT 100');
  });
  r.define('ecsCluster', (ctx, out) => out.set(ctx.world().ecsClusters[ctx.rng.int(ctx.world().ecsClusters.length)]));
  r.define('ecsService', (ctx, out) => out.set(ctx.world().ecsServices[ctx.rng.int(ctx.world().ecsServices.length)]));
  r.define('topicArn', (ctx, out) => out.set(ctx.world().topicArns[ctx.rng.int(ctx.world().topicArns.length)]));
  r.define('targetGroupArn', (ctx, out) => out.set(ctx.world().targetGroupArns[ctx.rng.int(ctx.world().targetGroupArns.length)]));
  r.define('detectorId', (ctx, out) => out.set(ctx.world().detectorId));

  for (const group of CATALOG_GROUPS) {
    for (const [name, resolver] of Object.entries(group.slots ?? {})) r.define(name, resolver);
    for (const [name, generator] of Object.entries(group.generators ?? {})) r.generator(name, generator);
  }
  return r;
}

const encAll = (xs: readonly string[]) => xs.map(arenaJson);
const DURATION_3600 = arenaUtf8('3600');
const DURATIONS = encAll(['900', '3600', '3600', '43200']);
const NEW_USER_PREFIXES = ['svc-', 'contractor-', 'ci-', 'temp-'];
const POLICY_DOCUMENT = arenaJson(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::*/*' }] }));
const INSTANCE_TYPES = encAll(['t3.micro', 't3.small', 't3.medium', 'm5.large', 'm6i.xlarge', 'c6g.large', 'r6i.2xlarge', 't4g.small']);
const PORTS = encAll(['22', '443', '80', '5432', '3389', '8080']);
const INGRESS_CIDRS = encAll(['0.0.0.0/0', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
/** SSH, PostgreSQL and RDP among PORTS. */
const ADMIN_PORTS = new Set([PORTS[0], PORTS[3], PORTS[4]]);
const VOLUME_SIZES = encAll(['8', '20', '50', '100', '500']);
const LAMBDA_RUNTIMES = encAll(['python3.12', 'nodejs20.x', 'nodejs22.x', 'python3.13', 'java21', 'provided.al2023']);
const LOG_PREFIXES = encAll(['/aws/lambda/', '/ecs/', '/aws/rds/', 'API-Gateway']);
const LOOKUP_EVENTS = encAll(['ConsoleLogin', 'AssumeRole', 'CreateAccessKey', 'RunInstances', 'DeleteBucket', 'StopLogging']);
const METRIC_NAMESPACES = encAll(['AWS/EC2', 'AWS/Lambda', 'AWS/RDS', 'AWS/ApplicationELB', 'AWS/S3', 'AWS/DynamoDB']);
const ATHENA_QUERIES = ['SELECT * FROM ', 'SELECT count(*) FROM ', 'SELECT user_id, sum(amount) FROM '];

