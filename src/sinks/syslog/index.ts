/** `type = "syslog"`: RFC 5424 / RFC 3164 messages over UDP, TCP or TLS. */
import type { SinkPlugin } from '../plugin.js';
import { syslogOutputSchema, type SyslogOutputConfig } from './config.js';
import { SyslogSink } from './syslog-sink.js';

export const syslogSink: SinkPlugin<SyslogOutputConfig> = {
  type: 'syslog',
  schema: syslogOutputSchema,
  create: (config, ctx, id) => new SyslogSink(config, ctx, id.name, id.key),
  describe: (config) => `syslog ${config.format} over ${config.protocol} to ${config.address}`,
};
