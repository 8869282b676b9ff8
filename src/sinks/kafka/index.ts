/** `type = "kafka"`: one message per record, produced to a real broker with at-least-once delivery. */
import type { SinkPlugin } from '../plugin.js';
import { kafkaOutputSchema, topicFor, type KafkaOutputConfig } from './config.js';

export const kafkaSink: SinkPlugin<KafkaOutputConfig> = {
  type: 'kafka',
  schema: kafkaOutputSchema,
  // The Kafka client takes a few hundred ms to load: only runs that produce to Kafka load it.
  create: async (config, ctx, id) => new (await import('./kafka-sink.js')).KafkaSink(config, ctx, id.name, id.key),
  describe: (config, ctx) => `kafka ${config.brokers.join(',')} topic ${topicFor(config, ctx.source.type)}`,
};
