/** KMS, Lambda, CloudWatch Logs, Secrets Manager, SSM: the services applications lean on all day. */
import { fmt, raw, ref } from '../../../encode/template.js';
import { ERR, WHO, type CatalogGroup, type EventSpec } from './types.js';

const keyResources = [{ accountId: ref('accountId'), type: 'AWS::KMS::Key', ARN: ref('kmsKeyArn') }];
const kmsErrors = [ERR.accessDeniedException, { code: 'KMSInvalidStateException', message: '{kmsKeyArn} is pending deletion.', weight: 0.3 }, ERR.throttling];
const kmsRead = { service: 'kms', readOnly: true, management: true, response: null, resources: keyResources, errors: kmsErrors } as const;
const apps = { generic: 3, datalake_bot: 2, logs_shipper: 2, metrics_collector: 0.5, ec2_reaper: 0.3, developer: 0.3 };
const functionResources = [{ accountId: ref('accountId'), type: 'AWS::Lambda::Function', ARN: ref('functionArn') }];
const lambdaErrors = [ERR.accessDeniedException, { code: 'ResourceNotFoundException', message: 'Function not found: {functionArn}', weight: 1 }, { code: 'TooManyRequestsException', message: 'Rate Exceeded.', weight: 1 }];
const functionConfiguration = {
  functionName: ref('functionName'),
  functionArn: ref('functionArn'),
  runtime: ref('lambdaRuntime'),
  role: ref('functionRoleArn'),
  handler: 'index.handler',
  codeSize: raw('codeSize'),
  description: '',
  timeout: 30,
  memorySize: 512,
  lastModified: ref('lambdaModified'),
  codeSha256: ref('codeSha256'),
  version: '$LATEST',
  tracingConfig: { mode: 'PassThrough' },
  revisionId: ref('uuid'),
  state: 'Active',
  lastUpdateStatus: 'InProgress',
  lastUpdateStatusReason: 'The function is being created.',
  lastUpdateStatusReasonCode: 'Creating',
  packageType: 'Zip',
  architectures: ['x86_64'],
  ephemeralStorage: { size: 512 },
  snapStart: { applyOn: 'None', optimizationStatus: 'Off' },
  loggingConfig: { logFormat: 'Text', logGroup: fmt('/aws/lambda/{functionName}') },
};
const logsErrors = [ERR.accessDeniedException, { code: 'ResourceNotFoundException', message: 'The specified log group does not exist.', weight: 1 }, ERR.throttling];
const secretErrors = [ERR.accessDeniedException, { code: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret.", weight: 1 }, ERR.throttling];
const ssmErrors = [ERR.accessDeniedException, { code: 'ParameterNotFound', message: 'Parameter {paramName} not found.', weight: 1 }, ERR.throttling];

const EVENTS: readonly EventSpec[] = [
  // KMS
  { name: 'Decrypt', ...kmsRead, weight: 10, who: apps, request: { encryptionContext: { PARAMETER_ARN: fmt('arn:aws:ssm:{region}:{accountId}:parameter{paramName}') }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' } },
  { name: 'GenerateDataKey', ...kmsRead, weight: 6, who: { datalake_bot: 3, logs_shipper: 3, generic: 1 }, request: { keyId: ref('kmsKeyArn'), encryptionContext: { 'aws:s3:arn': fmt('arn:aws:s3:::{bucket}') }, keySpec: 'AES_256' } },
  { name: 'Encrypt', ...kmsRead, weight: 2, who: { generic: 1, datalake_bot: 0.5 }, request: { keyId: ref('kmsKeyAlias'), encryptionAlgorithm: 'SYMMETRIC_DEFAULT' } },
  { name: 'DescribeKey', ...kmsRead, weight: 2, who: { ...WHO.readers, generic: 0.5 }, request: { keyId: ref('kmsKeyId') } },
  { name: 'ListKeys', service: 'kms', readOnly: true, management: true, response: null, weight: 1, who: WHO.auditors, request: null, errors: [ERR.accessDeniedException] },
  { name: 'ListAliases', service: 'kms', readOnly: true, management: true, response: null, weight: 1, who: WHO.readers, request: null, errors: [ERR.accessDeniedException] },
  { name: 'ScheduleKeyDeletion', service: 'kms', readOnly: false, management: true, weight: 0.01, who: WHO.admins, request: { keyId: ref('kmsKeyId'), pendingWindowInDays: 30 }, response: { keyId: ref('kmsKeyArn'), deletionDate: ref('deletionDate'), keyState: 'PendingDeletion', pendingWindowInDays: 30 }, resources: keyResources, errors: kmsErrors },
  // Lambda
  { name: 'Invoke', service: 'lambda', readOnly: false, management: false, weight: 6, who: { generic: 2, ec2_reaper: 0.5, datalake_bot: 0.5, developer: 0.3 }, request: { functionName: ref('functionArn') }, response: null, additional: { functionVersion: fmt('{functionArn}:$LATEST') }, resources: functionResources, errors: lambdaErrors },
  { name: 'ListFunctions20150331', service: 'lambda', readOnly: true, management: true, weight: 2, who: { ...WHO.builders, readonly: 0.5, auditor: 0.5 }, request: null, response: null, errors: [ERR.accessDeniedException] },
  { name: 'GetFunction20150331v2', service: 'lambda', readOnly: true, management: true, weight: 1.5, who: WHO.builders, request: { functionName: ref('functionName') }, response: null, errors: lambdaErrors },
  { name: 'UpdateFunctionCode20150331v2', service: 'lambda', readOnly: false, management: true, weight: 0.3, who: { developer: 1, admin: 0.3 }, request: { functionName: ref('functionName'), publish: false, dryRun: false, architectures: ['x86_64'] }, response: functionConfiguration, errors: lambdaErrors },
  { name: 'CreateFunction20150331', service: 'lambda', readOnly: false, management: true, weight: 0.03, who: { developer: 1, admin: 0.5 }, request: { functionName: ref('functionName'), runtime: ref('lambdaRuntime'), role: ref('functionRoleArn'), handler: 'index.handler', code: {}, timeout: 30, memorySize: 512, publish: false, packageType: 'Zip' }, response: functionConfiguration, errors: [ERR.accessDeniedException, { code: 'ResourceConflictException', message: 'Function already exist: {functionName}', weight: 1 }] },
  // CloudWatch Logs
  { name: 'DescribeLogGroups', service: 'logs', readOnly: true, management: true, weight: 4, who: { ...WHO.readers, logs_shipper: 1, metrics_collector: 1 }, request: { logGroupNamePrefix: ref('logGroupPrefix') }, response: null, errors: logsErrors },
  { name: 'DescribeLogStreams', service: 'logs', readOnly: true, management: true, weight: 3, who: { ...WHO.builders, logs_shipper: 2 }, request: { logGroupName: ref('logGroup'), orderBy: 'LastEventTime', descending: true, limit: 50 }, response: null, errors: logsErrors },
  { name: 'CreateLogStream', service: 'logs', readOnly: false, management: true, weight: 3, who: { logs_shipper: 3, generic: 0.5 }, request: { logGroupName: ref('logGroup'), logStreamName: ref('logStream') }, response: null, errors: [...logsErrors, { code: 'ResourceAlreadyExistsException', message: 'The specified log stream already exists', weight: 2 }] },
  { name: 'CreateLogGroup', service: 'logs', readOnly: false, management: true, weight: 0.1, who: { developer: 0.5, admin: 0.5, logs_shipper: 0.3 }, request: { logGroupName: ref('logGroup') }, response: null, errors: [...logsErrors, { code: 'ResourceAlreadyExistsException', message: 'The specified log group already exists', weight: 3 }] },
  { name: 'PutRetentionPolicy', service: 'logs', readOnly: false, management: true, weight: 0.1, who: { admin: 1, logs_shipper: 0.2 }, request: { logGroupName: ref('logGroup'), retentionInDays: 30 }, response: null, errors: logsErrors },
  { name: 'DeleteLogGroup', service: 'logs', readOnly: false, management: true, weight: 0.02, who: WHO.admins, request: { logGroupName: ref('logGroup') }, response: null, errors: logsErrors },
  // Secrets Manager
  { name: 'GetSecretValue', service: 'secretsmanager', readOnly: true, management: true, weight: 5, who: { generic: 3, datalake_bot: 1, developer: 0.3, admin: 0.2 }, request: { secretId: ref('secretArn') }, response: null, resources: [{ accountId: ref('accountId'), type: 'AWS::SecretsManager::Secret', ARN: ref('secretArn') }], errors: secretErrors },
  { name: 'DescribeSecret', service: 'secretsmanager', readOnly: true, management: true, weight: 1.5, who: { ...WHO.readers, generic: 0.3 }, request: { secretId: ref('secretName') }, response: null, errors: secretErrors },
  { name: 'ListSecrets', service: 'secretsmanager', readOnly: true, management: true, weight: 1, who: WHO.readers, request: null, response: null, errors: [ERR.accessDeniedException] },
  { name: 'PutSecretValue', service: 'secretsmanager', readOnly: false, management: true, weight: 0.1, who: { admin: 1, generic: 0.1 }, request: { secretId: ref('secretArn'), clientRequestToken: ref('clientToken') }, response: { arn: ref('secretArn'), name: ref('secretName'), versionId: ref('clientToken'), versionStages: ['AWSCURRENT'] }, errors: secretErrors },
  // SSM
  { name: 'GetParameter', service: 'ssm', readOnly: true, management: true, weight: 5, who: { generic: 3, datalake_bot: 1, developer: 0.5 }, request: { name: ref('paramName'), withDecryption: true }, response: null, errors: ssmErrors, errorBias: 1.5 },
  { name: 'GetParameters', service: 'ssm', readOnly: true, management: true, weight: 2, who: { generic: 1, developer: 0.3 }, request: { names: [ref('paramName')], withDecryption: true }, response: null, errors: ssmErrors },
  { name: 'GetParametersByPath', service: 'ssm', readOnly: true, management: true, weight: 2, who: { generic: 1.5, developer: 0.3 }, request: { path: ref('paramPath'), recursive: true, withDecryption: true }, response: null, errors: ssmErrors },
  { name: 'DescribeInstanceInformation', service: 'ssm', readOnly: true, management: true, weight: 3, who: { metrics_collector: 1, admin: 0.5, ec2_reaper: 0.5 }, request: { maxResults: 50 }, response: null, errors: [ERR.accessDeniedException, ERR.throttling] },
  { name: 'StartSession', service: 'ssm', readOnly: false, management: true, weight: 0.3, who: { admin: 1, developer: 0.5 }, request: { target: ref('instanceId') }, response: { sessionId: ref('ssmSessionId'), tokenValue: 'Value hidden due to security reasons.', streamUrl: fmt('wss://ssmmessages.{region}.amazonaws.com/v1/data-channel/{ssmSessionId}?role=publish_subscribe&cell-number={cellNumber}') }, resources: [{ accountId: ref('accountId'), type: 'AWS::EC2::Instance', ARN: fmt('arn:aws:ec2:{region}:{accountId}:instance/{instanceId}') }], errors: [ERR.accessDeniedException, { code: 'TargetNotConnected', message: '{instanceId} is not connected.', weight: 1 }] },
  { name: 'SendCommand', service: 'ssm', readOnly: false, management: true, weight: 0.2, who: { admin: 1, ec2_reaper: 0.3 }, request: { instanceIds: [ref('instanceId')], documentName: 'AWS-RunShellScript', parameters: 'HIDDEN_DUE_TO_SECURITY_REASONS', interactive: false }, response: { command: { commandId: ref('uuid'), documentName: 'AWS-RunShellScript', documentVersion: '$DEFAULT', comment: '', expiresAfter: ref('expiration'), parameters: 'HIDDEN_DUE_TO_SECURITY_REASONS', instanceIds: [ref('instanceId')], targets: [], requestedDateTime: ref('createDate'), status: 'Pending', statusDetails: 'Pending', outputS3Region: ref('region'), outputS3BucketName: '', outputS3KeyPrefix: '', maxConcurrency: '50', maxErrors: '0', targetCount: 1, completedCount: 0, errorCount: 0, deliveryTimedOutCount: 0, serviceRole: '', notificationConfig: { notificationArn: '', notificationEvents: [], notificationType: '' }, cloudWatchOutputConfig: { cloudWatchLogGroupName: '', cloudWatchOutputEnabled: false }, timeoutSeconds: 3600, alarmConfiguration: { ignorePollAlarmFailure: false, alarms: [] }, triggeredAlarms: [] } }, errors: [ERR.accessDeniedException, { code: 'InvalidInstanceId', message: 'Instances [[{instanceId}]] not in a valid state for account {accountId}', weight: 1 }] },
];

export const computeGroup: CatalogGroup = { events: EVENTS };
