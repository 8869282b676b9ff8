/**
 * The S3 output against a real S3-compatible server (S3Proxy from Maven Central, started by
 * scripts/services/s3.sh): multipart uploads of rotated files, Hive partitions by event hour, Parquet readable from
 * the bucket, CloudTrail's AWSLogs layout, and a server restart in the middle of a run that loses nothing.
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPopulationFile, configBesideFile, readAllRecords, runCli, tempDir, writeFile } from './helpers.js';
import { release, server, service } from './services.js';

let dir: string;
let population: string;
let endpoint: string;
let client: S3Client;
/** Buckets are per run: the server keeps data between runs. */
const run = Date.now().toString(36);
const bucket = (name: string) => `seclog-${name}-${run}`;

beforeAll(async () => {
  dir = tempDir();
  let env: Record<string, string>;
  [population, env] = await Promise.all([
    buildPopulationFile(dir, 'seed = 11\n[population]\nactor_count = 300\nservice_ratio = 0.25\naccount_count = 2\n'),
    server('s3'),
  ]);
  endpoint = env.S3_ENDPOINT;
  // The sink finds credentials the way every AWS tool does: here, from the environment.
  process.env.AWS_ACCESS_KEY_ID = env.S3_ACCESS_KEY;
  process.env.AWS_SECRET_ACCESS_KEY = env.S3_SECRET_KEY;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: env.S3_ACCESS_KEY, secretAccessKey: env.S3_SECRET_KEY } });
}, 16 * 60_000);

afterAll(async () => {
  client?.destroy();
  await release('s3');
}, 60_000);

function config(name: string, s3: string, traffic?: string): { cfg: string; fileDir: string } {
  return configBesideFile({ dir, name, population, traffic, output: `type = "s3"\nendpoint = ${JSON.stringify(endpoint)}\ncreate_bucket = true\n${s3}` });
}

async function listKeys(bucket: string, prefix: string): Promise<{ key: string; size: number; etag: string }[]> {
  const keys: { key: string; size: number; etag: string }[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) keys.push({ key: o.Key!, size: o.Size!, etag: o.ETag! });
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

async function getObject(bucket: string, key: string): Promise<Buffer> {
  const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await r.Body!.transformToByteArray());
}

