/**
 * Our Parquet encoder against DuckDB's JSONL→Parquet conversion, one thread each, on the same generated records;
 * then checks both files hold the same rows.
 *   npx tsx bench/dev/parquet-cost.ts [MB]
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actorsConfigSchema } from '../../src/population/config.js';
import { genConfigSchema } from '../../src/config/gen-config.js';
import { validate } from '../../src/util/validate.js';
import { columnsLiteral, duckdb, sqlString } from '../../src/encode/parquet/duckdb.js';
import { ParquetFileWriter } from '../../src/encode/parquet/file-writer.js';
import { compressor, encodeColumns, PageEncoder } from '../../src/encode/parquet/pages.js';
import { Shredder } from '../../src/encode/parquet/shredder.js';
import { generate } from '../../src/engine/run.js';
import { buildPopulation } from '../../src/population/build.js';
import { DEFAULT_ROW_GROUP_ROWS } from '../../src/sinks/file/config.js';
import { blockRows } from '../../src/sinks/file/parquet-sink.js';
import { recordStart, type RecordBatch, type RecordSink } from '../../src/sinks/sink.js';
import { cloudTrailParquet, CLOUDTRAIL_COLUMNS } from '../../src/sources/cloudtrail/parquet.js';
import { BENCH_ACTORS } from '../spec.js';

const mb = Number(process.argv[2] ?? 64);
const population = buildPopulation(validate(actorsConfigSchema, BENCH_ACTORS, 'bench'), 1);
const chunks: Buffer[] = [];
const actors: number[] = [];
let size = 0;
class Collect implements RecordSink {
  async write(b: RecordBatch) {
    for (let i = b.from; i < b.to && size < mb * 1e6; i++) {
      const line = Buffer.from(b.bytes.subarray(recordStart(b, i), b.ends[i]));
      chunks.push(line);
      actors.push(b.actors[i]);
      size += line.length;
    }
  }
  async advance() {}
  async close() {}
  async abort() {}
  stats() {
    return { bytesOut: 0, files: 0 };
  }
}
const config = validate(genConfigSchema, { seed: 1, traffic: { start_time: '2025-12-01T00:00:00Z', time_scale: 0 }, output: { dir: '/tmp', rotation: { target_size_mb: 64 }, format: { type: 'jsonl' } }, source: { type: 'cloudtrail', curated: true, actor_population_path: '-' } }, 'x');
await generate({ config, population, workers: 2, maxEvents: Math.ceil((mb * 1e6) / 1400), metricsIntervalMs: 1e9, sink: new Collect() });
const dir = mkdtempSync(join(tmpdir(), 'seclog-pqcost-'));
const input = join(dir, 'records.jsonl');
const bytes = Buffer.concat(chunks);
writeFileSync(input, bytes);
const rows = chunks.length;
const report = (name: string, seconds: number, file: string) =>
  console.log(`${name.padEnd(40)} ${(size / 1e6 / seconds).toFixed(0).padStart(5)} MB/s ${(rows / seconds / 1000).toFixed(0).padStart(5)}k rows/s  ${(statSync(file).size / 1e6).toFixed(1)} MB`);

const ours = join(dir, 'ours.parquet');
// Pages as the sink cuts them for 64 MB files.
const rowsPerPage = blockRows(64 << 20, 'zstd', DEFAULT_ROW_GROUP_ROWS);
for (const level of (process.env.LEVELS ?? "1,3").split(",").map(Number)) {
  const compress = compressor('zstd', level);
  if (typeof compress === 'string') throw new Error(compress);
  const shredder = new Shredder(cloudTrailParquet, population.actors);
  const encoder = new PageEncoder(compress, rowsPerPage >> 1);
  for (let round = 0; round < 2; round++) {
    const handle = await open(ours, 'w');
    const writer = new ParquetFileWriter(handle, shredder.schema, shredder.leaves, 'zstd', compress);
    let slot = 0;
    let shred = 0;
    const t0 = performance.now();
    let start = 0;
    for (let i = 0; i < rows; i++) {
      const t = performance.now();
      shredder.add(bytes, start, start + chunks[i].length, actors[i]);
      shred += performance.now() - t;
      start += chunks[i].length;
      if (shredder.rows === rowsPerPage || i === rows - 1) {
        writer.addPages(encodeColumns(shredder, encoder, slot++), shredder.rows);
        shredder.reset();
      }
    }
    await writer.finish();
    await handle.close();
    if (round === 1) report(`ours, zstd ${level} (shred ${(rows / shred).toFixed(0)}k rows/s)`, (performance.now() - t0) / 1000, ours);
  }
}
const conn = await duckdb();
await conn.run('SET threads = 1');
const columns = columnsLiteral(CLOUDTRAIL_COLUMNS.map((c) => [c.name, c.type] as const));
const source = `read_json(${sqlString(input)}, format = 'newline_delimited', columns = ${columns})`;
const theirs = join(dir, 'duckdb.parquet');
const t0 = performance.now();
await conn.run(`COPY (SELECT * FROM ${source}) TO ${sqlString(theirs)} (FORMAT parquet, COMPRESSION zstd)`);
report('DuckDB read_json → COPY, zstd (records only)', (performance.now() - t0) / 1000, theirs);
const names = CLOUDTRAIL_COLUMNS.map((c) => `"${c.name}"`).join(', ');
const diff = await conn.runAndReadAll(`SELECT count(*) FROM ((SELECT ${names} FROM read_parquet(${sqlString(ours)})) EXCEPT ALL (SELECT ${names} FROM ${source}))`);
console.log(`rows of ours not in DuckDB's read of the JSONL: ${diff.getRows()[0][0]}`);
conn.closeSync();
rmSync(dir, { recursive: true, force: true });
