/** S3: object-level calls are data events (the bulk of volume when data events are on); bucket calls are management. */
import { utf8 } from '../../../encode/byte-writer.js';
import { fmt, gen, raw, ref, type Resolver, type Slots } from '../../../encode/layout/index.js';
import type { EventContext } from '../context.js';
import { text } from '../slot-values.js';
import { WHO, type CatalogGroup, type EventSpec } from './types.js';

const bucketHost = fmt('{bucket}.s3.{region}.amazonaws.com');
const objectRequest = { bucketName: ref('bucket'), Host: bucketHost, key: ref('objectKey') };
const bucketRequest = { bucketName: ref('bucket'), Host: bucketHost };
const objectResources = [
  { type: 'AWS::S3::Object', ARN: fmt('arn:aws:s3:::{bucket}/{objectKey}') },
  { accountId: ref('accountId'), type: 'AWS::S3::Bucket', ARN: fmt('arn:aws:s3:::{bucket}') },
];
const bucketResources = [{ accountId: ref('accountId'), type: 'AWS::S3::Bucket', ARN: fmt('arn:aws:s3:::{bucket}') }];
/** additionalEventData of S3 calls; byte counts are a slot name or a constant. */
const transfer = (inBytes: string | number, outBytes: string | number, sse = false) => ({
  SignatureVersion: 'SigV4',
  CipherSuite: ref('cipherSuite'),
  bytesTransferredIn: typeof inBytes === 'number' ? inBytes : raw(inBytes),
  ...(sse ? { SSEApplied: 'Default_SSE_S3' } : {}),
  AuthenticationMethod: 'AuthHeader',
  'x-amz-id-2': gen('amzId2'),
  bytesTransferredOut: typeof outBytes === 'number' ? outBytes : raw(outBytes),
});
const s3Denied = { code: 'AccessDenied', message: 'Access Denied', weight: 3 };
const noSuchBucket = { code: 'NoSuchBucket', message: 'The specified bucket does not exist', weight: 1 };
const noSuchKey = { code: 'NoSuchKey', message: 'The specified key does not exist.', weight: 3 };
const data = { service: 's3', management: false, requestId: 's3', host: bucketHost } as const;
const mgmt = { service: 's3', management: true, requestId: 's3', host: bucketHost } as const;
const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** Size of CopyObject's `CopyObjectResult` XML (LastModified and a single-part ETag). */
const COPY_RESULT_BYTES = 224;
const expressHost = fmt('s3express-control.{region}.amazonaws.com');

