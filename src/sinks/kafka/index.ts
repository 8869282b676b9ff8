/**
 * `type = "kafka"`: one message per record (or several, in the source's own form: `records_per_message`), produced
 * to a real broker with at-least-once delivery.
 */
import type { SinkPlugin } from '../plugin.js';
import { batchFormFor, kafkaOutputSchema, messageTimestamp, topicFor, type KafkaOutputConfig } from './config.js';

export const kafkaSink: SinkPlugin<KafkaOutputConfig> = {
  type: 'kafka',
  schema: kafkaOutputSchema,
  // Nothing to check at the broker before the run (it may come up later); records_per_message against the source.
  prepare: async (config, ctx, id) => {
    batchFormFor(config, ctx.source, id.key);
    messageTimestamp(config, ctx, id.key);
    return { created: [], commit: async () => [] };
  },
  // The Kafka client takes a few hundred ms to load: only runs that produce to Kafka load it.
  create: async (config, ctx, id) => new (await import('./kafka-sink.js')).KafkaSink(config, ctx, id.name, id.key),
  describe: (config, ctx) => {
    const form = config.records_per_message > 1 ? ctx.source.messageBatch : undefined;
    return `kafka ${config.brokers.join(',')} topic ${topicFor(config, ctx.source.type)}${form ? `, up to ${config.records_per_message} records per message (${form.description})` : ''}`;
  },
};
