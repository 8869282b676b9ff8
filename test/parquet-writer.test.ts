import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { columnsLiteral, duckdb, sqlString } from '../src/encode/parquet/duckdb.js';
import type { ParquetLayout } from '../src/encode/parquet/layout.js';
import { writeRecordsParquet } from '../src/encode/parquet/write-records.js';
import { ParquetFileWriter } from '../src/encode/parquet/file-writer.js';
import { compressor, encodeColumns, PageEncoder, type ParquetCompression } from '../src/encode/parquet/pages.js';
import { DictionaryBuilder, writeHybrid } from '../src/encode/parquet/dictionary.js';
import { Shredder } from '../src/encode/parquet/shredder.js';
import type { RecordBatch } from '../src/sinks/sink.js';
import { ParquetSink } from '../src/sinks/file/parquet-sink.js';
import { FileSink } from '../src/sinks/file/file-sink.js';
import { createCompressor } from '../src/encode/compress.js';
import { SharedBufferPool } from '../src/encode/shared-buffers.js';
import { open } from 'node:fs/promises';
import { defaultWorkers } from '../src/cli/workers.js';
import { genConfigSchema } from '../src/config/gen-config.js';
import { validate } from '../src/util/validate.js';
import { encoderThreads } from '../src/encode/encoder-threads.js';
import { buildPopulationFile, genConfig, outputFiles, runCli, tempDir, writeFile } from './helpers.js';
import { pythonPath } from './services.js';

/** PYTHONPATH of a PyPI package installed into the cache (scripts/tools/python-package.sh, run by test/global-setup.ts). */
const pythonPackage = pythonPath;

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const conn = await duckdb();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
  }
}

const LAYOUT: ParquetLayout = {
  envelope: [
    { name: 'src', type: 'VARCHAR', value: { const: 'test' }, description: '' },
    { name: 'ts', type: 'TIMESTAMP WITH TIME ZONE', value: { first: ['time'] }, description: '' },
    { name: 'who', type: 'VARCHAR', value: { first: ['user.arn', 'user.service'] }, description: '' },
    { name: 'first_arn', type: 'VARCHAR', value: { first: ['items.arn'] }, description: '' },
    { name: 'outcome', type: 'VARCHAR', value: { failureIf: ['error'] }, description: '' },
    { name: 'actor_name', type: 'VARCHAR', value: { actor: 'name' }, description: '' },
    { name: 'place', type: 'STRUCT("lat" DOUBLE, "asn" INTEGER, "hot" BOOLEAN)', value: { fields: { lat: { actor: 'lat' }, asn: { actor: 'asn' }, hot: { actor: 'hot' } } }, description: '' },
  ],
  columns: [
    { name: 'id', type: 'BIGINT', description: '' },
    { name: 'time', type: 'TIMESTAMP WITH TIME ZONE', description: '' },
    { name: 'name', type: 'VARCHAR', description: '' },
    { name: 'user', type: 'STRUCT("arn" VARCHAR, "service" VARCHAR, "session" STRUCT("issuer" STRUCT("arn" VARCHAR, "kind" VARCHAR), "created" TIMESTAMP WITH TIME ZONE, "mfa" BOOLEAN))', description: '' },
    { name: 'params', type: 'JSON', description: '' },
    { name: 'flag', type: 'BOOLEAN', description: '' },
    { name: 'score', type: 'DOUBLE', description: '' },
    { name: 'count', type: 'INTEGER', description: '' },
    { name: 'items', type: 'STRUCT("arn" VARCHAR, "n" BIGINT)[]', description: '' },
    { name: 'tags', type: 'VARCHAR[]', description: '' },
    { name: 'error', type: 'VARCHAR', description: '' },
  ],
};

const ACTORS = [
  { name: 'alice', lat: 52.5, asn: 3320, hot: true },
  { name: 'bob "the builder"', lat: -33.9, asn: 7018, hot: false },
  { name: null, lat: null, asn: null, hot: null },
];

