/**
 * Produces each record as one Kafka message (the JSON record, without its newline), keyed so one actor's (or
 * account's) records stay ordered in one partition. Batches go through Delivery: bounded in flight, retried until
 * acknowledged or the delivery timeout, so a broker restart delays the run instead of losing records.
 *
 * With `records_per_message` above 1, consecutive records share a message in the form the source declares
 * (`SourcePlugin.messageBatch`, packed by MessagePacker): up to that many, within batch_bytes, keyed and timestamped
 * by the message's first record. Messages close when full, and when pacing (time_scale > 0) at the end of every
 * window of simulated time, so none waits longer than a window; the engine hands a paced sink every record of a window
 * before its end (`advance`), so which records share a message depends only on the seed and config, not on the
 * number of workers or on the broker's speed. Counts (sent, acknowledged) stay in records.
 */
import { Admin, Producer, compatibilityPartitioner, type MessageToProduce, type Partitioner } from '@platformatic/kafka';
import type { Actor } from '../../population/actor.js';
import { Delivery, PermanentError, onceUntilFailure } from '../delivery.js';
import { readSecret } from '../secret.js';
import type { SinkContext } from '../plugin.js';
import { MessagePacker, type PackedMessage } from './pack.js';
import { recordStart, type RecordBatch, type RecordSink, type SinkStats } from '../sink.js';
import { isCertificateError, tlsOptions } from '../tls.js';
import { batchFormFor, messageTimestamp, topicFor, type KafkaOutputConfig } from './config.js';
import { ensureZstd } from './zstd.js';

type Message = MessageToProduce<Buffer, Buffer, string, string>;

interface PendingBatch {
  messages: Message[];
  bytes: number;
  /** Records in the messages (packed messages only; otherwise one per message). */
  records: number;
}

const ACKS = { all: -1, 1: 1, 0: 0 } as const;

/** How long a run waits for the partition leaders of a topic it created. */
const LEADER_WAIT_MS = 10_000;

/**
 * Kafka's Java client partitioner (murmur2 of the key), remembered per key: keys are one Buffer per actor, and the
 * client's murmur2 computes in BigInts, which made it the main thread's largest allocation (~450 bytes per message;
 * its scavenges reached 5-10 % of the run). Messages without a key (`key = "none"`) take the partitions in turn; the
 * client's partitioner put them all in partition 0.
 */
function cachedPartitioner(): Partitioner<Buffer, Buffer, string, string> {
  const hashes = new WeakMap<Buffer, number>();
  let turn = 0;
  return (message, key) => {
    if (key === undefined) return (turn = (turn + 1) & 0x7fffffff);
    let hash = hashes.get(key);
    if (hash === undefined) hashes.set(key, (hash = compatibilityPartitioner(message, key)));
    return hash;
  };
}

export class KafkaSink implements RecordSink {
  private readonly producer: Producer<Buffer, Buffer, string, string>;
  private readonly delivery: Delivery<Message[]>;
  private readonly topic: string;
  private readonly keys: (Buffer | undefined)[];
  private readonly actors: readonly Actor[];
  private pending: PendingBatch = { messages: [], bytes: 0, records: 0 };
  /** Present with records_per_message > 1. */
  private readonly packer: MessagePacker | null;
  /** Whether open packed messages close at every window end (pacing). */
  private readonly closeAtWindowEnd: boolean;
  /** Messages carry their record's time (its event time, or under delayed delivery its delivery time), else the send time. */
  private readonly stampRecordTime: boolean;
  private messagesAcked = 0;
  private lingerTimer: NodeJS.Timeout | null = null;
  private lingerFlush: Promise<void> = Promise.resolve();
  private readonly topicReady = onceUntilFailure(() => this.createTopic());
  private bytesOut = 0;
  private readonly connection: Pick<ConstructorParameters<typeof Admin>[0], 'bootstrapBrokers' | 'tls' | 'sasl'>;

