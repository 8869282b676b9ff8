/** `type = "http"`: OpenSearch/Elasticsearch `_bulk`, Splunk HEC, or NDJSON POSTs. */
import type { SinkPlugin } from '../plugin.js';
import { httpOutputSchema, type HttpOutputConfig } from './config.js';
import { HttpSink } from './http-sink.js';

export const httpSink: SinkPlugin<HttpOutputConfig> = {
  type: 'http',
  schema: httpOutputSchema,
  create: (config, ctx, id) => new HttpSink(config, ctx, id.name, id.key),
  describe: (config) => `${config.kind} at ${config.url}`,
};
