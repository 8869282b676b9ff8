/** Governance and operations services: CloudFormation, CloudTrail trail changes, Config, EFS, EventBridge, Grafana, GuardDuty, CloudWatch alarms, Organizations. */
import { jsonContent, utf8 } from '../../../encode/byte-writer.js';
import { fmt, raw, ref, type SlotValue } from '../../../encode/layout/index.js';
import { hex } from '../../../population/aws-ids.js';
import type { Rng } from '../../../util/rng.js';
import type { EventContext } from '../context.js';
import { text } from '../slot-values.js';
import { ERR, type CatalogGroup, type ErrorSpec, type EventSpec } from './types.js';

const decoder = new TextDecoder();
const ENVS = ['prod', 'staging', 'dev'];
const SERVICES = ['orders-api', 'payments-api', 'billing-worker', 'notifications', 'search-indexer', 'auth-service', 'web-frontend', 'report-generator'];

/** Points the slot at one of a pool's values. */
const pickFrom = (ctx: EventContext, out: SlotValue, pool: readonly Uint8Array[]) => out.set(pool[ctx.rng.int(pool.length)]);

// ---- CloudFormation ---------------------------------------------------------------------------------------------

interface Stack {
  readonly name: Uint8Array;
  /** `parameters` of CreateStack as CloudTrail logs them: keys only. */
  readonly params: Uint8Array;
}
const paramList = (keys: readonly string[]) => utf8(JSON.stringify(keys.map((parameterKey) => ({ parameterKey }))));
const STACK_TEMPLATES: readonly { name: (rng: Rng, company: string) => string; params: readonly string[] }[] = [
  { name: (rng) => `${SERVICES[rng.int(SERVICES.length)]}-${ENVS[rng.int(3)]}`, params: ['Environment', 'ImageTag', 'DesiredCount', 'VpcId', 'SubnetIds'] },
  { name: (rng) => `bastion-${ENVS[rng.int(3)]}`, params: ['KeyName', 'InstanceType', 'SubnetId', 'AllowedCidr'] },
  { name: (rng, company) => `${company}-network-${ENVS[rng.int(3)]}`, params: ['VpcCidr', 'Environment', 'AvailabilityZones'] },
  { name: (rng) => `${SERVICES[rng.int(SERVICES.length)]}-alarms`, params: ['AlarmTopicArn', 'Environment'] },
  { name: (rng) => `${SERVICES[rng.int(SERVICES.length)]}-pipeline`, params: ['GitHubRepo', 'Branch', 'ConnectionArn'] },
  { name: (rng) => `${SERVICES[rng.int(SERVICES.length)]}-cache-${ENVS[rng.int(2)]}`, params: ['Environment', 'CacheNodeType', 'NumCacheNodes', 'SubnetIds'] },
];
const stacksOf = (ctx: EventContext): readonly Stack[] =>
  ctx.world().memo('gov.stacks', (rng) =>
    Array.from({ length: 8 }, () => {
      const t = STACK_TEMPLATES[rng.int(STACK_TEMPLATES.length)];
      return { name: jsonContent(t.name(rng, ctx.actor.account.company)), params: paramList(t.params) };
    }),
  );
/** The hosts that stamp stack ids: version-1 UUIDs end with their MAC address. */
const stackHostsOf = (ctx: EventContext): readonly string[] => ctx.world().memo('gov.stackHosts', (rng) => Array.from({ length: 4 }, () => `${['0a', '0e', '12'][rng.int(3)]}${hex(rng, 10)}`));
const GREGORIAN_OFFSET = 122_192_928_000_000_000n;

/** A time-based (version 1) UUID for the record's time, as CloudFormation stack ids carry. */
function stackUuid(ctx: EventContext, out: SlotValue): void {
  const t = BigInt(Math.floor(ctx.timeMs)) * 10_000n + GREGORIAN_OFFSET + BigInt(ctx.rng.int(10_000));
  const low = Number(t & 0xffffffffn);
  const mid = Number((t >> 32n) & 0xffffn);
  const high = Number((t >> 48n) & 0x0fffn) | 0x1000;
  const seq = 0x8000 | ctx.rng.int(0x4000);
  const hosts = stackHostsOf(ctx);
  text(out, `${low.toString(16).padStart(8, '0')}-${mid.toString(16).padStart(4, '0')}-${high.toString(16)}-${seq.toString(16)}-${hosts[ctx.rng.int(hosts.length)]}`);
}
const STACK_SET_NAMES = ['guardduty-baseline', 'config-recorder-baseline', 'security-audit-role', 'cloudtrail-baseline', 'break-glass-role', 'vpc-flow-logs'];

