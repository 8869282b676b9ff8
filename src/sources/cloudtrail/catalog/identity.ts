/** STS and sign-in: where sessions begin. */
import { fmt, gen, opt, raw, ref } from '../../../encode/template.js';
import { ERR, WHO, type CatalogGroup, type EventSpec } from './types.js';

const credentials = { accessKeyId: ref('sessionAccessKeyId'), sessionToken: gen('sessionToken'), expiration: ref('expiration') };

const EVENTS: readonly EventSpec[] = [
  {
    name: 'AssumeRole',
    service: 'sts',
    weight: 3,
    readOnly: true,
    management: true,
    who: { admin: 1, developer: 0.3, generic: 0.5, datalake_bot: 0.3 },
    request: { roleArn: ref('roleArn'), roleSessionName: ref('roleSessionName'), durationSeconds: raw('durationSeconds') },
    response: { credentials, assumedRoleUser: { assumedRoleId: fmt('{roleId}:{roleSessionName}'), arn: ref('assumedRoleArn') } },
    resources: [{ accountId: ref('accountId'), type: 'AWS::IAM::Role', ARN: ref('roleArn') }],
    errors: [ERR.accessDenied, { code: 'AccessDenied', message: 'User: {callerArn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}', weight: 4 }],
  },
  {
    name: 'GetSessionToken',
    service: 'sts',
    weight: 1,
    readOnly: true,
    management: true,
    who: {},
    request: { durationSeconds: 43200, serialNumber: ref('mfaSerial') },
    response: { credentials },
    errors: [{ code: 'AccessDenied', message: 'MultiFactorAuthentication failed with invalid MFA one time pass code.', weight: 2 }, ERR.accessDenied],
  },
  {
    name: 'GetCallerIdentity',
    service: 'sts',
    weight: 6,
    readOnly: true,
    management: true,
    who: { ...WHO.people, generic: 1, datalake_bot: 0.5, logs_shipper: 0.5, metrics_collector: 0.5, ec2_reaper: 0.3 },
    request: null,
    response: null,
    errors: [ERR.accessDenied],
    errorBias: 0.1,
  },
  {
    name: 'ConsoleLogin',
    service: 'signin',
    weight: 1,
    readOnly: false,
    management: true,
    eventType: 'AwsConsoleSignIn',
    eventVersion: '1.09',
    requestId: 'none',
    who: {},
    request: null,
    response: { ConsoleLogin: 'Success' },
    errorResponse: { ConsoleLogin: 'Failure' },
    additional: { LoginTo: ref('loginTo'), MobileVersion: 'No', MFAIdentifier: opt(ref('mfaIdentifier')), MFAUsed: ref('mfaUsed') },
    errors: [{ message: 'Failed authentication', weight: 1 }],
    errorBias: 2,
  },
];

export const identityGroup: CatalogGroup = { events: EVENTS };