async function recordsUnder(bucket: string, prefix: string): Promise<{ key: string; records: Record<string, unknown>[] }[]> {
  const out = [];
  for (const { key } of await listKeys(bucket, prefix)) {
    const raw = await getObject(bucket, key);
    const text = (key.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    out.push({ key, records: text.split('\n').filter((l) => l).map((l) => JSON.parse(l) as Record<string, unknown>) });
  }
  return out;
}

describe('s3 output', () => {
  it('uploads JSONL in Hive partitions by event hour, every record once, multipart for large files', async () => {
    const { cfg, fileDir } = config('hive', `bucket = "${bucket('hive')}"\nprefix = "lake/raw"\nrotation = { target_size_mb = 12 }\nformat = { type = "jsonl" }\npart_size_mb = 5`);
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T16:00:00Z', '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    const generated = readAllRecords(fileDir);
    expect(generated.length).toBeGreaterThan(20_000);
    const objects = await recordsUnder(bucket('hive'), 'lake/raw/');
    const keyPattern = /^lake\/raw\/source=cloudtrail\/date=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/cloudtrail-[0-9TZ-]+-\d{6}\.jsonl$/;
    const hours = new Set<string>();
    for (const { key, records } of objects) {
      const m = keyPattern.exec(key);
      expect(m, key).not.toBeNull();
      hours.add(`${m![1]}T${m![2]}`);
      // Every record sits in the partition of its own event hour.
      for (const rec of records) expect((rec.eventTime as string).slice(0, 13)).toBe(`${m![1]}T${m![2]}`);
    }
    expect(hours.size).toBe(16);
    const uploaded = objects.flatMap((o) => o.records.map((x) => x.eventID as string));
    expect(uploaded).toHaveLength(generated.length);
    expect(new Set(uploaded)).toEqual(new Set(generated.map((g) => g.eventID as string)));
    // Busy hours outgrow one 5 MiB part: S3 reports multipart ETags as "<md5>-<parts>".
    const largest = (await listKeys(bucket('hive'), 'lake/raw/')).sort((a, b) => b.size - a.size)[0];
    expect(largest.size).toBeGreaterThan(5 * 1024 * 1024);
    expect(largest.etag).toMatch(/-[2-9]"$/);
    expect(r.stderr).toMatch(/output +s3: jsonl to s3:\/\/seclog-hive-\w+\/lake\/raw at http.*, (\d+) acknowledged of \1 sent, 0 retried, 0 failed/);
  });

  it('uploads Parquet that DuckDB reads from the partitions with the same records', async () => {
    const { cfg, fileDir } = config('parquet', `bucket = "${bucket('parquet')}"\nrotation = { target_size_mb = 64 }\nformat = { type = "parquet" }`);
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T03:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    const generated = readAllRecords(fileDir);
    const keys = await listKeys(bucket('parquet'), '');
    expect(keys.length).toBeGreaterThanOrEqual(3);
    const local = tempDir('seclog-s3-parquet-');
    for (const { key } of keys) {
      expect(key).toMatch(/^source=cloudtrail\/date=2025-12-01\/hour=0[0-2]\/cloudtrail-.*\.parquet$/);
      const path = join(local, key);
      (await import('node:fs')).mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, await getObject(bucket('parquet'), key));
    }
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = await (await db.runAndReadAll(`SELECT eventID, hour FROM read_parquet('${local}/**/*.parquet', hive_partitioning = true)`)).getRowObjects();
    expect(rows).toHaveLength(generated.length);
    expect(new Set(rows.map((x) => x.eventID))).toEqual(new Set(generated.map((g) => g.eventID)));
    expect(new Set(rows.map((x) => Number(x.hour)))).toEqual(new Set([0, 1, 2]));
  });

  it('writes CloudTrail delivery files under AWSLogs/<account>/CloudTrail/<region>/…', async () => {
    const { cfg, fileDir } = config('awslogs', `bucket = "${bucket('trail')}"\nprefix = "org"\nrotation = { target_size_mb = 64 }\nformat = { type = "cloudtrail_delivery" }`);
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T01:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    const generated = readAllRecords(fileDir);
    const keys = await listKeys(bucket('trail'), 'org/');
    expect(keys.length).toBeGreaterThan(4);
    let count = 0;
    for (const { key } of keys) {
      expect(key).toMatch(/^org\/AWSLogs\/\d{12}\/CloudTrail\/[a-z]{2}-[a-z]+-\d\/2025\/12\/01\/\d{12}_CloudTrail_[a-z]{2}-[a-z]+-\d_20251201T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/);
      const body = JSON.parse(gunzipSync(await getObject(bucket('trail'), key)).toString('utf8')) as { Records: unknown[] };
      count += body.Records.length;
    }
    expect(count).toBe(generated.length);
  });

  it('takes credentials from a named profile of the shared credentials file', async () => {
    const credentials = writeFile(dir, 'aws-credentials', `[seclog-test]\naws_access_key_id = ${process.env.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${process.env.AWS_SECRET_ACCESS_KEY}\n`);
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
    try {
      const { cfg, fileDir } = config('profile', `bucket = "${bucket('profile')}"\nprofile = "seclog-test"\npartitioning = "none"\nrotation = { target_size_mb = 64 }\nformat = { type = "jsonl", compression = "gzip" }`);
      const r = await runCli(['gen', '--config', cfg, '--max-events', '500']);
      expect(r.code, r.stderr).toBe(0);
      const uploaded = (await recordsUnder(bucket('profile'), '')).flatMap((o) => o.records.map((x) => x.eventID));
      expect(new Set(uploaded)).toEqual(new Set(readAllRecords(fileDir).map((g) => g.eventID)));
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    }
  });

  it('loses nothing when the server restarts in the middle of a run', async () => {
    const traffic = 'start_time = "2025-12-01T00:00:00Z"\ntime_scale = 1\nmode = "constant"\nevents_per_second = 2500';
    const staging = join(dir, 'restart-staging', 'not-yet-there');
    const { cfg, fileDir } = config('restart', `bucket = "${bucket('restart')}"\npartitioning = "none"\nrotation = { target_size_mb = 2 }\nformat = { type = "jsonl" }\nstaging_dir = ${JSON.stringify(staging)}`, traffic);
    const run = runCli(['gen', '--config', cfg, '--max-events', '35000']);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await service('s3', 'restart');
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    const generated = readAllRecords(fileDir);
    expect(generated).toHaveLength(35000);
    const uploaded = (await recordsUnder(bucket('restart'), '')).flatMap((o) => o.records.map((x) => x.eventID));
    expect(new Set(uploaded)).toEqual(new Set(generated.map((g) => g.eventID)));
    // Uploaded files leave the staging directory; temporary files never reach the bucket.
    expect((await import('node:fs')).readdirSync(staging)).toEqual([]);
    console.log(`s3 restart: ${r.stderr.split('\n').filter((l) => l.includes('output')).join(' | ')}`);
  });
});
