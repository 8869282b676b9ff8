/**
 * EC2: a torrent of Describe* from people, dashboards and automation; lifecycle changes from admins and reapers;
 * rare network and sharing changes (security groups, NACLs, flow logs, traffic mirroring, AMI and snapshot sharing)
 * that detections watch for.
 */
import { jsonContent, utf8, type ByteWriter } from '../../../encode/byte-writer.js';
import { fmt, opt, raw, ref, type Resolver, type SlotValue } from '../../../encode/layout/index.js';
import { hex } from '../../../population/aws-ids.js';
import type { Rng } from '../../../util/rng.js';
import { Pick, type EventContext } from '../context.js';
import { BASE64, chars, pool, text } from '../slot-values.js';
import type { Pool } from '../world.js';
import { dangerous } from './baseline.js';
import { ERR, WHO, type CatalogGroup, type ErrorSpec, type EventSpec } from './types.js';

// ---- errors -----------------------------------------------------------------------------------------------------

/**
 * EC2's denial for actions with resource-level permissions: names the resource and carries the encoded
 * authorization failure message (decodable with sts:DecodeAuthorizationMessage).
 */
const unauthorized = (resource: string, weight = 3): ErrorSpec => ({
  code: 'Client.UnauthorizedOperation',
  message: `You are not authorized to perform this operation. User: {callerArn} is not authorized to perform: {iamAction} on resource: arn:aws:ec2:{region}:{accountId}:${resource} because no identity-based policy allows the {iamAction} action. Encoded authorization failure message: {ec2.authFailure}`,
  weight,
});
const deniedInstance = unauthorized('instance/{instanceId}');
const deniedGroup = unauthorized('security-group/{securityGroupId}');
const notFound = { code: 'Client.InvalidInstanceID.NotFound', message: "The instance ID '{instanceId}' does not exist", weight: 2 };
const groupNotFound = { code: 'Client.InvalidGroup.NotFound', message: "The security group '{securityGroupId}' does not exist", weight: 1 };
const e = [ERR.unauthorizedOperation, ERR.ec2Throttling];

// ---- shared layouts ---------------------------------------------------------------------------------------------

const describe = { service: 'ec2', readOnly: true, management: true, response: null, errors: e } as const;
const change = { service: 'ec2', readOnly: false, management: true } as const;
const oneInstance = { instancesSet: { items: [{ instanceId: ref('instanceId') }] } };
const stateChange = (current: [number, string], previous: [number, string]) => ({
  requestId: ref('uuid'),
  instancesSet: { items: [{ instanceId: ref('instanceId'), currentState: { code: current[0], name: current[1] }, previousState: { code: previous[0], name: previous[1] } }] },
});
const watchers = { ...WHO.readers, metrics_collector: 3, ec2_reaper: 3, generic: 0.3 };
const returned = { requestId: ref('uuid'), _return: true };
const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
/** Network-security changes: admins, and now and then an engineer. */
const netAdmins = { admin: 1, developer: 0.15 };

// ---- slot helpers -----------------------------------------------------------------------------------------------

/** Writes a resolved slot's bytes. */
function put(w: ByteWriter, v: SlotValue): void {
  if (v.ref) w.bytes(v.ref);
  else w.bytesN(v.scratch.buf, v.scratch.pos);
}

/** `prefix` + `0` + 16 hex: the 17-character ids of current EC2 resources. */
function newId(prefix: string): Resolver<EventContext> {
  return (ctx, out) => {
    const w = out.compose();
    w.ascii(prefix);
    w.byte(48);
    w.hex32(ctx.rng.u32());
    w.hex32(ctx.rng.u32());
  };
}

const choice = (values: readonly string[]): Resolver<EventContext> => {
  const encoded = values.map(jsonContent);
  return (ctx, out) => out.set(encoded[ctx.rng.int(encoded.length)]);
};

const ids = (rng: Rng, prefix: string, n: number): Pool => Array.from({ length: n }, () => jsonContent(`${prefix}-0${hex(rng, 16)}`));

/** Network inventory this file adds to a region: NACLs, flow logs, traffic-mirror filters and targets, ENIs. */
interface Ec2Net {
  readonly acls: Pool;
  readonly flowLogs: Pool;
  readonly mirrorFilters: Pool;
  readonly mirrorTargets: Pool;
  /** One ENI per instance of the region (same index as `instances`). */
  readonly enis: Pool;
  readonly keyNames: Pool;
}
const NLB_NAMES = ['ids-collector', 'suricata-sensors', 'zeek-mirror-nlb', 'traffic-inspection'];
const KEY_NAMES = ['bastion', 'deploy', 'jenkins', 'ops', 'kafka', 'windows-admin'];
const ENVS = ['prod', 'staging', 'dev'];

function net(ctx: EventContext): Ec2Net {
  const world = ctx.world();
  return world.memo('ec2.net', (rng) => ({
    acls: ids(rng, 'acl', rng.range(2, 6)),
    flowLogs: ids(rng, 'fl', rng.range(1, 4)),
    mirrorFilters: ids(rng, 'tmf', rng.range(1, 3)),
    mirrorTargets: ids(rng, 'tmt', rng.range(1, 2)),
    enis: ids(rng, 'eni', world.instances.length),
    keyNames: KEY_NAMES.map((k) => jsonContent(`${k}-${ENVS[rng.int(ENVS.length)]}`)),
  }));
}

