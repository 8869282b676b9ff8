/** STS and sign-in: where sessions begin. */
import { createHash } from 'node:crypto';
import { jsonContent, utf8 } from '../../../encode/byte-writer.js';
import { fmt, gen, opt, raw, ref, type Resolver } from '../../../encode/layout/index.js';
import { writeJavaMediumDate } from '../../../encode/time-format.js';
import type { EventContext } from '../context.js';
import { company, slotText } from './iam.js';
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
    request: {
      roleArn: ref('roleArn'),
      roleSessionName: ref('roleSessionName'),
      tags: opt(raw('iam.sessionTags')),
      transitiveTagKeys: opt(raw('iam.transitiveTagKeys')),
      incomingTransitiveTags: opt(raw('iam.incomingTransitiveTags')),
      durationSeconds: opt(raw('iam.assumeDurationSeconds')),
    },
    response: { credentials, assumedRoleUser: { assumedRoleId: fmt('{roleId}:{roleSessionName}'), arn: ref('assumedRoleArn') } },
    resources: [{ accountId: ref('accountId'), type: 'AWS::IAM::Role', ARN: ref('roleArn') }],
    // STS names the role in every AssumeRole denial.
    errors: [{ code: 'AccessDenied', message: 'User: {callerArn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}', weight: 4 }],
  },
  {
    // A person's console sign-in through the organisation's identity provider (Okta, Entra ID): the browser posts the
    // IdP's SAML assertion to the AWS sign-in page, which assumes the person's role with it. Only as a session opening.
    name: 'AssumeRoleWithSAML',
    service: 'sts',
    weight: 0,
    readOnly: true,
    management: true,
    who: {},
    request: {
      sAMLAssertionID: ref('saml.assertionId'),
      roleSessionName: ref('roleSessionName'),
      durationSeconds: raw('sessionDurationSeconds'),
      roleArn: ref('roleArn'),
      principalArn: ref('saml.providerArn'),
    },
    response: {
      credentials,
      assumedRoleUser: { assumedRoleId: fmt('{roleId}:{roleSessionName}'), arn: ref('assumedRoleArn') },
      subject: ref('roleSessionName'),
      subjectType: 'persistent',
      issuer: ref('saml.issuer'),
      audience: 'https://signin.aws.amazon.com/saml',
      nameQualifier: ref('saml.nameQualifier'),
    },
    resources: [
      { accountId: ref('accountId'), type: 'AWS::IAM::Role', ARN: ref('roleArn') },
      { accountId: ref('accountId'), type: 'AWS::IAM::SAMLProvider', ARN: ref('saml.providerArn') },
    ],
    errors: [],
  },
  {
    name: 'GetSessionToken',
    service: 'sts',
    weight: 1,
    readOnly: true,
    management: true,
    who: {},
    request: { durationSeconds: raw('sessionDurationSeconds'), serialNumber: ref('mfaSerial') },
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
    additional: { LoginTo: ref('loginTo'), MobileVersion: 'No', MFAIdentifier: opt(ref('mfaIdentifier')), MFAUsed: ref('mfaUsed'), SamlProviderArn: opt(ref('saml.consoleProviderArn')) },
    errors: [{ message: 'Failed authentication', weight: 1 }],
    errorBias: 2,
  },
  {
    name: 'GetFederationToken',
    service: 'sts',
    weight: 0.02,
    readOnly: false,
    management: true,
    who: { admin: 0.2, developer: 0.05 },
    callers: ['IAMUser'],
    request: { name: ref('iam.federatedName'), policy: opt(ref('iam.federationPolicy')), durationSeconds: opt(raw('iam.federationDuration')) },
    response: {
      credentials: { accessKeyId: ref('sessionAccessKeyId'), sessionToken: gen('sessionToken'), expiration: ref('iam.federationExpiration') },
      federatedUser: { federatedUserId: fmt('{accountId}:{iam.federatedName}'), arn: fmt('arn:aws:sts::{accountId}:federated-user/{iam.federatedName}') },
      packedPolicySize: opt(raw('iam.packedPolicySize')),
    },
    errors: [
      { code: 'AccessDenied', message: 'User: {callerArn} is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::{accountId}:federated-user/{iam.federatedName} because no identity-based policy allows the sts:GetFederationToken action', weight: 3 },
      { code: 'AccessDenied', message: 'Cannot call GetFederationToken with session credentials', weight: 1 },
      { code: 'PackedPolicyTooLarge', message: 'Serialized token too large for session', weight: 0.2 },
    ],
  },
  {
    // The browser sign-in to the IAM Identity Center portal that `aws sso login` starts: it opens SSO CLI sessions.
    name: 'UserAuthentication',
    service: 'signin',
    weight: 0.4,
    readOnly: false,
    management: true,
    eventType: 'AwsServiceEvent',
    eventVersion: '1.09',
    who: {},
    tls: false,
    request: null,
    response: null,
    serviceEventDetails: { UserAuthentication: 'Success' },
    additional: { AuthWorkflowID: ref('uuid'), UserName: ref('iam.ssoUserName'), LoginTo: ref('iam.ssoStartUrl'), CredentialType: ref('iam.ssoCredentialType') },
    errors: [],
  },
  {
    // The federation endpoint's sign-in token: a console session made from CLI credentials (aws-vault login, Granted;
    // also the path tools that turn stolen keys into console access take). Benign at catalog/baseline.ts's rate.
    name: 'GetSigninToken',
    service: 'signin',
    weight: 0.01,
    readOnly: false,
    management: true,
    eventType: 'AwsConsoleSignIn',
    eventVersion: '1.09',
    requestId: 'none',
    who: { admin: 1, developer: 1 },
    callers: ['AssumedRole'],
    request: null,
    response: { credentials: { accessKeyId: ref('signin.callerKey') }, GetSigninToken: 'Success' },
    errorResponse: { GetSigninToken: 'Failure' },
    additional: { MobileVersion: 'No' },
    errors: [{ message: 'Failed authentication', weight: 1 }],
  },
];