  constructor(
    private readonly config: KafkaOutputConfig,
    ctx: SinkContext,
    name: string,
    key: string,
  ) {
    if (config.compression === 'zstd') ensureZstd(`${key}.compression`);
    this.topic = topicFor(config, ctx.source.type);
    this.actors = ctx.population.actors;
    this.keys = new Array(this.actors.length);
    const form = batchFormFor(config, ctx.source, key);
    this.packer = form ? new MessagePacker(form, config.records_per_message, config.batch_bytes) : null;
    this.closeAtWindowEnd = ctx.timeScale > 0;
    this.stampRecordTime = messageTimestamp(config, ctx, key) !== 'send_time';
    const sasl = config.sasl && {
      mechanism: config.sasl.mechanism,
      username: config.sasl.username,
      password: readSecret(config.sasl.password, `${key}.sasl.password`),
    };
    this.connection = { bootstrapBrokers: config.brokers, tls: tlsOptions(config.tls, `${key}.tls`), sasl };
    this.producer = new Producer({
      ...this.connection,
      clientId: config.client_id,
      acks: ACKS[config.acks],
      idempotent: config.idempotent,
      compression: config.compression,
      partitioner: cachedPartitioner(),
      // Without it an idempotent producer waits silently on a topic that does not exist yet; the broker's
      // auto.create.topics.enable decides (create_topic creates it explicitly).
      autocreateTopics: true,
      timeout: config.request_timeout_ms,
      requestTimeout: config.request_timeout_ms,
      connectTimeout: Math.min(config.request_timeout_ms, 10_000),
      // Delivery retries whole batches until delivery_timeout_ms; the client's own retries stay short.
      retries: 2,
      retryDelay: 250,
    });
    this.delivery = new Delivery((messages) => this.produce(messages), {
      name,
      // The client numbers an idempotent producer's batches per partition; concurrent sends can reach the broker
      // out of order (OutOfOrderSequence, which it does not recover from), so idempotent sends go one at a time.
      maxInFlight: config.idempotent ? 1 : config.max_in_flight,
      retry: { initialBackoffMs: 200, maxBackoffMs: 5000, deliveryTimeoutMs: config.delivery_timeout_ms },
    });
  }

  async write(batch: RecordBatch): Promise<void> {
    if (batch.to <= batch.from) return;
    if (this.packer) return this.writePacked(batch, this.packer);
    const start = recordStart(batch, batch.from);
    const end = batch.ends[batch.to - 1];
    // One copy per batch (the engine reuses its memory); each message value is a view into it.
    const copy = Buffer.from(batch.bytes.subarray(start, end));
    const eventTime = this.stampRecordTime;
    let at = 0;
    for (let i = batch.from; i < batch.to; i++) {
      const length = batch.ends[i] - recordStart(batch, i);
      const message: Message = { topic: this.topic, key: this.keyFor(batch.actors[i]), value: copy.subarray(at, at + length - 1) };
      if (eventTime) message.timestamp = BigInt(Math.floor(batch.times[i]));
      at += length;
      this.pending.messages.push(message);
      this.pending.bytes += length - 1;
      if (this.pending.bytes >= this.config.batch_bytes) await this.flushPending();
    }
    this.bytesOut += end - start - (batch.to - batch.from);
    this.lingerIfPending();
  }

  /** Packs the batch's records into messages (each copied into its message as it is added). */
  private async writePacked(batch: RecordBatch, packer: MessagePacker): Promise<void> {
    for (let i = batch.from; i < batch.to; i++) {
      const closed = packer.add(batch.bytes, recordStart(batch, i), batch.ends[i] - 1, batch.actors[i], batch.times[i]);
      if (closed) await this.queuePacked(closed);
    }
    this.lingerIfPending();
  }

  /** Adds a packed message to the produce batch, sending the batch first if the message would take it past batch_bytes. */
  private async queuePacked(packed: PackedMessage): Promise<void> {
    const length = packed.value.length;
    if (this.pending.messages.length > 0 && this.pending.bytes + length > this.config.batch_bytes) await this.flushPending();
    const message: Message = { topic: this.topic, key: this.keyFor(packed.actor), value: packed.value };
    if (this.stampRecordTime) message.timestamp = BigInt(Math.floor(packed.time));
    this.pending.messages.push(message);
    this.pending.bytes += length;
    this.pending.records += packed.records;
    this.bytesOut += length;
    if (this.pending.bytes >= this.config.batch_bytes) await this.flushPending();
  }

