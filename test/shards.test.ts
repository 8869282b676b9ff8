/**
 * Past one process and into real time: `--shard k/n` groups reproduce one run exactly (same records per source, and
 * the same bytes when merged in (window, group) order), and `--from … --live` writes the records a run at full speed
 * writes, then keeps pace with the wall clock.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { genConfigSchema } from '../src/config/gen-config.js';
import { generate, type GenerateSummary } from '../src/engine/run.js';
import { buildPopulation } from '../src/population/build.js';
import { actorsConfigSchema } from '../src/population/config.js';
import { eachRecord } from '../bench/dev/record-sink.js';
import { validate } from '../src/util/validate.js';
import { buildPopulationFile, runCli, sourcesConfig, tempDir, writeFile } from './helpers.js';

const population = buildPopulation(validate(actorsConfigSchema, { seed: 4, population: { actor_count: 300, service_ratio: 0.25, account_count: 2 } }, 't'), 4);

describe('shard groups (--shard k/n)', () => {
  const dir = tempDir('seclog-shards-');
  const config = (labels: string) =>
    validate(
      genConfigSchema,
      {
        seed: 9,
        traffic: { start_time: '2025-12-01T06:00:00Z', time_scale: 0 },
        population: { path: '(memory)' },
        sources: [{ type: 'cloudtrail' }, { type: 'okta' }, { type: 'pack', pack: 'windows-security' }],
        outputs: [{ type: 'blackhole' }],
        scenarios: { enabled: true, per_day: 24, labels },
      },
      't',
    );
  const run = async (shard: { index: number; count: number } | undefined, workers: number) => {
    // Every record (its event time, its source and a copy of its bytes) in delivery order.
    const records: { time: number; source: number; line: Buffer }[] = [];
    const sink = eachRecord(({ bytes, time, source }) => records.push({ time, source, line: Buffer.from(bytes) }));
    const summary = await generate({ config: config(join(dir, 'labels.jsonl')), population, workers, untilMs: Date.parse('2025-12-01T12:00:00Z'), metricsIntervalMs: 60_000, sink, shard });
    return { records, summary };
  };

  it('three groups, merged window by window in group order, are byte for byte one run; labels too', async () => {
    const one = await run(undefined, 2);
    // Each group at its own worker count: neither changes what is written.
    const groups = [await run({ index: 1, count: 3 }, 1), await run({ index: 2, count: 3 }, 2), await run({ index: 3, count: 3 }, 3)];
    expect(one.records.length).toBeGreaterThan(5000);
    for (const g of groups) expect(g.records.length).toBeGreaterThan(one.records.length / 6);
    expect(groups.reduce((n, g) => n + g.summary.events, 0)).toBe(one.summary.events);
    expect(groups.map((g) => g.summary.shard)).toEqual([1, 2, 3].map((index) => ({ index, count: 3 })));

    // Output is in (window, shard) order, and groups are contiguous shard ranges: interleave them window by window.
    const windowOf = (s: GenerateSummary, t: number) => Math.floor((t - s.startMs) / s.windowMs);
    const cursors = groups.map(() => 0);
    const merged: Buffer[] = [];
    const lastWindow = windowOf(one.summary, Date.parse('2025-12-01T12:00:00Z') - 1);
    for (let w = 0; w <= lastWindow; w++) {
      groups.forEach((g, k) => {
        const recs = g.records;
        while (cursors[k] < recs.length && windowOf(g.summary, recs[cursors[k]].time) === w) merged.push(recs[cursors[k]++].line);
      });
    }
    expect(cursors).toEqual(groups.map((g) => g.records.length));
    expect(Buffer.concat(merged).equals(Buffer.concat(one.records.map((r) => r.line)))).toBe(true);

    // Every source has records in every group (the actors of a source are spread over the shards).
    for (const g of groups) expect(new Set(g.records.map((r) => r.source))).toEqual(new Set([0, 1, 2]));
    // Scenario labels: each group writes those of its own records, in a file of its own.
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['labels.jsonl', 'labels_shard01of03.jsonl', 'labels_shard02of03.jsonl', 'labels_shard03of03.jsonl']);
    const lines = (f: string) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean);
    const labelled = files.slice(1).flatMap(lines);
    expect(lines('labels.jsonl').length).toBeGreaterThan(0);
    expect(labelled.sort()).toEqual(lines('labels.jsonl').sort());
  }, 120_000);
});

describe('seclog gen --shard k/n and --from … --live', () => {
  let dir = '';
  let populationFile = '';
  beforeAll(async () => {
    dir = tempDir('seclog-shard-cli-');
    populationFile = await buildPopulationFile(dir, 'seed = 3\n[population]\nactor_count = 200\nservice_ratio = 0.25\n');
  });
  const sourcesOf = ['cloudtrail', 'okta', { type: 'pack', keys: 'pack = "linux-auditd"' }] as const;
  const outputs = (out: string) => `[[outputs]]\ntype = "file"\ndir = ${JSON.stringify(out)}\nrotation = { target_size_mb = 1 }\nformat = { type = "jsonl", compression = "gzip" }\n`;
  const linesOf = (out: string, source: string, tag?: string) =>
    readdirSync(join(out, source))
      .filter((f) => !f.startsWith('.') && (tag === undefined || f.includes(tag)))
      .sort()
      .flatMap((f) => gunzipSync(readFileSync(join(out, source, f))).toString('utf8').split('\n').filter(Boolean));

  it('three processes writing into one folder write, per source, the records of one run; names never collide', async () => {
    const one = join(dir, 'one');
    const shared = join(dir, 'shared');
    const cfgOne = writeFile(dir, 'one.toml', sourcesConfig({ seed: 2, population: populationFile, sources: sourcesOf, outputs: outputs(one) }));
    const cfgShared = writeFile(dir, 'shared.toml', sourcesConfig({ seed: 2, population: populationFile, sources: sourcesOf, outputs: outputs(shared) }));
    const until = ['--until-time', '2025-12-01T08:00:00Z'];
    const r = await runCli(['gen', '-c', cfgOne, ...until]);
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
    const runs = await Promise.all([1, 2, 3].map((k) => runCli(['gen', '-c', cfgShared, ...until, '--shard', `${k}/3`, '--workers', '1'])));
    for (const [k, g] of runs.entries()) {
      expect(g.code).toBe(0);
      expect(g.stderr).toContain(`shard group ${k + 1} of 3`);
    }
    for (const source of ['cloudtrail', 'okta', 'linux-auditd']) {
      const all = linesOf(one, source);
      expect(all.length).toBeGreaterThan(100);
      const parts = [1, 2, 3].map((k) => linesOf(shared, source, `_shard0${k}of03-`));
      for (const p of parts) expect(p.length).toBeGreaterThan(0);
      expect(parts.flat().sort()).toEqual([...all].sort());
      // Every file in the shared folder belongs to one group.
      for (const f of readdirSync(join(shared, source)).filter((n) => !n.startsWith('.'))) expect(f).toMatch(/_shard0[123]of03-\d{8}T\d{6}Z-/);
    }
    // A group run again refuses its own earlier files, but not the other groups'.
    const again = await runCli(['gen', '-c', cfgShared, ...until, '--shard', '2/3']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/earlier run/);
    const bad = await runCli(['gen', '-c', cfgShared, '--shard', '4/3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(`seclog: --shard "4/3": expected k/n with 1 <= k <= n <= 64, e.g. 2/8 (the second of 8 processes); see 'seclog gen --help'`);
  }, 180_000);

  it('--from in the past with --live catches up at full speed, keeps to the clock, and writes what a run at full speed writes', async () => {
    const live = join(dir, 'live');
    const fast = join(dir, 'fast');
    // The config says time_scale = 0.5 (slow motion): --live paces to the wall clock itself instead.
    const traffic = (out: string, scale: number) =>
      sourcesConfig({ seed: 6, population: populationFile, sources: sourcesOf, outputs: outputs(out) }).replace('start_time = "2025-12-01T00:00:00Z"\ntime_scale = 0', `time_scale = ${scale}\nmode = "constant"\nevents_per_second = 400`);
    const cfgLive = writeFile(dir, 'live.toml', traffic(live, 0.5));
    const cfgFast = writeFile(dir, 'fast.toml', traffic(fast, 0));
    const now = Math.floor(Date.now() / 1000) * 1000;
    const from = new Date(now - 120_000).toISOString();
    const untilMs = now + 6000;
    const until = new Date(untilMs).toISOString();
    const started = Date.now();
    const r = await runCli(['gen', '-c', cfgLive, '--from', from, '--until-time', until, '--live', '--metrics-interval-ms', '250']);
    const tookMs = Date.now() - started;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('live');
    // Two minutes of the past took far less than two minutes; the run ended with the clock at --until-time.
    expect(Date.now()).toBeGreaterThanOrEqual(untilMs);
    expect(tookMs).toBeLessThan(60_000);
    // Never ahead of the clock: at every metrics line, the simulated time had passed on the wall clock.
    const sims = [...r.stderr.matchAll(/sim (\S+Z)/g)].map((m) => Date.parse(m[1]));
    expect(sims.length).toBeGreaterThan(4);
    expect(Math.max(...sims)).toBeLessThanOrEqual(untilMs);

    const f = await runCli(['gen', '-c', cfgFast, '--from', from, '--until-time', until]);
    expect(f.code).toBe(0);
    for (const source of ['cloudtrail', 'okta', 'linux-auditd']) {
      const a = linesOf(live, source);
      const b = linesOf(fast, source);
      expect(a.length).toBeGreaterThan(source === 'cloudtrail' ? 20_000 : 100);
      // The same records in the same order: pacing never changes content.
      expect(a.join('\n') === b.join('\n')).toBe(true);
    }
  }, 120_000);
});