const TAG_TEAMS = ['platform', 'data', 'payments', 'security', 'growth', 'sre'];
const TAG_PROJECTS = ['orders-api', 'payments-api', 'billing-worker', 'search-indexer', 'web-frontend', 'data-export'];
const DEPARTMENTS = ['Engineering', 'Finance', 'Security', 'DataScience', 'Operations'];
const FEDERATION_DURATIONS = [900, 3600, 3600, 14400, 129600];

const sessionTagPairs = (ctx: EventContext): [string, string][] => {
  const rng = ctx.rng;
  const pairs: [string, string][] = [];
  if (rng.chance(0.7)) pairs.push(['Project', TAG_PROJECTS[rng.int(TAG_PROJECTS.length)]]);
  if (rng.chance(0.5)) pairs.push(['CostCenter', String(10000 + rng.int(90000))]);
  if (rng.chance(0.5)) pairs.push(['Team', TAG_TEAMS[rng.int(TAG_TEAMS.length)]]);
  const email = ctx.actor.actor.email;
  if (email && rng.chance(0.5)) pairs.push(['Email', email]);
  if (pairs.length === 0) pairs.push(['Environment', rng.chance(0.7) ? 'prod' : 'staging']);
  return pairs;
};

const SLOTS: Record<string, Resolver<EventContext>> = {
  /** The caller's own session key (the federation endpoint signs in with it). */
  'signin.callerKey': (ctx, out) => out.set(ctx.actor.sessionKey),
  /** Services that assume their role (EC2, Lambda, ECS) send no duration; people and SDKs usually do. */
  'iam.assumeDurationSeconds': (ctx, out, slots) => {
    if (ctx.openingByService) return out.clear();
    const v = slots.byName('durationSeconds');
    out.set(v.ref ?? v.scratch.buf.slice(0, v.scratch.pos));
  },
  'iam.sessionTags': (ctx, out) => {
    if (ctx.opening || !ctx.rng.chance(0.06)) return out.clear();
    out.set(utf8(JSON.stringify(sessionTagPairs(ctx).map(([key, value]) => ({ key, value })))));
  },
  'iam.transitiveTagKeys': (ctx, out, slots) => {
    const tags = slotText(slots, 'iam.sessionTags');
    if (tags === '' || !ctx.rng.chance(0.5)) return out.clear();
    const keys = (JSON.parse(tags) as { key: string }[]).map((t) => t.key);
    out.set(utf8(JSON.stringify(keys.slice(0, 1 + ctx.rng.int(keys.length)))));
  },
  /** Tags a chained role session carries over from the caller's own session. */
  'iam.incomingTransitiveTags': (ctx, out, slots) => {
    const tagged = slotText(slots, 'iam.sessionTags') !== '';
    if (ctx.opening || ctx.actor.actor.identity_type !== 'AssumedRole' || !ctx.rng.chance(tagged ? 0.4 : 0.02)) return out.clear();
    out.set(utf8(JSON.stringify({ Department: DEPARTMENTS[ctx.rng.int(DEPARTMENTS.length)] })));
  },
  'iam.federatedName': (ctx, out, slots) => {
    // The call that opens the actor's own federated session names it as its later calls carry it.
    if (ctx.opening && ctx.actor.kind === 'federated') return out.set(ctx.actor.federated().name);
    const name = ctx.rng.chance(0.7) ? slotText(slots, 'targetUser').split('@')[0] : `${TAG_PROJECTS[ctx.rng.int(TAG_PROJECTS.length)]}-${1000 + ctx.rng.int(9000)}`;
    out.set(jsonContent(name.slice(0, 32)));
  },
  'iam.federationPolicy': (ctx, out, slots) => {
    if (!ctx.rng.chance(0.75)) return out.clear();
    const buckets = ctx.actor.account.buckets;
    const bucket = buckets.length > 0 ? new TextDecoder().decode(buckets[ctx.rng.int(buckets.length)].name) : `${company(ctx)}-data`;
    const name = slotText(slots, 'iam.federatedName');
    const statement = ctx.rng.chance(0.8)
      ? [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${bucket}/home/${name}/*` }, { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}`, Condition: { StringLike: { 's3:prefix': [`home/${name}/*`] } } }]
      : [{ Effect: 'Allow', Action: ['ec2:Describe*', 'cloudwatch:GetMetricData'], Resource: '*' }];
    const doc = { Version: '2012-10-17', Statement: statement };
    out.set(jsonContent(ctx.rng.chance(0.5) ? JSON.stringify(doc) : JSON.stringify(doc, null, 2)));
  },
  'iam.packedPolicySize': (ctx, out, slots) => {
    if (slotText(slots, 'iam.federationPolicy') === '') return out.clear();
    out.compose().uint(3 + ctx.rng.int(10));
  },
  'iam.federationDuration': (ctx, out) => {
    // The call that opens the actor's own federated session asks for as long as the session will use it.
    if (ctx.opening && ctx.openingDurationMs > 0) return out.compose().uint(Math.round(ctx.openingDurationMs / 1000));
    if (ctx.rng.chance(0.5)) return out.clear();
    out.compose().uint(FEDERATION_DURATIONS[ctx.rng.int(FEDERATION_DURATIONS.length)]);
  },
  'iam.federationExpiration': (ctx, out, slots) => {
    const d = slotText(slots, 'iam.federationDuration');
    writeJavaMediumDate(out.compose(), ctx.timeMs + (d === '' ? 43_200 : Number(d)) * 1000);
  },
  'iam.ssoUserName': (ctx, out) => out.set(jsonContent(ctx.actor.actor.email ?? ctx.actor.actor.user_name)),
  'iam.ssoStartUrl': (ctx, out) => {
    const url = ctx.actor.account.memo('iam.ssoStartUrl', (rng) => {
      if (rng.chance(0.5)) return jsonContent(`https://${company(ctx)}.awsapps.com/start/`);
      let id = 'd-9';
      for (let i = 0; i < 9; i++) id += '0123456789abcdef'[rng.int(16)];
      return jsonContent(`https://${id}.awsapps.com/start/`);
    });
    out.set(url);
  },
  /** Accounts federate Identity Center to an external IdP, or sign in with a password then a second factor. */
  'iam.ssoCredentialType': (ctx, out) => {
    const external = ctx.actor.account.memo('iam.ssoExternalIdp', (rng) => rng.chance(0.5));
    if (external) return out.set(EXTERNAL_IDP);
    const u = ctx.rng.float();
    out.set(u < 0.6 ? PASSWORD : u < 0.85 ? TOTP : WEBAUTHN);
  },
};
const EXTERNAL_IDP = utf8('EXTERNAL_IDP');
const PASSWORD = utf8('PASSWORD');
const TOTP = utf8('TOTP');
const WEBAUTHN = utf8('WEBAUTHN');

/** How each identity provider appears as an account's IAM SAML provider: its usual name, and its assertions' issuer. */
const SAML_PROVIDERS: Readonly<Record<string, { name: string; issuer: (rng: { int(n: number): number }) => string }>> = {
  okta: { name: 'Okta', issuer: (rng) => `http://www.okta.com/exk${Array.from({ length: 17 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[rng.int(62)]).join('')}` },
  entra: {
    name: 'AzureAD',
    issuer: (rng) => {
      const h = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(16)]).join('');
      return `https://sts.windows.net/${h(8)}-${h(4)}-4${h(3)}-a${h(3)}-${h(12)}/`;
    },
  },
};