const EVENTS: readonly EventSpec[] = [
  { name: 'GetObject', ...data, weight: 14, readOnly: true, who: { ...WHO.builders, datalake_bot: 4, logs_shipper: 0.5, generic: 2 }, request: objectRequest, response: null, additional: transfer(0, 'objectSize'), resources: objectResources, errors: [noSuchKey, s3Denied], errorBias: 1.5 },
  { name: 'PutObject', ...data, weight: 9, readOnly: false, who: { developer: 0.5, admin: 0.2, datalake_bot: 4, logs_shipper: 4, generic: 1.5 }, request: objectRequest, response: { 'x-amz-server-side-encryption': 'AES256' }, additional: transfer('objectSize', 0, true), resources: objectResources, errors: [s3Denied, noSuchBucket] },
  {
    name: 'CopyObject',
    ...data,
    weight: 1.5,
    readOnly: false,
    who: { datalake_bot: 2, logs_shipper: 0.5, generic: 0.5, developer: 0.3, admin: 0.1 },
    request: { bucketName: ref('bucket'), Host: bucketHost, 'x-amz-copy-source': fmt('{bucket}/{app.copySourceKey}'), key: ref('objectKey') },
    response: { 'x-amz-server-side-encryption': 'AES256' },
    additional: transfer(0, COPY_RESULT_BYTES, true),
    resources: [...objectResources, { type: 'AWS::S3::Object', ARN: fmt('arn:aws:s3:::{bucket}/{app.copySourceKey}') }],
    errors: [{ ...noSuchKey, weight: 2 }, s3Denied, noSuchBucket],
  },
  { name: 'HeadObject', ...data, weight: 5, readOnly: true, who: { datalake_bot: 3, generic: 1, developer: 0.3 }, request: objectRequest, response: null, additional: transfer(0, 0), resources: objectResources, errors: [noSuchKey, s3Denied], errorBias: 2 },
  { name: 'ListObjects', ...data, weight: 5, readOnly: true, who: { ...WHO.builders, readonly: 0.5, datalake_bot: 2, logs_shipper: 0.5 }, request: { 'list-type': '2', bucketName: ref('bucket'), prefix: ref('objectPrefix'), Host: bucketHost }, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [s3Denied, noSuchBucket] },
  { name: 'DeleteObject', ...data, weight: 1.5, readOnly: false, who: { developer: 0.3, datalake_bot: 1, logs_shipper: 0.3 }, request: objectRequest, response: null, additional: transfer(0, 0), resources: objectResources, errors: [s3Denied] },
  { name: 'ListBuckets', ...mgmt, host: fmt('s3.{region}.amazonaws.com'), weight: 3, readOnly: true, who: WHO.readers, request: { Host: fmt('s3.{region}.amazonaws.com') }, response: null, additional: transfer(0, 0), errors: [s3Denied] },
  // S3 Express One Zone: the S3 console lists directory buckets next to general-purpose ones.
  { name: 'ListDirectoryBuckets', service: 's3express', management: true, requestId: 's3', host: expressHost, weight: 0.3, readOnly: true, who: WHO.readers, request: { Host: expressHost }, response: null, additional: { SignatureVersion: 'SigV4', CipherSuite: ref('cipherSuite'), AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': gen('amzId2') }, errors: [s3Denied] },
  { name: 'GetBucketLocation', ...mgmt, weight: 2, readOnly: true, who: { ...WHO.readers, datalake_bot: 0.5 }, request: { location: '', bucketName: ref('bucket'), Host: bucketHost }, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [s3Denied] },
  { name: 'GetBucketPolicy', ...mgmt, weight: 1.5, readOnly: true, who: WHO.auditors, request: { bucketName: ref('bucket'), Host: bucketHost, policy: '' }, response: null, additional: transfer(0, 'app.policyBytes'), resources: bucketResources, errors: [{ code: 'NoSuchBucketPolicy', message: 'The bucket policy does not exist', weight: 5 }, s3Denied], errorBias: 6 },
  { name: 'GetBucketAcl', ...mgmt, weight: 1.5, readOnly: true, who: WHO.auditors, request: { bucketName: ref('bucket'), Host: bucketHost, acl: '' }, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [s3Denied] },
  { name: 'GetBucketEncryption', ...mgmt, weight: 1, readOnly: true, who: WHO.auditors, request: { bucketName: ref('bucket'), Host: bucketHost, encryption: '' }, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [s3Denied] },
  { name: 'CreateBucket', ...mgmt, weight: 0.05, readOnly: false, who: { admin: 1, developer: 0.3 }, request: { CreateBucketConfiguration: { LocationConstraint: ref('region'), xmlns: XMLNS }, bucketName: ref('bucket'), Host: bucketHost }, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [{ code: 'BucketAlreadyOwnedByYou', message: 'Your previous request to create the named bucket succeeded and you already own it.', weight: 2 }, s3Denied] },
  { name: 'PutBucketPolicy', ...mgmt, weight: 0.05, readOnly: false, who: WHO.admins, request: { bucketPolicy: ref('bucketPolicyJson'), bucketName: ref('bucket'), Host: bucketHost, policy: '' }, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [s3Denied, { code: 'MalformedPolicy', message: 'Policy has invalid resource', weight: 1 }] },
  {
    name: 'PutBucketVersioning',
    ...mgmt,
    weight: 0.03,
    readOnly: false,
    who: { admin: 1, developer: 0.2 },
    request: { bucketName: ref('bucket'), Host: bucketHost, versioning: '', VersioningConfiguration: { Status: ref('app.versioningStatus'), xmlns: XMLNS } },
    response: null,
    additional: transfer('app.versioningXmlBytes', 0),
    resources: bucketResources,
    errors: [s3Denied, { code: 'InvalidBucketState', message: 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.', weight: 0.3 }],
  },
  {
    name: 'PutBucketLogging',
    ...mgmt,
    weight: 0.01,
    readOnly: false,
    who: WHO.admins,
    request: { bucketName: ref('bucket'), Host: bucketHost, logging: '', BucketLoggingStatus: { LoggingEnabled: { TargetBucket: ref('app.accessLogBucket'), TargetPrefix: ref('app.accessLogPrefix') }, xmlns: XMLNS } },
    response: null,
    additional: transfer('app.loggingXmlBytes', 0),
    resources: bucketResources,
    errors: [s3Denied, { code: 'InvalidTargetBucketForLogging', message: 'The owner for the bucket to be logged and the target bucket must be the same.', weight: 0.5 }],
  },
  {
    name: 'PutBucketReplication',
    ...mgmt,
    weight: 0.005,
    readOnly: false,
    who: WHO.admins,
    request: {
      bucketName: ref('bucket'),
      Host: bucketHost,
      replication: '',
      ReplicationConfiguration: {
        Role: ref('app.replicationRole'),
        Rule: { Priority: 1, Filter: { Prefix: '' }, Status: 'Enabled', Destination: { Bucket: fmt('arn:aws:s3:::{app.replicaBucket}') }, DeleteMarkerReplication: { Status: ref('app.deleteMarkerReplication') } },
        xmlns: XMLNS,
      },
    },
    response: null,
    additional: transfer('app.replicationXmlBytes', 0),
    resources: bucketResources,
    errors: [s3Denied, { code: 'InvalidRequest', message: 'Versioning must be \'Enabled\' on the bucket to apply a replication configuration', weight: 1 }],
  },
  { name: 'DeleteBucket', ...mgmt, weight: 0.02, readOnly: false, who: WHO.admins, request: bucketRequest, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [{ code: 'BucketNotEmpty', message: 'The bucket you tried to delete is not empty', weight: 4 }, s3Denied], errorBias: 4 },
  // Guard rails of a bucket: ACLs, its public access block, its policy. Benign at catalog/baseline.ts's rates.
  {
    name: 'PutBucketAcl',
    ...mgmt,
    weight: 0.01,
    readOnly: false,
    who: WHO.admins,
    request: {
      bucketName: ref('bucket'),
      Host: bucketHost,
      acl: '',
      AccessControlPolicy: {
        AccessControlList: { Grant: [{ Grantee: { 'xsi:type': 'CanonicalUser', 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', ID: ref('s3.canonicalId') }, Permission: 'FULL_CONTROL' }] },
        xmlns: XMLNS,
        Owner: { ID: ref('s3.canonicalId') },
      },
    },
    response: null,
    additional: transfer(0, 0),
    resources: bucketResources,
    errors: [s3Denied, { code: 'AccessControlListNotSupported', message: 'The bucket does not allow ACLs', weight: 2 }],
  },
  {
    name: 'PutPublicAccessBlock',
    ...mgmt,
    weight: 0.01,
    readOnly: false,
    who: WHO.admins,
    request: { publicAccessBlock: '', bucketName: ref('bucket'), Host: bucketHost, PublicAccessBlockConfiguration: { xmlns: XMLNS, RestrictPublicBuckets: true, BlockPublicPolicy: true, BlockPublicAcls: true, IgnorePublicAcls: true } },
    response: null,
    additional: transfer(0, 0),
    resources: bucketResources,
    errors: [s3Denied],
  },
  { name: 'DeletePublicAccessBlock', ...mgmt, weight: 0.001, readOnly: false, who: WHO.admins, request: { publicAccessBlock: '', bucketName: ref('bucket'), Host: bucketHost }, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [s3Denied] },
  { name: 'DeleteBucketPolicy', ...mgmt, weight: 0.005, readOnly: false, who: WHO.admins, request: { bucketName: ref('bucket'), Host: bucketHost, policy: '' }, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [s3Denied, noSuchBucket] },
];

// ---- slots ------------------------------------------------------------------------------------------------------

type Ctx = EventContext;
const decoder = new TextDecoder();

function slotText(slots: Slots<Ctx>, name: string): string {
  const v = slots.byName(name);
  return decoder.decode(v.ref ?? v.scratch.buf.subarray(0, v.scratch.pos));
}

/** Where objects come from before they are copied into place, by the shape of the destination key. */
const COPY_SOURCE_PREFIXES = ['incoming/', 'tmp/', 'staging/'];
const LOGGING_PREFIXES = ['s3-access/{bucket}/', '{bucket}/', 'logs/{bucket}/'];

/** Length of the XML body a client sends (what S3 counts as bytesTransferredIn). */
const versioningXml = (status: string) => `<VersioningConfiguration xmlns="${XMLNS}"><Status>${status}</Status></VersioningConfiguration>`;
const loggingXml = (target: string, prefix: string) =>
  `<BucketLoggingStatus xmlns="${XMLNS}"><LoggingEnabled><TargetBucket>${target}</TargetBucket><TargetPrefix>${prefix}</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`;
const replicationXml = (role: string, dest: string, deleteMarkers: string) =>
  `<ReplicationConfiguration xmlns="${XMLNS}"><Role>${role}</Role><Rule><Priority>1</Priority><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>` +
  `<Destination><Bucket>arn:aws:s3:::${dest}</Bucket></Destination><DeleteMarkerReplication><Status>${deleteMarkers}</Status></DeleteMarkerReplication></Rule></ReplicationConfiguration>`;

const slots: Record<string, Resolver<Ctx>> = {
  /** The account's canonical user id (64 hex digits), the owner of its buckets. */
  's3.canonicalId': (ctx, out) => out.set(ctx.actor.account.memo('s3.canonicalId', (rng) => utf8(Array.from({ length: 64 }, () => '0123456789abcdef'[rng.int(16)]).join('')))),
  'app.copySourceKey': (ctx, out, s) => {
    const key = slotText(s, 'objectKey');
    text(out, key.startsWith('raw/') ? `_temporary/0/${key}` : `${COPY_SOURCE_PREFIXES[ctx.rng.int(COPY_SOURCE_PREFIXES.length)]}${key}`);
  },
  'app.policyBytes': (ctx, out) => out.compose().uint(ctx.error ? 243 + ctx.rng.int(40) : 280 + ctx.rng.int(1800)),
  'app.versioningStatus': (ctx, out) => text(out, ctx.rng.chance(0.9) ? 'Enabled' : 'Suspended'),
  'app.versioningXmlBytes': (_ctx, out, s) => out.compose().uint(versioningXml(slotText(s, 'app.versioningStatus')).length),
  /** The account's log bucket (one of its logs buckets, else the conventional access-log bucket name). */
  'app.accessLogBucket': (ctx, out, s) => {
    const buckets = ctx.actor.account.buckets;
    const own = slotText(s, 'bucket');
    const logs = buckets.find((b) => b.style === 'logs' && decoder.decode(b.name) !== own);
    if (logs) return out.set(logs.name);
    text(out, `${own.split('-')[0]}-s3-access-logs-${ctx.actor.actor.account_id}`);
  },
  'app.accessLogPrefix': (ctx, out, s) => text(out, LOGGING_PREFIXES[ctx.rng.int(LOGGING_PREFIXES.length)].replace('{bucket}', slotText(s, 'bucket'))),
  'app.loggingXmlBytes': (_ctx, out, s) => out.compose().uint(loggingXml(slotText(s, 'app.accessLogBucket'), slotText(s, 'app.accessLogPrefix')).length),
  /** The role name the S3 console creates for a replication rule. */
  'app.replicationRole': (ctx, out, s) => text(out, `arn:aws:iam::${ctx.actor.actor.account_id}:role/service-role/s3crr_role_for_${slotText(s, 'bucket')}`),
  'app.replicaBucket': (ctx, out, s) => {
    const bucket = slotText(s, 'bucket');
    const suffix = ctx.rng.chance(0.5) ? '-replica' : '-dr';
    text(out, `${bucket.slice(0, 63 - suffix.length)}${suffix}`);
  },
  'app.deleteMarkerReplication': (ctx, out) => text(out, ctx.rng.chance(0.6) ? 'Disabled' : 'Enabled'),
  'app.replicationXmlBytes': (_ctx, out, s) =>
    out.compose().uint(replicationXml(slotText(s, 'app.replicationRole'), slotText(s, 'app.replicaBucket'), slotText(s, 'app.deleteMarkerReplication')).length),
};

export const s3Group: CatalogGroup = { events: EVENTS, slots };