// ---- CloudTrail -------------------------------------------------------------------------------------------------

interface Trail {
  readonly name: Uint8Array;
  readonly bucket: Uint8Array;
  readonly home: string;
}
const trailOf = (ctx: EventContext): Trail =>
  ctx.actor.account.memo('gov.trail', () => {
    const account = ctx.actor.account;
    const arn = decoder.decode(account.trailArn);
    const logs = account.buckets.find((b) => b.topics.length === 1 && b.topics[0] === 'cloudtrail');
    return {
      name: jsonContent(arn.slice(arn.lastIndexOf('/') + 1)),
      bucket: logs ? logs.name : jsonContent(`${account.company}-cloudtrail-logs-${account.accountIdText}`),
      home: arn.split(':')[3],
    };
  });

/** Event selectors an admin puts on the trail: data events on a bucket or everywhere, noisy sources excluded; rarely the tampering kind. */
function eventSelectors(ctx: EventContext, out: SlotValue): void {
  const buckets = ctx.actor.account.buckets;
  const bucket = decoder.decode(buckets[ctx.rng.int(buckets.length)].name);
  const r = ctx.rng.float();
  let selectors: object;
  if (r < 0.4) selectors = { dataResources: [{ type: 'AWS::S3::Object', values: [`arn:aws:s3:::${bucket}/`] }], excludeManagementEventSources: [], includeManagementEvents: true, readWriteType: 'All' };
  else if (r < 0.65) selectors = { dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }, { type: 'AWS::Lambda::Function', values: ['arn:aws:lambda'] }], excludeManagementEventSources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'], includeManagementEvents: true, readWriteType: 'WriteOnly' };
  else if (r < 0.95) selectors = { dataResources: [{ type: 'AWS::S3::Object', values: [`arn:aws:s3:::${bucket}/`] }, { type: 'AWS::Lambda::Function', values: ['arn:aws:lambda'] }], excludeManagementEventSources: ['kms.amazonaws.com'], includeManagementEvents: true, readWriteType: 'All' };
  else selectors = { dataResources: [{ type: 'AWS::S3::Object', values: [] }, { type: 'AWS::Lambda::Function', values: [] }], excludeManagementEventSources: [], includeManagementEvents: false, readWriteType: 'ReadOnly' };
  out.compose().ascii(JSON.stringify([selectors]));
}

// ---- EFS, EventBridge, CloudWatch, Config -----------------------------------------------------------------------

const efsOf = (ctx: EventContext) =>
  ctx.world().memo('gov.efs', (rng) => {
    const fileSystems = Array.from({ length: rng.range(1, 4) }, () => `fs-0${hex(rng, 16)}`);
    const mountTargets = fileSystems.flatMap(() => Array.from({ length: rng.range(1, 3) }, () => `fsmt-0${hex(rng, 16)}`));
    return { fileSystems: fileSystems.map(jsonContent), mountTargets: mountTargets.map(jsonContent) };
  });
const RULES = ['nightly-etl-schedule', 'DailyReportTrigger', 'ec2-state-change-to-sns', 'guardduty-findings-to-slack', 'aws-backup-daily-window', 'codepipeline-deploy-on-push', 'ecr-image-scan-findings', 'cost-anomaly-notify', 'ec2-reaper-schedule', 'rotate-api-keys-weekly'];
const rulesOf = (ctx: EventContext) => ctx.world().memo('gov.rules', (rng) => RULES.filter(() => rng.chance(0.5)).concat(RULES[rng.int(RULES.length)]).map(jsonContent));
const alarmsOf = (ctx: EventContext): readonly string[] =>
  ctx.world().memo('gov.alarms', (rng) => {
    const instances = ctx.world().instances;
    return [
      ...Array.from({ length: 3 }, () => `${decoder.decode(instances[rng.int(instances.length)])}-high-cpu`),
      ...SERVICES.slice(0, 4).flatMap((s) => [`${s}-5xx-errors`, `${s}-p99-latency`]),
      `awsrds-${ctx.actor.account.company}-orders-High-CPU-Utilization`,
      `TargetTracking-table/orders-${ENVS[rng.int(2)]}-AlarmHigh-${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-a${hex(rng, 3)}-${hex(rng, 12)}`,
      'billing-estimated-charges',
    ];
  });