/** Lines that exercise every shape the shredder handles: nulls at each depth, escapes, lists, order, whitespace. */
const LINES = [
  '{"id":1,"time":"2025-12-01T00:00:01Z","name":"full","user":{"arn":"arn:aws:iam::1:user/a","session":{"issuer":{"arn":"arn:i","kind":"Role"},"created":"2025-12-01T00:00:00Z","mfa":true}},"params":{"a":[1,2,{"b":"x\\"y"}]},"flag":true,"score":1.5,"count":7,"items":[{"arn":"arn:1","n":1},{"arn":"arn:2","n":2}],"tags":["a","b"],"error":null}',
  '{"id":2,"time":"2025-12-01T00:00:02.123456Z","name":"no user","flag":false,"items":[],"tags":[],"error":"AccessDenied"}',
  '{"id":3,"time":"2025-12-01T00:00:03Z","name":"empty struct","user":{},"params":"just a string","items":[{"arn":null,"n":3},null]}',
  '{"id":4,"time":"2025-12-01T00:00:04Z","name":"session without issuer","user":{"service":"lambda.amazonaws.com","session":{"mfa":false}},"params":null}',
  '{ "id" : 5 , "time" : "2025-12-01T00:00:05Z" , "name" : "spaced \\u00e9\\n\\t\\\\ \\"q\\"" , "user" : { "arn" : "arn:x" } , "items" : [ { "n" : 9 } ] }',
  '{"name":"keys out of order, unknown keys","unknown":{"deep":[1,{"x":"}"}]},"id":6,"extra":"s","time":"2025-12-01T00:00:06Z","count":-3}',
  `{"id":7,"time":"2025-12-01T00:00:07Z","name":"unicode 日本語 ünïcödé and a long value ${'x'.repeat(300)}","params":[1,"two",null,true],"score":-0.25}`,
  '{"id":8,"time":"1969-12-31T23:59:59Z","name":"before the epoch","error":"E","tags":["only"]}',
];

