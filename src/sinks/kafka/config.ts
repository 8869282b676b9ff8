/**
 * `[[outputs]] type = "kafka"`: where and how records are produced. Defaults follow the Java producer's where it
 * has one (acks = all, idempotence on) and favour throughput where it does not (batches of 512 KiB, 5 in flight).
 */
import * as z from 'zod';
import { SOURCES } from '../../sources/registry.js';
import type { MessageBatchForm, SourcePlugin } from '../../sources/source.js';
import { UsageError } from '../../util/errors.js';
import { int } from '../../util/schema.js';
import { hostPortSchema } from '../../util/address.js';
import { commonOutputKeys, type SinkContext } from '../plugin.js';
import { secretSchema } from '../secret.js';
import { tlsSchema } from '../tls.js';

export const KAFKA_COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export const KAFKA_KEYS = ['actor', 'account', 'none'] as const;
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export const MAX_RECORDS_PER_MESSAGE = 10_000;

export const kafkaOutputSchema = z
  .strictObject({
    type: z.literal('kafka'),
    ...commonOutputKeys,
    brokers: z.array(hostPortSchema).min(1),
    /** Topic name; `{source}` becomes the source type, e.g. "seclog-{source}" → "seclog-cloudtrail". */
    topic: z.string().regex(/^([A-Za-z0-9._-]|\{source\})+$/, { message: 'expected a topic name of letters, digits, ".", "_", "-", optionally with {source}' }),
    /** Message key: the actor id (one actor's events stay ordered in one partition), its account id, or none. */
    key: z.enum(KAFKA_KEYS).default('actor'),
    compression: z.enum(KAFKA_COMPRESSIONS).default('none'),
    acks: z.union([z.literal('all'), z.literal(1), z.literal(0)]).default('all'),
    idempotent: z.boolean().default(true),
    /**
     * Records per message: 1 (each record its own message), or up to this many records in one message, in the form
     * the source declares (`SourcePlugin.messageBatch`, e.g. Entra's Event Hub `{"records":[…]}`); a message also
     * stays within batch_bytes. Sources without such a form take only 1 (checked before the run).
     */
    records_per_message: int().min(1).max(MAX_RECORDS_PER_MESSAGE).default(1),
    /** Records wait at most this long for a batch to fill (at low rates). */
    linger_ms: int().min(0).max(60_000).default(5),
    /** Record bytes per produce request. Keep below the broker's message.max.bytes per partition. */
    batch_bytes: int().min(1024).max(64 * 1024 * 1024).default(512 * 1024),
    /** Produce requests in flight when idempotent = false (an idempotent producer sends one at a time). */
    max_in_flight: int().min(1).max(64).default(5),
    /** Kafka message timestamp: when it was sent, the record's event time, or its delivery time ([delivery] delayed; the default then, else send_time). */
    message_timestamp: z.enum(['send_time', 'event_time', 'delivery_time']).optional(),
    client_id: z.string().min(1).default('seclog'),
    request_timeout_ms: int().min(100).max(600_000).default(30_000),
    /** How long a batch may keep failing (broker down) before the run fails. */
    delivery_timeout_ms: int().min(1000).max(86_400_000).default(120_000),
    /** Create the topic with these settings when it does not exist (otherwise the broker's auto-creation applies). */
    create_topic: z
      .strictObject({
        partitions: int().min(1).max(10_000),
        replication_factor: int().min(1).max(32).default(1),
      })
      .optional(),
    tls: tlsSchema.optional(),
    sasl: z
      .strictObject({
        mechanism: z.enum(SASL_MECHANISMS),
        username: z.string().min(1),
        password: secretSchema,
      })
      .optional(),
  })
  .superRefine((k, ctx) => {
    if (k.idempotent && k.acks !== 'all') {
      ctx.addIssue({ code: 'custom', path: ['acks'], input: k.acks, message: 'an idempotent producer needs acks = "all"; set idempotent = false for acks = 1 or 0' });
    }
  });

export type KafkaOutputConfig = z.output<typeof kafkaOutputSchema>;

/** The topic records of `source` go to: `{source}` in the configured name becomes the source type. */
export function topicFor(config: Pick<KafkaOutputConfig, 'topic'>, source: string): string {
  return config.topic.replaceAll('{source}', source);
}

/**
 * The form several records of `source` share a message in, or null for one record per message. Throws a UsageError
 * (one line naming the key) when records_per_message asks for more than one and the source declares no form.
 */
export function batchFormFor(config: Pick<KafkaOutputConfig, 'records_per_message'>, source: Pick<SourcePlugin<unknown>, 'type' | 'messageBatch'>, key: string): MessageBatchForm | null {
  if (config.records_per_message <= 1) return null;
  if (source.messageBatch) return source.messageBatch;
  const able = SOURCES.filter((s) => s.messageBatch).map((s) => s.type);
  const allowed = able.length === 0 ? 'no source has one; use 1' : `only ${able.join(', ')} ${able.length === 1 ? 'has' : 'have'} one (use 1 for the others, or route only those here with sources = [...])`;
  throw new UsageError(`${key}.records_per_message = ${config.records_per_message}: source "${source.type}" has no form for several records per message; ${allowed}`);
}

/**
 * What a message's timestamp is: as configured, else its delivery time under `[delivery] delayed` (records reach the
 * outputs at it), else the send time. The records' event time cannot be stamped under delay (they no longer carry it).
 */
export function messageTimestamp(config: Pick<KafkaOutputConfig, 'message_timestamp'>, ctx: Pick<SinkContext, 'delayed'>, key: string): 'send_time' | 'event_time' | 'delivery_time' {
  const stamp = config.message_timestamp ?? (ctx.delayed ? 'delivery_time' : 'send_time');
  if (stamp === 'event_time' && ctx.delayed) {
    throw new UsageError(`${key}.message_timestamp = "event_time": with [delivery] delayed = true records reach the outputs at their delivery time; use "delivery_time" (the default then) or "send_time"`);
  }
  return stamp;
}
