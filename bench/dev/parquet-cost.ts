/**
 * Where Parquet conversion time goes: DuckDB converting the same staged JSONL with the plain schema, with the
 * sink's memory limit, and with the sink's full SELECT (envelope columns, actor lookup).
 *   npx tsx bench/dev/parquet-cost.ts [MB]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actorsConfigSchema } from '../../src/config/actors-config.js';
import { genConfigSchema } from '../../src/config/gen-config.js';
import { validate } from '../../src/config/validate.js';
import { columnsLiteral, duckdb, sqlString } from '../../src/encode/parquet/duckdb.js';
import { generate } from '../../src/engine/run.js';
import { buildPopulation } from '../../src/population/build.js';
import { recordStart, type RecordBatch, type RecordSink } from '../../src/sinks/sink.js';
import { cloudTrailSource } from '../../src/sources/cloudtrail/index.js';
import { BENCH_ACTORS } from '../spec.js';

const mb = Number(process.argv[2] ?? 64);
const population = buildPopulation(validate(actorsConfigSchema, BENCH_ACTORS, 'bench'), 1);
const chunks: Buffer[] = [];
let size = 0;
class Collect implements RecordSink {
  async write(b: RecordBatch) {
    for (let i = b.from; i < b.to && size < mb * 1e6; i++) {
      const start = recordStart(b, i);
      const line = Buffer.concat([Buffer.from(`{"_a":${b.actors[i]},`), Buffer.from(b.bytes.subarray(start + 1, b.ends[i]))]);
      chunks.push(line);
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
const input = join(dir, 'staged.jsonl');
writeFileSync(input, Buffer.concat(chunks));
const rows = chunks.length;
const layout = cloudTrailSource.parquet!;
const conn = await duckdb();
const actorCols = columnsLiteral([['i', 'BIGINT'], ...layout.actorColumns]);
const actorsPath = join(dir, 'actors.jsonl');
writeFileSync(actorsPath, population.actors.map((a, i) => JSON.stringify({ i, id: a.id, geo: { country: a.country, city: a.city, latitude: a.latitude, longitude: a.longitude, asn: a.asn, isp: a.isp } })).join('\n'));
const fields = layout.actorColumns.map(([name]) => `'${name}': ${name}`).join(', ');
await conn.run(`SET VARIABLE seclog_actors = (SELECT list({${fields}} ORDER BY i) FROM read_json(${sqlString(actorsPath)}, format = 'newline_delimited', columns = ${actorCols}))`);
const columns = columnsLiteral([['_a', 'BIGINT'], ...layout.columns]);
const source = `read_json(${sqlString(input)}, format = 'newline_delimited', columns = ${columns})`;
async function time(name: string, sql: string, setup: string[] = []) {
  for (const s of setup) await conn.run(s);
  const t0 = performance.now();
  await conn.run(sql);
  const s = (performance.now() - t0) / 1000;
  console.log(`${name.padEnd(48)} ${(size / 1e6 / s).toFixed(0).padStart(5)} MB/s ${(rows / s / 1000).toFixed(0).padStart(5)}k rows/s`);
}
const out = sqlString(join(dir, 'o.parquet'));
const threads = process.env.THREADS ? [`SET threads = ${process.env.THREADS}`] : [];
await time('read_json only (count)', `SELECT count(*) FROM (SELECT * FROM ${source})`, threads);
await time('plain COPY, zstd', `COPY (SELECT * FROM ${source}) TO ${out} (FORMAT parquet, COMPRESSION zstd)`);
await time('plain COPY, zstd, preserve order off', `COPY (SELECT * FROM ${source}) TO ${out} (FORMAT parquet, COMPRESSION zstd)`, ['SET preserve_insertion_order = false']);
await time('sink SELECT, zstd, order kept', `COPY (${layout.select(source, "getvariable('seclog_actors')")}) TO ${out} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`, ['SET preserve_insertion_order = true']);
await time('sink SELECT, zstd, order kept, 512MB', `COPY (${layout.select(source, "getvariable('seclog_actors')")}) TO ${out} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`, ["SET memory_limit = '512MB'"]);
const noLookup = layout.select(source, "getvariable('seclog_actors')").replace(/r\.a\.id/, 'NULL::VARCHAR').replace(/r\.a\.geo/, 'NULL').replace(/, getvariable\('seclog_actors'\)\[_a \+ 1\] AS a/, ', NULL AS a');
await time('sink SELECT without actor lookup, 512MB', `COPY (${noLookup}) TO ${out} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`);
const q = (v: string) => `'${v.replaceAll("'", "''")}'`;
const literal = `[${population.actors.map((a) => `{'id': ${q(a.id)}, 'geo': {'country': ${q(a.country)}, 'city': ${q(a.city)}, 'latitude': ${a.latitude}, 'longitude': ${a.longitude}, 'asn': ${a.asn}, 'isp': ${q(a.isp)}}}`).join(', ')}]`;
await conn.run("SET memory_limit = '1GB'");
await time('sink SELECT, actors as an inline literal, 1GB', `COPY (${layout.select(source, `(${literal})`)}) TO ${out} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`);
await time('sink SELECT without actor lookup, 1GB', `COPY (${noLookup}) TO ${out} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`);
// Actor id and geo written into each staged line as a struct `a` (no lookup in DuckDB).
const inline = join(dir, 'staged-inline.jsonl');
const actorJson = population.actors.map((a) => JSON.stringify({ id: a.id, geo: { country: a.country, city: a.city, latitude: a.latitude, longitude: a.longitude, asn: a.asn, isp: a.isp } }));
writeFileSync(inline, chunks.map((line) => {
  const text = line.toString();
  const comma = text.indexOf(',');
  return `{"a":${actorJson[Number(text.slice(6, comma))]},${text.slice(comma + 1)}`;
}).join(''));
const { ENVELOPE_COLUMNS } = await import('../../src/sources/cloudtrail/parquet.js');
const inlineColumns = columnsLiteral([['a', `STRUCT(${layout.actorColumns.map(([n, t]) => `${n} ${t}`).join(', ')})`], ...layout.columns]);
const inlineSource = `read_json(${sqlString(inline)}, format = 'newline_delimited', columns = ${inlineColumns})`;
const envelope = ENVELOPE_COLUMNS.map((c) => `${c.expression} AS ${c.name}`).join(', ');
await time('actor struct inline in staging, 1GB', `COPY (SELECT ${envelope}, r.* EXCLUDE (a) FROM (SELECT * FROM ${inlineSource}) r) TO ${out} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`);
await time('sink SELECT, zstd, 1GB', `COPY (${layout.select(source, "getvariable('seclog_actors')")}) TO ${out} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`, ["SET memory_limit = '1GB'"]);
await time('sink SELECT, zstd, 1GB, 1 thread', `COPY (${layout.select(source, "getvariable('seclog_actors')")}) TO ${out} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`, ['SET threads = 1']);
await conn.run('SET threads = 2');
await conn.run("SET memory_limit = '512MB'");
await time('sink SELECT, snappy, 512MB', `COPY (${layout.select(source, "getvariable('seclog_actors')")}) TO ${out} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 100000)`);
conn.closeSync();
rmSync(dir, { recursive: true, force: true });