describe('our Parquet writer, read back by DuckDB', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });

  /** Writes `lines` in pages of `pageRows`, a row group ending after line `groupEnd`; dictionary slots of `dictionaryEntries`. */
  async function write(name: string, compression: ParquetCompression, lines = LINES, pageRows = 3, dictionaryEntries = 2, groupEnd = 4) {
    const path = join(dir, `${name}.parquet`);
    const compress = compressor(compression);
    if (typeof compress === 'string') throw new Error(compress);
    const encoder = new PageEncoder(compress, dictionaryEntries);
    const shredder = new Shredder(LAYOUT, ACTORS);
    const handle = await open(path, 'w');
    const writer = new ParquetFileWriter(handle, shredder.schema, shredder.leaves, compression, compress);
    let slot = 0;
    const bytes = new TextEncoder().encode(lines.join('\n'));
    let start = 0;
    for (let i = 0; i < lines.length; i++) {
      const end = start + new TextEncoder().encode(lines[i]).length;
      shredder.add(bytes, start, end, i % ACTORS.length);
      start = end + 1;
      // Several pages per column chunk, and two row groups.
      if (shredder.rows === pageRows || i === lines.length - 1) {
        writer.addPages(encodeColumns(shredder, encoder, slot++), shredder.rows);
        shredder.reset();
      }
      if (i === groupEnd) {
        await writer.endRowGroup();
        slot = 0;
      }
    }
    await writer.finish();
    await handle.close();
    return path;
  }

  it.each(['zstd', 'snappy', 'none'] as const)('holds exactly what DuckDB reads from the same JSON (%s)', async (compression) => {
    const path = await write(`edge-${compression}`, compression);
    const jsonl = writeFile(dir, 'edge.jsonl', `${LINES.join('\n')}\n`);
    const names = LAYOUT.columns.map((c) => `"${c.name}"`).join(', ');
    const columns = columnsLiteral(LAYOUT.columns.map((c) => [c.name, c.type] as const));
    const ours = `SELECT ${names} FROM read_parquet(${sqlString(path)})`;
    const duck = `SELECT ${names} FROM read_json(${sqlString(jsonl)}, format = 'newline_delimited', columns = ${columns})`;
    const [diff] = await query(`SELECT (SELECT count(*) FROM (${ours})) AS n, (SELECT count(*) FROM ((${ours}) EXCEPT ALL (${duck}))) AS only_ours, (SELECT count(*) FROM ((${duck}) EXCEPT ALL (${ours}))) AS only_duck`);
    expect(diff).toEqual({ n: '8', only_ours: '0', only_duck: '0' });
    const rows = await query(`SELECT id, name, user.session.issuer.kind AS kind, user.session.mfa AS mfa, items, tags, params, epoch_us(time) AS us FROM read_parquet(${sqlString(path)})`);
    expect(rows.map((r) => r.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(rows[4].name).toBe('spaced é\n\t\\ "q"');
    expect(rows[0].kind).toBe('Role');
    expect(rows[0].mfa).toBe(true);
    expect(rows[3].mfa).toBe(false);
    expect(rows[1].us).toBe(String(Date.UTC(2025, 11, 1, 0, 0, 2) * 1000 + 123456));
    expect(rows[7].us).toBe('-1000000');
    expect(rows[1].items).toEqual([]);
    expect(rows[3].items).toBeNull();
    expect(rows[2].items).toEqual([{ arn: null, n: '3' }, null]);
    expect(JSON.parse(rows[0].params as string)).toEqual({ a: [1, 2, { b: 'x"y' }] });
    expect(JSON.parse(rows[2].params as string)).toBe('just a string');
  });

  it('fills the envelope from record fields, constants and the actor', async () => {
    const path = await write('envelope', 'zstd');
    const rows = await query(`SELECT src, epoch_us(ts) = epoch_us(time) AS same_time, who, first_arn, outcome, actor_name, place FROM read_parquet(${sqlString(path)})`);
    expect(rows.map((r) => r.src)).toEqual(Array(8).fill('test'));
    expect(rows.every((r) => r.same_time === true)).toBe(true);
    expect(rows.map((r) => r.who)).toEqual(['arn:aws:iam::1:user/a', null, null, 'lambda.amazonaws.com', 'arn:x', null, null, null]);
    expect(rows.map((r) => r.first_arn)).toEqual(['arn:1', null, null, null, null, null, null, null]);
    expect(rows.map((r) => r.outcome)).toEqual(['success', 'failure', 'success', 'success', 'success', 'success', 'success', 'failure']);
    expect(rows.map((r) => r.actor_name)).toEqual(['alice', 'bob "the builder"', null, 'alice', 'bob "the builder"', null, 'alice', 'bob "the builder"']);
    expect(rows[0].place).toEqual({ lat: 52.5, asn: 3320, hot: true });
    expect(rows[1].place).toEqual({ lat: -33.9, asn: 7018, hot: false });
    expect(rows[2].place).toEqual({ lat: null, asn: null, hot: null });
  });

  it('keeps min/max statistics that let DuckDB skip row groups', async () => {
    const path = await write('stats', 'zstd');
    const rows = await query(`SELECT row_group_id, stats_min_value AS stats_min, stats_max_value AS stats_max, stats_null_count FROM parquet_metadata(${sqlString(path)}) WHERE path_in_schema = 'time' ORDER BY row_group_id`);
    expect(rows.length).toBe(2);
    expect(rows[0].stats_min).toBe('2025-12-01 00:00:01+00');
    expect(rows[0].stats_max).toBe('2025-12-01 00:00:03+00'); // rows 1-3: the first page; rows 4-5 were still in the shredder
    expect(rows[1].stats_min).toBe('1969-12-31 23:59:59+00');
  });

  it.each([
    ['an unterminated string', '{"id":1,"name":"unterminated}', /malformed JSON record/],
    ['a missing value', '{"id":1,"name":}', /malformed JSON record/],
    ['a trailing comma in a list', '{"id":1,"tags":["a",]}', /malformed JSON record/],
    ['text after the record', '{"id":1} {"id":2}', /malformed JSON record/],
    ['a list key twice', '{"id":1,"tags":["a"],"tags":["b"]}', /malformed JSON record/],
    ['a scalar for a struct', '{"id":1,"user":"someone"}', /not an object/],
    ['a scalar for a list', '{"id":1,"items":"x"}', /not an array/],
    ['a string for a boolean', '{"id":1,"flag":"true"}', /not true or false/],
    ['an INTEGER out of range', '{"id":1,"count":3000000000}', /not a 32-bit integer/],
    ['a fraction for an INTEGER', '{"id":1,"count":1.5}', /not a 32-bit integer/],
    ['a BIGINT beyond 2^53', '{"id":9007199254740993}', /within ±2\^53/],
    ['a string for a DOUBLE', '{"id":1,"score":"x"}', /not a number/],
    ['a time that is not one', '{"id":1,"time":"2025-12-01T00:00:0xZ"}', /not a timestamp/],
    ['a month that does not exist', '{"id":1,"time":"2025-13-01T00:00:00Z"}', /not a timestamp/],
  ])('refuses %s with a message saying what is wrong', (_name, line, message) => {
    const shredder = new Shredder(LAYOUT, ACTORS);
    const bad = new TextEncoder().encode(line);
    expect(() => shredder.add(bad, 0, bad.length, 0)).toThrow(message);
  });

  it('refuses layouts it cannot write: lists inside lists, envelope fields the record lacks', () => {
    expect(() => new Shredder({ envelope: [], columns: [{ name: 'm', type: 'VARCHAR[][]', description: '' }] }, [])).toThrow(/lists inside lists/);
    expect(() => new Shredder({ envelope: [{ name: 'e', type: 'VARCHAR', value: { first: ['nope'] }, description: '' }], columns: LAYOUT.columns }, [])).toThrow(/no record field nope/);
  });

  it('shares pages only between columns that hold the same levels and values', () => {
    const shredder = new Shredder(
      {
        ...LAYOUT,
        envelope: [
          ...LAYOUT.envelope,
          // Same field, another type: its values are converted, so it is filled on its own.
          { name: 'name_json', type: 'JSON', value: { first: ['name'] }, description: '' },
          // A field inside a struct: its column has one more definition level.
          { name: 'arn_only', type: 'VARCHAR', value: { first: ['user.arn'] }, description: '' },
        ],
      },
      ACTORS,
    );
    const aliased = [...shredder.aliases].flatMap((a, i) => (a >= 0 ? [`${shredder.leaves[i].path.join('.')}=${shredder.leaves[a].path.join('.')}`] : []));
    // `ts` is `time`; `who` (two fields), `first_arn` (in a list), `name_json` and `arn_only` are not repeats.
    expect(aliased).toEqual(['ts=time']);
  });

  it('dictionary-encodes repeated strings page by page, falls back to PLAIN, and reads back the same values', async () => {
    // 240 lines in pages of 24 (the 8 lines three times each): 8 distinct names per page, more than a slot of 4
    // holds (PLAIN); arns and outcomes repeat (dictionary). Two row groups, so slots restart.
    const lines = Array.from({ length: 30 }, () => LINES).flat();
    const path = await write('dictionary', 'zstd', lines, 24, 4, 119);
    const plainPath = await write('no-dictionary', 'zstd', lines, 24, 0, 119);
    const encodings = await query(`SELECT path_in_schema AS col, string_agg(DISTINCT encodings, ',') AS enc, bool_or(dictionary_page_offset IS NOT NULL) AS dict FROM parquet_metadata(${sqlString(path)}) GROUP BY 1`);
    const byColumn = Object.fromEntries(encodings.map((r) => [r.col, r]));
    expect(byColumn.outcome.dict).toBe(true);
    expect(String(byColumn.outcome.enc)).toMatch(/RLE_DICTIONARY/);
    expect(byColumn.name.dict).toBe(false);
    expect(byColumn.id.dict).toBe(false);
    const [groups] = await query(`SELECT count(DISTINCT row_group_id) AS g FROM parquet_metadata(${sqlString(path)})`);
    expect(Number(groups.g)).toBe(2);
    const all = (p: string) => `SELECT * FROM read_parquet(${sqlString(p)})`;
    const [diff] = await query(`SELECT (SELECT count(*) FROM (${all(path)})) AS n, (SELECT count(*) FROM ((${all(path)}) EXCEPT ALL (${all(plainPath)}))) AS only_dict, (SELECT count(*) FROM ((${all(plainPath)}) EXCEPT ALL (${all(path)}))) AS only_plain`);
    expect(diff).toEqual({ n: '240', only_dict: '0', only_plain: '0' });
    // pyarrow decodes the same pages (its dictionary reader checks every index against the dictionary's size).
    const script = [
      'import json, sys, pyarrow.parquet as pq',
      'a = pq.read_table(sys.argv[1]).to_pylist()',
      'b = pq.read_table(sys.argv[2]).to_pylist()',
      'print(json.dumps({"n": len(a), "same": a == b, "outcomes": sorted(set(r["outcome"] for r in a))}))',
    ].join('\n');
    const out = JSON.parse(execFileSync('python3', ['-c', script, path, plainPath], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: pythonPackage('pyarrow', '26.0.1') } }));
    expect(out).toEqual({ n: 240, same: true, outcomes: ['failure', 'success'] });
  });

  it('is read by pyarrow with the same nesting and types', async () => {
    const path = await write('pyarrow', 'zstd');
    const pythonPath = pythonPackage('pyarrow', '26.0.1');
    const script = [
      'import json, sys, pyarrow.parquet as pq',
      't = pq.read_table(sys.argv[1])',
      'rows = t.to_pylist()',
      'print(json.dumps({"schema": {f.name: str(f.type) for f in t.schema}, "n": t.num_rows, "row0": {k: rows[0][k] for k in ("name", "user", "items", "flag", "place")}, "ts": rows[1]["time"].isoformat()}, default=str))',
    ].join('\n');
    const out = JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: pythonPath } }));
    expect(out.n).toBe(8);
    expect(out.schema.time).toBe('timestamp[us, tz=UTC]');
    expect(out.schema.user).toBe('struct<arn: string, service: string, session: struct<issuer: struct<arn: string, kind: string>, created: timestamp[us, tz=UTC], mfa: bool>>');
    expect(out.schema.items).toBe('list<element: struct<arn: string, n: int64>>');
    expect(out.schema.place).toBe('struct<lat: double, asn: int32, hot: bool>');
    expect(out.row0.items).toEqual([{ arn: 'arn:1', n: 1 }, { arn: 'arn:2', n: 2 }]);
    expect(out.row0.user.session.issuer).toEqual({ arn: 'arn:i', kind: 'Role' });
    expect(out.ts).toBe('2025-12-01T00:00:02.123456+00:00');
  });

  /** 2 row groups of 3 pages of 5,000 rows: few distinct values, all distinct, few again (in a list too). */
  async function writeFallback(name: string, dictionaryEntries: number): Promise<string> {
    const layout: ParquetLayout = { envelope: [], columns: [{ name: 'id', type: 'BIGINT', description: '' }, { name: 's', type: 'VARCHAR', description: '' }, { name: 'j', type: 'JSON', description: '' }, { name: 'l', type: 'VARCHAR[]', description: '' }] };
    const path = join(dir, `${name}.parquet`);
    const compress = compressor('zstd');
    if (typeof compress === 'string') throw new Error(compress);
    const encoder = new PageEncoder(compress, dictionaryEntries);
    const shredder = new Shredder(layout, []);
    const handle = await open(path, 'w');
    const writer = new ParquetFileWriter(handle, shredder.schema, shredder.leaves, 'zstd', compress);
    let id = 0;
    for (let group = 0; group < 2; group++) {
      for (let page = 0; page < 3; page++) {
        const distinct = page === 1;
        for (let r = 0; r < 5000; r++, id++) {
          const value = r % 17 === 0 ? null : distinct ? `unique-${id}` : `few-${id % 5}`;
          const line = new TextEncoder().encode(JSON.stringify({ id, s: value, j: distinct ? { u: id } : { k: id % 3 }, l: [value, `few-${id % 3}`] }));
          shredder.add(line, 0, line.length, 0);
        }
        writer.addPages(encodeColumns(shredder, encoder, page), shredder.rows);
        shredder.reset();
      }
      await writer.endRowGroup();
    }
    await writer.finish();
    await handle.close();
    return path;
  }

  it('is read by Spark (PySpark 4.3, local) with the same nesting and types', async () => {
    const path = await write('spark', 'zstd');
    // And a file whose chunks fall back from dictionary to PLAIN pages: pages of 5,000 rows (not a multiple of
    // Spark's 4,096-row batches) that repeat a few values, then all distinct ones, then a few again.
    const dictionary = await writeFallback('spark-dictionary', 4);
    const plain = await writeFallback('spark-plain', 0);
    const pythonPath = pythonPackage('pyspark', '4.3.0');
    const script = [
      'import json, sys',
      'from pyspark.sql import SparkSession',
      'spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC").getOrCreate()',
      'spark.sparkContext.setLogLevel("ERROR")',
      'df = spark.read.parquet(sys.argv[1])',
      'rows = [r.asDict(recursive=True) for r in df.orderBy("id").collect()]',
      'd, p = spark.read.parquet(sys.argv[2]), spark.read.parquet(sys.argv[3])',
      'differ = [d.exceptAll(p).count(), p.exceptAll(d).count(), d.count()]',
      'print("RESULT " + json.dumps({"schema": {f.name: f.dataType.simpleString() for f in df.schema.fields}, "rows": rows, "differ": differ}, default=str))',
      'spark.stop()',
    ].join('\n');
    const stdout = execFileSync('python3', ['-c', script, path, dictionary, plain], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: pythonPath }, stdio: ['ignore', 'pipe', 'ignore'], timeout: 180_000 });
    const out = JSON.parse(/^RESULT (.*)$/m.exec(stdout)![1]);
    expect(out.schema.ts).toBe('timestamp');
    expect(out.schema.user).toBe('struct<arn:string,service:string,session:struct<issuer:struct<arn:string,kind:string>,created:timestamp,mfa:boolean>>');
    expect(out.schema.items).toBe('array<struct<arn:string,n:bigint>>');
    expect(out.schema.tags).toBe('array<string>');
    expect(out.schema.params).toBe('string');
    expect(out.schema.place).toBe('struct<lat:double,asn:int,hot:boolean>');
    const rows = out.rows;
    expect(rows.map((r: { id: number }) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows[0].items).toEqual([{ arn: 'arn:1', n: 1 }, { arn: 'arn:2', n: 2 }]);
    expect(rows[0].user.session.issuer).toEqual({ arn: 'arn:i', kind: 'Role' });
    expect(rows[1].items).toEqual([]);
    expect(rows[2].items).toEqual([{ arn: null, n: 3 }, null]);
    expect(rows[3].items).toBeNull();
    expect(rows[3].user).toEqual({ arn: null, service: 'lambda.amazonaws.com', session: { issuer: null, created: null, mfa: false } });
    expect(rows[4].name).toBe('spaced é\n\t\\ "q"');
    expect(rows[1].time).toBe('2025-12-01 00:00:02.123456');
    expect(rows[7].time).toBe('1969-12-31 23:59:59');
    expect(out.differ).toEqual([0, 0, 30_000]);
  }, 240_000);

  it('writes the population table too', async () => {
    const path = join(dir, 'small.parquet');
    await writeRecordsParquet(path, { envelope: [], columns: LAYOUT.columns }, LINES.map((l) => JSON.parse(l) as object));
    const [row] = await query(`SELECT count(*) AS n, count(user) AS users FROM read_parquet(${sqlString(path)})`);
    expect(row).toEqual({ n: '8', users: '4' });
    expect(readFileSync(path).subarray(0, 4).toString()).toBe('PAR1');
  });
});

