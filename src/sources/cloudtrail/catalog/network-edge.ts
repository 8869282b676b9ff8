/**
 * IAM Roles Anywhere, Route 53 Resolver, SNS, WAF.
 *
 * SNS Publish is the steady one: applications and automation publish all day (a data event). Topics and
 * subscriptions change now and then. The rest are rare and, when they happen, worth a look: a Roles Anywhere trust
 * anchor plus profile lets workloads outside AWS (or an intruder's laptop) assume roles with a certificate; deleting
 * resolver query logging or WAF web ACLs and rule groups removes visibility and protection.
 */
import { fmt, gen, opt, raw, ref, type Slots, type SlotValue } from '../../../encode/layout/index.js';
import type { ByteWriter } from '../../../encode/byte-writer.js';
import type { Rng } from '../../../util/rng.js';
import type { EventContext } from '../context.js';
import { text, uuid } from '../slot-values.js';
import { ERR, type CatalogGroup, type ErrorSpec, type EventSpec, deniedOn } from './types.js';

type Resolver = (ctx: EventContext, out: SlotValue, slots: Slots<EventContext>) => void;

const decoder = new TextDecoder();
const str = (b: Uint8Array) => decoder.decode(b);
const pickOf = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];
const hex = (rng: Rng, n: number) => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(16)]).join('');
const uuidText = (rng: Rng) => `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${'89ab'[rng.int(4)]}${hex(rng, 3)}-${hex(rng, 12)}`;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const APPS = ['orders', 'payments', 'billing', 'inventory', 'notifications', 'auth', 'search', 'reporting', 'checkout', 'shipping'];
const DAY_MS = 86_400_000;
const CREATED_BEFORE = Date.parse('2025-06-01T00:00:00Z');
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** A creation instant in the past: fixed for a resource, or some days before the call in runs set earlier. */
function createdMs(ctx: EventContext, ageDays: number): number {
  const fixed = CREATED_BEFORE - ageDays * DAY_MS;
  return fixed < ctx.timeMs - DAY_MS ? Math.floor(fixed) : Math.floor(ctx.timeMs - (1 + ageDays / 30) * DAY_MS);
}

/** `2024-10-10T12:55:43.023139433Z`: the nanosecond timestamps of Roles Anywhere and Route 53 Resolver. */
function nanoIso(ms: number, rng: Rng): string {
  const whole = Math.floor(ms);
  return `${new Date(whole).toISOString().slice(0, 23)}${String(rng.int(1_000_000)).padStart(6, '0')}Z`;
}

// ---- SNS ---------------------------------------------------------------------------------------------------------

interface Subscription {
  readonly protocol: string;
  readonly endpoint: string;
  readonly confirmed: boolean;
}
const subscriptions = new WeakMap<EventContext, Subscription>();

function chooseSubscription(ctx: EventContext, slots: Slots<EventContext>): Subscription {
  const rng = ctx.rng;
  const account = ctx.actor.account;
  const u = rng.float();
  if (u < 0.4) return { protocol: 'sqs', endpoint: `arn:aws:sqs:${ctx.regionText}:${account.accountIdText}:${pickOf(rng, APPS)}-${pickOf(rng, ['events', 'jobs', 'fanout', 'worker'])}-queue`, confirmed: true };
  if (u < 0.6) return { protocol: 'lambda', endpoint: str(slots.byName('functionArn').ref ?? new Uint8Array(0)), confirmed: true };
  if (u < 0.85) {
    const email = ctx.actor.actor.email;
    const address = email && rng.chance(0.5) ? email : `${pickOf(rng, ['platform', 'sre', 'data', 'security', 'payments'])}-${pickOf(rng, ['oncall', 'alerts', 'team'])}@${account.company}.com`;
    return { protocol: 'email', endpoint: address, confirmed: false };
  }
  return rng.chance(0.5)
    ? { protocol: 'https', endpoint: `https://events.pagerduty.com/integration/${hex(rng, 32)}/enqueue`, confirmed: false }
    : { protocol: 'https', endpoint: `https://hooks.${account.company}.com/sns/${pickOf(rng, APPS)}`, confirmed: false };
}
const subscription = (ctx: EventContext, slots: Slots<EventContext>): Subscription => {
  slots.byName('net.subProtocol');
  return subscriptions.get(ctx)!;
};

