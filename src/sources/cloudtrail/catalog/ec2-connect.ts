/** EC2 Instance Connect: pushing SSH keys to instances and their serial consoles. */
import { Buffer } from 'node:buffer';
import { utf8 } from '../../../encode/byte-writer.js';
import { opt, ref, type Resolver } from '../../../encode/layout/index.js';
import type { EventContext } from '../context.js';
import type { CatalogGroup, ErrorSpec, EventSpec } from './types.js';

/** IAM denial naming the instance, as Instance Connect reports it. */
const denied: ErrorSpec = {
  code: 'AccessDenied',
  message: 'User: {callerArn} is not authorized to perform: {iamAction} on resource: arn:aws:ec2:{region}:{accountId}:instance/{instanceId} because no identity-based policy allows the {iamAction} action',
  weight: 3,
};
const notFound: ErrorSpec = { code: 'EC2InstanceNotFoundException', message: 'Instance not found', weight: 1 };
const badState: ErrorSpec = {
  code: 'EC2InstanceStateInvalidException',
  message: 'Unable to connect because the instance is not in a valid state. Connecting to a stopped or terminated instance is not supported. If the instance is stopped, start your instance, and try to connect again.',
  weight: 1,
};
const throttled: ErrorSpec = { code: 'ThrottlingException', message: 'Rate exceeded', weight: 0.3 };

const OS_USERS = ['ec2-user', 'ec2-user', 'ec2-user', 'ubuntu', 'ubuntu', 'admin'].map(utf8);
const HOSTS = ['MacBook-Pro.local', 'Mac.lan', 'laptop', 'devbox', 'ip-10-0-1-17', 'DESKTOP-4F7QK2M'];

function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
function sshString(s: Buffer | string): Buffer {
  const b = typeof s === 'string' ? Buffer.from(s) : s;
  return Buffer.concat([u32be(b.length), b]);
}
function randomBytes(ctx: EventContext, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i += 4) {
    const v = ctx.rng.u32();
    for (let j = 0; j < 4 && i + j < n; j++) b[i + j] = (v >>> (8 * j)) & 255;
  }
  return b;
}

/**
 * An OpenSSH public key line: mostly throwaway ED25519 keys that `aws ec2-instance-connect ssh` and mssh generate
 * (no comment); sometimes the user's own key file read with `file://`, comment and trailing newline included.
 */
const sshPublicKey: Resolver<EventContext> = (ctx, out) => {
  let line: string;
  if (ctx.rng.chance(0.8)) {
    line = `ssh-ed25519 ${Buffer.concat([sshString('ssh-ed25519'), sshString(randomBytes(ctx, 32))]).toString('base64')}`;
  } else {
    const modulus = randomBytes(ctx, 256);
    modulus[0] |= 0x80;
    line = `ssh-rsa ${Buffer.concat([sshString('ssh-rsa'), sshString(Buffer.from([1, 0, 1])), sshString(Buffer.concat([Buffer.from([0]), modulus]))]).toString('base64')}`;
  }
  const w = out.compose();
  w.ascii(line);
  if (ctx.rng.chance(0.35)) {
    const a = ctx.actor.actor;
    const user = (a.email ?? a.user_name).split('@')[0].replace(/[^A-Za-z0-9._-]/g, '');
    w.ascii(` ${user}@${HOSTS[ctx.rng.int(HOSTS.length)]}\\n`);
  }
};

const SLOTS: Record<string, Resolver<EventContext>> = {
  'ec2.connect.sshPublicKey': sshPublicKey,
  'ec2.connect.osUser': (ctx, out) => out.set(OS_USERS[ctx.rng.int(OS_USERS.length)]),
  /** Older CLI versions and some scripts still pass the instance's Availability Zone. */
  'ec2.connect.availabilityZone': (ctx, out, slots) => {
    if (!ctx.rng.chance(0.3)) return out.clear();
    const az = slots.byName('availabilityZone');
    if (az.ref) out.set(az.ref);
    else out.compose().bytesN(az.scratch.buf, az.scratch.pos);
  },
};

const push = { service: 'ec2-instance-connect', readOnly: false, management: true } as const;
const success = { requestId: ref('uuid'), success: true };

const EVENTS: readonly EventSpec[] = [
  {
    name: 'SendSSHPublicKey',
    ...push,
    weight: 0.3,
    who: { developer: 1, admin: 1 },
    request: { instanceId: ref('instanceId'), instanceOSUser: ref('ec2.connect.osUser'), sSHPublicKey: ref('ec2.connect.sshPublicKey'), availabilityZone: opt(ref('ec2.connect.availabilityZone')) },
    response: success,
    errors: [denied, notFound, badState, throttled],
  },
  {
    name: 'SendSerialConsoleSSHPublicKey',
    ...push,
    weight: 0.004,
    who: { admin: 1 },
    request: { instanceId: ref('instanceId'), monitorMode: false, sSHPublicKey: ref('ec2.connect.sshPublicKey'), serialPort: 0 },
    response: success,
    errors: [
      denied,
      { code: 'SerialConsoleAccessDisabledException', message: 'Your account is not authorized to use the EC2 Serial Console. To authorize your account, run the EnableSerialConsoleAccess API. For more information, see EnableSerialConsoleAccess in the Amazon EC2 API Reference.', weight: 2 },
      { code: 'EC2InstanceTypeInvalidException', message: 'The instance type is not supported for connecting via the serial console. Only Nitro instance types are currently supported.', weight: 0.5 },
      notFound,
    ],
  },
];

export const ec2ConnectGroup: CatalogGroup = { events: EVENTS, slots: SLOTS };
