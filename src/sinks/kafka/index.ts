/** `type = "kafka"`: one message per record, produced to a real broker with at-least-once delivery. */
import type { SinkPlugin } from '../plugin.js';
import { kafkaOutputSchema, type KafkaOutputConfig } from './config.js';
import { KafkaSink } from './kafka-sink.js';

export const kafkaSink: SinkPlugin<KafkaOutputConfig> = {
  type: 'kafka',
  schema: kafkaOutputSchema,
  create: (config, ctx, id) => new KafkaSink(config, ctx, id.name, id.key),
  describe: (config) => `kafka ${config.brokers.join(',')} topic ${config.topic}`,
};