// ---- Roles Anywhere ----------------------------------------------------------------------------------------------

interface Pki {
  /** The organisation's own CA certificate (PEM, as pasted: no final newline). */
  readonly pem: string;
  readonly acmPcaArn: (region: string) => string;
}

function pki(ctx: EventContext): Pki {
  const accountId = ctx.actor.account.accountIdText;
  return ctx.actor.account.memo('net.pki', (rng) => {
    // DER of an X.509 v3 certificate: SEQUENCE of 0x05xx bytes, tbsCertificate, [0] version, serial number.
    let body = `MIIF${pickOf(rng, ['azCCA1Og', 'dzCCA1+g', 'hTCCA22g', 'jzCCA3eg'])}AwIBAgI`;
    const pad = rng.int(3);
    while (body.length < 1900 - pad) body += B64[rng.int(64)];
    body += '='.repeat(pad);
    const lines = body.match(/.{1,64}/g)!;
    const caId = uuidText(rng);
    return {
      pem: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----`,
      acmPcaArn: (region: string) => `arn:aws:acm-pca:${region}:${accountId}:certificate-authority/${caId}`,
    };
  });
}

interface Anchor {
  readonly type: 'AWS_ACM_PCA' | 'CERTIFICATE_BUNDLE';
  readonly request: string;
  readonly stored: string;
}
const anchors = new WeakMap<EventContext, Anchor>();

function chooseAnchor(ctx: EventContext): Anchor {
  const p = pki(ctx);
  if (ctx.rng.chance(0.4)) {
    const json = JSON.stringify({ acmPcaArn: p.acmPcaArn(ctx.regionText) });
    return { type: 'AWS_ACM_PCA', request: json, stored: json };
  }
  // Roles Anywhere keeps the bundle with a final newline.
  return { type: 'CERTIFICATE_BUNDLE', request: JSON.stringify({ x509CertificateData: p.pem }), stored: JSON.stringify({ x509CertificateData: `${p.pem}\n` }) };
}
const anchor = (ctx: EventContext, slots: Slots<EventContext>): Anchor => {
  slots.byName('net.sourceType');
  return anchors.get(ctx)!;
};

// ---- Route 53 Resolver query logging -----------------------------------------------------------------------------

interface QueryLogConfig {
  readonly id: string;
  readonly name: string;
  readonly destinationArn: string;
  /** A UUID from the console or CLI; null when Terraform made it (its request id is a timestamp of the creation). */
  readonly creatorRequestId: string | null;
  readonly tfCounter: number;
  readonly age: number;
  /** Sub-millisecond digits of the creation time. */
  readonly micros: number;
}

function queryLogConfigs(ctx: EventContext): readonly QueryLogConfig[] {
  const world = ctx.world();
  const region = ctx.regionText;
  const account = ctx.actor.account;
  return world.memo('net.queryLogConfigs', (rng) => {
    const logBuckets = account.buckets.filter((b) => b.style === 'logs').map((b) => str(b.name));
    const vpcs = world.vpcs.map(str);
    return Array.from({ length: rng.range(1, 3) }, (_, i) => {
      const name = pickOf(rng, [`${vpcs[i % vpcs.length]}-dns-query-logs`, `${account.company}-resolver-query-logs`, 'resolver-query-logging', `dns-logs-${region}`]);
      const u = rng.float();
      const destinationArn =
        u < 0.5 && logBuckets.length > 0
          ? `arn:aws:s3:::${pickOf(rng, logBuckets)}${rng.chance(0.5) ? '/route53-resolver' : ''}`
          : u < 0.9
            ? `arn:aws:logs:${region}:${account.accountIdText}:log-group:/aws/route53/resolver/${name}`
            : `arn:aws:firehose:${region}:${account.accountIdText}:deliverystream/${account.company}-dns-logs`;
      return {
        id: `rqlc-${hex(rng, 16)}`,
        name,
        destinationArn,
        creatorRequestId: rng.chance(0.5) ? null : uuidText(rng),
        tfCounter: rng.range(1, 12),
        age: rng.float() * 700,
        micros: rng.int(1_000_000),
      };
    });
  });
}

// ---- WAF ---------------------------------------------------------------------------------------------------------

interface WafResource {
  readonly name: string;
  readonly id: string;
  readonly scope: 'REGIONAL' | 'CLOUDFRONT';
}

function wafInventory(ctx: EventContext): { webAcls: readonly WafResource[]; ruleGroups: readonly WafResource[] } {
  const region = ctx.regionText;
  const company = ctx.actor.account.company;
  return ctx.world().memo('net.waf', (rng) => {
    // CloudFront-scoped resources live in us-east-1 only.
    const scope = (): WafResource['scope'] => (region === 'us-east-1' && rng.chance(0.4) ? 'CLOUDFRONT' : 'REGIONAL');
    return {
      webAcls: Array.from({ length: rng.range(1, 3) }, () => ({ name: pickOf(rng, [`${pickOf(rng, APPS)}-alb-web-acl`, `${company}-api-waf`, `${company}-cdn-web-acl`, 'public-alb-acl', `${pickOf(rng, APPS)}-api-gateway-acl`]), id: uuidText(rng), scope: scope() })),
      ruleGroups: Array.from({ length: rng.range(1, 3) }, () => ({ name: pickOf(rng, ['rate-limit-rules', 'geo-block', 'ip-allowlist', `${company}-bad-bots`, 'admin-path-protection', 'sqli-custom-rules']), id: uuidText(rng), scope: scope() })),
    };
  });
}

const wafChoices = new WeakMap<EventContext, WafResource>();
const waf = (ctx: EventContext, slots: Slots<EventContext>): WafResource => {
  slots.byName('net.wafId');
  return wafChoices.get(ctx)!;
};

// ---- slots -------------------------------------------------------------------------------------------------------

const SLOTS: Record<string, Resolver> = {
  // SNS
  'net.newTopicName': (ctx, out) => {
    const rng = ctx.rng;
    text(out, `${pickOf(rng, APPS)}-${pickOf(rng, ['events', 'alerts', 'notifications', 'alarms', 'dlq-alarms', 'deployments', 'status-changes'])}${rng.chance(0.4) ? `-${pickOf(rng, ['prod', 'staging', 'dev'])}` : ''}`);
  },
  'net.subProtocol': (ctx, out, slots) => {
    const s = chooseSubscription(ctx, slots);
    subscriptions.set(ctx, s);
    text(out, s.protocol);
  },
  'net.subEndpoint': (ctx, out, slots) => text(out, subscription(ctx, slots).endpoint),
  'net.subscriptionArn': (ctx, out, slots) => {
    const s = subscription(ctx, slots);
    if (!s.confirmed) return text(out, 'pending confirmation');
    const w = out.compose();
    w.bytes(slots.byName('topicArn').ref!);
    w.byte(58);
    uuid(w, ctx.rng);
  },

  // Roles Anywhere
  'net.sourceType': (ctx, out) => {
    const a = chooseAnchor(ctx);
    anchors.set(ctx, a);
    text(out, a.type);
  },
  'net.sourceData': (ctx, out, slots) => text(out, anchor(ctx, slots).request),
  'net.sourceDataStored': (ctx, out, slots) => text(out, anchor(ctx, slots).stored),
  'net.trustAnchorName': (ctx, out) => text(out, pickOf(ctx.rng, ['onprem-servers', 'datacenter-root-ca', 'build-agents', 'corp-pki', 'iot-fleet-ca', `${ctx.actor.account.company}-private-ca`, 'hybrid-workloads'])),
  'net.profileName': (ctx, out) => text(out, pickOf(ctx.rng, ['onprem-backup-agent', 'build-agents-deploy', 'datacenter-monitoring', 'hybrid-etl', 'legacy-app-s3-access', 'on-prem-ci'])),
  'net.profileRoleArn': (ctx, out) => {
    // Roles a workload outside AWS would get: not service-linked roles, not Lambda's or EKS nodes' own.
    const roles = ctx.actor.account.roleArns.filter((r) => !/:role\/(aws-service-role\/|lambda-|eks-)/.test(str(r)));
    out.set(roles[ctx.rng.int(roles.length)]);
  },
  'net.durationSeconds': (ctx, out) => text(out, pickOf(ctx.rng, ['3600', '3600', '3600', '900', '43200'])),
  'net.enabled': (ctx, out) => text(out, ctx.rng.chance(0.85) ? 'true' : 'false'),
  // Tags are logged as hidden; requests carry them or not.
  'net.tags': (ctx, out) => text(out, ctx.rng.chance(0.5) ? `[{"key":"${HIDDEN}","value":"${HIDDEN}"}]` : ''),
  'net.nanoTime': (ctx, out) => text(out, nanoIso(ctx.timeMs, ctx.rng)),

  // Route 53 Resolver
  'net.qlcId': (ctx, out) => {
    const configs = queryLogConfigs(ctx);
    const c = configs[ctx.rng.int(configs.length)];
    qlcChoices.set(ctx, c);
    text(out, c.id);
  },
  'net.qlcName': (ctx, out, slots) => text(out, qlc(ctx, slots).name),
  'net.qlcDestination': (ctx, out, slots) => text(out, qlc(ctx, slots).destinationArn),
  'net.qlcCreatorRequestId': (ctx, out, slots) => {
    const c = qlc(ctx, slots);
    if (c.creatorRequestId) return text(out, c.creatorRequestId);
    // Terraform's unique id: the UTC time it sent the request (to 1/10000 s) and a hex counter.
    const sent = new Date(createdMs(ctx, c.age) - 300 - (c.micros % 400)).toISOString();
    text(out, `tf-r53-resolver-query-log-config-${sent.replace(/[-:T]/g, '').slice(0, 14)}${sent.slice(20, 23)}${c.micros % 10}${c.tfCounter.toString(16).padStart(8, '0')}`);
  },
  'net.qlcCreationTime': (ctx, out, slots) => {
    const c = qlc(ctx, slots);
    text(out, `${new Date(createdMs(ctx, c.age)).toISOString().slice(0, 23)}${String(c.micros).padStart(6, '0')}Z`);
  },

  // WAF
  'net.wafId': (ctx, out) => {
    const inv = wafInventory(ctx);
    const pool = ctx.event.spec.name === 'DeleteWebACL' ? inv.webAcls : inv.ruleGroups;
    const r = pool[ctx.rng.int(pool.length)];
    wafChoices.set(ctx, r);
    text(out, r.id);
  },
  'net.wafName': (ctx, out, slots) => text(out, waf(ctx, slots).name),
  'net.wafScope': (ctx, out, slots) => text(out, waf(ctx, slots).scope),
  'net.wafArn': (ctx, out, slots) => {
    const r = waf(ctx, slots);
    const kind = ctx.event.spec.name === 'DeleteWebACL' ? 'webacl' : 'rulegroup';
    text(out, `arn:aws:wafv2:${ctx.regionText}:${ctx.actor.account.accountIdText}:${r.scope === 'CLOUDFRONT' ? 'global' : 'regional'}/${kind}/${r.name}/${r.id}`);
  },
};

const qlcChoices = new WeakMap<EventContext, QueryLogConfig>();
const qlc = (ctx: EventContext, slots: Slots<EventContext>): QueryLogConfig => {
  slots.byName('net.qlcId');
  return qlcChoices.get(ctx)!;
};

/** SNS message ids: name-based (version 5) UUIDs. */
function snsMessageId(ctx: EventContext, w: ByteWriter): void {
  const rng = ctx.rng;
  w.hex32(rng.u32());
  w.byte(45);
  w.hexN(rng.u32(), 4);
  w.ascii('-5');
  w.hexN(rng.u32(), 3);
  w.byte(45);
  w.byte('89ab'.charCodeAt(rng.u32() & 3));
  w.hexN(rng.u32(), 3);
  w.byte(45);
  w.hexN(rng.u32(), 4);
  w.hex32(rng.u32());
}

// ---- errors ------------------------------------------------------------------------------------------------------

const snsDenied = (action: string, resource: string): ErrorSpec => ({ code: 'AuthorizationError', message: `User: {callerArn} is not authorized to perform: SNS:${action} on resource: ${resource} because no identity-based policy allows the SNS:${action} action`, weight: 3 });
const snsNotFound: ErrorSpec = { code: 'NotFound', message: 'Topic does not exist', weight: 1 };
const snsThrottled: ErrorSpec = { code: 'Throttling', message: 'Rate exceeded', weight: 0.5 };
const wafErrors: readonly ErrorSpec[] = [
  deniedOn('{net.wafArn}', 'AccessDeniedException'),
  { code: 'WAFNonexistentItemException', message: 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.', weight: 1 },
  { code: 'WAFOptimisticLockException', message: 'AWS WAF couldn’t save your changes because someone changed the resource after you started to edit it. Reapply your changes.', weight: 1 },
  { code: 'WAFAssociatedItemException', message: 'AWS WAF couldn’t perform the operation because your resource is being used by another resource or it’s associated with another resource.', weight: 2 },
];

// ---- events ------------------------------------------------------------------------------------------------------

const sns = { service: 'sns', readOnly: false, eventVersion: '1.10' } as const;
const rolesAnywhere = { service: 'rolesanywhere', readOnly: false, management: true, eventVersion: '1.10', weight: 0.002, who: { admin: 1 } } as const;
const wafv2 = { service: 'wafv2', readOnly: false, management: true, eventVersion: '1.08', response: null, errors: wafErrors } as const;
const topicArn = fmt('arn:aws:sns:{region}:{accountId}:{net.newTopicName}');

const EVENTS: readonly EventSpec[] = [
  // SNS
  {
    name: 'Publish',
    ...sns,
    management: false,
    weight: 3,
    who: { generic: 3, datalake_bot: 1, ec2_reaper: 1, metrics_collector: 0.5 },
    request: { topicArn: ref('topicArn'), message: HIDDEN },
    response: { messageId: gen('net.snsMessageId') },
    resources: [{ accountId: ref('accountId'), type: 'AWS::SNS::Topic', ARN: ref('topicArn') }],
    errors: [snsDenied('Publish', '{topicArn}'), snsNotFound, snsThrottled, { code: 'KMSAccessDenied', message: 'User: {callerArn} is not authorized to perform: kms:GenerateDataKey on resource: {kmsKeyArn} because no identity-based policy allows the kms:GenerateDataKey action (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException)', weight: 0.3 }],
  },
  {
    name: 'CreateTopic',
    ...sns,
    management: true,
    weight: 0.05,
    who: { developer: 1, admin: 0.5, generic: 0.02 },
    request: { name: ref('net.newTopicName') },
    response: { topicArn },
    errors: [snsDenied('CreateTopic', 'arn:aws:sns:{region}:{accountId}:{net.newTopicName}'), { code: 'InvalidParameter', message: 'Invalid parameter: Tags Reason: Topic already exists with different tags', weight: 1 }],
  },
  {
    name: 'Subscribe',
    ...sns,
    management: true,
    weight: 0.03,
    who: { developer: 1, admin: 0.5, generic: 0.02 },
    request: { topicArn: ref('topicArn'), protocol: ref('net.subProtocol'), endpoint: ref('net.subEndpoint'), returnSubscriptionArn: false },
    response: { subscriptionArn: ref('net.subscriptionArn') },
    errors: [snsDenied('Subscribe', '{topicArn}'), snsNotFound, { code: 'InvalidParameter', message: 'Invalid parameter: Endpoint', weight: 0.5 }],
  },
  // IAM Roles Anywhere
  {
    name: 'CreateTrustAnchor',
    ...rolesAnywhere,
    request: { enabled: raw('net.enabled'), name: ref('net.trustAnchorName'), source: { sourceData: raw('net.sourceData'), sourceType: ref('net.sourceType') }, tags: opt(raw('net.tags')) },
    response: {
      trustAnchor: {
        createdAt: ref('net.nanoTime'),
        enabled: raw('net.enabled'),
        name: ref('net.trustAnchorName'),
        notificationSettings: [
          { channel: 'ALL', configuredBy: 'rolesanywhere.amazonaws.com', enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 45 },
          { channel: 'ALL', configuredBy: 'rolesanywhere.amazonaws.com', enabled: true, event: 'END_ENTITY_CERTIFICATE_EXPIRY', threshold: 45 },
        ],
        source: { sourceData: raw('net.sourceDataStored'), sourceType: ref('net.sourceType') },
        trustAnchorArn: fmt('arn:aws:rolesanywhere:{region}:{accountId}:trust-anchor/{uuid}'),
        trustAnchorId: ref('uuid'),
        updatedAt: ref('net.nanoTime'),
      },
    },
    errors: [ERR.accessDeniedException, { code: 'ValidationException', message: 'Invalid certificate bundle', weight: 1 }, ERR.throttling],
  },
  {
    name: 'CreateProfile',
    ...rolesAnywhere,
    request: { durationSeconds: raw('net.durationSeconds'), enabled: raw('net.enabled'), name: ref('net.profileName'), roleArns: [ref('net.profileRoleArn')], tags: opt(raw('net.tags')) },
    response: {
      profile: {
        acceptRoleSessionName: false,
        attributeMappings: [
          { certificateField: 'x509Issuer', mappingRules: [{ specifier: '*' }] },
          { certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }, { specifier: 'URI' }, { specifier: 'Name/*' }] },
          { certificateField: 'x509Subject', mappingRules: [{ specifier: '*' }] },
        ],
        createdAt: ref('net.nanoTime'),
        createdBy: ref('callerArn'),
        durationSeconds: raw('net.durationSeconds'),
        enabled: raw('net.enabled'),
        name: ref('net.profileName'),
        profileArn: fmt('arn:aws:rolesanywhere:{region}:{accountId}:profile/{uuid}'),
        profileId: ref('uuid'),
        roleArns: [ref('net.profileRoleArn')],
        updatedAt: ref('net.nanoTime'),
      },
    },
    errors: [ERR.accessDeniedException, ERR.throttling],
  },
  // Route 53 Resolver
  {
    name: 'DeleteResolverQueryLogConfig',
    service: 'route53resolver',
    readOnly: false,
    management: true,
    eventVersion: '1.08',
    weight: 0.003,
    who: { admin: 1 },
    request: { resolverQueryLogConfigId: ref('net.qlcId'), originSequenceNumber: 0 },
    response: {
      resolverQueryLogConfig: {
        id: ref('net.qlcId'),
        ownerId: ref('accountId'),
        status: 'DELETING',
        shareStatus: 'NOT_SHARED',
        associationCount: 0,
        arn: fmt('arn:aws:route53resolver:{region}:{accountId}:resolver-query-log-config/{net.qlcId}'),
        name: ref('net.qlcName'),
        destinationArn: ref('net.qlcDestination'),
        creatorRequestId: ref('net.qlcCreatorRequestId'),
        creationTime: ref('net.qlcCreationTime'),
      },
    },
    errors: [
      deniedOn('arn:aws:route53resolver:{region}:{accountId}:resolver-query-log-config/{net.qlcId}', 'AccessDeniedException'),
      { code: 'ResourceNotFoundException', message: 'The resolver query log config with ID "{net.qlcId}" does not exist.', weight: 1 },
      { code: 'InvalidRequestException', message: "You can't delete a query logging configuration that is associated with one or more VPCs. Disassociate all VPCs from the configuration, and then try again.", weight: 1 },
      ERR.throttling,
    ],
  },
  // WAF
  { name: 'DeleteWebACL', ...wafv2, weight: 0.003, who: { admin: 1, developer: 0.1 }, request: { name: ref('net.wafName'), scope: ref('net.wafScope'), id: ref('net.wafId'), lockToken: ref('uuid') } },
  { name: 'DeleteRuleGroup', ...wafv2, weight: 0.004, who: { admin: 1, developer: 0.2 }, request: { name: ref('net.wafName'), scope: ref('net.wafScope'), id: ref('net.wafId'), lockToken: ref('uuid') } },
];

export const networkEdgeGroup: CatalogGroup = { events: EVENTS, slots: SLOTS, generators: { 'net.snsMessageId': snsMessageId } };
