/**
 * Kafka input: one member of a consumer group subscribed to every topic matching a pattern. Topics created later
 * are picked up at the next refresh (the member re-joins with the new list; a new topic is read from its earliest
 * offset, a known one from the group's committed offset). Messages gather into batches; a batch's offsets are
 * committed only after the database committed it, so a crash or rebalance replays at most uncommitted batches, which
 * the store's (source, record id, time) key makes harmless.
 */
import { Admin, Consumer, type Message as KafkaMessage, type MessagesStream } from '@platformatic/kafka';
import type { SiemConfig } from '../config.js';
import type { SiemMetrics } from '../metrics.js';
import type { Ingest, IngestBatch, IngestLog } from './ingest.js';

type KafkaConfig = NonNullable<SiemConfig['kafka']>;

/** Messages handled between two turns of the event loop. */
const TURN_EVERY = 2000;

/** Whether a broker answers (before anything is created: a service that cannot consume writes nothing). */
export async function probeKafka(config: KafkaConfig): Promise<void> {
  const admin = new Admin({ clientId: config.client_id, bootstrapBrokers: config.brokers, retries: 2, retryDelay: 500 });
  try {
    await admin.listTopics();
  } finally {
    await admin.close().catch(() => {});
  }
}

export class KafkaInput {
  private readonly consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;
  private readonly admin: Admin;
  private readonly pattern: RegExp;
  private stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | null = null;
  private topics: string[] = [];
  /** The batch being built, the newest message of each partition in it (by topic, then partition), how many messages it took. */
  private building: IngestBatch | null = null;
  private last = new Map<string, KafkaMessage<Buffer, Buffer, Buffer, Buffer>[]>();
  private readonly sources = new Map<string, string>();
  private messages = 0;
  private sinceTurn = 0;
  private flushing: Promise<void> = Promise.resolve();
  /** Batches prepared and not yet written. */
  private queued = 0;
  /** Batches writing now, and those waiting for a slot. */
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private refresher: NodeJS.Timeout | null = null;
  private closed = false;
  /** A refresh is running (the timer's next one skips; one subscription at a time). */
  private refreshing = false;
  /** Whether the brokers have answered a topic listing (readiness). */
  ready = false;

  constructor(
    private readonly config: KafkaConfig,
    private readonly batch: SiemConfig['ingest'],
    private readonly ingest: Ingest,
    private readonly metrics: SiemMetrics,
    private readonly log: IngestLog,
  ) {
    this.pattern = new RegExp(`^(?:${config.topics})$`);
    const base = { clientId: config.client_id, bootstrapBrokers: config.brokers, retries: 5, retryDelay: 500 };
    this.admin = new Admin(base);
    this.consumer = new Consumer({
      ...base,
      groupId: config.group,
      sessionTimeout: config.session_timeout_ms,
      heartbeatInterval: Math.max(1000, Math.floor(config.session_timeout_ms / 5)),
      rebalanceTimeout: 30_000,
      autocommit: false,
      maxWaitTime: 250,
      maxBytes: 16 * 1024 * 1024,
    });
  }

  async start(): Promise<void> {
    await this.refresh();
    this.refresher = setInterval(() => void this.refresh().catch((err: Error) => this.log(`seclog siem: kafka topic refresh failed: ${err.message}`)), this.config.refresh_ms);
    this.consumer.on('consumer:lag', (lag) => {
      for (const [topic, partitions] of lag) this.metrics.lag.set({ topic }, Number(partitions.reduce((a, b) => a + (b > 0n ? b : 0n), 0n)));
    });
  }

  /** A topic's source, worked out once per topic (not per message). */
  private sourceOf(topic: string): string {
    let source = this.sources.get(topic);
    if (source === undefined) {
      source = topic.startsWith(this.config.topic_prefix) ? topic.slice(this.config.topic_prefix.length) : topic;
      this.sources.set(topic, source);
    }
    return source;
  }

  /** Lists the topics; when the matching set changed, re-subscribes (the batch in hand is written first). */
  private async refresh(): Promise<void> {
    if (this.closed || this.refreshing) return;
    this.refreshing = true;
    try {
      await this.resubscribe();
    } finally {
      this.refreshing = false;
    }
  }

  private async resubscribe(): Promise<void> {
    const topics = (await this.admin.listTopics()).filter((t) => this.pattern.test(t)).sort();
    // The brokers answer: ready, with or without a topic to consume yet.
    this.ready = true;
    if (topics.join('\n') === this.topics.join('\n') || this.closed) return;
    this.topics = topics;
    await this.closeStream();
    if (topics.length === 0) return;
    this.log(`seclog siem: consuming ${topics.length} topic${topics.length === 1 ? '' : 's'}: ${topics.join(', ')}`);
    const stream = await this.consumer.consume({ topics, mode: 'committed', fallbackMode: 'earliest', autocommit: false });
    this.stream = stream;
    this.consumer.stopLagMonitoring();
    this.consumer.startLagMonitoring({ topics }, 5_000);
    stream.on('data', (m: KafkaMessage<Buffer, Buffer, Buffer, Buffer>) => this.onMessage(m));
    stream.on('error', (err: Error) => this.restart(stream, err));
  }

