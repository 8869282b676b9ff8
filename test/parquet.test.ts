import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { oktaSchemaMarkdown } from '../src/sources/okta/parquet.js';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatedScripts } from '../src/cli/duckdb-scripts.js';
import { columnsLiteral, duckdb, sqlString } from '../src/encode/parquet/duckdb.js';
import { CLOUDTRAIL_COLUMNS, ENVELOPE_COLUMNS, schemaMarkdown } from '../src/sources/cloudtrail/parquet.js';
import { buildPopulationFile, genConfig, outputFiles, ROOT, runCli, tempDir, writeFile } from './helpers.js';

let dir: string;
let population: string;
let parquetDir: string;
let jsonlDir: string;

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const conn = await duckdb();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
  }
}

async function gen(name: string, format: string, args: string[] = ['--until-time', '2025-12-01T18:00:00Z']) {
  const outDir = join(dir, name);
  const cfg = writeFile(dir, `${name}.toml`, genConfig({ population, outDir, format, rotation: 'target_size_mb = 1' }));
  const r = await runCli(['gen', '--config', cfg, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return { outDir, result: r };
}

beforeAll(async () => {
  dir = tempDir();
  population = await buildPopulationFile(dir, 'seed = 6\n[population]\nactor_count = 300\naccount_count = 2\n');
  parquetDir = (await gen('parquet', 'type = "parquet"')).outDir;
  jsonlDir = (await gen('jsonl', 'type = "jsonl"\ncompression = "gzip"')).outDir;
});

describe('parquet output', () => {
  it('writes complete .parquet files, rotated near the target size', () => {
    const files = outputFiles(parquetDir);
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(files.every((f) => /cloudtrail-\d{8}T\d{6}Z-\d{8}T\d{6}Z-\d{6}\.parquet$/.test(f))).toBe(true);
    expect(readdirSync(parquetDir).filter((f) => f.startsWith('.'))).toEqual([]);
    for (const f of files.slice(0, -1)) {
      const size = readFileSync(f).length;
      expect(size).toBeGreaterThan(0.6 * 1048576);
      expect(size).toBeLessThan(1.5 * 1048576);
    }
  });

  it('has the documented schema: nested structs, typed timestamps and booleans, JSON columns, the envelope first', async () => {
    const rows = await query(`DESCRIBE SELECT * FROM read_parquet(${sqlString(`${parquetDir}/*.parquet`)})`);
    const types = Object.fromEntries(rows.map((r) => [r.column_name, r.column_type]));
    expect(rows.map((r) => r.column_name)).toEqual([...ENVELOPE_COLUMNS.map((c) => c.name), ...CLOUDTRAIL_COLUMNS.map((c) => c.name)]);
    expect(types.eventTime).toBe('TIMESTAMP WITH TIME ZONE');
    expect(types.seclog).toMatch(/^STRUCT\(schema_version VARCHAR, "?source"? VARCHAR, "?timestamp"? TIMESTAMP WITH TIME ZONE, /);
    expect(types.readOnly).toBe('BOOLEAN');
    expect(types.managementEvent).toBe('BOOLEAN');
    expect(types.requestParameters).toBe('JSON');
    expect(types.userIdentity).toContain('sessionContext STRUCT(sessionIssuer STRUCT(');
    expect(types.userIdentity).toContain('attributes STRUCT(creationDate TIMESTAMP WITH TIME ZONE, mfaAuthenticated VARCHAR)');
    expect(types.resources).toMatch(/^STRUCT\(accountId VARCHAR, "type" VARCHAR, ARN VARCHAR\)\[\]$/);
    expect(types.tlsDetails).toBe('STRUCT(tlsVersion VARCHAR, cipherSuite VARCHAR, clientProvidedHostHeader VARCHAR)');
  });

  it('fills the nested fields of every record', async () => {
    const [r] = await query(`SELECT
        count(*) AS n,
        count(*) FILTER (WHERE userIdentity."type" IS NULL OR eventTime IS NULL OR eventName IS NULL OR eventID IS NULL) AS missing,
        count(*) FILTER (WHERE userIdentity.accessKeyId LIKE 'ASIA%' AND userIdentity.sessionContext.attributes.creationDate IS NULL) AS session_without_date,
        count(*) FILTER (WHERE userIdentity."type" = 'AssumedRole' AND userIdentity.sessionContext.sessionIssuer.arn IS NULL) AS role_without_issuer,
        count(*) FILTER (WHERE userIdentity."type" <> 'AWSService' AND eventType <> 'AwsServiceEvent' AND tlsDetails.clientProvidedHostHeader IS NULL) AS call_without_tls,
        count(*) FILTER (WHERE eventName = 'GetObject' AND (len(resources) <> 2 OR resources[1].ARN NOT LIKE 'arn:aws:s3:::%/%')) AS object_without_resources,
        count(*) FILTER (WHERE seclog.geo.country IS NULL OR seclog.actor_id IS NULL) AS without_actor,
        count(*) FILTER (WHERE (seclog.outcome = 'failure') <> (errorCode IS NOT NULL OR errorMessage IS NOT NULL)) AS bad_outcome
      FROM read_parquet(${sqlString(`${parquetDir}/*.parquet`)})`);
    expect(Number(r.n)).toBeGreaterThan(20000);
    for (const key of Object.keys(r).filter((k) => k !== 'n')) expect(Number(r[key]), key).toBe(0);
  });

  it('holds the same records, in the same order, as a JSONL run of the same seed', async () => {
    const columns = columnsLiteral(CLOUDTRAIL_COLUMNS.map((c) => [c.name, c.type] as const));
    const cloudtrail = CLOUDTRAIL_COLUMNS.map((c) => `"${c.name}"`).join(', ');
    const jsonl = `SELECT ${cloudtrail} FROM read_json(${sqlString(`${jsonlDir}/*.json.gz`)}, format = 'newline_delimited', columns = ${columns})`;
    const parquet = `SELECT ${cloudtrail} FROM read_parquet(${sqlString(`${parquetDir}/*.parquet`)})`;
    const [counts] = await query(`SELECT (SELECT count(*) FROM (${jsonl})) AS jsonl, (SELECT count(*) FROM (${parquet})) AS parquet,
      (SELECT count(*) FROM ((${jsonl}) EXCEPT ALL (${parquet}))) AS only_jsonl, (SELECT count(*) FROM ((${parquet}) EXCEPT ALL (${jsonl}))) AS only_parquet`);
    expect(Number(counts.jsonl)).toBe(Number(counts.parquet));
    expect(Number(counts.only_jsonl)).toBe(0);
    expect(Number(counts.only_parquet)).toBe(0);
    // Result rows come in file and row order (DuckDB preserves insertion order for plain scans).
    const order = async (sql: string) => (await query(`SELECT eventID FROM (${sql})`)).map((r) => r.eventID).join(',');
    const [a, b] = [await order(parquet), await order(jsonl)];
    expect(a === b, 'same eventID sequence').toBe(true);
  });

  it('writes the last rows and complete files on SIGTERM', async () => {
    const outDir = join(dir, 'parquet-sigterm');
    const cfg = writeFile(dir, 'parquet-sigterm.toml', genConfig({ population, outDir, format: 'type = "parquet"', rotation: 'target_size_mb = 1', traffic: 'start_time = "2025-12-01T00:00:00Z"\ntime_scale = 0\nmode = "constant"\nevents_per_second = 50000' }));
    const r = await runCli(['gen', '--config', cfg], {
      onStart: (child) => {
        const poll = setInterval(() => {
          try {
            if (readdirSync(outDir).some((f) => f.endsWith('.parquet') && !f.startsWith('.'))) {
              clearInterval(poll);
              child.kill('SIGTERM');
            }
          } catch {
            /* not created yet */
          }
        }, 50);
      },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(outDir).filter((f) => f.startsWith('.'))).toEqual([]);
    const reported = Number(/events\s+([\d,]+)/.exec(r.stderr.split('seclog gen:')[1])![1].replace(/,/g, ''));
    const [row] = await query(`SELECT count(*) AS n FROM read_parquet(${sqlString(`${outDir}/*.parquet`)})`);
    expect(Number(row.n)).toBe(reported);
  });
});

describe('DuckDB validation suite', () => {
  it('00_load.sql and docs/parquet-schema.md are generated from the schema in code', () => {
    // Every script a source generates from its code is committed as generated (the DuckDB CLI runs the files).
    const generated = generatedScripts();
    expect(generated.map((g) => g.path.slice(g.path.lastIndexOf('/') + 1))).toEqual(expect.arrayContaining(['00_load.sql', '05_baseline.sql']));
    for (const g of generated) expect(readFileSync(g.path, 'utf8'), g.path).toBe(g.text());
    expect(readFileSync(join(ROOT, 'docs', 'parquet-schema.md'), 'utf8')).toBe(schemaMarkdown());
    expect(readFileSync(join(ROOT, 'docs', 'parquet-schema-okta.md'), 'utf8')).toBe(oktaSchemaMarkdown());
  });

  it.each([
    ['Parquet', () => parquetDir],
    ['gzip JSONL', () => jsonlDir],
  ])('runs on %s output and every session-model check passes', async (_name, target) => {
    const r = await runCli(['validate', target()]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const heading of ['## Totals', '## Events by outcome', '## Top actors', '## Top user agents', '## Events per region', '## Volume per 5 minutes', '## Top transitions', '## AssumeRole calls', '## Error rate per event', '## Errors by code', '## Session-model checks']) {
      expect(r.stdout).toContain(heading);
    }
    expect(r.stdout).toMatch(/one principal per session key\s+0\s+PASS/);
    expect(r.stdout).toContain('All session-model checks pass.');
  });

  it('fails on a dataset whose sessions break the model', async () => {
    const bad = join(dir, 'bad');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(bad);
    // Take the generated records and let one session's key leak into another principal's calls.
    const [first] = outputFiles(jsonlDir);
    const lines = gunzipSync(readFileSync(first)).toString().trim().split('\n');
    const records = lines.map((l) => JSON.parse(l));
    const keyed = records.filter((r) => String(r.userIdentity?.accessKeyId ?? '').startsWith('ASIA'));
    const victim = keyed.find((r) => r.userIdentity.arn !== keyed[0].userIdentity.arn)!;
    victim.userIdentity.accessKeyId = keyed[0].userIdentity.accessKeyId;
    writeFileSync(join(bad, 'tampered.json.gz'), gzipSync(records.map((r) => JSON.stringify(r)).join('\n') + '\n'));
    const r = await runCli(['validate', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/one principal per session key\s+1\s+FAIL/);
  });
});
