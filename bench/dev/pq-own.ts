import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { actorsConfigSchema } from '../../src/config/actors-config.js';
import { validate } from '../../src/config/validate.js';
import { columnsLiteral, duckdb, sqlString } from '../../src/encode/parquet/duckdb.js';
import { ParquetFileWriter } from '../../src/encode/parquet/file-writer.js';
import { compressor, encodePage, type ParquetCompression } from '../../src/encode/parquet/pages.js';
import { Shredder } from '../../src/encode/parquet/shredder.js';
import { buildPopulation } from '../../src/population/build.js';
import { cloudTrailParquet, CLOUDTRAIL_COLUMNS } from '../../src/sources/cloudtrail/parquet.js';
import { BENCH_ACTORS } from '../spec.js';

const population = buildPopulation(validate(actorsConfigSchema, BENCH_ACTORS, 'bench'), 1);
const input = '/tmp/pq/staged.jsonl';
const buf = readFileSync(input);
const kind = (process.env.CODEC ?? 'zstd') as ParquetCompression;
const compress = compressor(kind);
if (typeof compress === 'string') throw new Error(compress);
const shredder = new Shredder(cloudTrailParquet, population.actors);
const out = '/tmp/pq/own.parquet';
const handle = await open(out, 'w');
const writer = new ParquetFileWriter(handle, shredder.schema, shredder.leaves, kind);
const PAGE = Number(process.env.PAGE ?? 16384);
let rows = 0;
let tShred = 0, tEncode = 0;
const t0 = performance.now();
let p = 0;
let t = performance.now();
while (p < buf.length) {
  const nl = buf.indexOf(10, p);
  const end = nl < 0 ? buf.length : nl;
  // {"_a":N,
  let a = 0;
  let q = p + 6;
  while (buf[q] !== 44) a = a * 10 + buf[q++] - 48;
  shredder.add(buf, p, end, a);
  rows++;
  p = end + 1;
  if (shredder.rows === PAGE || p >= buf.length) {
    const t1 = performance.now();
    tShred += t1 - t;
    const pages = shredder.columns.map((c) => encodePage(c, compress));
    writer.addPages(pages, shredder.rows);
    shredder.reset();
    if (writer.rowsInGroup >= 100_000) await writer.endRowGroup();
    t = performance.now();
    tEncode += t - t1;
  }
}
await writer.finish();
await handle.close();
const s = (performance.now() - t0) / 1000;
console.log(`rows ${rows}: ${(rows / s / 1000).toFixed(0)}k rows/s, ${(buf.length / 1e6 / s).toFixed(0)} MB/s; shred ${(rows / tShred).toFixed(0)}k rows/s, encode ${(rows / tEncode).toFixed(0)}k rows/s; size ${(await import('node:fs')).statSync(out).size}`);
if (process.env.CHECK !== '0') {
  const conn = await duckdb();
  const d = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(out)})`);
  if (process.env.SHOW) console.log(d.getRows().map((r) => `${r[0]} ${r[1]}`).join('\n'));
  const cols = columnsLiteral(CLOUDTRAIL_COLUMNS.map((c) => [c.name, c.type] as const));
  const names = CLOUDTRAIL_COLUMNS.map((c) => `"${c.name}"`).join(', ');
  const src = `read_json(${sqlString(input)}, format = 'newline_delimited', columns = ${cols})`;
  for (const [a, b] of [[`SELECT ${names} FROM read_parquet(${sqlString(out)})`, `SELECT ${names} FROM ${src}`], [`SELECT ${names} FROM ${src}`, `SELECT ${names} FROM read_parquet(${sqlString(out)})`]]) {
    const r = await conn.runAndReadAll(`SELECT count(*) FROM (${a} EXCEPT ALL ${b})`);
    console.log('differing rows', r.getRows()[0][0]);
  }
  const env = await conn.runAndReadAll(`SELECT schema_version, source, timestamp, event_type, actor, target, outcome, actor_id, geo, ip, session_id, tenant_id FROM read_parquet(${sqlString(out)}) LIMIT 2`);
  console.log(JSON.stringify(env.getRowObjectsJson(), null, 0));
  const o = await conn.runAndReadAll(`SELECT outcome, count(*) FROM read_parquet(${sqlString(out)}) GROUP BY ALL`);
  console.log(o.getRows());
}
