/** IAM: mostly reads by people and auditors; changes are rare and made by admins. */
import { fmt, ref } from '../../../encode/template.js';
import { ERR, WHO, type CatalogGroup, type EventSpec } from './types.js';

const noSuchEntity = (what: string) => ({ code: 'NoSuchEntityException', message: `The ${what} with name {roleName} cannot be found.`, weight: 2 });
const iamErrors = [ERR.accessDenied];
const read = { readOnly: true, management: true, response: null, errors: iamErrors } as const;
const write = { readOnly: false, management: true, errors: iamErrors } as const;

const EVENTS: readonly EventSpec[] = [
  { name: 'ListUsers', service: 'iam', weight: 2, ...read, who: WHO.auditors, request: null },
  { name: 'GetUser', service: 'iam', weight: 2, ...read, who: WHO.readers, request: { userName: ref('targetUser') }, errors: [ERR.accessDenied, { code: 'NoSuchEntityException', message: 'The user with name {targetUser} cannot be found.', weight: 1 }] },
  { name: 'ListRoles', service: 'iam', weight: 2, ...read, who: { ...WHO.auditors, developer: 0.3 }, request: null },
  { name: 'GetRole', service: 'iam', weight: 2.5, ...read, who: { ...WHO.readers, generic: 0.2 }, request: { roleName: ref('roleName') }, errors: [ERR.accessDenied, noSuchEntity('role')] },
  { name: 'ListAttachedRolePolicies', service: 'iam', weight: 1.5, ...read, who: WHO.auditors, request: { roleName: ref('roleName') } },
  { name: 'ListAccessKeys', service: 'iam', weight: 1, ...read, who: WHO.auditors, request: { userName: ref('targetUser') } },
  { name: 'GetPolicy', service: 'iam', weight: 1, ...read, who: WHO.auditors, request: { policyArn: ref('policyArn') } },
  { name: 'GetAccountAuthorizationDetails', service: 'iam', weight: 0.2, ...read, who: { auditor: 1 }, request: null },
  {
    name: 'CreateUser',
    service: 'iam',
    weight: 0.05,
    ...write,
    who: WHO.admins,
    request: { userName: ref('newUserName') },
    response: { user: { path: '/', userName: ref('newUserName'), userId: ref('newUserId'), arn: fmt('arn:aws:iam::{accountId}:user/{newUserName}'), createDate: ref('createDate') } },
    errors: [ERR.accessDenied, { code: 'EntityAlreadyExistsException', message: 'User with name {newUserName} already exists.', weight: 1 }],
  },
  {
    name: 'CreateAccessKey',
    service: 'iam',
    weight: 0.08,
    ...write,
    who: WHO.admins,
    request: { userName: ref('targetUser') },
    response: { accessKey: { accessKeyId: ref('newAccessKeyId'), status: 'Active', userName: ref('targetUser'), createDate: ref('createDate') } },
    errors: [ERR.accessDenied, { code: 'LimitExceededException', message: 'Cannot exceed quota for AccessKeysPerUser: 2', weight: 2 }],
  },
  { name: 'DeleteAccessKey', service: 'iam', weight: 0.05, ...write, who: WHO.admins, request: { userName: ref('targetUser'), accessKeyId: ref('oldAccessKeyId') }, response: null },
  { name: 'AttachRolePolicy', service: 'iam', weight: 0.08, ...write, who: WHO.admins, request: { roleName: ref('roleName'), policyArn: ref('policyArn') }, response: null },
  { name: 'PutRolePolicy', service: 'iam', weight: 0.05, ...write, who: WHO.admins, request: { roleName: ref('roleName'), policyName: fmt('{roleName}-inline'), policyDocument: ref('policyDocument') }, response: null },
  { name: 'UpdateAssumeRolePolicy', service: 'iam', weight: 0.03, ...write, who: WHO.admins, request: { roleName: ref('roleName'), policyDocument: ref('trustPolicyDocument') }, response: null },
];

export const iamGroup: CatalogGroup = { events: EVENTS };
