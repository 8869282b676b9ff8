/**
 * The benign baseline: a quiet organisation's CloudTrail shows sensitive events at their documented base rates
 * (catalog/baseline.ts), people sign in a few times a day, and the root user rarely, with MFA, never assuming a role.
 * `seclog validate` (scripts/duckdb/05_baseline.sql) is the measure, and must notice when the baseline is not clean.
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatedScripts, runScripts, type QueryResult } from '../src/cli/duckdb-scripts.js';
import { validate } from '../src/util/validate.js';
import { duckdb } from '../src/encode/parquet/duckdb.js';
import { buildPopulation } from '../src/population/build.js';
import { actorsConfigSchema } from '../src/population/config.js';
import { cloudTrailConfigSchema } from '../src/sources/cloudtrail/config.js';
import { cloudTrailSource } from '../src/sources/cloudtrail/index.js';
import { baselineMarkdown } from '../src/sources/cloudtrail/baseline-report.js';
import { BASELINE } from '../src/sources/cloudtrail/catalog/baseline.js';
import { buildPopulationFile, genConfig, readAllRecords, ROOT, runCli, tempDir, writeFile } from './helpers.js';

let dir: string;

function table(results: { script: string; results: QueryResult[] }[], title: string): Record<string, unknown>[] {
  const r = results.find((s) => s.script === '05_baseline.sql')!.results.find((t) => t.title.startsWith(title));
  if (!r) throw new Error(`no table "${title}"`);
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, typeof row[i] === 'bigint' ? Number(row[i]) : row[i]])));
}

beforeAll(() => {
  dir = tempDir();
});

describe('benign baseline', () => {
  let out: string;
  let results: Awaited<ReturnType<typeof runScripts>>;

  beforeAll(async () => {
    const population = await buildPopulationFile(dir, 'seed = 11\n[population]\nactor_count = 400\nservice_ratio = 0.25\naccount_count = 2\n');
    out = join(dir, 'days');
    const cfg = writeFile(dir, 'days.toml', genConfig({ population, outDir: out, seed: 11, format: 'type = "jsonl"\ncompression = "gzip"\ncompression_level = 1' }));
    const r = await runCli(['gen', '-c', cfg, '--until-time', '2025-12-05T00:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    results = await runScripts(out, ['05_baseline.sql']);
  });

  it('shows every sensitive event within its base rate over four days, and the zero-rate ones not at all', () => {
    const rows = table(results, 'Sensitive events against');
    expect(rows.length).toBe(BASELINE.filter((b) => b.category !== 'root').length);
    for (const row of rows) expect(row.status, `${row.event}: ${row.observed} observed, ${row.expected} expected`).toBe('ok');
    for (const b of BASELINE.filter((x) => x.perYear === 0)) expect(rows.find((r) => r.event === b.event)!.observed, b.event).toBe(0);
    // Together, the non-zero rates are seen at about their size (they are emitted, not just absent).
    const observed = rows.reduce((s, r) => s + (r.observed as number), 0);
    const expected = rows.reduce((s, r) => s + (r.expected as number), 0);
    expect(expected).toBeGreaterThan(10);
    expect(observed).toBeGreaterThan(expected * 0.5);
    expect(observed).toBeLessThan(expected * 1.5);
  });

  it('has people sign in a few times a day, not at every burst of work', () => {
    const rows = table(results, 'Sign-ins per person per day');
    expect(rows.map((r) => r.eventName).sort()).toEqual(expect.arrayContaining(['ConsoleLogin', 'GetSessionToken']));
    for (const row of rows) {
      expect(row.status, JSON.stringify(row)).toBe('ok');
      expect(row.median as number).toBeLessThanOrEqual(2);
    }
  });

  it('carries no dangerous parameter beyond its benign share', () => {
    for (const row of table(results, 'Dangerous parameters')) expect(row.status, JSON.stringify(row)).not.toBe('FAIL');
  });

  it('reuses session credentials: a session key serves several bursts of work, until the expiry it was issued with', async () => {
    const conn = await duckdb();
    try {
      const rows = (
        await conn.runAndReadAll(
          `SELECT median(n) AS calls_per_key FROM (SELECT userIdentity.accessKeyId AS key, count(*) AS n FROM read_json('${out}/*.json.gz', format = 'newline_delimited', columns = {userIdentity: 'STRUCT(accessKeyId VARCHAR)'}) WHERE userIdentity.accessKeyId LIKE 'ASIA%' GROUP BY ALL)`,
        )
      ).getRowObjectsJS();
      // A burst is about ten calls: held credentials serve several bursts each.
      expect(Number(rows[0].calls_per_key)).toBeGreaterThan(20);
      // ...and never after the expiry the call that obtained them states (GetSessionToken, GetFederationToken, AssumeRole).
      const late = (
        await conn.runAndReadAll(
          `WITH r AS (SELECT * FROM read_json('${out}/*.json.gz', format = 'newline_delimited', columns = {eventTime: 'TIMESTAMP', eventName: 'VARCHAR', userIdentity: 'STRUCT(accessKeyId VARCHAR)', responseElements: 'JSON'})),
           issued AS (SELECT json_extract_string(responseElements, '$.credentials.accessKeyId') AS key, strptime(json_extract_string(responseElements, '$.credentials.expiration'), '%b %-d, %Y, %-I:%M:%S %p') AS expires, eventName
                      FROM r WHERE eventName IN ('GetSessionToken', 'GetFederationToken', 'AssumeRole') AND json_extract_string(responseElements, '$.credentials.accessKeyId') IS NOT NULL)
           SELECT i.eventName, count(DISTINCT i.key) AS keys, count(*) FILTER (WHERE r.eventTime > i.expires) AS used_after_expiry
           FROM issued i JOIN r ON r.userIdentity.accessKeyId = i.key GROUP BY ALL ORDER BY 1`,
        )
      ).getRowObjectsJS();
      expect(rows.length).toBeGreaterThan(0);
      for (const row of late) expect(Number(row.used_after_expiry), JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))).toBe(0);
      expect(late.map((r) => r.eventName)).toEqual(expect.arrayContaining(['GetSessionToken', 'AssumeRole']));
    } finally {
      conn.closeSync();
    }
  });

  it('is noticed by seclog validate when a sensitive event appears', async () => {
    // A small benign run, then one StopLogging added to it.
    const population = await buildPopulationFile(dir, 'seed = 12\n[population]\nactor_count = 40\n', 'small.parquet');
    const small = join(dir, 'small');
    const cfg = writeFile(dir, 'small.toml', genConfig({ population, outDir: small, seed: 12 }));
    expect((await runCli(['gen', '-c', cfg, '--until-time', '2025-12-02T00:00:00Z'])).code).toBe(0);
    expect((await runCli(['validate', small])).code).toBe(0);
    const files = readdirSync(small).filter((f) => f.endsWith('.jsonl')).sort();
    const last = join(small, files[files.length - 1]);
    const lines = readFileSync(last, 'utf8').trimEnd().split('\n');
    const sample = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
    const stop = { ...sample, eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', requestParameters: { name: 'org-trail' } };
    appendFileSync(last, `${JSON.stringify(stop)}\n`);
    const r = await runCli(['validate', small]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/defense-evasion\s+StopLogging\s+0\.0 per account per year\s+1\s+.*FAIL/);
  });
});

describe('the root user', () => {
  it('signs in a few times a year per account, with MFA and from an administrator\'s address, and never assumes a role', async () => {
    // 100 accounts of administrators (working slowly, to keep the run small) for three weeks: about 4 × 100 × 21 / 365 =
    // 23 root sign-ins.
    const population = await buildPopulationFile(
      dir,
      'seed = 5\n[population]\nactor_count = 400\nservice_ratio = 0\naccount_count = 100\nhot_actor_ratio = 0\n[[population.role_distribution]]\nname = "admin"\nweight = 1\n[[population.role_rates_per_hour]]\nname = "admin"\nrate_per_hour = 3\n',
      'admins.parquet',
    );
    const out = join(dir, 'root');
    const cfg = writeFile(dir, 'root.toml', genConfig({ population, outDir: out, seed: 5 }));
    const r = await runCli(['gen', '-c', cfg, '--until-time', '2025-12-22T00:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    const records = readAllRecords(out);
    const root = records.filter((x) => (x.userIdentity as { type: string }).type === 'Root');
    const signIns = root.filter((x) => x.eventName === 'ConsoleLogin');
    expect(signIns.length).toBeGreaterThan(8);
    expect(signIns.length).toBeLessThan(45);
    for (const s of signIns) {
      expect(s.errorMessage).toBeUndefined();
      expect((s.additionalEventData as { MFAUsed: string }).MFAUsed).toBe('Yes');
    }
    expect(root.filter((x) => x.eventName === 'AssumeRole')).toEqual([]);
    // From where the account's administrators work (their network: the address's /24).
    const net = (ip: unknown) => String(ip).split('.').slice(0, 3).join('.');
    const adminNetworks = new Set(records.filter((x) => (x.userIdentity as { type: string }).type !== 'Root').map((x) => `${x.recipientAccountId}/${net(x.sourceIPAddress)}`));
    for (const s of signIns) expect(adminNetworks.has(`${s.recipientAccountId}/${net(s.sourceIPAddress)}`), `${s.sourceIPAddress}`).toBe(true);
    // Root sessions are short: a task, then out.
    expect(root.length).toBeLessThan(signIns.length * 60);
    const results = await runScripts(out, ['05_baseline.sql']);
    expect(table(results, 'Root user activity (')[0].status).toBe('ok');
  });
});

it('05_baseline.sql and docs/baseline.md are generated from the base rates in code', () => {
  const generated = generatedScripts().find((g) => g.path.endsWith('05_baseline.sql'))!;
  expect(readFileSync(generated.path, 'utf8')).toBe(generated.text());
  expect(readFileSync(join(ROOT, 'docs', 'baseline.md'), 'utf8')).toBe(baselineMarkdown());
});

describe('the event mix', () => {
  const actors = buildPopulation(validate(actorsConfigSchema, { seed: 2, population: { actor_count: 200, account_count: 2 } }, 't'), 2).actors;
  const admin = actors.find((a) => a.role === 'admin')!;
  const mixNames = (custom: { name: string; weight: number }[] | undefined) => {
    const config = validate(cloudTrailConfigSchema, { type: 'cloudtrail', curated: true, actor_population_path: 'x', custom_events: custom }, 't');
    return new Set(cloudTrailSource.createRuntime(config, '1', actors).catalog.mixFor(admin).events.map((e) => e.spec.name));
  };

  it('leaves events with a base rate out of the weighted mix, unless custom_events gives them a weight', () => {
    const curated = mixNames(undefined);
    for (const b of BASELINE) if (b.category !== 'root') expect(curated.has(b.event), b.event).toBe(false);
    expect(curated.has('DescribeInstances')).toBe(true);
    expect(mixNames([{ name: 'StopLogging', weight: 1 }]).has('StopLogging')).toBe(true);
  });

  it('gives the root user no role to assume', () => {
    const config = validate(cloudTrailConfigSchema, { type: 'cloudtrail', curated: true, actor_population_path: 'x' }, 't');
    const catalog = cloudTrailSource.createRuntime(config, '1', actors).catalog;
    expect(catalog.mixFor(admin).events.some((e) => e.spec.name === 'AssumeRole')).toBe(true);
    expect(catalog.mixFor(admin, 'Root').events.some((e) => e.spec.name === 'AssumeRole')).toBe(false);
  });
});