function batchOf(lines: string[]): RecordBatch {
  const encoded = lines.map((l) => new TextEncoder().encode(`${l}\n`));
  const bytes = new Uint8Array(encoded.reduce((n, e) => n + e.length, 0));
  const ends = new Uint32Array(lines.length);
  let at = 0;
  encoded.forEach((e, i) => {
    bytes.set(e, at);
    at += e.length;
    ends[i] = at;
  });
  return { bytes, ends, times: new Float64Array(lines.length).fill(Date.UTC(2025, 11, 1)), actors: new Uint32Array(lines.length), sources: new Uint8Array(lines.length), from: 0, to: lines.length };
}

/** The RLE/bit-packed hybrid as the Parquet spec reads it (Encodings.md): `count` values of `width` bits. */
function readHybrid(bytes: Uint8Array, width: number, count: number): number[] {
  const out: number[] = [];
  let p = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[p++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
  };
  while (out.length < count) {
    if (p >= bytes.length) throw new Error(`ran out of bytes after ${out.length} of ${count} values`);
    const header = varint();
    const runLength = header % 2 === 0 ? header / 2 : Math.floor(header / 2) * 8;
    if (runLength === 0 || runLength > count - out.length + 7) throw new Error(`a run of ${runLength} values with ${count - out.length} left`);
    if (header % 2 === 0) {
      let value = 0;
      for (let i = 0; i < Math.ceil(width / 8); i++) value += bytes[p++] * 2 ** (8 * i);
      for (let i = 0; i < header / 2; i++) out.push(value);
    } else {
      const values = (header >>> 1) * 8;
      for (let v = 0; v < values; v++) {
        let value = 0;
        for (let bit = 0; bit < width; bit++) {
          const at = v * width + bit;
          if (bytes[p + (at >> 3)] & (1 << (at & 7))) value += 2 ** bit;
        }
        out.push(value);
      }
      p += (values * width) / 8;
    }
  }
  expect(p).toBe(bytes.length);
  return out.slice(0, count);
}

