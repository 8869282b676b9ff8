/**
 * The Kafka output against a real Apache Kafka broker (KRaft), started by scripts/services/kafka.sh from Maven
 * Central artifacts: records arrive complete, keyed and ordered per actor, with every compression; a broker
 * restart in the middle of a run loses nothing.
 */
import { compatibilityPartitioner, Consumer, type Message } from '@platformatic/kafka';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPopulationFile, configBesideFile, type CliResult, outputFiles, readAllRecords, runCli, sourcesConfig, tempDir, writeFile, fileOutputEntry } from './helpers.js';
import { ensureZstd } from '../src/sinks/kafka/zstd.js';
import { release, server, service } from './services.js';

let dir: string;
let population: string;
let bootstrap: string;
let broker: Record<string, string>;

beforeAll(async () => {
  dir = tempDir();
  [population, broker] = await Promise.all([
    buildPopulationFile(dir, 'seed = 9\n[population]\nactor_count = 300\nservice_ratio = 0.25\naccount_count = 3\n'),
    server('kafka'),
  ]);
  bootstrap = broker.KAFKA_BOOTSTRAP;
}, 16 * 60_000);

afterAll(async () => {
  await release('kafka');
}, 60_000);

/** Config with a file output (what the run generated) and this Kafka output; `brokers` defaults to the plain listener. */
function config(name: string, kafka: string, traffic?: string, brokers = bootstrap): { cfg: string; fileDir: string } {
  return configBesideFile({ dir, name, population, traffic, output: `type = "kafka"\nbrokers = [${JSON.stringify(brokers)}]\n${kafka}` });
}

/** Every message of a topic, from the beginning, until `count` have arrived and no more come for a moment. */
async function consumeAll(topic: string, count: number, timeoutMs = 60_000): Promise<Message<string, string, string, string>[]> {
  const consumer = new Consumer({
    clientId: 'seclog-test',
    groupId: `seclog-test-${topic}-${Date.now()}`,
    bootstrapBrokers: [bootstrap],
    deserializers: { key: (b?: Buffer) => b?.toString() ?? '', value: (b?: Buffer) => b?.toString() ?? '', headerKey: (b?: Buffer) => b?.toString() ?? '', headerValue: (b?: Buffer) => b?.toString() ?? '' },
  });
  const messages: Message<string, string, string, string>[] = [];
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false, maxWaitTime: 500 });
  try {
    await new Promise<void>((resolve, reject) => {
      let quiet: NodeJS.Timeout | null = null;
      const deadline = setTimeout(resolve, timeoutMs);
      stream.on('data', (m: Message<string, string, string, string>) => {
        messages.push(m);
        if (messages.length >= count) {
          if (quiet) clearTimeout(quiet);
          quiet = setTimeout(() => {
            clearTimeout(deadline);
            resolve();
          }, 1500);
        }
      });
      stream.on('error', reject);
    });
  } finally {
    await stream.close().catch(() => undefined);
    await new Promise<void>((resolve) => consumer.close(true, () => resolve()));
  }
  return messages;
}

interface CloudTrailRecord {
  eventID: string;
  recipientAccountId: string;
  userIdentity: { arn?: string };
}

/**
 * A run of entra_signin into files and a Kafka output "hub" (records_per_message = 50, one partition: the topic's
 * order is the order produced), plus `extra` outputs; as fast as possible until 04:00, or paced (3600x) until 01:00.
 */
async function packedRun(name: string, run: number, workers: number, opts: { extra?: string; paced?: boolean } = {}): Promise<{ r: CliResult; lines: string[] }> {
  const fileDir = join(dir, name);
  let text = sourcesConfig({
    seed: 4,
    population,
    sources: ['entra_signin'],
    outputs: `${fileOutputEntry(fileDir, 256)}[[outputs]]
type = "kafka"
name = "hub"
brokers = [${JSON.stringify(bootstrap)}]
topic = "${name}-${run}"
records_per_message = 50
create_topic = { partitions = 1 }
${opts.extra ?? ''}`,
  });
  if (opts.paced) text = text.replace('time_scale = 0', 'time_scale = 3600');
  const cfg = writeFile(dir, `${name}.toml`, text);
  const r = await runCli(['gen', '--config', cfg, '--until-time', opts.paced ? '2025-12-01T01:00:00Z' : '2025-12-01T04:00:00Z', '--workers', String(workers)]);
  expect(r.code, r.stderr).toBe(0);
  // The file's lines, as written (the records in the messages must be these bytes).
  const lines = outputFiles(join(fileDir, 'entra_signin')).flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.length > 0));
  return { r, lines };
}

