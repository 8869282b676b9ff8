/**
 * `npm run bench`: the machine's raw ceilings, then every scenario several times (each in its own process), and
 * one table of medians with each scenario as a ratio of its ceiling. Also writes bench/results/latest.json.
 *
 * Events/s and MB/s are measured from a warm-up (bench/spec.ts) to the time limit (bench/scenario.ts); events/s over
 * the whole run, start-up and drain included, is a column too. GC % and peak RSS are over the whole run.
 * Env: BENCH_RUNS (default 3), BENCH_SECONDS per run (default 8), BENCH_ONLY (parts of scenario names, separated by
 * semicolons: the names themselves hold commas).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import { actorsConfigSchema } from '../src/population/config.js';
import { genConfigSchema } from '../src/config/gen-config.js';
import { validate } from '../src/util/validate.js';
import { generate } from '../src/engine/run.js';
import { buildPopulation } from '../src/population/build.js';
import { recordStart, type RecordBatch, type RecordSink } from '../src/sinks/sink.js';
import { BENCH_ACTORS, WARMUP_MS, type ScenarioSpec } from './spec.js';
import { reusingZstd, zstdCompressSync } from '../src/encode/zstd.js';
import { compressor, encodeColumns, PageEncoder } from '../src/encode/parquet/pages.js';
import { ByteWriter } from '../src/encode/byte-writer.js';
import { encoderThreads, formatEncodeCost } from '../src/encode/encoder-threads.js';
import { Shredder } from '../src/encode/parquet/shredder.js';
import { DEFAULT_ROW_GROUP_ROWS } from '../src/sinks/file/config.js';
import { blockRows } from '../src/sinks/file/parquet-sink.js';
import { cloudTrailParquet } from '../src/sources/cloudtrail/parquet.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ONLY = process.env.BENCH_ONLY?.split(';');

interface Result {
  name: string;
  events: number;
  bytes: number;
  bytesOut: number;
  seconds: number;
  /** After the warm-up (bench/scenario.ts). */
  eventsPerSecond: number;
  mbPerSecond: number;
  /** Over the whole run, start-up included. */
  wholeRunEventsPerSecond: number;
  peakRssMb: number;
  gcPercent?: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Captures the first `limit` bytes of real generated JSONL, as the input of the ceiling measurements. */
async function sampleJsonl(limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const sink: RecordSink = {
    async write(batch: RecordBatch) {
      if (size >= limit) return;
      const start = recordStart(batch, batch.from);
      const bytes = batch.bytes.slice(start, batch.ends[batch.to - 1]);
      chunks.push(bytes);
      size += bytes.length;
    },
    async advance() {},
    async close() {},
    async abort() {},
    stats: () => ({ bytesOut: 0, files: 0 }),
  };
  const population = buildPopulation(validate(actorsConfigSchema, BENCH_ACTORS, 'bench'), 1);
  const config = validate(genConfigSchema, { seed: 1, traffic: { start_time: '2025-12-01T00:00:00Z', time_scale: 0 }, output: { dir: '/tmp', rotation: { target_size_mb: 64 }, format: { type: 'jsonl' } }, source: { type: 'cloudtrail', curated: true, actor_population_path: '-' } }, 'bench');
  await generate({ config, population, workers: 1, maxEvents: Math.ceil(limit / 1000), metricsIntervalMs: 60_000, sink });
  const out = new Uint8Array(size);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/** MB/s of `op` over `bytes`-sized inputs, run for about `seconds`. */
function throughput(seconds: number, bytes: number, op: () => void): number {
  op();
  const start = performance.now();
  let done = 0;
  while (performance.now() - start < seconds * 1000) {
    op();
    done += bytes;
  }
  return done / 1e6 / ((performance.now() - start) / 1000);
}

/**
 * The raw encoding ceiling of one core: lay the sample's records down one by one into a 4 MiB buffer (a copy
 * each, plus rewriting each record's eventTime digits and eventID hex — the least per-record work there is) and
 * write full buffers to /dev/null. What a generator with no decisions to make would do.
 */
function encodeLoop(sample: Uint8Array, seconds: number): number {
  const text = new TextDecoder().decode(sample);
  const records: { bytes: Uint8Array; time: number; id: number }[] = [];
  let start = 0;
  for (let end = text.indexOf('\n'); end >= 0 && records.length < 20000; end = text.indexOf('\n', start)) {
    const line = text.slice(start, end + 1);
    records.push({ bytes: new TextEncoder().encode(line), time: line.indexOf('"eventTime":"') + 13, id: line.indexOf('"eventID":"') + 11 });
    start = end + 1;
  }
  const fd = openSync('/dev/null', 'w');
  const buf = new Uint8Array(4 * 1024 * 1024);
  const hex = new TextEncoder().encode('0123456789abcdef');
  let pos = 0;
  let counter = 0;
  let written = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    for (const r of records) {
      if (pos + r.bytes.length > buf.length) {
        writeSync(fd, buf, 0, pos);
        written += pos;
        pos = 0;
      }
      buf.set(r.bytes, pos);
      let c = ++counter;
      for (let i = 18; i >= 0; i -= 3) {
        buf[pos + r.time + i] = 48 + (c % 10);
        c = Math.floor(c / 10);
      }
      for (let i = 0, v = counter * 2654435761; i < 32; i++, v = (v * 1103515245 + 12345) >>> 0) buf[pos + r.id + i + (i >= 8 ? 1 : 0)] = hex[v & 15];
      pos += r.bytes.length;
    }
  }
  closeSync(fd);
  return written / 1e6 / ((performance.now() - t0) / 1000);
}