  /**
   * A stream that failed (a topic created a moment ago has no leader yet; the broker went away) is closed after its
   * batch is written, and the next refresh subscribes again from the committed offsets.
   */
  private restart(stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>, err: Error & { errors?: Error[] }): void {
    const detail = err.errors?.map((e) => e.message).join('; ');
    this.log(`seclog siem: kafka stream failed (${err.message}${detail ? `: ${detail}` : ''}); subscribing again`);
    if (this.stream !== stream) return;
    this.topics = [];
    void this.closeStream()
      .then(() => new Promise((r) => setTimeout(r, 1000)))
      .then(() => this.refresh())
      .catch((e: Error) => this.log(`seclog siem: kafka subscribe failed: ${e.message}`));
  }

  private onMessage(m: KafkaMessage<Buffer, Buffer, Buffer, Buffer>): void {
    if (m.value !== null && m.value !== undefined && m.value.length > 0) {
      (this.building ??= this.ingest.batch()).add({ source: this.sourceOf(m.topic), text: m.value.toString('utf8'), reference: Number(m.timestamp) });
    }
    let partitions = this.last.get(m.topic);
    if (partitions === undefined) this.last.set(m.topic, (partitions = []));
    const seen = partitions[m.partition];
    if (seen === undefined || seen.offset < m.offset) partitions[m.partition] = m;
    if (++this.messages >= this.batch.batch_records) void this.flush();
    else if (this.timer === null) this.timer = setTimeout(() => void this.flush(), this.batch.batch_ms);
    // A stream in flowing mode emits what it holds without pause; so that writes start and COPY data flows to the
    // database meanwhile, it stops every few thousand messages for one turn of the event loop.
    if (++this.sinceTurn >= TURN_EVERY) {
      this.sinceTurn = 0;
      const stream = this.stream;
      stream?.pause();
      setImmediate(() => {
        if (this.stream === stream && this.queued <= this.batch.writers) stream?.resume();
      });
    }
  }

  /**
   * Hands the batch built so far (each message was normalised and encoded as it came) to a writer, and queues its
   * offsets' commit after it. Up to `writers` batches write at once (the database works on each in its own process);
   * offsets are committed in batch order, each after its own batch and every earlier one are durable. With every
   * writer busy and a batch waiting, the stream pauses.
   */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.messages === 0) return this.flushing;
    const prepared = this.building?.finish() ?? null;
    const last = [...this.last.values()].flatMap((partitions) => partitions.filter((m) => m !== undefined));
    this.building = null;
    this.last = new Map();
    this.messages = 0;
    this.queued++;
    if (this.queued > this.batch.writers) this.stream?.pause();
    const written =
      prepared === null
        ? Promise.resolve({ inserted: 0, duplicates: 0 })
        : this.acquire()
            .then(() => this.ingest.commit(prepared))
            .finally(() => this.release());
    this.flushing = Promise.all([this.flushing, written])
      .then(async ([, result]) => {
        if (result !== null) await this.commitOffsets(last);
      })
      .finally(() => {
        this.queued--;
        if (this.queued <= this.batch.writers) this.stream?.resume();
      });
    return this.flushing;
  }

  /** A writing slot (at most `writers` at once), handed out in the order batches asked. */
  private acquire(): Promise<void> {
    if (this.active < this.batch.writers) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.active--;
  }

  private async commitOffsets(messages: Iterable<KafkaMessage<Buffer, Buffer, Buffer, Buffer>>): Promise<void> {
    await Promise.all(
      [...messages].map(async (m) => {
        try {
          await m.commit();
        } catch (err) {
          // The partition moved to another member, or the broker is away: the next owner replays from the last
          // committed offset, and the store skips what it already has.
          this.metrics.errors.inc({ stage: 'commit' });
          this.log(`seclog siem: committing ${m.topic}[${m.partition}] at ${m.offset + 1n} failed: ${(err as Error).message}`);
        }
      }),
    );
  }

  private async closeStream(): Promise<void> {
    const stream = this.stream;
    if (stream === null) return;
    this.stream = null;
    stream.pause();
    await this.flush();
    await stream.close().catch(() => {});
  }

  /** Writes and commits what it has, leaves the group (its partitions go to the other members), disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.refresher !== null) clearInterval(this.refresher);
    this.consumer.stopLagMonitoring();
    await this.closeStream();
    await this.consumer.close().catch(() => {});
    await this.admin.close().catch(() => {});
  }
}
