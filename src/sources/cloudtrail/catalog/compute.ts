/** KMS, Lambda, CloudWatch Logs, Secrets Manager, SSM: the services applications lean on all day. */
import { fmt, opt, raw, ref, type Resolver, type Slots } from '../../../encode/layout/index.js';
import { javaMediumDate } from '../../../encode/time-format.js';
import { fnv1a } from '../../../util/hash.js';
import type { EventContext } from '../context.js';
import { BASE64, chars, LOWER_HEX, text, uuid } from '../slot-values.js';
import { dangerous } from './baseline.js';
import { ERR, WHO, type CatalogGroup, type EventSpec, deniedOn } from './types.js';

// ---- helpers ----------------------------------------------------------------------------------------------------

type Ctx = EventContext;
const decoder = new TextDecoder();

/** A slot's value as text (JSON string content), for resolvers that build on other slots (off the hot path). */
function slotText(slots: Slots<Ctx>, name: string): string {
  const v = slots.byName(name);
  return decoder.decode(v.ref ?? v.scratch.buf.subarray(0, v.scratch.pos));
}

/** Writes a JSON value (object, array, number) into a raw slot. */
function json(out: Parameters<Resolver<Ctx>>[1], value: unknown): void {
  text(out, JSON.stringify(value));
}

/** Instance ids of the record's region other than (and after) the record's own instance. */
function instanceIds(ctx: Ctx, slots: Slots<Ctx>, n: number): string[] {
  const first = slotText(slots, 'instanceId');
  const pool = ctx.world().instances;
  const ids = [first];
  for (let tries = 0; ids.length < n && tries < 8; tries++) {
    const id = decoder.decode(pool[ctx.rng.int(pool.length)]);
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** An AWS pagination/channel token: a versioned binary blob (key id, epoch seconds, ciphertext) in base64. */
function awsToken(ctx: Ctx, randomBytes: number): string {
  const b = Buffer.alloc(44 + randomBytes);
  b.writeUInt32BE(0x00010001, 0);
  for (let i = 4; i < 36; i += 4) b.writeUInt32BE(ctx.rng.u32(), i);
  b.writeUInt32BE(0, 36);
  b.writeUInt32BE(Math.floor(ctx.timeMs / 1000) >>> 0, 40);
  for (let i = 44; i < b.length; i++) b[i] = ctx.rng.u32() & 255;
  return b.toString('base64');
}

/** `AccessDeniedException` naming the resource, as KMS, Lambda, Secrets Manager, SSM and Logs write it. */

// ---- KMS --------------------------------------------------------------------------------------------------------

const keyResources = [{ accountId: ref('accountId'), type: 'AWS::KMS::Key', ARN: ref('kmsKeyArn') }];
const kmsPending = { code: 'KMSInvalidStateException', message: '{kmsKeyArn} is pending deletion.', weight: 0.3 };
const kmsErrors = [ERR.accessDeniedException, kmsPending, ERR.throttling];
const kmsChangeErrors = [deniedOn('{kmsKeyArn}', 'AccessDeniedException'), { code: 'NotFoundException', message: "Key '{kmsKeyArn}' does not exist", weight: 0.5 }, { ...kmsPending, weight: 1 }];
const kmsRead = { service: 'kms', readOnly: true, management: true, response: null, resources: keyResources, errors: kmsErrors } as const;
const PENDING_WINDOWS = [7, 7, 14, 30, 30, 30];

// ---- Lambda -----------------------------------------------------------------------------------------------------

const apps = { generic: 3, datalake_bot: 2, logs_shipper: 2, metrics_collector: 0.5, ec2_reaper: 0.3, developer: 0.3 };
const functionResources = [{ accountId: ref('accountId'), type: 'AWS::Lambda::Function', ARN: ref('functionArn') }];
const functionNotFound = { code: 'ResourceNotFoundException', message: 'Function not found: {functionArn}', weight: 1 };
const lambdaErrors = [ERR.accessDeniedException, functionNotFound, { code: 'TooManyRequestsException', message: 'Rate Exceeded.', weight: 1 }];
const lambdaChangeErrors = [deniedOn('{functionArn}', 'AccessDeniedException'), functionNotFound, { code: 'ResourceConflictException', message: 'The operation cannot be performed at this time. An update is in progress for resource: {functionArn}', weight: 1 }];
const MEMORY_SIZES = [128, 256, 512, 1024, 2048];
const TIMEOUTS = [3, 10, 30, 60, 300, 900];
const HANDLERS: Record<string, string> = { python: 'app.lambda_handler', nodejs: 'index.handler', java: 'com.example.Handler::handleRequest', provided: 'bootstrap' };
const LAYERS = ['shared-utils', 'otel-collector-extension', 'pandas-numpy', 'sentry-sdk', 'powertools-python', 'common-node-modules'];
const PERMISSION_PRINCIPALS: readonly [string, string][] = [
  ['s3.amazonaws.com', 'AllowExecutionFromS3Bucket'],
  ['sns.amazonaws.com', 'AllowExecutionFromSNS'],
  ['events.amazonaws.com', 'AllowExecutionFromCloudWatch'],
  ['apigateway.amazonaws.com', 'AllowAPIGatewayInvoke'],
  ['logs.amazonaws.com', 'AllowCloudWatchLogsInvoke'],
  ['sqs.amazonaws.com', 'AllowExecutionFromSQS'],
];

/** Fields every Lambda function configuration shares, in the API's key order (head and tail of the object). */
const fnHead = {
  functionName: ref('functionName'),
  functionArn: ref('functionArn'),
  runtime: ref('lambdaRuntime'),
  role: ref('functionRoleArn'),
  handler: ref('app.lambdaHandler'),
  codeSize: raw('codeSize'),
  description: '',
};
const fnTail = {
  packageType: 'Zip',
  architectures: ['x86_64'],
  ephemeralStorage: { size: 512 },
  snapStart: { applyOn: 'None', optimizationStatus: 'Off' },
  runtimeVersionConfig: { runtimeVersionArn: ref('app.runtimeVersionArn') },
  loggingConfig: { logFormat: 'Text', logGroup: fmt('/aws/lambda/{functionName}') },
};
const creating = { state: 'Pending', stateReason: 'The function is being created.', stateReasonCode: 'Creating' };

// ---- Logs, Secrets Manager --------------------------------------------------------------------------------------

const logGroupArn = 'arn:aws:logs:{region}:{accountId}:log-group:{logGroup}';
const logsErrors = [ERR.accessDeniedException, { code: 'ResourceNotFoundException', message: 'The specified log group does not exist.', weight: 1 }, ERR.throttling];
const secretNotFound = { code: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret.", weight: 1 };
const secretErrors = [ERR.accessDeniedException, secretNotFound, ERR.throttling];
const SECRET_TAG_KEYS = ['Environment', 'Team', 'Service', 'ManagedBy', 'CostCenter'];

// ---- SSM --------------------------------------------------------------------------------------------------------

const paramArn = 'arn:aws:ssm:{region}:{accountId}:parameter{paramName}';
const ssmErrors = [deniedOn(paramArn, 'AccessDeniedException'), { code: 'ParameterNotFound', message: '', weight: 1 }, ERR.throttling];
const instanceArn = 'arn:aws:ec2:{region}:{accountId}:instance/{app.agentInstanceId}';
const controlChannelArn = 'arn:aws:ssmmessages:{region}:{accountId}:control-channel/{app.agentInstanceId}';
const ssmMessagesHost = fmt('ssmmessages.{region}.amazonaws.com');
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
const TOKEN_HIDDEN = 'Value hidden due to security reasons.';
const RUN_DOCUMENTS = ['AWS-RunShellScript', 'AWS-RunShellScript', 'AWS-RunShellScript', 'AWS-RunPowerShellScript', 'AWS-RunPatchBaseline', 'AWS-ConfigureAWSPackage', 'AWS-UpdateSSMAgent'];
const TARGET_TAGS: readonly [string, string[]][] = [
  ['tag:Role', ['web', 'api', 'worker', 'batch']],
  ['tag:Environment', ['prod', 'staging']],
  ['tag:PatchGroup', ['linux-prod', 'linux-staging']],
];
const CUSTOM_DOCUMENTS: readonly [string, string][] = [
  ['Deploy-ApplicationRelease', 'Pulls the release artifact from S3 and restarts the application service'],
  ['Rotate-ApplicationLogs', 'Compresses and ships application logs older than one day'],
  ['Install-CloudWatchAgentConfig', 'Installs the standard CloudWatch agent configuration'],
  ['Restart-Nginx', 'Validates the nginx configuration and restarts nginx'],
  ['Collect-DiagnosticBundle', 'Collects system diagnostics and uploads them to S3'],
  ['Harden-SshdConfig', 'Applies the baseline sshd hardening settings'],
];
/** Amazon SSM Agent releases (recent 3.3.x builds). */
const AGENT_VERSIONS = ['3.3.1142.0', '3.3.1345.0', '3.3.1611.0', '3.3.1802.0', '3.3.1957.0', '3.3.2299.0', '3.3.2471.0'];
const PLATFORMS: readonly { type: string; name: string; version: string }[] = [
  { type: 'Linux', name: 'Amazon Linux', version: '2023' },
  { type: 'Linux', name: 'Amazon Linux', version: '2023' },
  { type: 'Linux', name: 'Amazon Linux', version: '2' },
  { type: 'Linux', name: 'Ubuntu', version: '22.04' },
  { type: 'Linux', name: 'Ubuntu', version: '24.04' },
  { type: 'Windows', name: 'Microsoft Windows Server 2022 Datacenter', version: '10.0.20348' },
];
const DIRECTIONS: Record<string, string> = { east: 'e', west: 'w', north: 'n', south: 's', central: 'c', northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw' };

/** `use1`, `apne1`…: the short region code of availability-zone ids. */
function regionCode(region: string): string {
  const [geo, dir, n] = region.split('-');
  return `${geo}${DIRECTIONS[dir] ?? dir?.[0] ?? ''}${n ?? ''}`;
}

/** The SSM agent's view of its instance, stable per instance id. */
function platformOf(instanceId: string) {
  const h = fnv1a(instanceId);
  return { platform: PLATFORMS[h % PLATFORMS.length], agent: AGENT_VERSIONS[(h >>> 8) % AGENT_VERSIONS.length] };
}

const sendCommandResponse = {
  command: {
    commandId: ref('uuid'),
    documentName: ref('app.ssmDocument'),
    documentVersion: '$DEFAULT',
    comment: '',
    expiresAfter: ref('app.cmdExpires'),
    parameters: HIDDEN,
    instanceIds: raw('app.cmdInstanceIds'),
    targets: raw('app.cmdTargets'),
    requestedDateTime: ref('createDate'),
    status: 'Pending',
    statusDetails: 'Pending',
    outputS3Region: ref('region'),
    outputS3BucketName: '',
    outputS3KeyPrefix: '',
    maxConcurrency: '50',
    maxErrors: '0',
    targetCount: raw('app.cmdTargetCount'),
    completedCount: 0,
    errorCount: 0,
    deliveryTimedOutCount: 0,
    serviceRole: '',
    notificationConfig: { notificationArn: '', notificationEvents: [], notificationType: '' },
    cloudWatchOutputConfig: { cloudWatchLogGroupName: '', cloudWatchOutputEnabled: false },
    interactive: false,
    timeoutSeconds: raw('app.cmdTimeout'),
    clientName: '',
    clientSourceId: '',
    alarmConfiguration: { ignorePollAlarmFailure: false, alarms: [] },
    triggeredAlarms: [],
    hasSendCommandSignature: false,
    hasCancelCommandSignature: false,
  },
};

const agents = { generic: 1, datalake_bot: 1, logs_shipper: 1, metrics_collector: 1 };
const sessionUsers = { admin: 1, developer: 0.5 };

const EVENTS: readonly EventSpec[] = [
  // KMS
  { name: 'Decrypt', ...kmsRead, weight: 10, who: apps, request: { encryptionContext: { PARAMETER_ARN: fmt('arn:aws:ssm:{region}:{accountId}:parameter{paramName}') }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' } },
  { name: 'GenerateDataKey', ...kmsRead, weight: 6, who: { datalake_bot: 3, logs_shipper: 3, generic: 1 }, request: { keyId: ref('kmsKeyArn'), encryptionContext: { 'aws:s3:arn': fmt('arn:aws:s3:::{bucket}') }, keySpec: 'AES_256' } },
  { name: 'Encrypt', ...kmsRead, weight: 2, who: { generic: 1, datalake_bot: 0.5 }, request: { keyId: ref('kmsKeyAlias'), encryptionAlgorithm: 'SYMMETRIC_DEFAULT' } },
  { name: 'DescribeKey', ...kmsRead, weight: 2, who: { ...WHO.readers, generic: 0.5 }, request: { keyId: ref('kmsKeyId') } },
  { name: 'ListKeys', service: 'kms', readOnly: true, management: true, response: null, weight: 1, who: WHO.auditors, request: null, errors: [ERR.accessDeniedException] },
  { name: 'ListAliases', service: 'kms', readOnly: true, management: true, response: null, weight: 1, who: WHO.readers, request: null, errors: [ERR.accessDeniedException] },
  { name: 'ScheduleKeyDeletion', service: 'kms', readOnly: false, management: true, weight: 0.01, who: WHO.admins, request: { keyId: ref('app.kmsKeyRef'), pendingWindowInDays: raw('app.pendingWindow') }, response: { keyId: ref('kmsKeyArn'), deletionDate: ref('app.keyDeletionDate'), keyState: 'PendingDeletion', pendingWindowInDays: raw('app.pendingWindow') }, resources: keyResources, errors: kmsChangeErrors },
  { name: 'DisableKey', service: 'kms', readOnly: false, management: true, weight: 0.005, who: WHO.admins, request: { keyId: ref('app.kmsKeyRef') }, response: { keyId: ref('kmsKeyArn') }, resources: keyResources, errors: kmsChangeErrors },
  // Lambda
  { name: 'Invoke', service: 'lambda', readOnly: false, management: false, weight: 6, who: { generic: 2, ec2_reaper: 0.5, datalake_bot: 0.5, developer: 0.3 }, request: { functionName: ref('functionArn') }, response: null, additional: { functionVersion: fmt('{functionArn}:$LATEST') }, resources: functionResources, errors: lambdaErrors },
  { name: 'ListFunctions20150331', service: 'lambda', readOnly: true, management: true, weight: 2, who: { ...WHO.builders, readonly: 0.5, auditor: 0.5 }, request: null, response: null, errors: [ERR.accessDeniedException] },
  { name: 'GetFunction20150331v2', service: 'lambda', readOnly: true, management: true, weight: 1.5, who: WHO.builders, request: { functionName: ref('functionName') }, response: null, errors: lambdaErrors },
  {
    name: 'UpdateFunctionCode20150331v2',
    service: 'lambda',
    readOnly: false,
    management: true,
    weight: 0.3,
    who: { developer: 1, admin: 0.3 },
    request: { functionName: ref('functionArn'), fullyQualifiedArn: { arnPrefix: { partition: 'aws', region: ref('region'), account: ref('accountId') }, relativeId: { functionName: ref('functionName') }, functionQualifier: {} }, publish: true, dryRun: false },
    // A published deploy: the response describes the new version, which starts Pending.
    response: { ...fnHead, functionArn: fmt('{functionArn}:{app.functionVersion}'), timeout: raw('app.lambdaTimeout'), memorySize: raw('app.lambdaMemory'), lastModified: ref('lambdaModified'), codeSha256: ref('app.codeSha256'), version: ref('app.functionVersion'), environment: {}, tracingConfig: { mode: 'PassThrough' }, revisionId: ref('uuid'), ...creating, ...fnTail },
    errors: [...lambdaChangeErrors, { code: 'CodeStorageExceededException', message: 'Code storage limit exceeded.', weight: 0.1 }],
  },
  {
    // A function URL: an HTTPS endpoint for the function, behind IAM auth or (webhooks) none.
    name: 'CreateFunctionUrlConfig20211031',
    service: 'lambda',
    readOnly: false,
    management: true,
    weight: 0.01,
    who: { developer: 1, admin: 0.5 },
    request: { functionName: ref('functionName'), authType: ref('lambda.urlAuth') },
    response: { functionUrl: fmt('https://{lambda.urlId}.lambda-url.{region}.on.aws/'), functionArn: ref('functionArn'), authType: ref('lambda.urlAuth'), creationTime: ref('isoTime') },
    errors: [deniedOn('arn:aws:lambda:{region}:{accountId}:function:{functionName}'), { code: 'ResourceConflictException', message: 'Failed to create function url config for [functionArn = {functionArn}]. Error message:  FunctionUrlConfig exists for this Lambda function', weight: 1 }],
  },
  {
    name: 'UpdateFunctionConfiguration20150331v2',
    service: 'lambda',
    readOnly: false,
    management: true,
    weight: 0.15,
    who: { developer: 1, admin: 0.5 },
    // One change per call: mostly environment, memory or timeout; layers rarely (catalog/baseline.ts, lambda.layerChange).
    request: { functionName: ref('functionArn'), environment: opt(raw('app.envChange')), memorySize: opt(raw('app.newMemory')), timeout: opt(raw('app.newTimeout')), layers: opt(raw('app.layersChange')) },
    response: {
      ...fnHead,
      timeout: raw('app.configuredTimeout'),
      memorySize: raw('app.configuredMemory'),
      lastModified: ref('lambdaModified'),
      codeSha256: ref('app.codeSha256'),
      version: '$LATEST',
      environment: {},
      tracingConfig: { mode: 'PassThrough' },
      revisionId: ref('uuid'),
      layers: opt(raw('app.layersConfigured')),
      state: 'Active',
      lastUpdateStatus: 'InProgress',
      lastUpdateStatusReason: 'The function is being created.',
      lastUpdateStatusReasonCode: 'Creating',
      ...fnTail,
    },
    errors: [...lambdaChangeErrors, { code: 'InvalidParameterValueException', message: 'Layer version {app.layerArn} does not exist.', weight: 0.5 }],
  },
  {
    name: 'CreateFunction20150331',
    service: 'lambda',
    readOnly: false,
    management: true,
    weight: 0.03,
    who: { developer: 1, admin: 0.5 },
    request: { functionName: ref('functionName'), runtime: ref('lambdaRuntime'), role: ref('functionRoleArn'), handler: ref('app.lambdaHandler'), code: {}, environment: {}, publish: false },
    // No timeout or memory in the request: the function gets Lambda's defaults.
    response: { ...fnHead, timeout: 3, memorySize: 128, lastModified: ref('lambdaModified'), codeSha256: ref('app.codeSha256'), version: '$LATEST', environment: {}, tracingConfig: { mode: 'PassThrough' }, revisionId: ref('uuid'), ...creating, ...fnTail },
    errors: [ERR.accessDeniedException, { code: 'ResourceConflictException', message: 'Function already exist: {functionName}', weight: 1 }, { code: 'InvalidParameterValueException', message: 'The role defined for the function cannot be assumed by Lambda.', weight: 0.5 }],
  },
  {
    name: 'AddPermission20150331v2',
    service: 'lambda',
    readOnly: false,
    management: true,
    weight: 0.05,
    who: { developer: 1, admin: 0.5 },
    request: { functionName: ref('functionName'), statementId: ref('app.statementId'), action: 'lambda:InvokeFunction', principal: ref('app.permissionPrincipal') },
    response: { statement: ref('app.permissionStatement') },
    errors: [deniedOn('{functionArn}', 'AccessDeniedException'), functionNotFound, { code: 'ResourceConflictException', message: 'The statement id ({app.statementId}) provided already exists. Please provide a new statement id, or remove the existing statement.', weight: 1.5 }],
  },
  // CloudWatch Logs
  { name: 'DescribeLogGroups', service: 'logs', readOnly: true, management: true, weight: 4, who: { ...WHO.readers, logs_shipper: 1, metrics_collector: 1 }, request: { logGroupNamePrefix: ref('logGroupPrefix') }, response: null, errors: logsErrors },
  { name: 'DescribeLogStreams', service: 'logs', readOnly: true, management: true, weight: 3, who: { ...WHO.builders, logs_shipper: 2 }, request: { logGroupName: ref('logGroup'), orderBy: 'LastEventTime', descending: true, limit: 50 }, response: null, errors: logsErrors },
  { name: 'CreateLogStream', service: 'logs', readOnly: false, management: true, weight: 3, who: { logs_shipper: 3, generic: 0.5 }, request: { logGroupName: ref('logGroup'), logStreamName: ref('logStream') }, response: null, errors: [...logsErrors, { code: 'ResourceAlreadyExistsException', message: 'The specified log stream already exists', weight: 2 }] },
  { name: 'CreateLogGroup', service: 'logs', readOnly: false, management: true, weight: 0.1, who: { developer: 0.5, admin: 0.5, logs_shipper: 0.3 }, request: { logGroupName: ref('logGroup') }, response: null, errors: [...logsErrors, { code: 'ResourceAlreadyExistsException', message: 'The specified log group already exists', weight: 3 }] },
  { name: 'PutRetentionPolicy', service: 'logs', readOnly: false, management: true, weight: 0.1, who: { admin: 1, logs_shipper: 0.2 }, request: { logGroupName: ref('logGroup'), retentionInDays: 30 }, response: null, errors: logsErrors },
  { name: 'DeleteLogGroup', service: 'logs', readOnly: false, management: true, weight: 0.02, who: WHO.admins, request: { logGroupName: ref('logGroup') }, response: null, errors: [deniedOn(`${logGroupArn}:log-stream:`, 'AccessDeniedException'), { code: 'ResourceNotFoundException', message: 'The specified log group does not exist.', weight: 1 }, { code: 'OperationAbortedException', message: 'A conflicting operation is currently in progress against this resource.', weight: 0.3 }] },
  { name: 'DeleteLogStream', service: 'logs', readOnly: false, management: true, weight: 0.05, who: { admin: 1, developer: 0.2, logs_shipper: 0.3 }, request: { logGroupName: ref('logGroup'), logStreamName: ref('logStream') }, response: null, errors: [deniedOn(`${logGroupArn}:log-stream:{logStream}`, 'AccessDeniedException'), { code: 'ResourceNotFoundException', message: 'The specified log stream does not exist.', weight: 1.5 }] },
  // Secrets Manager
  { name: 'GetSecretValue', service: 'secretsmanager', readOnly: true, management: true, weight: 5, who: { generic: 3, datalake_bot: 1, developer: 0.3, admin: 0.2 }, request: { secretId: ref('app.secretRef') }, response: null, errors: [deniedOn('{secretArn}', 'AccessDeniedException'), secretNotFound, { code: 'DecryptionFailure', message: "The secret can't be decrypted because access to the KMS key is denied.", weight: 0.1 }, ERR.throttling] },
  { name: 'BatchGetSecretValue', service: 'secretsmanager', readOnly: true, management: true, weight: 0.5, who: { generic: 1, datalake_bot: 0.3, developer: 0.1 }, request: raw('app.batchSecretRequest'), response: null, errors: [ERR.accessDeniedException, ERR.throttling, { code: 'InvalidParameterException', message: 'You must provide either SecretIdList or Filters.', weight: 0.1 }] },
  { name: 'DescribeSecret', service: 'secretsmanager', readOnly: true, management: true, weight: 1.5, who: { ...WHO.readers, generic: 0.3 }, request: { secretId: ref('secretName') }, response: null, errors: secretErrors },
  { name: 'ListSecrets', service: 'secretsmanager', readOnly: true, management: true, weight: 1, who: WHO.readers, request: raw('app.listSecretsRequest'), response: null, errors: [ERR.accessDeniedException, ERR.throttling] },
  { name: 'PutSecretValue', service: 'secretsmanager', readOnly: false, management: true, weight: 0.1, who: { admin: 1, generic: 0.1 }, request: { secretId: ref('secretArn'), clientRequestToken: ref('clientToken') }, response: { arn: ref('secretArn'), name: ref('secretName'), versionId: ref('clientToken'), versionStages: ['AWSCURRENT'] }, errors: secretErrors },
  // SSM: Parameter Store
  { name: 'GetParameter', service: 'ssm', readOnly: true, management: true, weight: 5, who: { generic: 3, datalake_bot: 1, developer: 0.5 }, request: { name: ref('paramName'), withDecryption: opt(raw('app.withDecryption')) }, response: null, resources: [{ ARN: fmt(paramArn), accountId: ref('accountId') }], errors: ssmErrors, errorBias: 1.5 },
  { name: 'GetParameters', service: 'ssm', readOnly: true, management: true, weight: 2, who: { generic: 1, developer: 0.3 }, request: { names: raw('app.paramNames'), withDecryption: opt(raw('app.withDecryption')) }, response: null, resources: raw('app.paramResources'), errors: [deniedOn(paramArn, 'AccessDeniedException'), ERR.throttling] },
  { name: 'GetParametersByPath', service: 'ssm', readOnly: true, management: true, weight: 2, who: { generic: 1.5, developer: 0.3 }, request: { path: ref('paramPath'), recursive: true, withDecryption: true }, response: null, errors: ssmErrors },
  { name: 'DescribeParameters', service: 'ssm', readOnly: true, management: true, weight: 0.8, who: { ...WHO.readers, auditor: 2 }, request: { maxResults: raw('app.pageSize'), nextToken: opt(ref('app.nextToken')) }, response: null, errors: [ERR.accessDeniedException, ERR.throttling, { code: 'InvalidNextToken', message: 'The specified token isn\'t valid.', weight: 0.2 }] },
  // SSM: fleet, Run Command, Session Manager
  { name: 'DescribeInstanceInformation', service: 'ssm', readOnly: true, management: true, weight: 3, who: { metrics_collector: 1, admin: 0.5, ec2_reaper: 0.5, developer: 0.2 }, request: { filters: raw('app.instanceInfoFilters') }, response: null, errors: [ERR.accessDeniedException, ERR.throttling] },
  {
    name: 'UpdateInstanceInformation',
    service: 'ssm',
    readOnly: false,
    management: true,
    weight: 2,
    who: agents,
    request: {
      instanceId: ref('app.agentInstanceId'),
      agentVersion: ref('app.agentVersion'),
      agentStatus: 'Active',
      platformType: ref('app.platformType'),
      platformName: ref('app.platformName'),
      platformVersion: ref('app.platformVersion'),
      iPAddress: HIDDEN,
      computerName: ref('app.computerName'),
      agentName: 'amazon-ssm-agent',
      availabilityZone: ref('availabilityZone'),
      availabilityZoneId: ref('app.availabilityZoneId'),
      sSMConnectionChannel: 'ssmmessages',
    },
    response: null,
    errors: [deniedOn(instanceArn, 'AccessDeniedException'), ERR.throttling],
  },
  {
    name: 'CreateControlChannel',
    service: 'ssm',
    readOnly: false,
    management: false,
    weight: 0.1,
    who: agents,
    host: ssmMessagesHost,
    // Requests the agent is not allowed to make are rejected before their parameters are read.
    request: raw('app.controlChannelRequest'),
    response: { messageSchemaVersion: '1.0', tokenValue: TOKEN_HIDDEN, url: fmt('wss://ssmmessages.{region}.amazonaws.com/v1/control-channel/{app.agentInstanceId}?stream=input') },
    resources: [{ accountId: ref('accountId'), type: 'AWS::SSMMessages::ControlChannel', ARN: fmt(controlChannelArn) }],
    errors: [{ code: 'AccessDenied', message: `User: {callerArn} is not authorized to perform: ssmmessages:CreateControlChannel on resource: ${instanceArn} because no identity-based policy allows the ssmmessages:CreateControlChannel action`, weight: 1 }],
  },
  {
    name: 'OpenControlChannel',
    service: 'ssm',
    readOnly: false,
    management: false,
    weight: 0.2,
    who: agents,
    host: ssmMessagesHost,
    request: { targetId: ref('app.agentInstanceId'), messageSchemaVersion: '1.0', requestId: ref('uuid'), tokenValue: TOKEN_HIDDEN, agentVersion: ref('app.agentVersion'), platformType: ref('app.platformTypeLower'), requireAcknowledgement: false },
    response: null,
    resources: [{ accountId: ref('accountId'), type: ref('app.channelResourceType'), ARN: ref('app.channelResourceArn') }],
    errors: [{ code: 'AccessDenied', message: `User: {callerArn} is not authorized to perform: ssmmessages:OpenControlChannel on resource: ${controlChannelArn} because no identity-based policy allows the ssmmessages:OpenControlChannel action`, weight: 1 }],
  },
  { name: 'StartSession', service: 'ssm', readOnly: false, management: true, weight: 0.3, who: sessionUsers, request: { target: ref('instanceId') }, response: { sessionId: ref('app.ssmSessionId'), tokenValue: TOKEN_HIDDEN, streamUrl: fmt('wss://ssmmessages.{region}.amazonaws.com/v1/data-channel/{app.ssmSessionId}?role=publish_subscribe&cell-number={app.cellNumber}') }, errors: [deniedOn('arn:aws:ec2:{region}:{accountId}:instance/{instanceId}', 'AccessDeniedException'), { code: 'TargetNotConnected', message: '{instanceId} is not connected.', weight: 1.5 }] },
  { name: 'TerminateSession', service: 'ssm', readOnly: false, management: true, weight: 0.25, who: sessionUsers, request: { sessionId: ref('app.ssmSessionId') }, response: { sessionId: ref('app.ssmSessionId') }, errors: [deniedOn('arn:aws:ssm:{region}:{accountId}:session/{app.ssmSessionId}', 'AccessDeniedException')] },
  {
    name: 'SendCommand',
    service: 'ssm',
    readOnly: false,
    management: true,
    weight: 0.2,
    who: { admin: 1, ec2_reaper: 0.3 },
    request: raw('app.sendCommandRequest'),
    response: sendCommandResponse,
    errors: [deniedOn('arn:aws:ssm:{region}::document/{app.ssmDocument}', 'AccessDeniedException'), { code: 'InvalidInstanceId', message: 'Instances [[{instanceId}]] not in a valid state for account {accountId}', weight: 1 }, ERR.throttling],
  },
  { name: 'GetCommandInvocation', service: 'ssm', readOnly: true, management: true, weight: 0.5, who: { admin: 1, ec2_reaper: 0.3 }, request: { commandId: ref('uuid'), instanceId: ref('instanceId') }, response: null, errors: [ERR.accessDeniedException, { code: 'InvocationDoesNotExist', message: '', weight: 2 }, ERR.throttling], errorBias: 1.5 },
  {
    name: 'CreateDocument',
    service: 'ssm',
    readOnly: false,
    management: true,
    weight: 0.02,
    who: { admin: 1, developer: 0.2 },
    request: { content: HIDDEN, name: ref('app.documentName'), documentFormat: ref('app.documentFormat') },
    response: {
      documentDescription: {
        hash: ref('app.sha256Hex'),
        hashType: 'Sha256',
        name: ref('app.documentName'),
        owner: ref('accountId'),
        createdDate: ref('app.documentCreated'),
        status: 'Creating',
        documentVersion: '1',
        description: ref('app.documentDescription'),
        platformTypes: ['Linux', 'MacOS'],
        documentType: 'Command',
        schemaVersion: '2.2',
        latestVersion: '1',
        defaultVersion: '1',
        documentFormat: ref('app.documentFormat'),
        tags: [],
        documentId: ref('uuid'),
      },
    },
    errors: [deniedOn('arn:aws:ssm:{region}:{accountId}:document/{app.documentName}', 'AccessDeniedException'), { code: 'DocumentAlreadyExists', message: 'Document with same name {app.documentName} already exists', weight: 1.5 }, { code: 'InvalidDocumentContent', message: '{app.documentFormat} not well-formed. at Line: 12, Column: 9', weight: 0.5 }],
  },
];

// ---- slots ------------------------------------------------------------------------------------------------------

/** The SSM agent's instance: the caller's own instance when it runs on EC2 (its session name), else one of the region's. */
function agentInstance(ctx: Ctx, slots: Slots<Ctx>): string {
  const a = ctx.actor.actor;
  return a.runtime === 'ec2' && a.session_name?.startsWith('i-') ? a.session_name : slotText(slots, 'instanceId');
}

/** A layer's compressed and uncompressed sizes: fixed per layer ARN. */
function layerSizes(arn: string): [number, number] {
  const h = fnv1a(arn);
  const size = 2048 + (h % 40_000_000);
  return [size, Math.floor(size * (1.3 + ((h >>> 20) % 200) / 100))];
}

const URL_ID_CHARS = new TextEncoder().encode('abcdefghijklmnopqrstuvwxyz0123456789');
const slots: Record<string, Resolver<Ctx>> = {
  // Function URLs sit behind IAM auth; a public one (NONE) serves a webhook (a payment or chat provider calling in).
  'lambda.urlAuth': (ctx, out) => text(out, ctx.rng.chance(0.75) ? 'AWS_IAM' : 'NONE'),
  'lambda.urlId': (ctx, out) => chars(out.compose(), ctx.rng, URL_ID_CHARS, 32),
  // KMS
  'app.kmsKeyRef': (ctx, out, s) => out.set(s.byName(ctx.rng.chance(0.5) ? 'kmsKeyArn' : 'kmsKeyId').ref!),
  'app.pendingWindow': (ctx, out) => out.compose().uint(PENDING_WINDOWS[ctx.rng.int(PENDING_WINDOWS.length)]),
  'app.keyDeletionDate': (ctx, out, s) => text(out, javaMediumDate(ctx.timeMs + Number(slotText(s, 'app.pendingWindow')) * 86_400_000)),

  // Lambda: per-function settings derived from the function's name, so every record agrees
  'app.lambdaHandler': (_ctx, out, s) => {
    const runtime = slotText(s, 'lambdaRuntime');
    text(out, HANDLERS[runtime.replace(/[\d.]+x?$|\.al2023$|\.al2$/, '')] ?? 'index.handler');
  },
  /** Base64 of a SHA-256 digest: 43 characters (the last carries 4 bits) and one `=`. */
  'app.codeSha256': (ctx, out) => {
    const w = out.compose();
    chars(w, ctx.rng, BASE64, 42);
    w.byte(SHA_LAST.charCodeAt(ctx.rng.int(16)));
    w.byte(61);
  },
  'app.lambdaMemory': (_ctx, out, s) => out.compose().uint(MEMORY_SIZES[fnv1a(slotText(s, 'functionName')) % MEMORY_SIZES.length]),
  'app.lambdaTimeout': (_ctx, out, s) => out.compose().uint(TIMEOUTS[(fnv1a(slotText(s, 'functionName')) >>> 5) % TIMEOUTS.length]),
  'app.functionVersion': (ctx, out, s) => out.compose().uint(1 + (fnv1a(slotText(s, 'functionName')) % 40) + Math.floor((ctx.timeMs - 1_700_000_000_000) / (3 * 86_400_000))),
  /** The runtime build Lambda runs: one per runtime and region. */
  'app.runtimeVersionArn': (ctx, out, s) => {
    const runtime = slotText(s, 'lambdaRuntime');
    const w = out.compose();
    w.ascii(`arn:aws:lambda:${ctx.regionText}::runtime:`);
    let h = fnv1a(`${runtime}/${ctx.regionText}`);
    for (let i = 0; i < 8; i++) {
      h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
      w.hexN(h, 8);
    }
  },
  'app.layerArn': (ctx, out) => {
    const name = LAYERS[ctx.rng.int(LAYERS.length)];
    const w = out.compose();
    w.ascii(`arn:aws:lambda:${ctx.regionText}:`);
    w.bytes(ctx.actor.accountId);
    w.ascii(`:layer:${name}:`);
    w.uint(1 + ctx.rng.int(24));
  },
  /** What an UpdateFunctionConfiguration changes: layers (rarely), else environment, memory or timeout. */
  'app.configKind': (ctx, out) => {
    const u = ctx.rng.float();
    const layers = dangerous('lambda.layerChange');
    out.compose().uint(u < layers ? 0 : u < layers + (1 - layers) * 0.5 ? 1 : u < layers + (1 - layers) * 0.75 ? 2 : 3);
  },
  'app.layersChange': (_ctx, out, s) => (slotText(s, 'app.configKind') === '0' ? text(out, `[${JSON.stringify(slotText(s, 'app.layerArn'))}]`) : out.clear()),
  'app.layersConfigured': (_ctx, out, s) =>
    slotText(s, 'app.configKind') === '0'
      ? text(out, `[{"arn":${JSON.stringify(slotText(s, 'app.layerArn'))},"codeSize":${slotText(s, 'app.layerSize')},"uncompressedCodeSize":${slotText(s, 'app.layerUncompressed')}}]`)
      : out.clear(),
  'app.envChange': (_ctx, out, s) => (slotText(s, 'app.configKind') === '1' ? text(out, '{}') : out.clear()),
  'app.newMemory': (ctx, out, s) => (slotText(s, 'app.configKind') === '2' ? out.compose().uint(MEMORY_SIZES[ctx.rng.int(MEMORY_SIZES.length)]) : out.clear()),
  'app.newTimeout': (ctx, out, s) => (slotText(s, 'app.configKind') === '3' ? out.compose().uint(TIMEOUTS[ctx.rng.int(TIMEOUTS.length)]) : out.clear()),
  'app.configuredMemory': (_ctx, out, s) => out.compose().ascii(slotText(s, 'app.newMemory') || slotText(s, 'app.lambdaMemory')),
  'app.configuredTimeout': (_ctx, out, s) => out.compose().ascii(slotText(s, 'app.newTimeout') || slotText(s, 'app.lambdaTimeout')),
  'app.layerSize': (_ctx, out, s) => out.compose().uint(layerSizes(slotText(s, 'app.layerArn'))[0]),
  'app.layerUncompressed': (_ctx, out, s) => out.compose().uint(layerSizes(slotText(s, 'app.layerArn'))[1]),
  'app.permissionPick': (ctx, out) => out.compose().uint(ctx.rng.int(PERMISSION_PRINCIPALS.length)),
  'app.permissionPrincipal': (_ctx, out, s) => text(out, PERMISSION_PRINCIPALS[Number(slotText(s, 'app.permissionPick'))][0]),
  'app.statementId': (ctx, out, s) => {
    if (ctx.rng.chance(0.4)) {
      const w = out.compose();
      w.ascii('lambda-');
      uuid(w, ctx.rng);
      return;
    }
    text(out, PERMISSION_PRINCIPALS[Number(slotText(s, 'app.permissionPick'))][1]);
  },
  'app.permissionStatement': (_ctx, out, s) => {
    const statement = { Sid: slotText(s, 'app.statementId'), Effect: 'Allow', Principal: { Service: slotText(s, 'app.permissionPrincipal') }, Action: 'lambda:InvokeFunction', Resource: slotText(s, 'functionArn') };
    text(out, JSON.stringify(JSON.stringify(statement)).slice(1, -1));
  },

  // Secrets Manager
  'app.secretRef': (ctx, out, s) => out.set(s.byName(ctx.rng.chance(0.6) ? 'secretArn' : 'secretName').ref!),
  'app.batchSecretRequest': (ctx, out, s) => {
    if (ctx.rng.chance(0.6)) {
      const arns = ctx.world().secretArns;
      const ids = [slotText(s, 'secretArn')];
      for (let n = 1 + ctx.rng.int(4), tries = 0; ids.length < n && tries < 8; tries++) {
        const arn = decoder.decode(arns[ctx.rng.int(arns.length)]);
        if (!ids.includes(arn)) ids.push(arn);
      }
      return json(out, { secretIdList: ids });
    }
    const byName = ctx.rng.chance(0.5);
    const name = slotText(s, 'secretName');
    json(out, { filters: [byName ? { key: 'name', values: [name.slice(0, name.lastIndexOf('/') + 1)] } : { key: 'tag-key', values: [SECRET_TAG_KEYS[ctx.rng.int(SECRET_TAG_KEYS.length)]] }] });
  },
  'app.listSecretsRequest': (ctx, out) => {
    const u = ctx.rng.float();
    if (u < 0.25) return text(out, 'null');
    if (u < 0.55) return json(out, { maxResults: 100 });
    json(out, { filters: [{ key: 'tag-key', values: [SECRET_TAG_KEYS[ctx.rng.int(SECRET_TAG_KEYS.length)]] }], maxResults: 100 });
  },

  // SSM Parameter Store
  'app.withDecryption': (ctx, out) => (ctx.rng.chance(0.7) ? text(out, 'true') : out.clear()),
  'app.paramNames': (ctx, out, s) => {
    const params = ctx.actor.account.params;
    const names = [slotText(s, 'paramName')];
    for (let n = 1 + ctx.rng.int(5), tries = 0; names.length < n && tries < 10; tries++) {
      const p = decoder.decode(params[ctx.rng.int(params.length)]);
      if (!names.includes(p)) names.push(p);
    }
    json(out, names);
  },
  'app.paramResources': (ctx, out, s) => {
    const names = JSON.parse(slotText(s, 'app.paramNames')) as string[];
    const acct = ctx.actor.actor.account_id;
    json(out, names.map((n) => ({ ARN: `arn:aws:ssm:${ctx.regionText}:${acct}:parameter${n}`, accountId: acct })));
  },
  'app.pageSize': (ctx, out) => out.compose().uint(ctx.rng.chance(0.5) ? 50 : 10),
  'app.nextToken': (ctx, out) => (ctx.rng.chance(0.6) ? text(out, awsToken(ctx, 512)) : out.clear()),

  // SSM fleet and agents
  'app.instanceInfoFilters': (ctx, out, s) => {
    const u = ctx.rng.float();
    if (u < 0.75) return json(out, [{ key: 'InstanceIds', values: instanceIds(ctx, s, 1 + ctx.rng.int(3)) }]);
    if (u < 0.9) return json(out, [{ key: 'PingStatus', values: ['Online'] }]);
    json(out, [{ key: 'PlatformTypes', values: ['Linux'] }]);
  },
  'app.agentInstanceId': (ctx, out, s) => text(out, agentInstance(ctx, s)),
  'app.agentVersion': (_ctx, out, s) => text(out, platformOf(slotText(s, 'app.agentInstanceId')).agent),
  'app.platformType': (_ctx, out, s) => text(out, platformOf(slotText(s, 'app.agentInstanceId')).platform.type),
  'app.platformTypeLower': (_ctx, out, s) => text(out, platformOf(slotText(s, 'app.agentInstanceId')).platform.type.toLowerCase()),
  'app.platformName': (_ctx, out, s) => text(out, platformOf(slotText(s, 'app.agentInstanceId')).platform.name),
  'app.platformVersion': (_ctx, out, s) => text(out, platformOf(slotText(s, 'app.agentInstanceId')).platform.version),
  'app.computerName': (ctx, out, s) => {
    const id = slotText(s, 'app.agentInstanceId');
    const h = fnv1a(id);
    if (platformOf(id).platform.type === 'Windows') return text(out, `EC2AMAZ-${(h % 2 ** 28).toString(36).toUpperCase().padStart(7, '0').slice(0, 7)}`);
    const ip = `10.${(h >>> 24) & 63}.${(h >>> 16) & 255}.${1 + ((h >>> 8) % 254)}`;
    text(out, `ip-${ip.replace(/\./g, '-')}.${ctx.regionText === 'us-east-1' ? 'ec2.internal' : `${ctx.regionText}.compute.internal`}`);
  },
  /** AZ names map to AZ ids differently in every account. */
  'app.availabilityZoneId': (ctx, out, s) => {
    const zone = slotText(s, 'availabilityZone');
    const letter = zone.charCodeAt(zone.length - 1) - 97;
    const shift = fnv1a(`${ctx.actor.actor.account_id}/${ctx.regionText}`) % 3;
    text(out, `${regionCode(ctx.regionText)}-az${((letter + shift) % 3) + 1}`);
  },
  'app.controlChannelRequest': (ctx, out, s) => {
    if (ctx.error) return text(out, 'null');
    const w = out.compose();
    w.ascii('{"channelId":"');
    w.ascii(slotText(s, 'app.agentInstanceId'));
    w.ascii('","messageSchemaVersion":"1.0","requestId":"');
    w.ascii(slotText(s, 'uuid'));
    w.ascii('","userAgent":"');
    w.bytes(ctx.actor.userAgent);
    w.ascii('"}');
  },
  'app.channelResourceType': (ctx, out) => text(out, ctx.rng.chance(0.5) ? 'AWS::EC2::Instance' : 'AWS::SSMMessages::ControlChannel'),
  'app.channelResourceArn': (ctx, out, s) => {
    const id = slotText(s, 'app.agentInstanceId');
    const acct = ctx.actor.actor.account_id;
    text(out, slotText(s, 'app.channelResourceType') === 'AWS::EC2::Instance' ? `arn:aws:ec2:${ctx.regionText}:${acct}:instance/${id}` : `arn:aws:ssmmessages:${ctx.regionText}:${acct}:control-channel/${id}`);
  },
  'app.ssmSessionId': (ctx, out) => {
    const a = ctx.actor.actor;
    const w = out.compose();
    w.ascii(`${(a.session_name ?? a.user_name).replace(/[^\w.@-]/g, '')}-`);
    for (let i = 0; i < 26; i++) w.byte(SESSION_ALPHABET[ctx.rng.int(SESSION_ALPHABET.length)]);
  },
  'app.cellNumber': (ctx, out) => text(out, awsToken(ctx, 37)),

  // Run Command
  'app.ssmDocument': (ctx, out) => text(out, RUN_DOCUMENTS[ctx.rng.int(RUN_DOCUMENTS.length)]),
  /** 0: instance ids (CLI, SDK); 1: tag targets; 2: console Run Command (instance ids with every option set). */
  'app.cmdVariant': (ctx, out) => {
    const u = ctx.rng.float();
    out.compose().uint(u < 0.6 ? 0 : u < 0.85 ? 1 : 2);
  },
  'app.cmdInstanceIds': (ctx, out, s) => (slotText(s, 'app.cmdVariant') === '1' ? text(out, '[]') : json(out, instanceIds(ctx, s, ctx.rng.chance(0.7) ? 1 : 2 + ctx.rng.int(3)))),
  'app.cmdTargets': (ctx, out, s) => {
    if (slotText(s, 'app.cmdVariant') !== '1') return text(out, '[]');
    const [key, values] = TARGET_TAGS[ctx.rng.int(TARGET_TAGS.length)];
    json(out, [{ key, values: [values[ctx.rng.int(values.length)]] }]);
  },
  'app.cmdTargetCount': (_ctx, out, s) => out.compose().uint(slotText(s, 'app.cmdVariant') === '1' ? 0 : (JSON.parse(slotText(s, 'app.cmdInstanceIds')) as unknown[]).length),
  'app.cmdTimeout': (_ctx, out, s) => out.compose().uint(slotText(s, 'app.cmdVariant') === '2' ? 600 : 3600),
  'app.cmdExpires': (ctx, out, s) => text(out, javaMediumDate(ctx.timeMs + (Number(slotText(s, 'app.cmdTimeout')) + 3600) * 1000)),
  'app.sendCommandRequest': (_ctx, out, s) => {
    const variant = slotText(s, 'app.cmdVariant');
    const documentName = slotText(s, 'app.ssmDocument');
    if (variant === '1') return json(out, { targets: JSON.parse(slotText(s, 'app.cmdTargets')), documentName, parameters: HIDDEN, interactive: false });
    const instanceIds = JSON.parse(slotText(s, 'app.cmdInstanceIds'));
    if (variant === '0') return json(out, { instanceIds, documentName, parameters: HIDDEN, interactive: false });
    json(out, { instanceIds, documentName, documentVersion: '$DEFAULT', timeoutSeconds: 600, comment: '', parameters: HIDDEN, maxConcurrency: '50', maxErrors: '0', clientName: '', interactive: false });
  },

  // Documents
  'app.documentPick': (ctx, out) => out.compose().uint(ctx.rng.int(CUSTOM_DOCUMENTS.length)),
  'app.documentName': (_ctx, out, s) => text(out, CUSTOM_DOCUMENTS[Number(slotText(s, 'app.documentPick'))][0]),
  'app.documentDescription': (_ctx, out, s) => text(out, CUSTOM_DOCUMENTS[Number(slotText(s, 'app.documentPick'))][1]),
  'app.documentFormat': (ctx, out) => text(out, ctx.rng.chance(0.7) ? 'YAML' : 'JSON'),
  /** SSM writes document dates without the comma after the year: `Oct 30, 2024 8:29:59 PM`. */
  'app.documentCreated': (ctx, out) => text(out, javaMediumDate(ctx.timeMs).replace(/(\d{4}),/, '$1')),
  'app.sha256Hex': (ctx, out) => chars(out.compose(), ctx.rng, LOWER_HEX, 64),
};

const SHA_LAST = 'AEIMQUYcgkosw048';
const SESSION_ALPHABET = new TextEncoder().encode('abcdefghijklmnopqrstuvwxyz0123456789');

export const computeGroup: CatalogGroup = { events: EVENTS, slots };