// ---- Amazon Managed Grafana -------------------------------------------------------------------------------------

interface Workspace {
  readonly id: Uint8Array;
  readonly version: Uint8Array;
  readonly datasources: readonly Uint8Array[];
}
const workspaceOf = (ctx: EventContext): Workspace =>
  ctx.actor.account.memo('gov.grafana', (rng) => ({
    id: jsonContent(`g-${hex(rng, 10)}`),
    version: jsonContent(['9.4.7', '10.4.1', '10.4.1'][rng.int(3)]),
    datasources: Array.from({ length: rng.range(2, 4) }, () => {
      let uid = '';
      for (let i = 0; i < 9; i++) uid += 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[rng.int(62)];
      return jsonContent(uid);
    }),
  }));
/** Data-source proxy routes a dashboard panel hits (Prometheus HTTP API). */
const PROM_PATHS = ['api/v1/query_range', 'api/v1/query_range', 'api/v1/query', 'api/v1/series', 'api/v1/labels', 'api/v1/label/__name__/values', 'api/v1/metadata'].map(jsonContent);
const ORG_ROLES: Record<string, Uint8Array> = { admin: utf8('Admin'), developer: utf8('Editor'), readonly: utf8('Viewer'), auditor: utf8('Viewer') };
const VIEWER = utf8('Viewer');
const OK = utf8('200');
const SUCCESS = utf8('success');
const FAILURE = utf8('failure');

/**
 * Grafana writes the HTTP status of the request as `errorCode`, "200" included: the catalog's errors are those
 * statuses, chosen on (almost) every record, and the audit payload repeats the chosen one.
 */
const grafanaStatus = (code: string, weight: number): ErrorSpec => ({ code, message: '', weight });

// ---- errors -------------------------------------------------------------------------------------------------------

const cfnDenied = { ...ERR.accessDenied, weight: 2 };
const trailNotFound = { code: 'TrailNotFoundException', message: 'Unknown trail: {gov.trailRef} for the user: {accountId}', weight: 1 } satisfies ErrorSpec;
const detectorDenied = ERR.accessDeniedException;

const admins = { admin: 1 };
const change = { readOnly: false, management: true } as const;