/** The disk's ceiling: the sample written in 4 MiB chunks to a file in the temp directory (where outputs go). */
function diskLoop(sample: Uint8Array, seconds: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'seclog-disk-'));
  const chunk = sample.subarray(0, 4 * 1024 * 1024);
  let fd = openSync(join(dir, 'f'), 'w');
  let inFile = 0;
  let written = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    writeSync(fd, chunk);
    written += chunk.length;
    inFile += chunk.length;
    if (inFile >= 256 * 1024 * 1024) {
      closeSync(fd);
      fd = openSync(join(dir, `f${written}`), 'w');
      inFile = 0;
    }
  }
  closeSync(fd);
  const rate = written / 1e6 / ((performance.now() - t0) / 1000);
  rmSync(dir, { recursive: true, force: true });
  return rate;
}

/**
 * Our Parquet encoder (shred + zstd pages) on the sample JSONL, one thread, with the sink's block size and the
 * bench population (envelope actor columns filled): MB/s of JSONL input.
 */
function parquetCeiling(sample: Uint8Array): number {
  const compress = compressor('zstd');
  if (typeof compress === 'string') return 0;
  const shredder = new Shredder(cloudTrailParquet, buildPopulation(validate(actorsConfigSchema, BENCH_ACTORS, 'bench'), 1).actors);
  const rowsPerPage = blockRows(64 << 20, 'zstd', DEFAULT_ROW_GROUP_ROWS);
  // Dictionary slots as the sink sizes them.
  const encoder = new PageEncoder(compress, rowsPerPage >> 1);
  // Pages into one reused buffer, as the encode workers write them into their slabs.
  const out = new ByteWriter(1 << 22);
  const pass = () => {
    let start = 0;
    while (start < sample.length) {
      let end = sample.indexOf(10, start);
      if (end < 0) end = sample.length;
      if (end > start) shredder.add(sample, start, end, 0);
      start = end + 1;
      if (shredder.rows === rowsPerPage) {
        out.reset();
        encodeColumns(shredder, encoder, 0, out);
        shredder.reset();
      }
    }
    out.reset();
    encodeColumns(shredder, encoder, 0, out);
    shredder.reset();
  };
  pass(); // warm up
  const t0 = performance.now();
  pass();
  return sample.length / 1e6 / ((performance.now() - t0) / 1000);
}

function ceilings(sample: Uint8Array) {
  const write = encodeLoop(sample, 3);
  const disk = diskLoop(sample, 4);
  const block = sample.subarray(0, 1024 * 1024);
  const gzip6 = throughput(2, block.length, () => zlib.gzipSync(block, { level: 6 }));
  const gzip1 = throughput(2, block.length, () => zlib.gzipSync(block, { level: 1 }));
  // The zstd the compression workers use.
  const zstd = reusingZstd(3) ?? (zstdCompressSync && ((b: Uint8Array) => zstdCompressSync!(b, 3)));
  const zstd3 = zstd ? throughput(2, block.length, () => zstd(block)) : null;
  const ratio = {
    gzip6: block.length / zlib.gzipSync(block, { level: 6 }).length,
    gzip1: block.length / zlib.gzipSync(block, { level: 1 }).length,
    zstd3: zstdCompressSync ? block.length / zstdCompressSync(block, 3).length : null,
  };
  return { encodeLoop: write, disk, gzip6, gzip1, zstd3, ratio, parquet: 0 };
}