/** Other accounts of the organization that AMIs and snapshots get shared with. */
function partnerAccounts(ctx: EventContext): Pool {
  return ctx.actor.account.memo('ec2.partners', (rng) =>
    Array.from({ length: rng.range(2, 4) }, () => {
      let id = String(rng.range(1, 9));
      for (let i = 1; i < 12; i++) id += String(rng.int(10));
      return jsonContent(id);
    }),
  );
}

/** base64url, the alphabet of EC2's encoded authorization failure messages. */
const URL64 = utf8('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');

/** Per-instance-type facts that RunInstances echoes: architecture and CPU topology. */
const INSTANCE_SHAPES: Record<string, { arch: string; cores: number; threads: number }> = {
  't3.micro': { arch: 'x86_64', cores: 1, threads: 2 },
  't3.small': { arch: 'x86_64', cores: 1, threads: 2 },
  't3.medium': { arch: 'x86_64', cores: 1, threads: 2 },
  'm5.large': { arch: 'x86_64', cores: 1, threads: 2 },
  'm6i.xlarge': { arch: 'x86_64', cores: 2, threads: 2 },
  'c6g.large': { arch: 'arm64', cores: 2, threads: 1 },
  'r6i.2xlarge': { arch: 'x86_64', cores: 4, threads: 2 },
  't4g.small': { arch: 'arm64', cores: 2, threads: 1 },
};
const decoder = new TextDecoder();
function instanceShape(slots: { byName(name: string): SlotValue }) {
  const v = slots.byName('instanceType');
  const name = decoder.decode(v.ref ?? v.scratch.buf.subarray(0, v.scratch.pos));
  return INSTANCE_SHAPES[name] ?? { arch: 'x86_64', cores: 1, threads: 2 };
}

const TRUE = utf8('true');
const FALSE = utf8('false');
const EMPTY_OBJECT = utf8('{}');
const ATTRIBUTES = ['userData', 'userData', 'instanceType', 'disableApiTermination', 'disableApiStop', 'instanceInitiatedShutdownBehavior', 'rootDeviceName', 'blockDeviceMapping', 'groupSet', 'enaSupport', 'sriovNetSupport'];
const INGRESS_LEGACY_SHARE = 0.2;