describe('dictionary indices', () => {
  it('encode as the RLE/bit-packed hybrid the spec decodes, at every width, with runs, literals and offsets', () => {
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let width = 1; width <= 23; width++) {
      for (const n of [1, 7, 8, 9, 64, 600, 5000]) {
        const base = width > 4 ? 1 << (width - 2) : 0;
        const span = 2 ** width - base;
        const indices = new Int32Array(n);
        // Stretches of runs (8+ equal values) and of noise, so both run kinds and their boundaries occur; the
        // largest case is noise only, for literal runs at their 63-group limit.
        for (let i = 0; i < n; ) {
          const length = 1 + Math.floor(random() * 40);
          const value = Math.floor(random() * span);
          const run = n < 5000 && random() < 0.5;
          for (let k = 0; k < length && i < n; k++, i++) indices[i] = run ? value : Math.floor(random() * span);
        }
        // Sized as the page encoder sizes it; a typed array drops writes past its end, which the decoder would see.
        const out = new Uint8Array(DictionaryBuilder.maxEncodedBytes(n));
        const end = writeHybrid(out, 0, indices, n, base, width);
        expect(end).toBeLessThanOrEqual(out.length);
        expect(readHybrid(out.subarray(0, end), width, n), `width ${width}, ${n} values`).toEqual(Array.from(indices, (v) => base + v));
      }
    }
  });
});

