/** `type = "s3"`: rotated files uploaded to S3 or an S3-compatible store, Hive-partitioned or in the source's own delivery layout. */
import type { SinkPlugin } from '../plugin.js';
import { s3OutputSchema, type S3OutputConfig } from './config.js';
import { prepareStaging } from './staging.js';
import { formatEncodeCost } from '../../encode/encoder-threads.js';

export const s3Sink: SinkPlugin<S3OutputConfig> = {
  type: 's3',
  schema: s3OutputSchema,
  prepare: (config, _ctx, id) => prepareStaging(config, id.key),
  // The AWS SDK takes a few hundred ms to load: only runs that write to S3 load it.
  create: async (config, ctx, id) => new (await import('./s3-sink.js')).S3Sink(config, ctx, id.name, id.key),
  encodeCost: (config) => formatEncodeCost(config.format.type),
  describe: (config) => `${config.format.type}${config.format.compression !== 'none' ? ` (${config.format.compression})` : ''} to s3://${config.bucket}/${config.prefix}${config.endpoint ? ` at ${config.endpoint}` : ''}`,
};