const EVENTS: readonly EventSpec[] = [
  // CloudFormation
  {
    name: 'CreateStack',
    service: 'cloudformation',
    ...change,
    weight: 0.1,
    who: { admin: 1, developer: 1 },
    request: { parameters: raw('gov.stackParams'), stackName: ref('gov.stackName') },
    response: { stackId: fmt('arn:aws:cloudformation:{region}:{accountId}:stack/{gov.stackName}/{gov.stackUuid}') },
    errors: [
      cfnDenied,
      { code: 'AlreadyExistsException', message: 'Stack [{gov.stackName}] already exists', weight: 2 },
      { code: 'InsufficientCapabilitiesException', message: 'Requires capabilities : [CAPABILITY_NAMED_IAM]', weight: 1 },
      { code: 'ValidationException', message: 'Template format error: Unresolved resource dependencies [SecurityGroup] in the Resources block of the template', weight: 0.5 },
    ],
  },
  {
    name: 'CreateStackSet',
    service: 'cloudformation',
    ...change,
    weight: 0.01,
    who: admins,
    request: { clientRequestToken: ref('clientToken'), stackSetName: ref('gov.stackSetName') },
    response: { stackSetId: fmt('{gov.stackSetName}:{uuid}') },
    errors: [cfnDenied, { code: 'NameAlreadyExistsException', message: 'StackSet {gov.stackSetName} already exists', weight: 1 }],
  },
  // CloudTrail: trail changes are rare, and turning logging off is an attacker's first move.
  {
    name: 'UpdateTrail',
    service: 'cloudtrail',
    ...change,
    weight: 0.01,
    who: admins,
    request: { name: ref('trailArn'), s3BucketName: ref('gov.trailBucket'), snsTopicName: '', isMultiRegionTrail: true, enableLogFileValidation: raw('gov.logValidation'), kmsKeyId: '' },
    response: {
      name: ref('gov.trailName'),
      s3BucketName: ref('gov.trailBucket'),
      snsTopicName: '',
      snsTopicARN: '',
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: true,
      trailARN: ref('trailArn'),
      logFileValidationEnabled: raw('gov.logValidation'),
      isOrganizationTrail: true,
    },
    errors: [
      ERR.accessDeniedException,
      { ...trailNotFound, message: 'Unknown trail: {trailArn} for the user: {accountId}' },
      { code: 'InsufficientS3BucketPolicyException', message: 'Incorrect S3 bucket policy is detected for bucket: {gov.trailBucket}', weight: 1 },
    ],
  },
  {
    name: 'PutEventSelectors',
    service: 'cloudtrail',
    ...change,
    weight: 0.01,
    who: admins,
    request: { eventSelectors: raw('gov.eventSelectors'), trailName: ref('gov.trailRef') },
    response: { eventSelectors: raw('gov.eventSelectors'), trailARN: ref('trailArn') },
    errors: [ERR.accessDeniedException, trailNotFound, { code: 'InvalidEventSelectorsException', message: 'You have exceeded the maximum number of data resources for the trail.', weight: 0.5 }],
  },
  { name: 'DeleteTrail', service: 'cloudtrail', ...change, weight: 0.003, who: admins, request: { name: ref('gov.trailRef') }, response: null, errors: [ERR.accessDeniedException, trailNotFound] },
  // Config
  {
    name: 'StopConfigurationRecorder',
    service: 'config',
    ...change,
    weight: 0.005,
    who: admins,
    request: { configurationRecorderName: ref('gov.recorderName') },
    response: null,
    errors: [ERR.accessDeniedException, { code: 'NoSuchConfigurationRecorderException', message: "Cannot find configuration recorder with the specified name '{gov.recorderName}'.", weight: 1 }],
  },
  // EFS
  {
    name: 'DeleteMountTarget',
    service: 'elasticfilesystem',
    ...change,
    weight: 0.02,
    who: { admin: 1, developer: 0.3 },
    request: { mountTargetId: ref('gov.mountTargetId') },
    response: null,
    errors: [ERR.accessDeniedException, { code: 'MountTargetNotFound', message: "Mount target '{gov.mountTargetId}' does not exist.", weight: 1 }],
  },
  {
    name: 'DeleteFileSystem',
    service: 'elasticfilesystem',
    ...change,
    weight: 0.01,
    who: { admin: 1, developer: 0.2 },
    request: { fileSystemId: ref('gov.fileSystemId') },
    response: null,
    errors: [
      ERR.accessDeniedException,
      { code: 'FileSystemInUse', message: "File system '{gov.fileSystemId}' has mount targets created in it. All the mount targets must be deleted first.", weight: 2 },
      { code: 'FileSystemNotFound', message: "File system '{gov.fileSystemId}' does not exist.", weight: 1 },
    ],
  },
  // EventBridge
  {
    name: 'DeleteRule',
    service: 'events',
    ...change,
    weight: 0.03,
    who: { admin: 1, developer: 0.5 },
    request: { force: false, name: ref('gov.ruleName') },
    response: null,
    errors: [ERR.accessDeniedException, { code: 'ResourceNotFoundException', message: 'Rule {gov.ruleName} does not exist on EventBus default.', weight: 1 }],
  },
  // Amazon Managed Grafana: workspace audit events, one per proxied data-source request.
  {
    name: 'action',
    service: 'grafana',
    ...change,
    identity: 'samlUser',
    weight: 1.5,
    who: { developer: 1, readonly: 1, admin: 0.5, auditor: 0.3 },
    request: null,
    response: null,
    additional: {
      timestamp: ref('gov.grafanaTimestamp'),
      user: { userId: raw('gov.grafanaUserId'), orgId: 1, orgRole: ref('gov.grafanaRole'), name: ref('userName'), isAnonymous: false },
      action: 'action',
      requestUri: '',
      request: { params: { '*': ref('gov.grafanaPath'), '*1': ref('gov.grafanaPath'), ':uid': ref('gov.grafanaDatasource') } },
      result: { statusType: ref('gov.grafanaStatusType'), statusCode: ref('gov.grafanaStatus') },
      ipAddress: ref('sourceIPAddress'),
      userAgent: fmt('{userAgentBase}{userAgentSuffix}'),
      grafanaVersion: ref('gov.grafanaVersion'),
      additionalData: { GiraffeCustomerAccount: ref('accountId'), GiraffeWorkspaceId: ref('gov.grafanaWorkspace') },
    },
    host: fmt('{gov.grafanaWorkspace}.grafana-workspace.{region}.amazonaws.com'),
    errors: [grafanaStatus('200', 95), grafanaStatus('400', 1), grafanaStatus('403', 1), grafanaStatus('404', 1), grafanaStatus('502', 1), grafanaStatus('504', 1)],
    errorBias: 1000,
  },
  // GuardDuty
  {
    name: 'CreateDetector',
    service: 'guardduty',
    ...change,
    weight: 0.005,
    who: admins,
    request: { clientToken: ref('clientToken'), enable: raw('gov.detectorEnable') },
    response: { detectorId: ref('detectorId') },
    errors: [detectorDenied, { code: 'BadRequestException', message: 'The request is rejected because a detector already exists for the current account.', weight: 3 }],
  },
  {
    name: 'DeleteDetector',
    service: 'guardduty',
    ...change,
    weight: 0.003,
    who: admins,
    request: { detectorId: ref('detectorId') },
    response: null,
    errors: [detectorDenied, { code: 'BadRequestException', message: 'The request is rejected because the input detectorId is not owned by the current account.', weight: 1 }],
  },
  // CloudWatch
  {
    name: 'DeleteAlarms',
    service: 'monitoring',
    ...change,
    weight: 0.02,
    who: { admin: 1, developer: 0.5 },
    request: { alarmNames: raw('gov.alarmNames') },
    response: null,
    errors: [ERR.accessDenied, { code: 'ResourceNotFound', message: 'The named resource does not exist.', weight: 1 }],
  },
  // Organizations: a member account trying to leave. Usually blocked by policy.
  {
    name: 'LeaveOrganization',
    service: 'organizations',
    ...change,
    weight: 0.002,
    who: admins,
    request: null,
    response: null,
    errors: [
      { code: 'AccessDenied', message: 'User: {callerArn} is not authorized to perform: {iamAction} on resource: * because no identity-based policy allows the {iamAction} action', weight: 3 },
      { code: 'AccessDenied', message: 'User: {callerArn} is not authorized to perform: {iamAction} on resource: * with an explicit deny in a service control policy', weight: 3 },
      { code: 'MasterCannotLeaveOrganizationException', message: "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization of the management account.", weight: 1 },
    ],
    errorBias: 30,
  },
  // GuardDuty and Config settings that attacks change to go unseen; benign at catalog/baseline.ts's rates.
  {
    name: 'UpdateDetector',
    service: 'guardduty',
    ...change,
    weight: 0.002,
    who: admins,
    request: { detectorId: ref('detectorId'), findingPublishingFrequency: ref('gov.publishingFrequency') },
    response: null,
    errors: [detectorDenied],
  },
  {
    name: 'CreateIPSet',
    service: 'guardduty',
    ...change,
    weight: 0.001,
    who: admins,
    request: { detectorId: ref('detectorId'), name: 'trusted-egress', format: 'TXT', location: fmt('https://s3.amazonaws.com/{gov.trailBucket}/guardduty/trusted-ips.txt'), activate: true, clientToken: ref('clientToken') },
    response: { ipSetId: ref('gov.ipSetId') },
    errors: [detectorDenied, { code: 'BadRequestException', message: 'The request is rejected because an IPSet with the same name already exists.', weight: 1 }],
  },
  {
    name: 'DeleteDeliveryChannel',
    service: 'config',
    ...change,
    weight: 0.001,
    who: admins,
    request: { deliveryChannelName: 'default' },
    response: null,
    errors: [ERR.accessDeniedException, { code: 'LastDeliveryChannelDeleteFailedException', message: 'Failed to delete last specified delivery channel with name \'default\', because there, because there is a running configuration recorder.', weight: 2 }],
  },
  {
    name: 'EnableRegion',
    service: 'account',
    ...change,
    weight: 0.001,
    who: admins,
    request: { RegionName: ref('gov.optInRegion') },
    response: null,
    errors: [ERR.accessDeniedException],
  },
];

