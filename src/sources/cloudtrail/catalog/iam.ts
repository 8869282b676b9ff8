/** IAM: mostly reads by people and auditors; changes are rare and made by admins. */
import { jsonContent, utf8, type ByteWriter } from '../../../encode/byte-writer.js';
import { fmt, opt, raw, ref, type Resolver, type SlotValue, type Slots } from '../../../encode/layout/index.js';
import { javaMediumDate } from '../../../encode/time-format.js';
import type { Rng } from '../../../util/rng.js';
import type { EventContext } from '../context.js';
import { ERR, WHO, type CatalogGroup, type EventSpec, deniedOn } from './types.js';

// ---- helpers shared with identity.ts (kept here: importing ../slots.js from a catalog file is an import cycle) ----

const DECODER = new TextDecoder();
export const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEXCHARS = '0123456789abcdef';

/** `n` random characters of `alphabet` (off the hot path: IAM writes are rare). */
export function randomChars(w: ByteWriter, rng: Rng, alphabet: string, n: number): void {
  for (let i = 0; i < n; i++) w.byte(alphabet.charCodeAt(rng.int(alphabet.length)));
}

/** The current value of another slot of this record, as text (JSON string content). */
export function slotText(slots: Slots<EventContext>, name: string): string {
  const v = slots.byName(name);
  return DECODER.decode(v.ref ?? v.scratch.buf.subarray(0, v.scratch.pos));
}

/** Sets a slot to arbitrary text, JSON-escaped (policy documents hold quotes and newlines). */
export function setJson(out: SlotValue, value: string): void {
  out.set(jsonContent(value));
}

/** An IAM unique id: 4-letter prefix (AIDA, AROA, ANPA, AGPA, APKA) and 17 base32 characters. */
const uniqueId = (prefix: string): Resolver<EventContext> => (ctx, out) => {
  const w = out.compose();
  w.ascii(prefix);
  randomChars(w, ctx.rng, B32, 17);
};

/** A skewed index: a few entries are hot, as in real accounts. */
const skewed = (rng: Rng, n: number) => Math.floor(rng.float() * rng.float() * n);

/** The company word of the account, as its bucket names show it. */
export function company(ctx: EventContext): string {
  const account = ctx.actor.account;
  return account.memo('iam.company', () => {
    const first = account.buckets[0] ? DECODER.decode(account.buckets[0].name) : 'acme';
    return first.split('-')[0];
  });
}

/**
 * IAM writes dates in the older Java medium format (`Aug 1, 2024 1:42:21 PM`, no comma after the year), STS in the
 * newer one (`Jul 30, 2024, 9:46:15 PM`).
 */
export const iamDate = (ms: number) => javaMediumDate(ms).replace(/(\d{4}),/, '$1');

/** AccessDenied as IAM words it when the request names a resource. */

// ---- inventory and value pools ----

const GROUPS = ['Administrators', 'Developers', 'ReadOnly', 'DataEngineers', 'Billing', 'SecurityAudit', 'Support', 'DevOps', 'Contractors', 'OnCall', 'PlatformTeam', 'Analysts'];
const NEW_GROUPS = ['Developers', 'DataScience', 'Interns', 'QA', 'SRE', 'Finance', 'MLEngineers', 'ReleaseManagers', 'Contractors-2025', 'Auditors', 'Marketing-Analytics', 'IncidentResponse'];
const SERVICES = ['orders-api', 'payments-api', 'billing-worker', 'notifications', 'search-indexer', 'auth-service', 'web-frontend', 'report-generator', 'etl-pipeline', 'data-export'];
const USER_TAGS = [
  [['Team', 'platform'], ['ManagedBy', 'terraform']],
  [['Department', 'Engineering']],
  [['Owner', '{owner}'], ['Purpose', 'ci']],
  [['CostCenter', '{cc}']],
  [['Team', 'data'], ['Environment', 'prod']],
];
const SSH_HOSTS = ['MacBook-Pro.local', 'laptop', 'workstation', 'dev-vm', 'ubuntu', 'DESKTOP-{x}'];

