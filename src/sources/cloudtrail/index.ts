/** The AWS CloudTrail source plug-in. */
import type { SourcePlugin } from '../source.js';
import { cloudTrailConfigSchema, type CloudTrailConfig } from './config.js';
import { CLOUDTRAIL_DELIVERY } from './delivery.js';
import { createCloudTrailRuntime, type CloudTrailRuntime } from './runtime.js';
import { cloudTrailParquet } from './parquet.js';
import { CloudTrailShard } from './shard.js';

export const cloudTrailSource: SourcePlugin<CloudTrailConfig, CloudTrailRuntime> = {
  type: 'cloudtrail',
  configSchema: cloudTrailConfigSchema,
  label: 'cloudtrail',
  createRuntime: (config, _seed, actors) => createCloudTrailRuntime(config, actors),
  createShard: (runtime, ctx) => new CloudTrailShard(runtime, ctx),
  parquet: cloudTrailParquet,
  delivery: CLOUDTRAIL_DELIVERY,
  splunkSourcetype: 'aws:cloudtrail',
};