  /** Completed messages wait at most linger_ms for their produce batch to fill (open packed messages are not sent). */
  private lingerIfPending(): void {
    if (this.pending.messages.length > 0 && this.lingerTimer === null) {
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = null;
        this.lingerFlush = this.lingerFlush.then(() => this.flushPending()).catch(() => undefined);
      }, this.config.linger_ms);
    }
  }

  async advance(): Promise<void> {
    if (!this.packer || !this.closeAtWindowEnd) return;
    for (const packed of this.packer.closeAll()) await this.queuePacked(packed);
    this.lingerIfPending();
  }

  async close(): Promise<void> {
    try {
      await this.lingerFlush;
      if (this.packer) for (const packed of this.packer.closeAll()) await this.queuePacked(packed);
      await this.flushPending();
      await this.delivery.drain();
    } finally {
      await this.producer.close().catch(() => undefined);
    }
  }

  async abort(): Promise<void> {
    this.clearLinger();
    this.delivery.abort();
    await new Promise<void>((resolve) => this.producer.close(true, () => resolve()));
  }

  stats(): SinkStats {
    const stats: SinkStats = { bytesOut: this.bytesOut, files: 0, delivery: this.delivery.stats() };
    if (this.packer) stats.messages = this.messagesAcked;
    return stats;
  }

  private keyFor(actor: number): Buffer | undefined {
    if (this.config.key === 'none') return undefined;
    let key = this.keys[actor];
    if (key === undefined) {
      const a = this.actors[actor];
      key = this.keys[actor] = Buffer.from(this.config.key === 'actor' ? a.id : a.account_id);
    }
    return key;
  }

  private async flushPending(): Promise<void> {
    this.clearLinger();
    const { messages, bytes, records } = this.pending;
    if (messages.length === 0) return;
    this.pending = { messages: [], bytes: 0, records: 0 };
    await this.delivery.submit(messages, this.packer ? records : messages.length, bytes);
  }

  private clearLinger(): void {
    if (this.lingerTimer !== null) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
  }

  private async produce(messages: Message[]): Promise<void> {
    if (this.config.create_topic) {
      await this.topicReady();
    }
    try {
      await this.producer.send({ messages });
      this.messagesAcked += messages.length;
    } catch (err) {
      const reason = describeError(err);
      if (/larger than the max message size/.test(reason)) {
        throw new PermanentError(`${reason} (lower batch_bytes below the broker's message.max.bytes, or compress)`, { cause: err });
      }
      if (isPermanent(err)) throw new PermanentError(reason, { cause: err });
      throw new Error(describeError(err), { cause: err });
    }
  }

  /**
   * Waits (up to LEADER_WAIT_MS) until every partition of a topic just created has a leader: sends before that are
   * answered with retriable errors (seen: 90 retries in the first 3 s of a run). After the wait, sends retry anyway.
   */
  private async leadersKnown(admin: Admin, partitions: number): Promise<void> {
    const deadline = Date.now() + LEADER_WAIT_MS;
    while (Date.now() < deadline) {
      const metadata = await admin.metadata({ topics: [this.topic], forceUpdate: true }).catch(() => null);
      const topic = metadata?.topics.get(this.topic);
      if (topic && topic.partitionsCount >= partitions && topic.partitions.every((p) => p && p.leader >= 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async createTopic(): Promise<void> {
    const { partitions, replication_factor } = this.config.create_topic!;
    const admin = new Admin({ ...this.connection, clientId: `${this.config.client_id}-admin` });
    try {
      await admin.createTopics({ topics: [this.topic], partitions, replicas: replication_factor }).catch((err: unknown) => {
        if (!/already exists/i.test(describeError(err))) throw err;
      });
      await this.leadersKnown(admin, partitions);
    } finally {
      await admin.close().catch(() => undefined);
    }
  }
}

/** The client's errors nest the broker's reasons; one line with all of them says what went wrong. */
function describeError(err: unknown): string {
  const parts: string[] = [];
  const visit = (e: unknown, depth: number) => {
    if (depth > 4 || !(e instanceof Error)) return;
    parts.push(e.message);
    const nested = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(nested)) nested.slice(0, 3).forEach((n) => visit(n, depth + 1));
    if (e.cause) visit(e.cause, depth + 1);
  };
  visit(err, 0);
  return [...new Set(parts)].join(': ') || String(err);
}

/** Authentication, authorization and certificate failures, and batches the broker finds too large, do not heal by retrying. */
function isPermanent(err: unknown): boolean {
  return /SASL|[Aa]uthenticat|[Aa]uthoriz|TOPIC_AUTHORIZATION|UNSUPPORTED_SASL|larger than the max message size/.test(describeError(err)) || isCertificateError(err);
}
