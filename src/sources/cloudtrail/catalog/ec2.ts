/** EC2: a torrent of Describe* from people, dashboards and automation; lifecycle changes from admins and reapers. */
import { fmt, num, raw, ref } from '../../../encode/template.js';
import { ERR, WHO, type CatalogGroup, type EventSpec } from './types.js';

const e = [ERR.unauthorizedOperation, ERR.ec2Throttling];
const describe = { service: 'ec2', readOnly: true, management: true, response: null, errors: e } as const;
const change = { service: 'ec2', readOnly: false, management: true } as const;
const oneInstance = { instancesSet: { items: [{ instanceId: ref('instanceId') }] } };
const notFound = { code: 'Client.InvalidInstanceID.NotFound', message: "The instance ID '{instanceId}' does not exist", weight: 2 };
const stateChange = (current: [number, string], previous: [number, string]) => ({
  requestId: ref('uuid'),
  instancesSet: { items: [{ instanceId: ref('instanceId'), currentState: { code: current[0], name: current[1] }, previousState: { code: previous[0], name: previous[1] } }] },
});
const watchers = { ...WHO.readers, metrics_collector: 3, ec2_reaper: 3, generic: 0.3 };

const EVENTS: readonly EventSpec[] = [
  { name: 'DescribeInstances', ...describe, weight: 16, who: watchers, request: { instancesSet: {}, filterSet: {} } },
  { name: 'DescribeInstanceStatus', ...describe, weight: 4, who: { metrics_collector: 2, ec2_reaper: 1, admin: 0.3 }, request: { instancesSet: {}, filterSet: {}, includeAllInstances: false } },
  { name: 'DescribeSecurityGroups', ...describe, weight: 5, who: { ...WHO.readers, auditor: 3 }, request: { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} } },
  { name: 'DescribeVpcs', ...describe, weight: 3, who: WHO.readers, request: { vpcSet: {}, filterSet: {} } },
  { name: 'DescribeSubnets', ...describe, weight: 3, who: WHO.readers, request: { subnetSet: {}, filterSet: {} } },
  { name: 'DescribeVolumes', ...describe, weight: 4, who: { ...WHO.readers, metrics_collector: 1, ec2_reaper: 2 }, request: { volumeSet: {}, filterSet: {} } },
  { name: 'DescribeSnapshots', ...describe, weight: 2, who: { ...WHO.readers, ec2_reaper: 2 }, request: { snapshotSet: {}, ownersSet: { items: [{ owner: 'self' }] }, restorableBySet: {}, filterSet: {} } },
  { name: 'DescribeImages', ...describe, weight: 2, who: WHO.builders, request: { executableBySet: {}, imagesSet: {}, ownersSet: { items: [{ owner: 'self' }] }, filterSet: {} } },
  { name: 'DescribeRegions', ...describe, weight: 2, who: { ...WHO.people, metrics_collector: 0.5 }, request: { regionSet: {} } },
  { name: 'DescribeInstanceAttribute', ...describe, weight: 0.5, who: WHO.builders, request: { instanceId: ref('instanceId'), attribute: 'userData' }, errors: [ERR.unauthorizedOperation, notFound] },
  { name: 'StartInstances', ...change, weight: 0.4, who: { admin: 1, developer: 0.5, ec2_reaper: 0.5 }, request: oneInstance, response: stateChange([0, 'pending'], [80, 'stopped']), errors: [ERR.unauthorizedOperation, notFound, { code: 'Server.InsufficientInstanceCapacity', message: 'We currently do not have sufficient capacity in the Availability Zone you requested.', weight: 0.5 }] },
  { name: 'StopInstances', ...change, weight: 0.5, who: { admin: 1, developer: 0.5, ec2_reaper: 3 }, request: { ...oneInstance, force: false }, response: stateChange([64, 'stopping'], [16, 'running']), errors: [ERR.unauthorizedOperation, notFound, { code: 'Client.IncorrectInstanceState', message: "This instance '{instanceId}' is not in a state from which it can be stopped.", weight: 1 }] },
  { name: 'TerminateInstances', ...change, weight: 0.2, who: { admin: 1, developer: 0.3, ec2_reaper: 2 }, request: oneInstance, response: stateChange([32, 'shutting-down'], [16, 'running']), errors: [ERR.unauthorizedOperation, notFound, { code: 'Client.OperationNotPermitted', message: "The instance '{instanceId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.", weight: 1 }] },
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
            launchTime: num('epochMillis'),
            placement: { availabilityZone: ref('availabilityZone'), tenancy: 'default' },
            monitoring: { state: 'disabled' },
            subnetId: ref('subnetId'),
            vpcId: ref('vpcId'),
            privateIpAddress: ref('privateIp'),
            stateReason: { code: 'pending', message: 'pending' },
            architecture: 'x86_64',
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
                  attachment: { attachmentId: fmt('eni-attach-{hex17}'), deviceIndex: 0, networkCardIndex: 0, status: 'attaching', attachTime: num('epochMillis'), deleteOnTermination: true },
                  privateIpAddressesSet: { item: [{ privateIpAddress: ref('privateIp'), privateDnsName: ref('privateDnsName'), primary: true }] },
                  ipv6AddressesSet: {},
                  tagSet: {},
                },
              ],
            },
            ebsOptimized: false,
            enaSupport: true,
            cpuOptions: { coreCount: 1, threadsPerCore: 2 },
            capacityReservationSpecification: { capacityReservationPreference: 'open' },
            enclaveOptions: { enabled: false },
            metadataOptions: { state: 'pending', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled', httpProtocolIpv4: 'enabled', httpProtocolIpv6: 'disabled', instanceMetadataTags: 'disabled' },
            maintenanceOptions: { autoRecovery: 'default' },
            privateDnsNameOptions: { hostnameType: 'ip-name', enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
          },
        ],
      },
    },
    errors: [ERR.unauthorizedOperation, { code: 'Client.InstanceLimitExceeded', message: "You have requested more instances (1) than your current instance limit of 64 allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.", weight: 1 }, { code: 'Server.InsufficientInstanceCapacity', message: 'We currently do not have sufficient {instanceType} capacity in the Availability Zone you requested ({availabilityZone}).', weight: 1 }],
  },
  {
    name: 'AuthorizeSecurityGroupIngress',
    ...change,
    weight: 0.1,
    who: { admin: 1, developer: 0.3 },
    request: { groupId: ref('securityGroupId'), ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: raw('port'), toPort: raw('port'), groups: {}, ipRanges: { items: [{ cidrIp: ref('ingressCidr') }] }, ipv6Ranges: {}, prefixListIds: {} }] } },
    response: { requestId: ref('uuid'), _return: true, securityGroupRuleSet: { items: [{ groupOwnerId: ref('accountId'), groupId: ref('securityGroupId'), securityGroupRuleId: fmt('sgr-{hex17}'), isEgress: false, ipProtocol: 'tcp', fromPort: raw('port'), toPort: raw('port'), cidrIpv4: ref('ingressCidr') }] } },
    errors: [ERR.unauthorizedOperation, { code: 'Client.InvalidPermission.Duplicate', message: "the specified rule \"peer: {ingressCidr}, TCP, from port: {port}, to port: {port}, ALLOW\" already exists", weight: 2 }],
  },
  { name: 'CreateSnapshot', ...change, weight: 0.3, who: { admin: 0.5, ec2_reaper: 1, datalake_bot: 0.3 }, request: { volumeId: ref('volumeId'), description: fmt('Automated backup of {volumeId}') }, response: { requestId: ref('uuid'), snapshotId: ref('newSnapshotId'), volumeId: ref('volumeId'), status: 'pending', startTime: num('epochMillis'), progress: '', ownerId: ref('accountId'), volumeSize: raw('volumeSize'), encrypted: true }, errors: [ERR.unauthorizedOperation, ERR.ec2Throttling] },
  { name: 'DeleteSnapshot', ...change, weight: 0.3, who: { admin: 0.3, ec2_reaper: 1.5 }, request: { snapshotId: ref('snapshotId') }, response: { requestId: ref('uuid'), _return: true }, errors: [ERR.unauthorizedOperation, { code: 'Client.InvalidSnapshot.InUse', message: 'The snapshot {snapshotId} is currently in use by {amiId}', weight: 1 }] },
  { name: 'CreateTags', ...change, weight: 0.8, who: { admin: 0.5, developer: 0.5, ec2_reaper: 1 }, request: { resourcesSet: { items: [{ resourceId: ref('instanceId') }] }, tagSet: { items: [{ key: 'reaper:last-seen', value: ref('isoTime') }] } }, response: { requestId: ref('uuid'), _return: true }, errors: [ERR.unauthorizedOperation, notFound] },
];

export const ec2Group: CatalogGroup = { events: EVENTS };