function serviceCommand(name: string, command: 'start' | 'stop'): string {
  const script = fileURLToPath(new URL(`../../scripts/services/${name}.sh`, import.meta.url));
  return execFileSync('bash', [script, command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** Starts a server with scripts/services/<name>.sh (installing it on first use); returns its KEY=VALUE lines. */
function startService(name: string): Record<string, string> {
  const out = serviceCommand(name, 'start');
  const pairs = out.split('\n').map((l) => /^([A-Z0-9_]+)=(.*)$/.exec(l.trim()));
  return Object.fromEntries(pairs.filter((m): m is RegExpExecArray => m !== null).map((m) => [m[1], m[2]]));
}

function runScenario(spec: ScenarioSpec): Result {
  const script = fileURLToPath(new URL('./scenario.js', import.meta.url));
  const out = execFileSync(process.execPath, ['--trace-gc', script, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const lines = out.split('\n');
  const result = JSON.parse(lines.find((l) => l.startsWith('{'))!) as Result;
  // --trace-gc lines: "[pid:0xISOLATE]  123 ms: Scavenge 1.2 (3.4) -> 1.1 (3.4) MB, 0.52 / 0.00 ms ..."
  const byIsolate = new Map<string, number>();
  for (const line of lines) {
    const m = /^\[\d+:(0x[0-9a-f]+)\].*?MB, (?:pooled: [\d.]+ MB, )?([\d.]+) \/ [\d.]+ ms/.exec(line);
    if (m) byIsolate.set(m[1], (byIsolate.get(m[1]) ?? 0) + Number(m[2]));
  }
  const worst = Math.max(0, ...byIsolate.values());
  result.gcPercent = (worst / (result.seconds * 1000)) * 100;
  return result;
}

async function main(): Promise<void> {
  const sample = await sampleJsonl(64 * 1024 * 1024);
  const c = ceilings(sample);
  c.parquet = parquetCeiling(sample);
  const workers = Math.min(2, availableParallelism());
  type Planned = ScenarioSpec & { ceiling: number; ceilingName: string };
  const planned: Planned[] = [
    { name: 'jsonl → /dev/null, 1 worker', workers: 1, seconds: SECONDS, output: 'devnull', compression: 'none', ceiling: c.encodeLoop, ceilingName: 'encode loop × 1' },
    { name: `jsonl → /dev/null, ${workers} workers`, workers, seconds: SECONDS, output: 'devnull', compression: 'none', ceiling: c.encodeLoop * workers, ceilingName: `encode loop × ${workers}` },
    { name: `jsonl → files (rotating 256 MiB), ${workers} workers`, workers, seconds: SECONDS, output: 'files', compression: 'none', ceiling: Math.min(c.encodeLoop * workers, c.disk), ceilingName: 'disk write loop' },
    { name: `gzip level 6 → files, ${workers} workers`, workers, seconds: SECONDS, output: 'files', compression: 'gzip', level: 6, ceiling: c.gzip6 * workers, ceilingName: `gzip-6 × ${workers}` },
    { name: `gzip level 1 → files, ${workers} workers`, workers, seconds: SECONDS, output: 'files', compression: 'gzip', level: 1, ceiling: c.gzip1 * workers, ceilingName: `gzip-1 × ${workers}` },
  ];
  // Sources beside CloudTrail, each against CloudTrail on the same output (MB/s: the ratio is theirs to CloudTrail's).
  const ctDevnull = `jsonl → /dev/null, ${workers} workers`;
  const ctFiles = `jsonl → files (rotating 256 MiB), ${workers} workers`;
  planned.push({ name: `okta jsonl → /dev/null, ${workers} workers`, workers, seconds: SECONDS, output: 'devnull', compression: 'none', sources: ['okta'], ceiling: 0, ceilingName: ctDevnull });
  planned.push({ name: `okta jsonl → files, ${workers} workers`, workers, seconds: SECONDS, output: 'files', compression: 'none', sources: ['okta'], ceiling: 0, ceilingName: ctFiles });
  for (const source of ['entra_signin', 'entra_audit']) {
    planned.push({ name: `${source} jsonl → /dev/null, ${workers} workers`, workers, seconds: SECONDS, output: 'devnull', compression: 'none', sources: [source], ceiling: 0, ceilingName: ctDevnull });
    planned.push({ name: `${source} jsonl → files, ${workers} workers`, workers, seconds: SECONDS, output: 'files', compression: 'none', sources: [source], ceiling: 0, ceilingName: ctFiles });
  }
  // Packs: a 1.5 KB CloudTrail-like record (the yardstick for packs against CloudTrail's own writer), and a built-in one.
  const likePack = `pack:${fileURLToPath(new URL('../../bench/packs/cloudtrail-like', import.meta.url))}`;
  planned.push({ name: `pack cloudtrail-like → /dev/null, ${workers} workers`, workers, seconds: SECONDS, output: 'devnull', compression: 'none', sources: [likePack], ceiling: 0, ceilingName: ctDevnull });
  planned.push({ name: `pack cloudtrail-like → files, ${workers} workers`, workers, seconds: SECONDS, output: 'files', compression: 'none', sources: [likePack], ceiling: 0, ceilingName: ctFiles });
  planned.push({ name: `pack nginx-access → files, ${workers} workers`, workers, seconds: SECONDS, output: 'files', compression: 'none', sources: ['pack:nginx-access'], ceiling: 0, ceilingName: ctFiles });
  // Endpoint telemetry (built-in packs): Windows Security and Sysmon, against CloudTrail on the same output.
  for (const source of ['windows-security', 'sysmon']) {
    planned.push({ name: `${source} → /dev/null, ${workers} workers`, workers, seconds: SECONDS, output: 'devnull', compression: 'none', sources: [`pack:${source}`], ceiling: 0, ceilingName: ctDevnull });
    planned.push({ name: `${source} → files, ${workers} workers`, workers, seconds: SECONDS, output: 'files', compression: 'none', sources: [`pack:${source}`], ceiling: 0, ceilingName: ctFiles });
  }
  // Attack scenarios woven in: all those the sources allow, at the default rate and at 24 a day each (~9,000 steps a day).
  const mixed = ['cloudtrail', 'okta', 'pack:windows-security', 'pack:sysmon'];
  planned.push({ name: `cloudtrail + okta + windows → /dev/null, ${workers} workers`, workers, seconds: SECONDS, output: 'devnull', compression: 'none', sources: mixed, ceiling: 0, ceilingName: ctDevnull });
  planned.push({ name: `cloudtrail + okta + windows, scenarios → /dev/null, ${workers} workers`, workers, seconds: SECONDS, output: 'devnull', compression: 'none', sources: mixed, scenarios: { enabled: true }, ceiling: 0, ceilingName: ctDevnull });
  planned.push({ name: `cloudtrail + okta + windows, scenarios ×24 → /dev/null, ${workers} workers`, workers, seconds: SECONDS, output: 'devnull', compression: 'none', sources: mixed, scenarios: { enabled: true, per_day: 24 }, ceiling: 0, ceilingName: ctDevnull });
  planned.push({ name: `cloudtrail + okta + entra jsonl → files, ${workers} workers`, workers, seconds: SECONDS, output: 'files', compression: 'none', sources: ['cloudtrail', 'okta', 'entra_signin', 'entra_audit'], ceiling: 0, ceilingName: ctFiles });
  planned.push({ name: `cloudtrail + okta jsonl → files, ${workers} workers`, workers, seconds: SECONDS, output: 'files', compression: 'none', sources: ['cloudtrail', 'okta'], ceiling: 0, ceilingName: ctFiles });
  // Parquet with the thread split `seclog gen` picks by default: generation workers plus encoder threads = cores.
  const pqWorkers = Math.max(1, Math.round(availableParallelism() / (1 + formatEncodeCost('parquet'))));
  const pqEncoders = encoderThreads(pqWorkers);
  const pqThreads = `${pqWorkers} worker${pqWorkers > 1 ? 's' : ''} + ${pqEncoders} encoder${pqEncoders > 1 ? 's' : ''}`;
  planned.push({ name: `parquet (zstd) → files, ${pqThreads}`, workers: pqWorkers, seconds: SECONDS, output: 'files', format: 'parquet', compression: 'none', targetMb: 64, ceiling: c.parquet * pqEncoders, ceilingName: `Parquet encoder alone × ${pqEncoders}` });
  planned.push({ name: `parquet (zstd, dictionary) → files, ${pqThreads}`, workers: pqWorkers, seconds: SECONDS, output: 'files', format: 'parquet', dictionary: true, compression: 'none', targetMb: 64, ceiling: c.parquet * pqEncoders, ceilingName: `Parquet encoder alone × ${pqEncoders}` });
  if (c.zstd3) planned.push({ name: `zstd level 3 → files, ${workers} workers`, workers, seconds: SECONDS, output: 'files', compression: 'zstd', level: 3, ceiling: c.zstd3 * workers, ceilingName: `zstd-3 × ${workers}` });
  // Delivery to real servers started by the project's scripts; the ceiling is generation alone (same workers).
  const devnull = `jsonl → /dev/null, ${workers} workers`;
  planned.push({ name: `kafka (lz4, idempotent, 6 partitions), ${workers} workers`, workers, seconds: SECONDS, output: 'kafka', compression: 'none', ceiling: 0, ceilingName: devnull });
  planned.push({ name: `kafka (lz4, acks=1, 5 in flight), ${workers} workers`, workers, seconds: SECONDS, output: 'kafka', idempotent: false, compression: 'none', ceiling: 0, ceilingName: devnull });
  planned.push({ name: `s3 (gzip-1 JSONL, hive, 64 MiB objects), ${workers} workers`, workers, seconds: SECONDS, output: 's3', compression: 'gzip', level: 1, targetMb: 64, ceiling: 0, ceilingName: devnull });
  const scenarios = planned.filter((s) => !ONLY || ONLY.some((o) => s.name.includes(o)));
  const services: Record<string, Record<string, string>> = {};
  for (const s of scenarios) {
    if (s.output !== 'kafka' && s.output !== 's3') continue;
    services[s.output] ??= startService(s.output);
    s.service = services[s.output];
  }

  type Row = { scenario: string; eventsPerSecond: number; wholeRunEventsPerSecond: number; mbPerSecond: number; bytesPerEvent: number; outBytesPerEvent: number; peakRssMb: number; gcPercent: number; ceilingMbPerSecond: number; ceiling: string; ratio: number; runs: number[] };
  const rows: Row[] = [];
  // Servers the bench started are stopped when it ends, however it ends.
  process.on('exit', () => Object.keys(services).forEach((name) => serviceCommand(name, 'stop')));
  for (const s of scenarios) {
    if (s.ceiling === 0) s.ceiling = rows.find((r) => r.scenario === s.ceilingName)?.mbPerSecond ?? NaN;
    const runs: Result[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(runScenario(s));
    const row = {
      scenario: s.name,
      eventsPerSecond: median(runs.map((r) => r.eventsPerSecond)),
      wholeRunEventsPerSecond: median(runs.map((r) => r.wholeRunEventsPerSecond)),
      mbPerSecond: median(runs.map((r) => r.mbPerSecond)),
      bytesPerEvent: median(runs.map((r) => r.bytes / r.events)),
      // What reaches the output (compressed, Parquet-encoded): the file size a run costs.
      outBytesPerEvent: median(runs.map((r) => r.bytesOut / r.events)),
      peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
      gcPercent: median(runs.map((r) => r.gcPercent ?? 0)),
      ceilingMbPerSecond: s.ceiling,
      ceiling: s.ceilingName,
      ratio: median(runs.map((r) => r.mbPerSecond)) / s.ceiling,
      runs: runs.map((r) => Number(r.mbPerSecond.toFixed(1))),
    };
    rows.push(row);
    process.stderr.write(`${s.name}: ${row.mbPerSecond.toFixed(0)} MB/s (runs ${row.runs.join(', ')})\n`);
  }

  const machine = `${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  // A ceiling taken from another scenario is unknown when BENCH_ONLY left that scenario out.
  const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '-');
  const table = [
    `seclog bench — ${machine}; median of ${RUNS} runs × ${SECONDS}s (rates after a ${WARMUP_MS / 1000} s warm-up, to the time limit); realistic CloudTrail, 2,000 actors, time_scale 0`,
    `ceilings (one core): encode loop to /dev/null ${fmt(c.encodeLoop)} MB/s; disk write loop ${fmt(c.disk)} MB/s; gzip-6 ${fmt(c.gzip6)} MB/s (ratio ${fmt(c.ratio.gzip6, 1)}); gzip-1 ${fmt(c.gzip1)} MB/s (ratio ${fmt(c.ratio.gzip1, 1)})${c.zstd3 ? `; zstd-3 ${fmt(c.zstd3)} MB/s (ratio ${fmt(c.ratio.zstd3!, 1)})` : ''}; Parquet encoder ${fmt(c.parquet)} MB/s (compressors and the Parquet encoder: input MB/s)`,
    '',
    '| scenario | events/s | MB/s | events/s, start-up included | bytes/event | out bytes/event | peak RSS MB | GC % | ceiling MB/s | ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.scenario} | ${fmt(r.eventsPerSecond)} | ${fmt(r.mbPerSecond)} | ${fmt(r.wholeRunEventsPerSecond)} | ${fmt(r.bytesPerEvent)} | ${fmt(r.outBytesPerEvent)} | ${fmt(r.peakRssMb)} | ${fmt(r.gcPercent, 1)} | ${fmt(r.ceilingMbPerSecond)} (${r.ceiling}) | ${fmt(r.ratio, 2)} |`),
  ].join('\n');
  process.stdout.write(`${table}\n`);
  const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}latest.json`, `${JSON.stringify({ date: new Date().toISOString(), machine, runs: RUNS, seconds: SECONDS, ceilings: c, scenarios: rows }, null, 2)}\n`);
}

await main();
