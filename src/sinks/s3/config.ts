/**
 * `[[outputs]] type = "s3"`: rotated files uploaded to an S3 bucket (AWS or any S3-compatible store), laid out for
 * a data lake: Hive-style partitions for JSONL and Parquet, CloudTrail's own `AWSLogs/…` keys for delivery files.
 */
import * as z from 'zod';
import { int } from '../../util/schema.js';
import { fileOutputKeys } from '../file/config.js';
import { commonOutputKeys } from '../plugin.js';

export const S3_PARTITIONINGS = ['hive', 'none'] as const;

export const s3OutputSchema = z
  .strictObject({
    type: z.literal('s3'),
    ...commonOutputKeys,
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'expected an S3 bucket name (3-63 lowercase letters, digits, "." or "-")' }),
    /** Key prefix, e.g. "security/raw/" (a trailing "/" is added when missing). */
    prefix: z.string().default(''),
    /** S3-compatible endpoint (MinIO, S3Proxy, Ceph…); default: AWS for the region. */
    endpoint: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL such as "http://127.0.0.1:9000"' }).optional(),
    /** Default: AWS_REGION / AWS_DEFAULT_REGION, else us-east-1. */
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'expected an AWS region such as "us-east-1"' }).optional(),
    /** Path-style URLs (endpoint/bucket/key), which most S3-compatible stores need. Default: true with an endpoint. */
    force_path_style: z.boolean().optional(),
    /** A named profile of ~/.aws/credentials and ~/.aws/config; default: the SDK's chain (environment, profile, instance role). */
    profile: z.string().min(1).optional(),
    /**
     * `hive`: source=<type>/date=YYYY-MM-DD/hour=HH/ by event time (JSONL and Parquet); `none`: files directly under
     * the prefix. CloudTrail delivery files always use CloudTrail's own AWSLogs/… keys.
     */
    partitioning: z.enum(S3_PARTITIONINGS).default('hive'),
    rotation: fileOutputKeys.rotation,
    format: fileOutputKeys.format,
    /** Multipart upload part size. */
    part_size_mb: int().min(5).max(5120).default(8),
    /** Uploads at once; more wait (and slow generation). */
    max_in_flight: int().min(1).max(64).default(4),
    delivery_timeout_ms: int().min(1000).max(86_400_000).default(300_000),
    /** Create the bucket when it does not exist. */
    create_bucket: z.boolean().default(false),
    /** Local directory under which the run stages files before upload, in a fresh subdirectory (default: the OS temp dir). */
    staging_dir: z.string().min(1).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.prefix.startsWith('/')) ctx.addIssue({ code: 'custom', path: ['prefix'], input: s.prefix, message: 'expected a key prefix without a leading "/"' });
  });

export type S3OutputConfig = z.output<typeof s3OutputSchema>;