const TRUE = utf8('true');
const FALSE = utf8('false');

export const governanceGroup: CatalogGroup = {
  events: EVENTS,
  slots: {
    // CloudFormation
    'gov.stackName': (ctx, out) => out.set(stacksOf(ctx)[ctx.rng.int(8)].name),
    'gov.stackParams': (ctx, out, slots) => {
      const name = slots.byName('gov.stackName').ref;
      out.set(stacksOf(ctx).find((s) => s.name === name)!.params);
    },
    'gov.stackUuid': stackUuid,
    'gov.stackSetName': (ctx, out) => text(out, `${ctx.actor.account.company}-${STACK_SET_NAMES[ctx.rng.int(STACK_SET_NAMES.length)]}`),
    // CloudTrail
    'gov.trailName': (ctx, out) => out.set(trailOf(ctx).name),
    // By name in the trail's home region; elsewhere only the ARN finds it.
    'gov.trailRef': (ctx, out) => {
      const trail = trailOf(ctx);
      out.set(ctx.regionText === trail.home && ctx.rng.chance(0.7) ? trail.name : ctx.actor.account.trailArn);
    },
    'gov.trailBucket': (ctx, out) => out.set(trailOf(ctx).bucket),
    'gov.logValidation': (ctx, out) => out.set(ctx.rng.chance(0.85) ? TRUE : FALSE),
    'gov.eventSelectors': eventSelectors,
    // Config: the default recorder, or Control Tower's.
    'gov.recorderName': (ctx, out) => text(out, ctx.actor.account.memo('gov.recorder', (rng) => (rng.chance(0.7) ? 'default' : 'aws-controltower-BaselineConfigRecorder'))),
    // EFS, EventBridge, CloudWatch, GuardDuty
    'gov.fileSystemId': (ctx, out) => pickFrom(ctx, out, efsOf(ctx).fileSystems),
    'gov.mountTargetId': (ctx, out) => pickFrom(ctx, out, efsOf(ctx).mountTargets),
    'gov.ruleName': (ctx, out) => pickFrom(ctx, out, rulesOf(ctx)),
    'gov.alarmNames': (ctx, out) => {
      const alarms = alarmsOf(ctx);
      const first = ctx.rng.int(alarms.length);
      const names = ctx.rng.chance(0.8) ? [alarms[first]] : [alarms[first], alarms[(first + 1) % alarms.length]];
      out.compose().ascii(JSON.stringify(names));
    },
    'gov.detectorEnable': (ctx, out) => out.set(ctx.rng.chance(0.9) ? TRUE : FALSE),
    // How often GuardDuty exports findings: teams shorten it when they wire findings to a SIEM.
    'gov.publishingFrequency': (ctx, out) => text(out, ['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS'][ctx.rng.int(3)]),
    'gov.ipSetId': (ctx, out) => text(out, hex(ctx.rng, 32)),
    // Regions an account opts in to (off by default): taken into use for a customer or a data-residency need.
    'gov.optInRegion': (ctx, out) => text(out, ['af-south-1', 'ap-east-1', 'eu-south-1', 'me-south-1', 'me-central-1', 'ap-south-2', 'eu-central-2', 'il-central-1'][ctx.rng.int(8)]),
    // Grafana
    'gov.grafanaWorkspace': (ctx, out) => out.set(workspaceOf(ctx).id),
    'gov.grafanaVersion': (ctx, out) => out.set(workspaceOf(ctx).version),
    'gov.grafanaDatasource': (ctx, out) => pickFrom(ctx, out, workspaceOf(ctx).datasources),
    'gov.grafanaPath': (ctx, out) => pickFrom(ctx, out, PROM_PATHS),
    'gov.grafanaUserId': (ctx, out) => out.compose().uint(2 + ((ctx.actor.globalIndex * 7919) % 240)),
    'gov.grafanaRole': (ctx, out) => out.set(ORG_ROLES[ctx.actor.actor.role ?? ''] ?? VIEWER),
    'gov.grafanaStatus': (ctx, out) => out.set(ctx.error?.code ?? OK),
    'gov.grafanaStatusType': (ctx, out) => {
      const code = ctx.error?.code;
      out.set(!code || code[0] === 50 ? SUCCESS : FAILURE);
    },
    // Grafana stamps its audit events with nanoseconds.
    'gov.grafanaTimestamp': (ctx, out) => {
      const w = out.compose();
      w.bytesN(ctx.clock.set(ctx.timeMs), 19);
      w.byte(46);
      w.padded(Math.floor(ctx.timeMs) % 1000, 3);
      w.padded(ctx.rng.int(1_000_000), 6);
      w.byte(90);
    },
  },
};