const SLOTS: Record<string, Resolver<EventContext>> = {
  'ec2.authFailure': (ctx, out) => chars(out.compose(), ctx.rng, URL64, 640 + ctx.rng.int(480)),
  'ec2.sgrId': newId('sgr-'),
  'ec2.keyPairId': newId('key-'),
  'ec2.newMirrorFilterId': newId('tmf-'),
  'ec2.mirrorFilterRuleId': newId('tmfr-'),
  'ec2.mirrorSessionId': newId('tms-'),
  'ec2.newMirrorTargetId': newId('tmt-'),
  'ec2.eniAttachmentId': newId('eni-attach-'),
  'ec2.aclId': (ctx, out) => {
    const acls = net(ctx).acls;
    out.set(acls[ctx.rng.int(acls.length)]);
  },
  'ec2.flowLogId': (ctx, out) => {
    const fl = net(ctx).flowLogs;
    out.set(fl[ctx.rng.int(fl.length)]);
  },
  'ec2.mirrorFilterId': (ctx, out) => {
    const f = net(ctx).mirrorFilters;
    out.set(f[ctx.rng.int(f.length)]);
  },
  'ec2.mirrorTargetId': (ctx, out) => {
    const t = net(ctx).mirrorTargets;
    out.set(t[ctx.rng.int(t.length)]);
  },
  /** The ENI of the record's instance. */
  'ec2.instanceEni': (ctx, out) => pool(out, ctx, Pick.Instance, net(ctx).enis),
  'ec2.nlbArn': (ctx, out) => {
    const w = out.compose();
    w.ascii('arn:aws:elasticloadbalancing:');
    w.ascii(ctx.regionText);
    w.byte(58);
    w.bytes(ctx.actor.accountId);
    w.ascii(`:loadbalancer/net/${NLB_NAMES[ctx.rng.int(NLB_NAMES.length)]}/`);
    w.hex32(ctx.rng.u32());
    w.hex32(ctx.rng.u32());
  },
  'ec2.virtualNetworkId': (ctx, out) => out.compose().uint(1 + ctx.rng.int(16_777_215)),
  'ec2.mirrorFilterDescription': choice(['Mirror all TCP to IDS', 'IDS inspection filter', 'TCP only', 'Suricata capture filter', 'Mirror web tier traffic']),
  /** Rule descriptions people write: the protocol and direction the rule is about. */
  'ec2.mirrorRuleDescription': (ctx, out, slots) => {
    const protocol = slots.byName('ec2.mirrorProtocol').ref === UDP ? 'UDP' : 'TCP';
    const direction = decoder.decode(slots.byName('ec2.mirrorDirection').ref!);
    const r = ctx.rng.int(3);
    text(out, r === 0 ? `${protocol} Rule` : r === 1 ? `${protocol} ${direction}` : `Mirror ${direction} ${protocol}`);
  },
  'ec2.mirrorSessionDescription': choice(['Mirror to IDS', 'web tier capture', 'packet capture for incident', 'Suricata session']),
  'ec2.mirrorTargetDescription': choice(['IDS NLB target', 'Network Load Balancer target for packet inspection', 'Suricata sensors NLB']),
  'ec2.mirrorDirection': choice(['ingress', 'egress']),
  'ec2.mirrorProtocol': (ctx, out) => out.set(ctx.rng.chance(0.2) ? UDP : TCP),
  'ec2.mirrorRuleAction': choice(['accept', 'accept', 'accept', 'reject']),
  'ec2.mirrorRuleNumber': choice(['100', '100', '200', '1', '10']),
  'ec2.mirrorCidr': choice(['0.0.0.0/0', '0.0.0.0/0', '10.0.0.0/8', '172.16.0.0/12']),
  'ec2.packetLength': choice(['128', '256', '1500', '8500']),
  'ec2.sessionNumber': choice(['1', '1', '1', '2', '3']),
  'ec2.aclRuleNumber': choice(['100', '100', '110', '120', '200', '32000']),
  'ec2.aclEgress': (ctx, out) => out.set(ctx.rng.chance(0.3) ? TRUE : FALSE),
  'ec2.egressCidr': choice(['0.0.0.0/0', '0.0.0.0/0', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']),
  'ec2.egressPort': choice(['443', '443', '80', '5432', '3306', '6379', '9092', '53']),
  'ec2.forceStop': (ctx, out) => out.set(ctx.rng.chance(0.1) ? TRUE : FALSE),
  'ec2.instanceAttribute': choice(ATTRIBUTES),
  /** DescribeInstances' instancesSet: all instances, or the ones a person or script asks about. */
  'ec2.describeInstancesSet': (ctx, out, slots) => {
    if (ctx.rng.chance(0.45)) return out.set(EMPTY_OBJECT);
    const w = out.compose();
    w.ascii('{"items":[{"instanceId":"');
    put(w, slots.byName('instanceId'));
    w.ascii('"}');
    const instances = ctx.world().instances;
    for (let n = ctx.rng.chance(0.8) ? 0 : ctx.rng.range(1, 3); n > 0; n--) {
      w.ascii(',{"instanceId":"');
      w.bytes(instances[ctx.rng.int(instances.length)]);
      w.ascii('"}');
    }
    w.ascii(']}');
  },
  // RunInstances' CPU facts follow the instance type.
  'ec2.architecture': (_ctx, out, slots) => text(out, instanceShape(slots).arch),
  'ec2.coreCount': (_ctx, out, slots) => out.compose().uint(instanceShape(slots).cores),
  'ec2.threadsPerCore': (_ctx, out, slots) => out.compose().uint(instanceShape(slots).threads),
  /**
   * AuthorizeSecurityGroupIngress in the legacy flat form (`--protocol --port --cidr`, older SDK helpers):
   * protocol, ports and CIDR at the top level and an empty ipPermissions.
   */
  'ec2.sgLegacy': (ctx, out) => out.set(ctx.rng.chance(INGRESS_LEGACY_SHARE) ? TRUE : FALSE),
  'ec2.ingressPermissions': (_ctx, out, slots) => {
    if (slots.byName('ec2.sgLegacy').ref === TRUE) return out.set(EMPTY_OBJECT);
    const w = out.compose();
    w.ascii('{"items":[{"ipProtocol":"tcp","fromPort":');
    put(w, slots.byName('port'));
    w.ascii(',"toPort":');
    put(w, slots.byName('port'));
    w.ascii(',"groups":{},"ipRanges":{"items":[{"cidrIp":"');
    put(w, slots.byName('ingressCidr'));
    w.ascii('"}]},"ipv6Ranges":{},"prefixListIds":{}}]}');
  },
  'ec2.legacyProtocol': (_ctx, out, slots) => (slots.byName('ec2.sgLegacy').ref === TRUE ? text(out, 'tcp') : out.clear()),
  'ec2.legacyPort': (_ctx, out, slots) => (slots.byName('ec2.sgLegacy').ref === TRUE ? put(out.compose(), slots.byName('port')) : out.clear()),
  'ec2.legacyCidr': (_ctx, out, slots) => (slots.byName('ec2.sgLegacy').ref === TRUE ? put(out.compose(), slots.byName('ingressCidr')) : out.clear()),
  /** ModifyImageAttribute launchPermission: mostly sharing with another account of the org, sometimes making private again. */
  'ec2.launchPermission': (ctx, out) => sharing(ctx, out),
  'ec2.createVolumePermission': (ctx, out) => sharing(ctx, out),
  // CreateKeyPair
  'ec2.newKeyName': (ctx, out) => {
    const a = ctx.actor.actor;
    const user = (a.email ?? a.user_name).split('@')[0].replace(/[^A-Za-z0-9._-]/g, '');
    const r = ctx.rng.int(4);
    if (r === 0) text(out, `${user}-key`);
    else if (r === 1) text(out, `${user}-${new Date(ctx.timeMs).getUTCFullYear()}`);
    else {
      const names = net(ctx).keyNames;
      const w = out.compose();
      w.bytes(names[ctx.rng.int(names.length)]);
      if (r === 3) {
        w.byte(45);
        w.uint(ctx.rng.range(2, 9));
      }
    }
  },
  'ec2.keyType': (ctx, out) => out.set(ctx.rng.chance(0.3) ? ED25519 : RSA),
  'ec2.keyFormat': (ctx, out) => out.set(ctx.rng.chance(0.15) ? PPK : PEM),
  /** RSA keys AWS creates: SHA-1 of the private key, colon-separated; ED25519: base64 SHA-256. */
  'ec2.keyFingerprint': (ctx, out, slots) => {
    const w = out.compose();
    if (slots.byName('ec2.keyType').ref === ED25519) {
      chars(w, ctx.rng, BASE64, 43);
      w.byte(61);
      return;
    }
    for (let i = 0; i < 20; i++) {
      if (i > 0) w.byte(58);
      w.hexN(ctx.rng.u32(), 2);
    }
  },
};

const TCP = utf8('6');
const UDP = utf8('17');
const RSA = utf8('rsa');
const ED25519 = utf8('ed25519');
const PEM = utf8('pem');
const PPK = utf8('ppk');

function sharing(ctx: EventContext, out: SlotValue): void {
  const w = out.compose();
  const u = ctx.rng.float();
  const shareAll = dangerous('ec2.sharePublic');
  if (u < shareAll) {
    // Made public: what detections look for, and not something a benign organisation does (catalog/baseline.ts).
    w.ascii('{"add":{"items":[{"group":"all"}]}}');
  } else if (u < shareAll + dangerous('ec2.unsharePublic')) {
    w.ascii('{"remove":{"items":[{"group":"all"}]}}');
  } else {
    const accounts = partnerAccounts(ctx);
    w.ascii('{"add":{"items":[{"userId":"');
    w.bytes(accounts[ctx.rng.int(accounts.length)]);
    w.ascii('"}]}}');
  }
}

// ---- events -----------------------------------------------------------------------------------------------------

const mirrorChange = { ...change, who: { admin: 1 } } as const;

const EVENTS: readonly EventSpec[] = [
  { name: 'DescribeInstances', ...describe, weight: 16, who: watchers, request: { instancesSet: raw('ec2.describeInstancesSet'), filterSet: {} } },
  { name: 'DescribeInstanceStatus', ...describe, weight: 4, who: { metrics_collector: 2, ec2_reaper: 1, admin: 0.3 }, request: { instancesSet: {}, filterSet: {}, includeAllInstances: false } },
  { name: 'DescribeSecurityGroups', ...describe, weight: 5, who: { ...WHO.readers, auditor: 3 }, request: { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} } },
  { name: 'DescribeVpcs', ...describe, weight: 3, who: WHO.readers, request: { vpcSet: {}, filterSet: {} } },
  { name: 'DescribeSubnets', ...describe, weight: 3, who: WHO.readers, request: { subnetSet: {}, filterSet: {} } },
  { name: 'DescribeVolumes', ...describe, weight: 4, who: { ...WHO.readers, metrics_collector: 1, ec2_reaper: 2 }, request: { volumeSet: {}, filterSet: {} } },
  { name: 'DescribeSnapshots', ...describe, weight: 2, who: { ...WHO.readers, ec2_reaper: 2 }, request: { snapshotSet: {}, ownersSet: { items: [{ owner: 'self' }] }, restorableBySet: {}, filterSet: {} } },
  { name: 'DescribeImages', ...describe, weight: 2, who: WHO.builders, request: { executableBySet: {}, imagesSet: {}, ownersSet: { items: [{ owner: 'self' }] }, filterSet: {} } },
  { name: 'DescribeRegions', ...describe, weight: 2, who: { ...WHO.people, metrics_collector: 0.5 }, request: { regionSet: {} } },
  { name: 'DescribeInstanceAttribute', ...describe, weight: 0.5, who: WHO.builders, request: { instanceId: ref('instanceId'), attribute: ref('ec2.instanceAttribute') }, errors: [deniedInstance, notFound] },
  { name: 'GetPasswordData', ...describe, weight: 0.05, who: { admin: 1, developer: 0.4 }, request: { instanceId: ref('instanceId') }, errors: [deniedInstance, notFound, ERR.ec2Throttling], errorBias: 1.5 },
  { name: 'StartInstances', ...change, weight: 0.4, who: { admin: 1, developer: 0.5, ec2_reaper: 0.5 }, request: oneInstance, response: stateChange([0, 'pending'], [80, 'stopped']), errors: [deniedInstance, notFound, { code: 'Server.InsufficientInstanceCapacity', message: 'We currently do not have sufficient capacity in the Availability Zone you requested.', weight: 0.5 }] },
  { name: 'StopInstances', ...change, weight: 0.5, who: { admin: 1, developer: 0.5, ec2_reaper: 3 }, request: { ...oneInstance, force: raw('ec2.forceStop') }, response: stateChange([64, 'stopping'], [16, 'running']), errors: [deniedInstance, notFound, { code: 'Client.IncorrectInstanceState', message: "This instance '{instanceId}' is not in a state from which it can be stopped.", weight: 1 }] },
  { name: 'TerminateInstances', ...change, weight: 0.2, who: { admin: 1, developer: 0.3, ec2_reaper: 2 }, request: { ...oneInstance, force: false, skipOsShutdown: false }, response: stateChange([32, 'shutting-down'], [16, 'running']), errors: [deniedInstance, notFound, { code: 'Client.OperationNotPermitted', message: "The instance '{instanceId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.", weight: 1 }] },
  {
    name: 'RunInstances',
    ...change,
    weight: 0.3,
    who: { admin: 1, developer: 0.6 },
    request: {
      instancesSet: { items: [{ imageId: ref('amiId'), minCount: 1, maxCount: 1 }] },
      instanceType: ref('instanceType'),
      blockDeviceMapping: {},
      monitoring: { enabled: false },
      disableApiTermination: false,
      disableApiStop: false,
      clientToken: ref('clientToken'),
      subnetId: ref('subnetId'),
      tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [{ key: 'Name', value: ref('instanceName') }, { key: 'Owner', value: ref('userName') }] }] },
    },
    response: {
      requestId: ref('uuid'),
      reservationId: ref('reservationId'),
      ownerId: ref('accountId'),
      groupSet: {},
      instancesSet: {
        items: [
          {
            instanceId: ref('newInstanceId'),
            imageId: ref('amiId'),
            currentInstanceBootMode: 'uefi',
            instanceState: { code: 0, name: 'pending' },
            privateDnsName: ref('privateDnsName'),
            amiLaunchIndex: 0,
            productCodes: {},
            instanceType: ref('instanceType'),
            launchTime: raw('epochMillis'),
            placement: { availabilityZone: ref('availabilityZone'), tenancy: 'default' },
            monitoring: { state: 'disabled' },
            subnetId: ref('subnetId'),
            vpcId: ref('vpcId'),
            privateIpAddress: ref('privateIp'),
            stateReason: { code: 'pending', message: 'pending' },
            architecture: ref('ec2.architecture'),
            rootDeviceType: 'ebs',
            rootDeviceName: '/dev/xvda',
            blockDeviceMapping: {},
            virtualizationType: 'hvm',
            clientToken: ref('clientToken'),
            tagSet: { items: [{ key: 'Name', value: ref('instanceName') }, { key: 'Owner', value: ref('userName') }] },
            groupSet: { items: [{ groupId: ref('securityGroupId'), groupName: 'default' }] },
            sourceDestCheck: true,
            hypervisor: 'xen',
            networkInterfaceSet: {
              items: [
                {
                  networkInterfaceId: ref('eniId'),
                  subnetId: ref('subnetId'),
                  vpcId: ref('vpcId'),
                  ownerId: ref('accountId'),
                  status: 'in-use',
                  macAddress: ref('macAddress'),
                  privateIpAddress: ref('privateIp'),
                  privateDnsName: ref('privateDnsName'),
                  sourceDestCheck: true,
                  interfaceType: 'interface',
                  groupSet: { items: [{ groupId: ref('securityGroupId'), groupName: 'default' }] },
                  attachment: { attachmentId: ref('ec2.eniAttachmentId'), deviceIndex: 0, networkCardIndex: 0, status: 'attaching', attachTime: raw('epochMillis'), deleteOnTermination: true },
                  privateIpAddressesSet: { item: [{ privateIpAddress: ref('privateIp'), privateDnsName: ref('privateDnsName'), primary: true }] },
                  ipv6AddressesSet: {},
                  tagSet: {},
                },
              ],
            },
            ebsOptimized: false,
            enaSupport: true,
            cpuOptions: { coreCount: raw('ec2.coreCount'), threadsPerCore: raw('ec2.threadsPerCore') },
            capacityReservationSpecification: { capacityReservationPreference: 'open' },
            enclaveOptions: { enabled: false },
            metadataOptions: { state: 'pending', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled', httpProtocolIpv4: 'enabled', httpProtocolIpv6: 'disabled', instanceMetadataTags: 'disabled' },
            maintenanceOptions: { autoRecovery: 'default' },
            privateDnsNameOptions: { hostnameType: 'ip-name', enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
          },
        ],
      },
    },
    errors: [unauthorized('instance/*'), { code: 'Client.InstanceLimitExceeded', message: "You have requested more instances (1) than your current instance limit of 64 allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.", weight: 1 }, { code: 'Server.InsufficientInstanceCapacity', message: 'We currently do not have sufficient {instanceType} capacity in the Availability Zone you requested ({availabilityZone}).', weight: 1 }],
  },
  {
    name: 'ModifyInstanceAttribute',
    ...change,
    weight: 0.05,
    who: { admin: 1, developer: 0.4 },
    // New user data (the persistence and privilege-escalation path detections watch). Resizes and termination
    // protection also come through here; left out, the reference corpus shows only userData.
    request: { instanceId: ref('instanceId'), userData: '<sensitiveDataRemoved>' },
    response: returned,
    errors: [deniedInstance, notFound, { code: 'Client.IncorrectInstanceState', message: "The instance '{instanceId}' is not in the 'stopped' state.", weight: 2 }],
  },
  {
    name: 'AuthorizeSecurityGroupIngress',
    ...change,
    weight: 0.1,
    who: { admin: 1, developer: 0.3 },
    request: { groupId: ref('securityGroupId'), ipPermissions: raw('ec2.ingressPermissions'), ipProtocol: opt(ref('ec2.legacyProtocol')), fromPort: opt(raw('ec2.legacyPort')), toPort: opt(raw('ec2.legacyPort')), cidrIp: opt(ref('ec2.legacyCidr')) },
    response: { requestId: ref('uuid'), _return: true, securityGroupRuleSet: { items: [{ groupOwnerId: ref('accountId'), groupId: ref('securityGroupId'), securityGroupRuleId: ref('ec2.sgrId'), isEgress: false, ipProtocol: 'tcp', fromPort: raw('port'), toPort: raw('port'), cidrIpv4: ref('ingressCidr'), securityGroupRuleArn: fmt('arn:aws:ec2:{region}:{accountId}:security-group-rule/{ec2.sgrId}') }] } },
    errors: [deniedGroup, groupNotFound, { code: 'Client.InvalidPermission.Duplicate', message: "the specified rule \"peer: {ingressCidr}, TCP, from port: {port}, to port: {port}, ALLOW\" already exists", weight: 2 }],
  },
  {
    name: 'AuthorizeSecurityGroupEgress',
    ...change,
    weight: 0.05,
    who: { admin: 1, developer: 0.3 },
    request: { groupId: ref('securityGroupId'), ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: raw('ec2.egressPort'), toPort: raw('ec2.egressPort'), groups: {}, ipRanges: { items: [{ cidrIp: ref('ec2.egressCidr') }] }, ipv6Ranges: {}, prefixListIds: {} }] } },
    response: { requestId: ref('uuid'), _return: true, securityGroupRuleSet: { items: [{ groupOwnerId: ref('accountId'), groupId: ref('securityGroupId'), securityGroupRuleId: ref('ec2.sgrId'), isEgress: true, ipProtocol: 'tcp', fromPort: raw('ec2.egressPort'), toPort: raw('ec2.egressPort'), cidrIpv4: ref('ec2.egressCidr'), securityGroupRuleArn: fmt('arn:aws:ec2:{region}:{accountId}:security-group-rule/{ec2.sgrId}') }] } },
    errors: [deniedGroup, groupNotFound, { code: 'Client.InvalidPermission.Duplicate', message: "the specified rule \"peer: {ec2.egressCidr}, TCP, from port: {ec2.egressPort}, to port: {ec2.egressPort}, ALLOW\" already exists", weight: 2 }],
  },
  {
    name: 'CreateKeyPair',
    ...change,
    weight: 0.03,
    who: { admin: 1, developer: 0.6 },
    request: { keyName: ref('ec2.newKeyName'), keyType: ref('ec2.keyType'), keyFormat: ref('ec2.keyFormat') },
    response: { requestId: ref('uuid'), keyName: ref('ec2.newKeyName'), keyFingerprint: ref('ec2.keyFingerprint'), keyPairId: ref('ec2.keyPairId'), keyMaterial: '<sensitiveDataRemoved>' },
    errors: [unauthorized('key-pair/{ec2.newKeyName}'), { code: 'Client.InvalidKeyPair.Duplicate', message: "The keypair '{ec2.newKeyName}' already exists.", weight: 2 }],
  },
  {
    name: 'ModifyImageAttribute',
    ...change,
    weight: 0.02,
    who: { admin: 1, developer: 0.3 },
    request: { attributeType: 'launchPermission', imageId: ref('amiId'), launchPermission: raw('ec2.launchPermission') },
    response: returned,
    errors: [unauthorized('image/{amiId}'), { code: 'Client.InvalidAMIID.NotFound', message: "The image id '[{amiId}]' does not exist", weight: 1 }],
  },
  {
    name: 'ModifySnapshotAttribute',
    ...change,
    weight: 0.03,
    who: { admin: 1, developer: 0.2, ec2_reaper: 0.1 },
    request: { attributeType: 'CREATE_VOLUME_PERMISSION', createVolumePermission: raw('ec2.createVolumePermission'), snapshotId: ref('snapshotId') },
    response: returned,
    errors: [unauthorized('snapshot/{snapshotId}'), { code: 'Client.InvalidSnapshot.NotFound', message: "The snapshot '{snapshotId}' does not exist.", weight: 1 }],
  },
  {
    name: 'DeleteNetworkAcl',
    ...change,
    weight: 0.01,
    who: netAdmins,
    request: { networkAclId: ref('ec2.aclId') },
    response: returned,
    errors: [unauthorized('network-acl/{ec2.aclId}'), { code: 'Client.InvalidNetworkAclID.NotFound', message: "The networkAcl ID '{ec2.aclId}' does not exist", weight: 1 }, { code: 'Client.DependencyViolation', message: "The network ACL '{ec2.aclId}' has dependencies and cannot be deleted.", weight: 1 }],
  },
  {
    name: 'DeleteNetworkAclEntry',
    ...change,
    weight: 0.02,
    who: netAdmins,
    request: { egress: raw('ec2.aclEgress'), networkAclId: ref('ec2.aclId'), ruleNumber: raw('ec2.aclRuleNumber') },
    response: returned,
    errors: [unauthorized('network-acl/{ec2.aclId}'), { code: 'Client.InvalidNetworkAclEntry.NotFound', message: "The specified rule does not exist in this network acl", weight: 1 }],
  },
  {
    name: 'DeleteFlowLogs',
    ...change,
    weight: 0.005,
    who: { admin: 1 },
    request: { DeleteFlowLogsRequest: { FlowLogId: { content: ref('ec2.flowLogId'), tag: 1 } } },
    response: { DeleteFlowLogsResponse: { xmlns: XMLNS, requestId: ref('uuid'), unsuccessful: '' } },
    errors: [unauthorized('vpc-flow-log/{ec2.flowLogId}')],
  },
  {
    name: 'EnableSerialConsoleAccess',
    ...change,
    weight: 0.001,
    who: { admin: 1 },
    request: { EnableSerialConsoleAccessRequest: '' },
    response: { EnableSerialConsoleAccessResponse: { xmlns: XMLNS, requestId: ref('uuid'), serialConsoleAccessEnabled: true } },
    errors: [{ code: 'Client.UnauthorizedOperation', message: 'You are not authorized to perform this operation. User: {callerArn} is not authorized to perform: {iamAction} because no identity-based policy allows the {iamAction} action. Encoded authorization failure message: {ec2.authFailure}', weight: 1 }],
  },
  {
    name: 'CreateTrafficMirrorTarget',
    ...mirrorChange,
    weight: 0.002,
    request: { CreateTrafficMirrorTargetRequest: { ClientToken: ref('clientToken'), Description: ref('ec2.mirrorTargetDescription'), NetworkLoadBalancerArn: ref('ec2.nlbArn') } },
    response: {
      CreateTrafficMirrorTargetResponse: {
        xmlns: XMLNS,
        clientToken: ref('clientToken'),
        requestId: ref('uuid'),
        trafficMirrorTarget: { description: ref('ec2.mirrorTargetDescription'), networkLoadBalancerArn: ref('ec2.nlbArn'), ownerId: ref('accountId'), tagSet: '', trafficMirrorTargetId: ref('ec2.newMirrorTargetId'), type: 'network-load-balancer' },
      },
    },
    errors: [unauthorized('traffic-mirror-target/*')],
  },
  {
    name: 'CreateTrafficMirrorFilter',
    ...mirrorChange,
    weight: 0.002,
    request: { CreateTrafficMirrorFilterRequest: { ClientToken: ref('clientToken'), Description: ref('ec2.mirrorFilterDescription') } },
    response: {
      CreateTrafficMirrorFilterResponse: {
        xmlns: XMLNS,
        clientToken: ref('clientToken'),
        requestId: ref('uuid'),
        trafficMirrorFilter: { description: ref('ec2.mirrorFilterDescription'), egressFilterRuleSet: '', ingressFilterRuleSet: '', networkServiceSet: '', tagSet: '', trafficMirrorFilterId: ref('ec2.newMirrorFilterId') },
      },
    },
    errors: [unauthorized('traffic-mirror-filter/*')],
  },
  {
    name: 'CreateTrafficMirrorFilterRule',
    ...mirrorChange,
    weight: 0.004,
    request: {
      CreateTrafficMirrorFilterRuleRequest: {
        ClientToken: ref('clientToken'),
        Description: ref('ec2.mirrorRuleDescription'),
        DestinationCidrBlock: ref('ec2.mirrorCidr'),
        Protocol: raw('ec2.mirrorProtocol'),
        RuleAction: ref('ec2.mirrorRuleAction'),
        RuleNumber: raw('ec2.mirrorRuleNumber'),
        SourceCidrBlock: '0.0.0.0/0',
        TrafficDirection: ref('ec2.mirrorDirection'),
        TrafficMirrorFilterId: ref('ec2.mirrorFilterId'),
      },
    },
    response: {
      CreateTrafficMirrorFilterRuleResponse: {
        xmlns: XMLNS,
        clientToken: ref('clientToken'),
        requestId: ref('uuid'),
        trafficMirrorFilterRule: {
          description: ref('ec2.mirrorRuleDescription'),
          destinationCidrBlock: ref('ec2.mirrorCidr'),
          protocol: raw('ec2.mirrorProtocol'),
          ruleAction: ref('ec2.mirrorRuleAction'),
          ruleNumber: raw('ec2.mirrorRuleNumber'),
          sourceCidrBlock: '0.0.0.0/0',
          trafficDirection: ref('ec2.mirrorDirection'),
          trafficMirrorFilterId: ref('ec2.mirrorFilterId'),
          trafficMirrorFilterRuleId: ref('ec2.mirrorFilterRuleId'),
        },
      },
    },
    errors: [unauthorized('traffic-mirror-filter/{ec2.mirrorFilterId}'), ERR.ec2Throttling],
  },
  {
    name: 'CreateTrafficMirrorSession',
    ...mirrorChange,
    weight: 0.003,
    request: {
      CreateTrafficMirrorSessionRequest: {
        ClientToken: ref('clientToken'),
        Description: ref('ec2.mirrorSessionDescription'),
        NetworkInterfaceId: ref('ec2.instanceEni'),
        PacketLength: raw('ec2.packetLength'),
        SessionNumber: raw('ec2.sessionNumber'),
        TrafficMirrorFilterId: ref('ec2.mirrorFilterId'),
        TrafficMirrorTargetId: ref('ec2.mirrorTargetId'),
      },
    },
    response: {
      CreateTrafficMirrorSessionResponse: {
        xmlns: XMLNS,
        clientToken: ref('clientToken'),
        requestId: ref('uuid'),
        trafficMirrorSession: {
          description: ref('ec2.mirrorSessionDescription'),
          networkInterfaceId: ref('ec2.instanceEni'),
          ownerId: ref('accountId'),
          packetLength: raw('ec2.packetLength'),
          sessionNumber: raw('ec2.sessionNumber'),
          tagSet: '',
          trafficMirrorFilterId: ref('ec2.mirrorFilterId'),
          trafficMirrorSessionId: ref('ec2.mirrorSessionId'),
          trafficMirrorTargetId: ref('ec2.mirrorTargetId'),
          virtualNetworkId: ref('ec2.virtualNetworkId'),
        },
      },
    },
    errors: [unauthorized('traffic-mirror-session/*'), ERR.ec2Throttling],
  },
  { name: 'CreateSnapshot', ...change, weight: 0.3, who: { admin: 0.5, ec2_reaper: 1, datalake_bot: 0.3 }, request: { volumeId: ref('volumeId'), description: fmt('Automated backup of {volumeId}') }, response: { requestId: ref('uuid'), snapshotId: ref('newSnapshotId'), volumeId: ref('volumeId'), status: 'pending', startTime: raw('epochMillis'), progress: '', ownerId: ref('accountId'), volumeSize: raw('volumeSize'), encrypted: true }, errors: [unauthorized('volume/{volumeId}'), ERR.ec2Throttling] },
  { name: 'DeleteSnapshot', ...change, weight: 0.3, who: { admin: 0.3, ec2_reaper: 1.5 }, request: { snapshotId: ref('snapshotId') }, response: returned, errors: [unauthorized('snapshot/{snapshotId}'), { code: 'Client.InvalidSnapshot.InUse', message: 'The snapshot {snapshotId} is currently in use by {amiId}', weight: 1 }] },
  { name: 'CreateTags', ...change, weight: 0.8, who: { admin: 0.5, developer: 0.5, ec2_reaper: 1 }, request: { resourcesSet: { items: [{ resourceId: ref('instanceId') }] }, tagSet: { items: [{ key: 'reaper:last-seen', value: ref('isoTime') }] } }, response: returned, errors: [deniedInstance, notFound] },
  // Key pairs imported and instances exported: ways in and out that attacks use; benign at catalog/baseline.ts's rates.
  {
    name: 'ImportKeyPair',
    ...change,
    weight: 0.005,
    who: { admin: 1, developer: 0.5 },
    request: { keyName: ref('ec2.newKeyName'), publicKeyMaterial: '<sensitiveDataRemoved>' },
    response: { requestId: ref('uuid'), keyFingerprint: ref('ec2.keyFingerprint'), keyName: ref('ec2.newKeyName'), keyPairId: ref('ec2.keyPairId') },
    errors: [unauthorized('key-pair/{ec2.newKeyName}'), { code: 'Client.InvalidKeyPair.Duplicate', message: "The keypair '{ec2.newKeyName}' already exists.", weight: 2 }],
  },
  {
    name: 'CreateInstanceExportTask',
    ...change,
    weight: 0.001,
    who: { admin: 1 },
    request: { instanceId: ref('instanceId'), targetEnvironment: 'vmware', exportToS3: { diskImageFormat: 'VMDK', containerFormat: 'ova', s3Bucket: ref('bucket'), s3Prefix: 'vm-exports/' } },
    response: {
      requestId: ref('uuid'),
      exportTask: { exportTaskId: fmt('export-i-{hex17}'), instanceExport: { instanceId: ref('instanceId'), targetEnvironment: 'vmware' }, exportToS3: { diskImageFormat: 'vmdk', containerFormat: 'ova', s3Bucket: ref('bucket'), s3Key: fmt('vm-exports/export-i-{hex17}.ova') }, state: 'active' },
    },
    errors: [deniedInstance, notFound],
  },
];

export const ec2Group: CatalogGroup = { events: EVENTS, slots: SLOTS };