describe('the Parquet sink', () => {
  const options = (dir: string) => ({ dir, label: 'x', layout: LAYOUT, actors: ACTORS as never, targetBytes: 64 << 20, compression: 'zstd' as const, rowGroupRows: 1000, threads: 2 });

  it('fails the run, not the process, when a later block cannot be encoded; abort leaves nothing behind', async () => {
    const dir = tempDir();
    const sink = new ParquetSink(options(dir));
    const good = Array.from({ length: 1000 }, (_, i) => `{"id":${i},"time":"2025-12-01T00:00:00Z","name":"n"}`);
    const bad = [...good.slice(0, 999), '{"id":1,"count":"many"}'];
    const failure = (async () => {
      for (let k = 0; k < 6; k++) await sink.write(batchOf(k === 3 ? bad : good));
      await sink.close();
    })();
    await expect(failure).rejects.toThrow(/not a number/);
    await sink.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps every page when pages outgrow their slab, and when slabs are reused by later row groups', async () => {
    const dir = tempDir();
    // Blocks of 256 rows (the smallest), files of ~300 KB: a row group holds the pages of more blocks than are in
    // flight (4), so a slab released before its group is written would be overwritten.
    const sink = new ParquetSink({ ...options(dir), targetBytes: 300_000, rowGroupRows: 5000 });
    // Incompressible names (~1.5 KB of hex per row) make a block's pages larger than its slab.
    let state = 1;
    const hex = () => {
      let s = '';
      for (let k = 0; k < 190; k++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        s += state.toString(16).padStart(8, '0');
      }
      return s;
    };
    const names: string[] = [];
    for (let k = 0; k < 6; k++) {
      const lines = Array.from({ length: 1000 }, (_, i) => {
        names.push(k === 0 || k === 3 ? hex() : `short ${i}`);
        return `{"id":${k * 1000 + i},"time":"2025-12-01T00:00:00Z","name":"${names[names.length - 1]}"}`;
      });
      await sink.write(batchOf(lines));
    }
    await sink.close();
    const rows = await query(`SELECT id, name FROM read_parquet(${sqlString(`${dir}/*.parquet`)}) ORDER BY id`);
    expect(rows.length).toBe(6000);
    expect(rows.filter((r, i) => Number(r.id) !== i || r.name !== names[i]).length).toBe(0);
    const [group] = await query(`SELECT max(row_group_num_rows) AS rows FROM parquet_metadata(${sqlString(`${dir}/*.parquet`)})`);
    expect(Number(group.rows)).toBeGreaterThan(256 * 5);
  });

  it('hands its shared buffers back when it closes, and the next sink of the run reuses them (Parquet and gzip JSONL)', async () => {
    // V8 frees a dropped SharedArrayBuffer only when it collects for other reasons: sinks that come and go (the S3
    // output's writer per hour) must reuse them, or memory grows with every hour.
    const pool = new SharedBufferPool();
    const lines = Array.from({ length: 3000 }, (_, i) => `{"id":${i},"time":"2025-12-01T00:00:00Z","name":"n${i}"}`);
    const parquetSink = () => new ParquetSink({ ...options(tempDir()), sharedBuffers: pool });
    const gzipSink = () => new FileSink({ dir: tempDir(), label: 'x', compressor: createCompressor('gzip', 1, 1), targetBytes: 1 << 20, flushSimMs: Infinity, sharedBuffers: pool });
    for (const make of [parquetSink, gzipSink]) {
      const first = make();
      await first.write(batchOf(lines));
      await first.close();
      const held = pool.heldBytes;
      expect(held).toBeGreaterThan(0);
      const second = make();
      await second.write(batchOf(lines));
      expect(pool.heldBytes).toBeLessThan(held);
      await second.close();
      expect(pool.heldBytes).toBe(held);
    }
  });

  it('refuses a layout error when it is created, not later in a thread', () => {
    const dir = tempDir();
    expect(() => new ParquetSink({ ...options(dir), layout: { ...LAYOUT, envelope: [{ name: 'e', type: 'VARCHAR', value: { first: ['nope'] }, description: '' }] } })).toThrow(/no record field nope/);
  });

  it.each([false, true])('keeps every file whole when age rotation fires while writes wait on the encoders (dictionary: %s)', async (dictionary) => {
    const dir = tempDir();
    const sink = new ParquetSink({ ...options(dir), maxAgeMs: 1, dictionary });
    const lines = Array.from({ length: 1000 }, (_, i) => `{"id":${i},"time":"2025-12-01T00:00:00Z","name":"${'n'.repeat(i % 50)}"}`);
    const timer = setInterval(() => void sink.rotateIfOld().catch(() => undefined), 1);
    try {
      for (let k = 0; k < 40; k++) await sink.write(batchOf(lines));
      await sink.close();
    } finally {
      clearInterval(timer);
    }
    const files = readdirSync(dir);
    expect(files.filter((f) => f.startsWith('.'))).toEqual([]);
    expect(files.length).toBeGreaterThan(1);
    const [row] = await query(`SELECT count(*) AS n, count(DISTINCT filename) AS files, sum(length(name)) AS chars FROM read_parquet(${sqlString(`${dir}/*.parquet`)}, filename = true)`);
    // Every row read back with its value: names of i % 50 letters, 40 times over.
    expect(row).toEqual({ n: '40000', files: String(files.length), chars: String(40 * lines.reduce((n, _, i) => n + (i % 50), 0)) });
    const [dict] = await query(`SELECT count(*) AS chunks FROM parquet_metadata(${sqlString(`${dir}/*.parquet`)}) WHERE path_in_schema = 'name' AND dictionary_page_offset IS NOT NULL`);
    expect(Number(dict.chunks) > 0).toBe(dictionary);
  });
});

describe('Parquet runs', () => {
  it('are byte-identical with 1, 2 and 3 workers, and readable as snappy and uncompressed', async () => {
    const dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 9\n[population]\nactor_count = 200\naccount_count = 2\n');
    const run = async (name: string, workers: number, compression = 'zstd', dictionary = false) => {
      const outDir = join(dir, name);
      const cfg = writeFile(dir, `${name}.toml`, genConfig({ population, outDir, format: `type = "parquet"\ncompression = "${compression}"\nrow_group_rows = 2000\ndictionary = ${dictionary}`, rotation: 'target_size_mb = 1' }));
      const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T12:00:00Z', '--workers', String(workers)]);
      expect(r.code, r.stderr).toBe(0);
      return outputFiles(outDir);
    };
    const one = await run('w1', 1);
    const two = await run('w2', 2);
    const three = await run('w3', 3);
    expect(one.length).toBeGreaterThan(1);
    const content = (files: string[]) => files.map((f) => readFileSync(f).toString('base64'));
    const names = (files: string[]) => files.map((f) => f.split('/').pop());
    expect(names(two)).toEqual(names(one));
    expect(names(three)).toEqual(names(one));
    expect(content(two).every((c, i) => c === content(one)[i]), '2 workers = 1 worker').toBe(true);
    expect(content(three).every((c, i) => c === content(one)[i]), '3 workers = 1 worker').toBe(true);
    const [groups] = await query(`SELECT count(DISTINCT row_group_id) AS g, max(row_group_num_rows) AS max_rows FROM parquet_metadata(${sqlString(one[0])})`);
    expect(Number(groups.g)).toBeGreaterThan(1);
    expect(Number(groups.max_rows)).toBeLessThanOrEqual(2000);
    const count = async (files: string[]) => Number((await query(`SELECT count(*) AS n FROM read_parquet([${files.map(sqlString).join(', ')}])`))[0].n);
    const total = await count(one);
    // Dictionaries are built per block, in whichever encoder thread: still the same bytes at any worker count.
    const dictOne = await run('d1', 1, 'zstd', true);
    const dictThree = await run('d3', 3, 'zstd', true);
    expect(names(dictThree)).toEqual(names(dictOne));
    expect(content(dictThree).every((c, i) => c === content(dictOne)[i]), 'dictionaries: 3 workers = 1 worker').toBe(true);
    expect(await count(dictOne)).toBe(total);
    const all = (files: string[]) => `SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}])`;
    const [diff] = await query(`SELECT (SELECT count(*) FROM ((${all(dictOne)}) EXCEPT ALL (${all(one)}))) AS only_dict`);
    expect(diff.only_dict).toBe('0');
    const [dictColumns] = await query(`SELECT count(DISTINCT path_in_schema) AS n FROM parquet_metadata([${dictOne.map(sqlString).join(', ')}]) WHERE dictionary_page_offset IS NOT NULL`);
    expect(Number(dictColumns.n)).toBeGreaterThan(10);
    const bytes = (files: string[]) => files.reduce((n, f) => n + statSync(f).size, 0);
    expect(bytes(dictOne)).toBeLessThan(bytes(one));
    for (const compression of ['snappy', 'none']) {
      const files = await run(`w2-${compression}`, 2, compression);
      expect(await count(files)).toBe(total);
      const [codec] = await query(`SELECT DISTINCT compression FROM parquet_metadata(${sqlString(files[0])})`);
      expect(codec.compression).toBe(compression === 'none' ? 'UNCOMPRESSED' : 'SNAPPY');
    }
  });
});

describe('thread split', () => {
  const config = (format: string) =>
    validate(genConfigSchema, { seed: 1, traffic: { start_time: '2025-12-01T00:00:00Z', time_scale: 0 }, output: { dir: '/tmp/x', rotation: { target_size_mb: 64 }, format: { type: format } }, source: { type: 'cloudtrail', curated: true, actor_population_path: 'a.parquet' } }, 'x');
  it('leaves cores to the Parquet encoders by default, and none for JSONL', () => {
    expect(defaultWorkers(config('jsonl'), 2)).toBe(2);
    expect(defaultWorkers(config('parquet'), 2)).toBe(1);
    expect(defaultWorkers(config('parquet'), 8)).toBe(3);
    expect(defaultWorkers(config('parquet'), 1)).toBe(1);
    expect(encoderThreads(1, 2)).toBe(2);
    expect(encoderThreads(3, 8)).toBe(6);
    expect(encoderThreads(4, 2)).toBe(1);
  });
});