/** A category's records, in the order written. */
function byCategory(lines: readonly string[]): Map<string, string[]> {
  const perCategory = new Map<string, string[]>();
  for (const line of lines) {
    const category = (JSON.parse(line) as { category: string }).category;
    (perCategory.get(category) ?? perCategory.set(category, []).get(category)!).push(line);
  }
  return perCategory;
}

interface Packed {
  records: { category: string; properties: unknown }[];
}

describe('kafka output', () => {
  it('delivers every record once, keyed by actor, each actor in one partition and in generation order', async () => {
    const topic = `ct-order-${Date.now()}`;
    const { cfg, fileDir } = config('order', `topic = "${topic}"\nkey = "actor"\ncompression = "lz4"\ncreate_topic = { partitions = 3 }\nlinger_ms = 2\nbatch_bytes = 65536`);
    const r = await runCli(['gen', '--config', cfg, '--max-events', '20000', '--workers', '2', '--summary-json', join(dir, 'order.json')]);
    expect(r.code, r.stderr).toBe(0);
    // Retries are allowed: right after the topic is created its partition leaders may not be known yet, and the
    // idempotent producer resends without duplicates (checked below by consuming every record once).
    expect(r.stderr).toMatch(/output +kafka: kafka .* 20,000 acknowledged of 20,000 sent, \d+ retried, 0 failed/);
    const generated = readAllRecords(fileDir) as unknown as CloudTrailRecord[];
    expect(generated).toHaveLength(20000);

    const messages = await consumeAll(topic, 20000);
    expect(messages).toHaveLength(20000);
    const received = messages.map((m) => JSON.parse(m.value) as CloudTrailRecord);
    expect(new Set(received.map((x) => x.eventID))).toEqual(new Set(generated.map((x) => x.eventID)));
    // Values are the records exactly as the file has them (one JSON object, no newline).
    const byId = new Map(generated.map((g) => [g.eventID, JSON.stringify(g)]));
    for (const m of messages.slice(0, 500)) expect(m.value).toBe(byId.get((JSON.parse(m.value) as CloudTrailRecord).eventID));

    const partitionsOfKey = new Map<string, Set<number>>();
    const orderOfKey = new Map<string, string[]>();
    for (const m of [...messages].sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset))) {
      expect(m.key).not.toBe('');
      // The Java client's partition for the key: murmur2, made positive, modulo the partition count.
      expect(m.partition).toBe(compatibilityPartitioner({} as never, Buffer.from(m.key)) % 3);
      (partitionsOfKey.get(m.key) ?? partitionsOfKey.set(m.key, new Set()).get(m.key)!).add(m.partition);
      (orderOfKey.get(m.key) ?? orderOfKey.set(m.key, []).get(m.key)!).push((JSON.parse(m.value) as CloudTrailRecord).eventID);
    }
    expect(new Set(messages.map((m) => m.partition)).size).toBe(3);
    expect([...partitionsOfKey.values()].every((p) => p.size === 1)).toBe(true);
    expect(partitionsOfKey.size).toBeGreaterThan(50);
    // Per key, the partition holds the actor's records in the order they were generated.
    const fileOrder = new Map(generated.map((g, i) => [g.eventID, i]));
    for (const ids of orderOfKey.values()) {
      const positions = ids.map((id) => fileOrder.get(id)!);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it('spreads messages without a key over every partition', async () => {
    const topic = `ct-nokey-${Date.now()}`;
    const { cfg } = config('nokey', `topic = "${topic}"\nkey = "none"\ncreate_topic = { partitions = 3 }`);
    const r = await runCli(['gen', '--config', cfg, '--max-events', '3000']);
    expect(r.code, r.stderr).toBe(0);
    const messages = await consumeAll(topic, 3000);
    expect(messages).toHaveLength(3000);
    expect(messages.every((m) => m.key === '')).toBe(true);
    const perPartition = [0, 1, 2].map((p) => messages.filter((m) => m.partition === p).length);
    for (const n of perPartition) expect(n, perPartition.join(', ')).toBeGreaterThan(500);
  });

  it('routes each source of a run to its own topic ({source}): the same records as each source\'s files', async () => {
    const run = Date.now();
    const fileDir = join(dir, 'multi');
    const cfg = writeFile(
      dir,
      'multi.toml',
      sourcesConfig({
        seed: 3,
        population,
        sources: ['cloudtrail', 'okta'],
        outputs: `${fileOutputEntry(fileDir, 256)}[[outputs]]
type = "kafka"
brokers = [${JSON.stringify(bootstrap)}]
topic = "m${run}-{source}"
create_topic = { partitions = 2 }
`,
      }),
    );
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T10:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    for (const source of ['cloudtrail', 'okta']) {
      const records = readAllRecords(join(fileDir, source));
      expect(records.length).toBeGreaterThan(100);
      const messages = await consumeAll(`m${run}-${source}`, records.length);
      expect(messages).toHaveLength(records.length);
      const id = (x: Record<string, unknown>) => String(x.uuid ?? x.eventID);
      expect(new Set(messages.map((m) => id(JSON.parse(m.value) as Record<string, unknown>)))).toEqual(new Set(records.map(id)));
    }
  });

  it('packs Entra sign-ins into Event Hub messages {"records":[…]} (records_per_message = 50), the same at any number of workers', async () => {
    const run = Date.now();
    const { r, lines } = await packedRun('hub2', run, 2, {
      extra: `[[outputs]]
type = "kafka"
name = "small"
brokers = [${JSON.stringify(bootstrap)}]
topic = "small-${run}"
records_per_message = 50
batch_bytes = 16384
key = "none"
`,
    });
    expect(lines.length).toBeGreaterThan(1000);
    const perCategory = byCategory(lines);
    expect(perCategory.size).toBeGreaterThanOrEqual(3);
    // As fast as possible, messages close only when full: each category's records in messages of 50, and one last of the rest.
    const expected = [...perCategory.values()].reduce((n, c) => n + Math.ceil(c.length / 50), 0);
    expect(r.stderr).toMatch(new RegExp(`output +hub: kafka .* topic hub2-${run}, up to 50 records per message \\(the Event Hub form .*\\), ${lines.length.toLocaleString('en-US')} acknowledged of ${lines.length.toLocaleString('en-US')} sent \\(records; ${expected.toLocaleString('en-US')} messages acknowledged\\), \\d+ retried, 0 failed`));

    const messages = await consumeAll(`hub2-${run}`, expected);
    expect(messages).toHaveLength(expected);
    // Each category's records arrive complete, in the order generated, byte for byte as the file has them.
    const cursor = new Map<string, number>();
    for (const m of messages) {
      const body = JSON.parse(m.value) as Packed;
      expect(Object.keys(body)).toEqual(['records']);
      expect(body.records.length).toBeGreaterThanOrEqual(1);
      expect(body.records.length).toBeLessThanOrEqual(50);
      for (const x of body.records) {
        expect(x).toHaveProperty('category');
        expect(x).toHaveProperty('properties');
      }
      const category = body.records[0].category;
      expect(body.records.every((x) => x.category === category)).toBe(true);
      const at = cursor.get(category) ?? 0;
      expect(m.value === `{"records":[${perCategory.get(category)!.slice(at, at + body.records.length).join(',')}]}`, `message ${m.offset}`).toBe(true);
      cursor.set(category, at + body.records.length);
      // Keyed by the message's first record's actor (every record here has one).
      expect(m.key).not.toBe('');
    }
    expect(cursor).toEqual(new Map([...perCategory].map(([c, recs]) => [c, recs.length])));

    // batch_bytes bounds a message: closed early when the next record would not fit.
    const small = await consumeAll(`small-${run}`, Math.ceil(lines.length / 50));
    let records = 0;
    for (const m of small) {
      const n = (JSON.parse(m.value) as Packed).records.length;
      records += n;
      if (n > 1) expect(Buffer.byteLength(m.value)).toBeLessThanOrEqual(16384);
      expect(m.key).toBe('');
    }
    expect(records).toBe(lines.length);
    expect(small.length).toBeGreaterThan(expected);

    // The same config on one worker produces the same messages, in the same order.
    const one = await packedRun('hub1', run, 1);
    expect(one.lines).toEqual(lines);
    const again = await consumeAll(`hub1-${run}`, expected);
    expect(again.map((m) => m.value)).toEqual(messages.map((m) => m.value));
    expect(again.map((m) => m.key)).toEqual(messages.map((m) => m.key));
  });

  it('when pacing, closes messages at the end of every window: smaller messages, the same at any number of workers', async () => {
    const run = Date.now();
    const two = await packedRun('paced2', run, 2, { paced: true });
    const one = await packedRun('paced1', run, 1, { paced: true });
    expect(one.lines).toEqual(two.lines);
    const perCategory = byCategory(two.lines);
    const full = [...perCategory.values()].reduce((n, c) => n + Math.ceil(c.length / 50), 0);
    const messages = await consumeAll(`paced2-${run}`, full, 30_000);
    const records = messages.map((m) => (JSON.parse(m.value) as Packed).records);
    expect(records.reduce((n, r) => n + r.length, 0)).toBe(two.lines.length);
    expect(records.every((r) => r.length >= 1 && r.length <= 50 && r.every((x) => x.category === r[0].category))).toBe(true);
    // An hour in 60 windows of a minute: records of a category share a message only within one window.
    expect(messages.length).toBeGreaterThan(full);
    const again = await consumeAll(`paced1-${run}`, messages.length, 30_000);
    expect(again.map((m) => m.value)).toEqual(messages.map((m) => m.value));
  });

  it('under [delivery] delayed, message timestamps are delivery times: minutes after the event, in order', async () => {
    const topic = `ct-delayed-${Date.now()}`;
    const { cfg } = config('delayed', `topic = "${topic}"\ncreate_topic = { partitions = 1 }`);
    appendFileSync(cfg, '\n[delivery]\ndelayed = true\n');
    const r = await runCli(['gen', '--config', cfg, '--max-events', '3000']);
    expect(r.code, r.stderr).toBe(0);
    const messages = await consumeAll(topic, 3000);
    expect(messages.length).toBe(3000);
    const stamps = messages.map((m) => Number(m.timestamp));
    // One partition: the order produced, which is delivery order.
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]).toBeGreaterThanOrEqual(stamps[i - 1]);
    // CloudTrail's declared delay: about five minutes, never more than fifteen (eventTime has whole seconds).
    const delays = messages.map((m, i) => stamps[i] - Date.parse((JSON.parse(m.value) as { eventTime: string }).eventTime)).sort((a, b) => a - b);
    expect(delays[0]).toBeGreaterThan(0);
    expect(delays[delays.length - 1]).toBeLessThanOrEqual(901_000);
    expect(delays[1500]).toBeGreaterThan(240_000);
    expect(delays[1500]).toBeLessThan(360_000);
    // The records' own event time cannot be stamped: they reach outputs at their delivery time.
    const bad = config('delayed-bad', `topic = "${topic}-bad"\nmessage_timestamp = "event_time"`);
    appendFileSync(bad.cfg, '\n[delivery]\ndelayed = true\n');
    const refused = await runCli(['gen', '--config', bad.cfg, '--max-events', '10']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('message_timestamp = "event_time": with [delivery] delayed = true');
  });

  it('produces with gzip, snappy and zstd, keyed by account, readable by a consumer', async () => {
    ensureZstd('test consumer'); // the consumer in this process decompresses zstd too
    for (const compression of ['gzip', 'snappy', 'zstd']) {
      const topic = `ct-${compression}-${Date.now()}`;
      const { cfg, fileDir } = config(`c-${compression}`, `topic = "${topic}"\nkey = "account"\ncompression = "${compression}"\nmessage_timestamp = "event_time"`);
      const r = await runCli(['gen', '--config', cfg, '--max-events', '3000']);
      expect(r.code, r.stderr).toBe(0);
      const generated = readAllRecords(fileDir) as unknown as CloudTrailRecord[];
      const messages = await consumeAll(topic, 3000);
      expect(messages.length, compression).toBe(3000);
      const accounts = new Set(generated.map((g) => g.recipientAccountId));
      expect(new Set(messages.map((m) => m.key))).toEqual(accounts);
      expect(new Set(messages.map((m) => (JSON.parse(m.value) as CloudTrailRecord).eventID))).toEqual(new Set(generated.map((g) => g.eventID)));
      // Kafka timestamps are the records' event times (eventTime has whole seconds; the timestamp keeps ms).
      for (const m of messages) {
        const eventTime = Date.parse((JSON.parse(m.value) as { eventTime: string }).eventTime);
        expect(Math.floor(Number(m.timestamp) / 1000) * 1000).toBe(eventTime);
      }
    }
  });

  it('loses nothing when the broker restarts in the middle of a run', async () => {
    const topic = `ct-restart-${Date.now()}`;
    // Paced to the wall clock: ~2,000 events/s for ~16 s, so the restart falls in the middle.
    const traffic = 'start_time = "2025-12-01T00:00:00Z"\ntime_scale = 1\nmode = "constant"\nevents_per_second = 2000';
    const { cfg, fileDir } = config('restart', `topic = "${topic}"\ncreate_topic = { partitions = 3 }\ndelivery_timeout_ms = 180000`, traffic);
    const run = runCli(['gen', '--config', cfg, '--max-events', '32000', '--metrics-interval-ms', '2000']);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await service('kafka', 'restart');
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    const generated = readAllRecords(fileDir) as unknown as CloudTrailRecord[];
    expect(generated).toHaveLength(32000);
    const messages = await consumeAll(topic, 32000);
    const ids = new Set(messages.map((m) => (JSON.parse(m.value) as CloudTrailRecord).eventID));
    const missing = generated.filter((g) => !ids.has(g.eventID)).length;
    expect(missing).toBe(0);
    // At-least-once: a batch retried after the restart may arrive twice, never not at all.
    expect(messages.length).toBeGreaterThanOrEqual(32000);
    console.log(`restart: ${messages.length - 32000} duplicates; ${r.stderr.split('\n').filter((l) => l.includes('output')).join(' | ')}`);
  });

  it('authenticates with SASL (SCRAM-SHA-512, PLAIN with the password from the environment) and verifies TLS', async () => {
    process.env.SECLOG_TEST_KAFKA_PASSWORD = broker.KAFKA_SASL_PASSWORD;
    const cases = [
      ['scram', broker.KAFKA_SASL_BOOTSTRAP, `sasl = { mechanism = "SCRAM-SHA-512", username = "${broker.KAFKA_SASL_USER}", password = "${broker.KAFKA_SASL_PASSWORD}" }`],
      ['plain', broker.KAFKA_SASL_BOOTSTRAP, `sasl = { mechanism = "PLAIN", username = "${broker.KAFKA_SASL_USER}", password = { env = "SECLOG_TEST_KAFKA_PASSWORD" } }`],
      ['tls', broker.KAFKA_SSL_BOOTSTRAP, `tls = { ca_file = ${JSON.stringify(broker.KAFKA_CA)} }`],
    ];
    for (const [name, brokers, settings] of cases) {
      const topic = `ct-${name}-${Date.now()}`;
      const { cfg } = config(`auth-${name}`, `topic = "${topic}"\n${settings}`, undefined, brokers);
      const r = await runCli(['gen', '--config', cfg, '--max-events', '500']);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(await consumeAll(topic, 500, 20_000), name).toHaveLength(500);
    }
  });

  it('fails at once, saying why, on a wrong password, an unverifiable certificate or a batch the broker refuses', async () => {
    const cases = [
      ['badpass', broker.KAFKA_SASL_BOOTSTRAP, 'sasl = { mechanism = "SCRAM-SHA-256", username = "seclog", password = "wrong" }', /SASL authentication failed/],
      ['noca', broker.KAFKA_SSL_BOOTSTRAP, 'tls = true', /self.signed certificate/],
      ['toolarge', bootstrap, 'key = "account"\nbatch_bytes = 8388608', /larger than the max message size .*lower batch_bytes/],
    ] as const;
    for (const [name, brokers, settings, reason] of cases) {
      const { cfg } = config(`auth-${name}`, `topic = "ct-${name}"\n${settings}`, undefined, brokers);
      const started = Date.now();
      const r = await runCli(['gen', '--config', cfg, '--max-events', name === 'toolarge' ? '8000' : '200']);
      expect(r.code, name).not.toBe(0);
      expect(r.stderr, name).toMatch(/output kafka: [\d,]+ records not delivered \(rejected: /);
      expect(r.stderr, name).toMatch(reason);
      expect(Date.now() - started, name).toBeLessThan(30_000);
    }
  });

  it('fails loudly, with counts, when the broker never comes back', async () => {
    const { cfg } = config('down', 'topic = "ct-down"\ndelivery_timeout_ms = 3000\nrequest_timeout_ms = 1000', undefined, '127.0.0.1:1');
    const r = await runCli(['gen', '--config', cfg, '--max-events', '2000']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).toMatch(/output kafka: [\d,]+ records not delivered \(not acknowledged within 3s: .*\); 0 of [\d,]+ sent were acknowledged/);
  });
});