interface PolicyTemplate {
  readonly suffix: string;
  readonly statements: (c: PolicyContext) => unknown[];
}
interface PolicyContext {
  account: string;
  region: string;
  service: string;
  bucket: string;
}
const POLICY_TEMPLATES: readonly PolicyTemplate[] = [
  { suffix: 's3-read', statements: (c) => [{ Sid: 'ReadBucket', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${c.bucket}`, `arn:aws:s3:::${c.bucket}/*`] }] },
  { suffix: 's3-write', statements: (c) => [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], Resource: `arn:aws:s3:::${c.bucket}/*` }, { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${c.bucket}` }] },
  { suffix: 'logs-write', statements: (c) => [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:${c.region}:${c.account}:log-group:/aws/lambda/${c.service}*` }] },
  { suffix: 'ssm-read', statements: (c) => [{ Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'], Resource: `arn:aws:ssm:${c.region}:${c.account}:parameter/prod/${c.service}/*` }] },
  { suffix: 'secrets-read', statements: (c) => [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:${c.region}:${c.account}:secret:prod/${c.service}/*` }] },
  { suffix: 'sqs-consume', statements: (c) => [{ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: `arn:aws:sqs:${c.region}:${c.account}:${c.service}-queue` }] },
  { suffix: 'sns-publish', statements: (c) => [{ Effect: 'Allow', Action: 'sns:Publish', Resource: `arn:aws:sns:${c.region}:${c.account}:alerts` }] },
  { suffix: 'ec2-describe', statements: () => [{ Effect: 'Allow', Action: ['ec2:Describe*'], Resource: '*' }] },
  { suffix: 'dynamodb-rw', statements: (c) => [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], Resource: `arn:aws:dynamodb:${c.region}:${c.account}:table/${c.service.split('-')[0]}-*` }] },
];

/** A policy document as people send it: compact (Terraform, SDKs) or pretty-printed (console, `file://` from the CLI). */
function policyText(rng: Rng, doc: unknown): string {
  const style = rng.int(4);
  if (style === 0) return JSON.stringify(doc);
  if (style === 1) return JSON.stringify(doc, null, 2);
  if (style === 2) return JSON.stringify(doc, null, 4);
  return JSON.stringify(doc, null, '\t');
}

interface RoleTemplate {
  readonly name: (service: string, rng: Rng) => string;
  readonly trust: (account: string, name: string, rng: Rng, org: string) => unknown;
}
const serviceTrust = (principal: string) => () => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: principal }, Action: 'sts:AssumeRole' }] });
const ROLE_TEMPLATES: readonly RoleTemplate[] = [
  { name: (s) => `${s}-lambda-role`, trust: serviceTrust('lambda.amazonaws.com') },
  { name: (s) => `${s}-ecs-task-role`, trust: serviceTrust('ecs-tasks.amazonaws.com') },
  { name: (s) => `${s}-ec2-role`, trust: serviceTrust('ec2.amazonaws.com') },
  { name: (s) => `${s}-glue-role`, trust: serviceTrust('glue.amazonaws.com') },
  {
    name: (s) => `github-actions-${s}`,
    trust: (account, _name, _rng, org) => ({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': `repo:${org}/${_name.slice(15)}:*` } },
        },
      ],
    }),
  },
  {
    name: (_s, rng) => ['vendor-monitoring-access', 'security-scanner-readonly', 'cross-account-deploy', 'backup-vault-access', 'finops-cost-explorer'][rng.int(5)],
    trust: (_account, _name, rng) => {
      let other = String(1 + rng.int(9));
      for (let i = 0; i < 11; i++) other += String(rng.int(10));
      const statement: Record<string, unknown> = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${other}:root` }, Action: 'sts:AssumeRole' };
      if (rng.chance(0.6)) statement.Condition = { StringEquals: { 'sts:ExternalId': Array.from({ length: 24 }, () => B64[rng.int(62)]).join('') } };
      return { Version: '2012-10-17', Statement: [statement] };
    },
  },
];

// ---- slots ----

const TRUE = utf8('true');
const FALSE = utf8('false');

const SLOTS: Record<string, Resolver<EventContext>> = {
  'iam.createDate': (ctx, out) => out.compose().ascii(iamDate(ctx.timeMs)),
  /** A policy of the account's own (versions can be added to it; AWS-managed ones cannot). */
  'iam.customerPolicyArn': (ctx, out) => {
    const own = ctx.actor.account.memo('iam.customerPolicies', () => ctx.actor.account.policyArns.filter((arn) => !DECODER.decode(arn).includes(':aws:policy/')));
    out.set(own[ctx.rng.int(own.length)]);
  },
  'iam.policyVersion': (ctx, out) => out.compose().uint(2 + ctx.rng.int(4)),
  'iam.groupName': (ctx, out) => {
    const groups = ctx.actor.account.memo('iam.groups', (rng) => {
      const n = rng.range(3, 7);
      const pool = [...GROUPS];
      return Array.from({ length: n }, () => jsonContent(pool.splice(rng.int(pool.length), 1)[0]));
    });
    out.set(groups[skewed(ctx.rng, groups.length)]);
  },
  'iam.newGroupName': (ctx, out) => out.compose().ascii(NEW_GROUPS[ctx.rng.int(NEW_GROUPS.length)]),
  'iam.groupId': uniqueId('AGPA'),
  'iam.newPolicyId': uniqueId('ANPA'),
  'iam.newRoleId': uniqueId('AROA'),
  'iam.sshPublicKeyId': uniqueId('APKA'),
  'iam.passwordResetRequired': (ctx, out) => out.set(ctx.rng.chance(0.75) ? TRUE : FALSE),
  /** Console password resets ask for a new password at next sign-in; CLI updates usually leave the flag out. */
  'iam.passwordResetOpt': (ctx, out) => (ctx.rng.chance(0.35) ? out.set(TRUE) : out.clear()),
  'iam.userTags': (ctx, out, slots) => {
    if (!ctx.rng.chance(0.3)) return out.clear();
    const tags = USER_TAGS[ctx.rng.int(USER_TAGS.length)].map(([key, value]) => ({
      key,
      value: value.replace('{owner}', slotText(slots, 'userName')).replace('{cc}', String(1000 + ctx.rng.int(9000))),
    }));
    out.set(utf8(JSON.stringify(tags)));
  },
  'iam.renamedUser': (ctx, out, slots) => {
    const user = slotText(slots, 'targetUser');
    const dot = user.indexOf('.');
    const choice = ctx.rng.int(3);
    let renamed: string;
    if (choice === 0 && dot > 0) renamed = `${user[0]}${user.slice(dot + 1)}`;
    else if (choice === 1) renamed = `${user}-disabled`;
    else renamed = `${user}-old`;
    out.compose().ascii(renamed.slice(0, 64));
  },
  'iam.newPolicyName': (ctx, out) => {
    const t = POLICY_TEMPLATES[ctx.rng.int(POLICY_TEMPLATES.length)];
    out.compose().ascii(`${SERVICES[ctx.rng.int(SERVICES.length)]}-${t.suffix}`);
  },
  'iam.newPolicyDocument': (ctx, out, slots) => {
    const name = slotText(slots, 'iam.newPolicyName');
    const t = POLICY_TEMPLATES.find((p) => name.endsWith(`-${p.suffix}`)) ?? POLICY_TEMPLATES[0];
    const buckets = ctx.actor.account.buckets;
    const bucket = buckets.length > 0 ? DECODER.decode(buckets[ctx.rng.int(buckets.length)].name) : `${company(ctx)}-data`;
    const c = { account: ctx.actor.account.accountIdText, region: ctx.regionText, service: name.slice(0, name.length - t.suffix.length - 1), bucket };
    setJson(out, policyText(ctx.rng, { Version: '2012-10-17', Statement: t.statements(c) }));
  },
  'iam.newRoleName': (ctx, out) => {
    const t = ROLE_TEMPLATES[ctx.rng.int(ROLE_TEMPLATES.length)];
    out.compose().ascii(t.name(SERVICES[ctx.rng.int(SERVICES.length)], ctx.rng));
  },
  /** The trust policy as sent (JSON-escaped); `iam.trustPolicyEncoded` is the same text URL-encoded, as IAM returns it. */
  'iam.trustPolicyText': (ctx, out, slots) => {
    const name = slotText(slots, 'iam.newRoleName');
    const t = name.startsWith('github-actions-') ? ROLE_TEMPLATES[4]
      : ROLE_TEMPLATES.slice(0, 4).find((r) => name.endsWith(r.name('', ctx.rng))) ?? ROLE_TEMPLATES[5];
    setJson(out, policyText(ctx.rng, t.trust(ctx.actor.account.accountIdText, name, ctx.rng, company(ctx))));
  },
  'iam.trustPolicyEncoded': (_ctx, out, slots) => {
    const escaped = slotText(slots, 'iam.trustPolicyText');
    const text = JSON.parse(`"${escaped}"`) as string;
    out.compose().ascii(encodeURIComponent(text));
  },
  'iam.permissionsBoundaryArn': (ctx, out) => {
    if (!ctx.rng.chance(0.3)) return out.clear();
    out.compose().ascii(`arn:aws:iam::${ctx.actor.account.accountIdText}:policy/${company(ctx)}-permissions-boundary`);
  },
  'iam.permissionsBoundary': (_ctx, out, slots) => {
    const arn = slotText(slots, 'iam.permissionsBoundaryArn');
    if (arn === '') return out.clear();
    out.compose().ascii(`{"permissionsBoundaryType":"Policy","permissionsBoundaryArn":"${arn}"}`);
  },
  'iam.sshPublicKeyBody': (ctx, out, slots) => {
    const w = out.compose();
    const big = ctx.rng.chance(0.35);
    w.ascii(big ? 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAACAQ' : 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ');
    randomChars(w, ctx.rng, B64, big ? 684 : 342);
    if (big) w.ascii('==');
    const user = slotText(slots, 'targetUser').split('@')[0];
    const host = SSH_HOSTS[ctx.rng.int(SSH_HOSTS.length)].replace('{x}', Array.from({ length: 7 }, () => B32[ctx.rng.int(26)]).join(''));
    w.ascii(` ${user}@${host}`);
  },
  'iam.sshFingerprint': (ctx, out) => {
    const w = out.compose();
    for (let i = 0; i < 16; i++) {
      if (i > 0) w.byte(58);
      w.byte(HEXCHARS.charCodeAt(ctx.rng.int(16)));
      w.byte(HEXCHARS.charCodeAt(ctx.rng.int(16)));
    }
  },
};

// ---- events ----

const noSuchEntity = (what: string) => ({ code: 'NoSuchEntityException', message: `The ${what} with name {roleName} cannot be found.`, weight: 2 });
const noSuchUser = { code: 'NoSuchEntityException', message: 'The user with name {targetUser} cannot be found.', weight: 1 };
const noSuchGroup = { code: 'NoSuchEntityException', message: 'The group with name {iam.groupName} cannot be found.', weight: 1 };
const noSuchPolicy = { code: 'NoSuchEntityException', message: 'Policy {policyArn} does not exist or is not attachable.', weight: 1 };
const userArn = 'arn:aws:iam::{accountId}:user/{targetUser}';
const groupArn = 'arn:aws:iam::{accountId}:group/{iam.groupName}';
const iamErrors = [ERR.accessDenied];
const read = { readOnly: true, management: true, response: null, errors: iamErrors } as const;
const write = { readOnly: false, management: true, errors: iamErrors } as const;

const EVENTS: readonly EventSpec[] = [
  { name: 'ListUsers', service: 'iam', weight: 2, ...read, who: WHO.auditors, request: null },
  { name: 'GetUser', service: 'iam', weight: 2, ...read, who: WHO.readers, request: { userName: ref('targetUser') }, errors: [ERR.accessDenied, noSuchUser] },
  { name: 'ListRoles', service: 'iam', weight: 2, ...read, who: { ...WHO.auditors, developer: 0.3 }, request: null },
  { name: 'GetRole', service: 'iam', weight: 2.5, ...read, who: { ...WHO.readers, generic: 0.2 }, request: { roleName: ref('roleName') }, errors: [ERR.accessDenied, noSuchEntity('role')] },
  { name: 'ListAttachedRolePolicies', service: 'iam', weight: 1.5, ...read, who: WHO.auditors, request: { roleName: ref('roleName') }, errors: [ERR.accessDenied, noSuchEntity('role')] },
  { name: 'ListAccessKeys', service: 'iam', weight: 1, ...read, who: WHO.auditors, request: { userName: ref('targetUser') } },
  { name: 'GetPolicy', service: 'iam', weight: 1, ...read, who: WHO.auditors, request: { policyArn: ref('policyArn') }, errors: [ERR.accessDenied, { code: 'NoSuchEntityException', message: 'Policy {policyArn} was not found.', weight: 0.5 }] },
  { name: 'GetAccountAuthorizationDetails', service: 'iam', weight: 0.2, ...read, who: { auditor: 1 }, request: null },
  {
    name: 'CreateUser',
    service: 'iam',
    weight: 0.05,
    ...write,
    who: WHO.admins,
    request: { userName: ref('newUserName'), tags: opt(raw('iam.userTags')) },
    response: { user: { path: '/', userName: ref('newUserName'), userId: ref('newUserId'), arn: fmt('arn:aws:iam::{accountId}:user/{newUserName}'), createDate: ref('iam.createDate'), tags: opt(raw('iam.userTags')) } },
    errors: [deniedOn('arn:aws:iam::{accountId}:user/{newUserName}'), { code: 'EntityAlreadyExistsException', message: 'User with name {newUserName} already exists.', weight: 1 }],
  },
  {
    name: 'UpdateUser',
    service: 'iam',
    weight: 0.005,
    ...write,
    who: WHO.admins,
    request: { userName: ref('targetUser'), newUserName: ref('iam.renamedUser') },
    response: null,
    errors: [deniedOn(userArn), noSuchUser, { code: 'EntityAlreadyExistsException', message: 'User with name {iam.renamedUser} already exists.', weight: 0.5 }],
  },
  {
    name: 'CreateAccessKey',
    service: 'iam',
    weight: 0.08,
    ...write,
    // IAM users rotate their own keys (catalog/baseline.ts); a key for someone else is rare (lifecycle.ts).
    who: WHO.people,
    callers: ['IAMUser'],
    request: { userName: ref('targetUser') },
    response: { accessKey: { accessKeyId: ref('newAccessKeyId'), status: 'Active', userName: ref('targetUser'), createDate: ref('iam.createDate') } },
    errors: [deniedOn(userArn), { code: 'LimitExceededException', message: 'Cannot exceed quota for AccessKeysPerUser: 2', weight: 2 }],
  },
  { name: 'DeleteAccessKey', service: 'iam', weight: 0.05, ...write, who: WHO.people, callers: ['IAMUser'], request: { userName: ref('targetUser'), accessKeyId: ref('oldAccessKeyId') }, response: null },
  {
    name: 'CreateLoginProfile',
    service: 'iam',
    weight: 0.02,
    ...write,
    who: WHO.admins,
    request: { userName: ref('targetUser'), passwordResetRequired: raw('iam.passwordResetRequired') },
    response: { loginProfile: { userName: ref('targetUser'), createDate: ref('iam.createDate'), passwordResetRequired: raw('iam.passwordResetRequired') } },
    errors: [
      deniedOn(userArn),
      { code: 'EntityAlreadyExistsException', message: 'Login Profile for user {targetUser} already exists.', weight: 2 },
      { code: 'PasswordPolicyViolationException', message: 'Password should have at least one uppercase letter', weight: 1 },
      { code: 'PasswordPolicyViolationException', message: 'Password should have a minimum length of 14', weight: 1 },
    ],
  },
  {
    name: 'UpdateLoginProfile',
    service: 'iam',
    weight: 0.02,
    ...write,
    who: WHO.admins,
    request: { userName: ref('targetUser'), passwordResetRequired: opt(raw('iam.passwordResetOpt')) },
    response: null,
    errors: [
      deniedOn(userArn),
      { code: 'NoSuchEntityException', message: 'Login Profile for User {targetUser} cannot be found.', weight: 1 },
      { code: 'PasswordPolicyViolationException', message: 'Password should have at least one symbol', weight: 1 },
      { code: 'EntityTemporarilyUnmodifiableException', message: 'Login Profile for User {targetUser} cannot be modified while login profile is being created.', weight: 0.3 },
    ],
  },
  {
    name: 'DeleteLoginProfile',
    service: 'iam',
    weight: 0.01,
    ...write,
    who: WHO.admins,
    request: { userName: ref('targetUser') },
    response: null,
    errors: [
      deniedOn(userArn),
      { code: 'NoSuchEntityException', message: 'Login Profile for User {targetUser} cannot be found.', weight: 2 },
      { code: 'EntityTemporarilyUnmodifiableException', message: 'Login Profile for User {targetUser} cannot be modified while login profile is being created.', weight: 0.5 },
    ],
  },
  {
    name: 'UploadSSHPublicKey',
    service: 'iam',
    weight: 0.01,
    ...write,
    who: { admin: 1, developer: 0.3 },
    request: { sSHPublicKeyBody: ref('iam.sshPublicKeyBody'), userName: ref('targetUser') },
    response: {
      sSHPublicKey: {
        userName: ref('targetUser'),
        sSHPublicKeyId: ref('iam.sshPublicKeyId'),
        fingerprint: ref('iam.sshFingerprint'),
        sSHPublicKeyBody: ref('iam.sshPublicKeyBody'),
        status: 'Active',
        uploadDate: ref('iam.createDate'),
      },
    },
    errors: [
      deniedOn(userArn),
      { code: 'DuplicateSSHPublicKeyException', message: 'The specified SSH public key is already in use by another user.', weight: 1 },
      { code: 'LimitExceededException', message: 'Cannot exceed quota for SSHPublicKeysPerUser: 5', weight: 0.5 },
      noSuchUser,
    ],
  },
  {
    name: 'AttachUserPolicy',
    service: 'iam',
    weight: 0.03,
    ...write,
    who: WHO.admins,
    request: { userName: ref('targetUser'), policyArn: ref('policyArn') },
    response: null,
    errors: [deniedOn(userArn), noSuchUser, noSuchPolicy, { code: 'LimitExceededException', message: 'Cannot exceed quota for PoliciesPerUser: 10', weight: 0.5 }],
  },
  {
    name: 'CreateGroup',
    service: 'iam',
    weight: 0.01,
    ...write,
    who: WHO.admins,
    request: { groupName: ref('iam.newGroupName') },
    response: { group: { path: '/', groupName: ref('iam.newGroupName'), groupId: ref('iam.groupId'), arn: fmt('arn:aws:iam::{accountId}:group/{iam.newGroupName}'), createDate: ref('iam.createDate') } },
    errors: [deniedOn('arn:aws:iam::{accountId}:group/{iam.newGroupName}'), { code: 'EntityAlreadyExistsException', message: 'Group with name {iam.newGroupName} already exists.', weight: 2 }],
  },
  {
    name: 'UpdateGroup',
    service: 'iam',
    weight: 0.005,
    ...write,
    who: WHO.admins,
    request: { newGroupName: ref('iam.newGroupName'), groupName: ref('iam.groupName') },
    response: null,
    errors: [deniedOn(groupArn), noSuchGroup, { code: 'EntityAlreadyExistsException', message: 'Group with name {iam.newGroupName} already exists.', weight: 2 }],
    // Renames often target a name that is taken, or a group an earlier rename already moved.
    errorBias: 4,
  },
  {
    name: 'AttachGroupPolicy',
    service: 'iam',
    weight: 0.02,
    ...write,
    who: WHO.admins,
    request: { groupName: ref('iam.groupName'), policyArn: ref('policyArn') },
    response: null,
    errors: [deniedOn(groupArn), noSuchGroup, noSuchPolicy, { code: 'LimitExceededException', message: 'Cannot exceed quota for PoliciesPerGroup: 10', weight: 0.5 }],
  },
  {
    name: 'CreatePolicy',
    service: 'iam',
    weight: 0.03,
    ...write,
    who: WHO.admins,
    request: { policyName: ref('iam.newPolicyName'), policyDocument: ref('iam.newPolicyDocument') },
    response: {
      policy: {
        policyName: ref('iam.newPolicyName'),
        policyId: ref('iam.newPolicyId'),
        arn: fmt('arn:aws:iam::{accountId}:policy/{iam.newPolicyName}'),
        path: '/',
        defaultVersionId: 'v1',
        attachmentCount: 0,
        permissionsBoundaryUsageCount: 0,
        isAttachable: true,
        createDate: ref('iam.createDate'),
        updateDate: ref('iam.createDate'),
      },
    },
    errors: [
      deniedOn('arn:aws:iam::{accountId}:policy/{iam.newPolicyName}'),
      { code: 'EntityAlreadyExistsException', message: 'A policy called {iam.newPolicyName} already exists. Duplicate names are not allowed.', weight: 2 },
      { code: 'MalformedPolicyDocumentException', message: 'Syntax errors in policy.', weight: 1 },
      { code: 'LimitExceededException', message: 'Cannot exceed quota for PoliciesPerAccount: 1500', weight: 0.1 },
    ],
  },
  {
    name: 'CreateRole',
    service: 'iam',
    weight: 0.04,
    ...write,
    who: WHO.admins,
    request: { roleName: ref('iam.newRoleName'), assumeRolePolicyDocument: ref('iam.trustPolicyText'), permissionsBoundary: opt(ref('iam.permissionsBoundaryArn')) },
    response: {
      role: {
        path: '/',
        roleName: ref('iam.newRoleName'),
        roleId: ref('iam.newRoleId'),
        arn: fmt('arn:aws:iam::{accountId}:role/{iam.newRoleName}'),
        createDate: ref('iam.createDate'),
        assumeRolePolicyDocument: ref('iam.trustPolicyEncoded'),
        permissionsBoundary: opt(raw('iam.permissionsBoundary')),
      },
    },
    errors: [
      deniedOn('arn:aws:iam::{accountId}:role/{iam.newRoleName}'),
      { code: 'EntityAlreadyExistsException', message: 'Role with name {iam.newRoleName} already exists.', weight: 2 },
      { code: 'MalformedPolicyDocumentException', message: 'Invalid principal in policy: "AWS":"arn:aws:iam::{accountId}:role/{iam.newRoleName}"', weight: 0.5 },
      { code: 'LimitExceededException', message: 'Cannot exceed quota for RolesPerAccount: 1000', weight: 0.1 },
    ],
  },
  {
    name: 'AttachRolePolicy',
    service: 'iam',
    weight: 0.08,
    ...write,
    who: WHO.admins,
    request: { roleName: ref('roleName'), policyArn: ref('policyArn') },
    response: null,
    errors: [deniedOn('arn:aws:iam::{accountId}:role/{roleName}'), noSuchEntity('role'), noSuchPolicy],
  },
  {
    name: 'PutRolePolicy',
    service: 'iam',
    weight: 0.05,
    ...write,
    who: WHO.admins,
    request: { roleName: ref('roleName'), policyName: fmt('{roleName}-inline'), policyDocument: ref('policyDocument') },
    response: null,
    errors: [deniedOn('arn:aws:iam::{accountId}:role/{roleName}'), noSuchEntity('role'), { code: 'MalformedPolicyDocumentException', message: 'Syntax errors in policy.', weight: 0.5 }],
  },
  {
    name: 'UpdateAssumeRolePolicy',
    service: 'iam',
    weight: 0.03,
    ...write,
    who: WHO.admins,
    request: { policyDocument: ref('trustPolicyDocument'), roleName: ref('roleName') },
    response: null,
    errors: [deniedOn('arn:aws:iam::{accountId}:role/{roleName}'), noSuchEntity('role'), { code: 'MalformedPolicyDocumentException', message: 'Has prohibited field Resource', weight: 0.3 }],
  },
  // Calls that privilege escalation and persistence use too; benign at the rates of catalog/baseline.ts.
  {
    name: 'PutUserPolicy',
    service: 'iam',
    weight: 0.01,
    ...write,
    who: WHO.admins,
    request: { userName: ref('targetUser'), policyName: fmt('{targetUser}-inline'), policyDocument: ref('policyDocument') },
    response: null,
    errors: [deniedOn(userArn), noSuchUser, { code: 'MalformedPolicyDocumentException', message: 'Syntax errors in policy.', weight: 0.5 }],
  },
  {
    name: 'AddUserToGroup',
    service: 'iam',
    weight: 0.01,
    ...write,
    who: WHO.admins,
    request: { groupName: ref('iam.groupName'), userName: ref('targetUser') },
    response: null,
    errors: [deniedOn(groupArn), noSuchGroup, noSuchUser],
  },
  {
    name: 'DeactivateMFADevice',
    service: 'iam',
    weight: 0.005,
    ...write,
    who: WHO.people,
    callers: ['IAMUser'],
    request: { userName: ref('targetUser'), serialNumber: fmt('arn:aws:iam::{accountId}:mfa/{targetUser}') },
    response: null,
    errors: [deniedOn(userArn), { code: 'NoSuchEntityException', message: 'MFA Device with serial number arn:aws:iam::{accountId}:mfa/{targetUser} does not exist.', weight: 1 }],
  },
  {
    name: 'CreatePolicyVersion',
    service: 'iam',
    weight: 0.01,
    ...write,
    who: WHO.admins,
    request: { policyArn: ref('iam.customerPolicyArn'), policyDocument: ref('policyDocument'), setAsDefault: true },
    response: { policyVersion: { versionId: fmt('v{iam.policyVersion}'), isDefaultVersion: true, createDate: ref('iam.createDate') } },
    errors: [deniedOn('{iam.customerPolicyArn}'), { code: 'LimitExceededException', message: 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.', weight: 1 }],
  },
  {
    name: 'SetDefaultPolicyVersion',
    service: 'iam',
    weight: 0.005,
    ...write,
    who: WHO.admins,
    request: { policyArn: ref('iam.customerPolicyArn'), versionId: fmt('v{iam.policyVersion}') },
    response: null,
    errors: [deniedOn('{iam.customerPolicyArn}'), { code: 'NoSuchEntityException', message: 'Policy {iam.customerPolicyArn} version v{iam.policyVersion} does not exist or is not attachable.', weight: 1 }],
  },
];

export const iamGroup: CatalogGroup = { events: EVENTS, slots: SLOTS };
