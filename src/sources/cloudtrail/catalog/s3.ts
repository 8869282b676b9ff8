/** S3: object-level calls are data events (the bulk of volume when data events are on); bucket calls are management. */
import { fmt, gen, num, ref } from '../../../encode/template.js';
import { WHO, type CatalogGroup, type EventSpec } from './types.js';

const bucketHost = fmt('{bucket}.s3.{region}.amazonaws.com');
const objectRequest = { bucketName: ref('bucket'), Host: bucketHost, key: ref('objectKey') };
const bucketRequest = { bucketName: ref('bucket'), Host: bucketHost };
const objectResources = [
  { type: 'AWS::S3::Object', ARN: fmt('arn:aws:s3:::{bucket}/{objectKey}') },
  { accountId: ref('accountId'), type: 'AWS::S3::Bucket', ARN: fmt('arn:aws:s3:::{bucket}') },
];
const bucketResources = [{ accountId: ref('accountId'), type: 'AWS::S3::Bucket', ARN: fmt('arn:aws:s3:::{bucket}') }];
/** additionalEventData of S3 calls; byte counts are a slot name or 0. */
const transfer = (inBytes: string | 0, outBytes: string | 0) => ({
  SignatureVersion: 'SigV4',
  CipherSuite: ref('cipherSuite'),
  bytesTransferredIn: inBytes === 0 ? 0 : num(inBytes),
  AuthenticationMethod: 'AuthHeader',
  'x-amz-id-2': gen('amzId2'),
  bytesTransferredOut: outBytes === 0 ? 0 : num(outBytes),
});
const s3Denied = { code: 'AccessDenied', message: 'Access Denied', weight: 3 };
const noSuchBucket = { code: 'NoSuchBucket', message: 'The specified bucket does not exist', weight: 1 };
const data = { service: 's3', management: false, requestId: 's3', host: bucketHost } as const;
const mgmt = { service: 's3', management: true, requestId: 's3', host: bucketHost } as const;

const EVENTS: readonly EventSpec[] = [
  { name: 'GetObject', ...data, weight: 14, readOnly: true, who: { ...WHO.builders, datalake_bot: 4, logs_shipper: 0.5, generic: 2 }, request: objectRequest, response: null, additional: transfer(0, 'objectSize'), resources: objectResources, errors: [{ code: 'NoSuchKey', message: 'The specified key does not exist.', weight: 3 }, s3Denied], errorBias: 1.5 },
  { name: 'PutObject', ...data, weight: 9, readOnly: false, who: { developer: 0.5, admin: 0.2, datalake_bot: 4, logs_shipper: 4, generic: 1.5 }, request: objectRequest, response: { 'x-amz-server-side-encryption': 'AES256' }, additional: transfer('objectSize', 0), resources: objectResources, errors: [s3Denied, noSuchBucket] },
  { name: 'HeadObject', ...data, weight: 5, readOnly: true, who: { datalake_bot: 3, generic: 1, developer: 0.3 }, request: objectRequest, response: null, additional: transfer(0, 0), resources: objectResources, errors: [{ code: 'NoSuchKey', message: 'The specified key does not exist.', weight: 3 }, s3Denied], errorBias: 2 },
  { name: 'ListObjects', ...data, weight: 5, readOnly: true, who: { ...WHO.builders, readonly: 0.5, datalake_bot: 2, logs_shipper: 0.5 }, request: { 'list-type': '2', bucketName: ref('bucket'), prefix: ref('objectPrefix'), Host: bucketHost }, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [s3Denied, noSuchBucket] },
  { name: 'DeleteObject', ...data, weight: 1.5, readOnly: false, who: { developer: 0.3, datalake_bot: 1, logs_shipper: 0.3 }, request: objectRequest, response: null, additional: transfer(0, 0), resources: objectResources, errors: [s3Denied] },
  { name: 'ListBuckets', ...mgmt, host: fmt('s3.{region}.amazonaws.com'), weight: 3, readOnly: true, who: WHO.readers, request: { Host: fmt('s3.{region}.amazonaws.com') }, response: null, additional: transfer(0, 0), errors: [s3Denied] },
  { name: 'GetBucketLocation', ...mgmt, weight: 2, readOnly: true, who: { ...WHO.readers, datalake_bot: 0.5 }, request: { location: '', bucketName: ref('bucket'), Host: bucketHost }, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [s3Denied] },
  { name: 'GetBucketPolicy', ...mgmt, weight: 1.5, readOnly: true, who: WHO.auditors, request: { bucketName: ref('bucket'), Host: bucketHost, policy: '' }, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [{ code: 'NoSuchBucketPolicy', message: 'The bucket policy does not exist', weight: 5 }, s3Denied], errorBias: 6 },
  { name: 'GetBucketAcl', ...mgmt, weight: 1.5, readOnly: true, who: WHO.auditors, request: { bucketName: ref('bucket'), Host: bucketHost, acl: '' }, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [s3Denied] },
  { name: 'GetBucketEncryption', ...mgmt, weight: 1, readOnly: true, who: WHO.auditors, request: { bucketName: ref('bucket'), Host: bucketHost, encryption: '' }, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [s3Denied] },
  { name: 'CreateBucket', ...mgmt, weight: 0.05, readOnly: false, who: { admin: 1, developer: 0.3 }, request: { CreateBucketConfiguration: { LocationConstraint: ref('region'), xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' }, bucketName: ref('bucket'), Host: bucketHost }, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [{ code: 'BucketAlreadyOwnedByYou', message: 'Your previous request to create the named bucket succeeded and you already own it.', weight: 2 }, s3Denied] },
  { name: 'PutBucketPolicy', ...mgmt, weight: 0.05, readOnly: false, who: WHO.admins, request: { bucketPolicy: ref('bucketPolicyJson'), bucketName: ref('bucket'), Host: bucketHost, policy: '' }, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [s3Denied, { code: 'MalformedPolicy', message: 'Policy has invalid resource', weight: 1 }] },
  { name: 'DeleteBucket', ...mgmt, weight: 0.02, readOnly: false, who: WHO.admins, request: bucketRequest, response: null, additional: transfer(0, 0), resources: bucketResources, errors: [{ code: 'BucketNotEmpty', message: 'The bucket you tried to delete is not empty', weight: 4 }, s3Denied], errorBias: 4 },
];

export const s3Group: CatalogGroup = { events: EVENTS };