/** The account's SAML provider for the organisation's identity provider, and what its assertions say. */
function samlProvider(ctx: EventContext): { arn: Uint8Array; issuer: Uint8Array; nameQualifier: Uint8Array; nameQualifierText: string } {
  const provider = SAML_PROVIDERS[ctx.samlIdentityProvider] ?? SAML_PROVIDERS.okta;
  return ctx.actor.account.memo(`saml.provider.${provider.name}`, (rng) => {
    const arn = `arn:aws:iam::${ctx.actor.actor.account_id}:saml-provider/${provider.name}`;
    const issuer = provider.issuer(rng);
    const nameQualifier = createHash('sha1').update(`${issuer}${ctx.actor.actor.account_id}/${provider.name}`).digest('base64');
    return { arn: jsonContent(arn), issuer: jsonContent(issuer), nameQualifier: jsonContent(nameQualifier), nameQualifierText: nameQualifier };
  });
}

/** The SAML provider's name qualifier (userIdentity of AssumeRoleWithSAML). */
export function samlNameQualifier(ctx: EventContext): string {
  return samlProvider(ctx).nameQualifierText;
}

Object.assign(SLOTS, {
  'saml.assertionId': (ctx: EventContext, out: Parameters<Resolver<EventContext>>[1]) => {
    const w = out.compose();
    w.ascii('id');
    for (let i = 0; i < 20; i++) w.byte(48 + ctx.rng.int(10));
  },
  'saml.providerArn': (ctx: EventContext, out: Parameters<Resolver<EventContext>>[1]) => out.set(samlProvider(ctx).arn),
  'saml.issuer': (ctx: EventContext, out: Parameters<Resolver<EventContext>>[1]) => out.set(samlProvider(ctx).issuer),
  'saml.nameQualifier': (ctx: EventContext, out: Parameters<Resolver<EventContext>>[1]) => out.set(samlProvider(ctx).nameQualifier),
  'saml.consoleProviderArn': (ctx: EventContext, out: Parameters<Resolver<EventContext>>[1]) => (ctx.openingSaml ? out.set(samlProvider(ctx).arn) : out.clear()),
});

export const identityGroup: CatalogGroup = { events: EVENTS, slots: SLOTS };
