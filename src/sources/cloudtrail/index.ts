/** The AWS CloudTrail source plug-in. */
import type { SourcePlugin } from '../source.js';
import { cloudTrailConfigSchema, type CloudTrailConfig } from './config.js';
import { CLOUDTRAIL_DELIVERY, CLOUDTRAIL_DELIVERY_DELAY } from './delivery.js';
import { createCloudTrailRuntime, type CloudTrailRuntime } from './runtime.js';
import { CATALOG } from './catalog/index.js';
import { SERVICES } from './data/services.js';
import { cloudTrailParquet, schemaMarkdown } from './parquet.js';
import { CLOUDTRAIL_VALIDATION } from './validation.js';
import { CloudTrailShard } from './shard.js';

export const cloudTrailSource: SourcePlugin<CloudTrailConfig, CloudTrailRuntime> = {
  type: 'cloudtrail',
  configSchema: cloudTrailConfigSchema,
  label: 'cloudtrail',
  createRuntime: (config, _seed, actors) => createCloudTrailRuntime(config, actors),
  createShard: (runtime, ctx) => new CloudTrailShard(runtime, ctx),
  parquet: cloudTrailParquet,
  delivery: CLOUDTRAIL_DELIVERY,
  deliveryDelay: CLOUDTRAIL_DELIVERY_DELAY,
  splunkSourcetype: 'aws:cloudtrail',
  catalog: () => CATALOG.map((e) => `${e.name.padEnd(40)} ${SERVICES[e.service].eventSource.padEnd(38)} ${String(e.weight).padStart(6)}  ${e.readOnly ? 'read ' : 'write'}  ${e.management ? 'management' : 'data'}`),
  schemaMarkdown,
  validation: CLOUDTRAIL_VALIDATION,
  scenarioEvents: ['record', 'federated_console_login'],
  recordId: (text) => /"eventID":"([^"]+)"/.exec(text)?.[1] ?? '',
  demo: { type: 'cloudtrail', curated: true },
};
