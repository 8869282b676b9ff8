import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actorsConfigSchema } from '../src/population/config.js';
import { ConfigError } from '../src/util/config-errors.js';
import { genConfigSchema } from '../src/config/gen-config.js';
import { parseConfigText } from '../src/util/config-file.js';
import { validate } from '../src/util/validate.js';
import { genConfig, runCli, tempDir, writeFile } from './helpers.js';

function problems(schema: Parameters<typeof validate>[0], text: string, file = 'test.toml') {
  try {
    validate(schema, parseConfigText(text, file), file);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const base = genConfig({ outDir: '/tmp/x', population: '/tmp/actors.parquet' });

describe('config.toml validation', () => {
  it('accepts the README example and applies documented defaults', () => {
    const cfg = validate(genConfigSchema, parseConfigText(base, 'c.toml'), 'c.toml');
    expect(cfg.output!.rotation.flush_interval_ms).toBe(30000);
    expect(cfg.output!.format.compression).toBe('none');
    expect(cfg.traffic.mode).toBe('realistic');
  });

  it('names an unknown key, with the keys allowed there', () => {
    const [p] = problems(genConfigSchema, base.replace('[traffic]', '[traffic]\ntime_scael = 2'));
    expect(p.path).toBe('traffic.time_scael');
    expect(p.allowed).toMatch(/unknown key; allowed here: start_time, time_scale, mode/);
  });

  it('names the key, value and allowed range for out-of-range numbers', () => {
    const [p] = problems(genConfigSchema, `${base}\n[[source.error_rates]]\nname = "ConsoleLogin"\nrate = 1.5\n`);
    expect(p).toEqual({ path: 'source.error_rates[0].rate', value: '1.5', allowed: 'expected a number <= 1' });
  });

  it('allows Parquet-only format keys only with type = "parquet"', () => {
    const [p] = problems(genConfigSchema, base.replace('[output.format]', '[output.format]\ndictionary = true'));
    expect(p).toEqual({ path: 'output.format.dictionary', value: 'true', allowed: 'only allowed with type = "parquet"' });
    const parquet = validate(genConfigSchema, parseConfigText(base.replace(/type = "jsonl"/, 'type = "parquet"').replace('[output.format]', '[output.format]\ndictionary = true'), 'c.toml'), 'c.toml');
    expect(parquet.output!.format).toMatchObject({ type: 'parquet', dictionary: true, compression: 'zstd' });
  });

  it('rejects wrong types', () => {
    const [p] = problems(genConfigSchema, base.replace('target_size_mb = 64', 'target_size_mb = "big"'));
    expect(p).toMatchObject({ path: 'output.rotation.target_size_mb', value: '"big"', allowed: 'expected an integer' });
  });

  it('rejects negative weights', () => {
    const [p] = problems(genConfigSchema, `${base}\n[[source.custom_events]]\nname = "GetObject"\nweight = -2\n`);
    expect(p).toMatchObject({ path: 'source.custom_events[0].weight', value: '-2' });
    expect(p.allowed).toMatch(/>= 0/);
  });

  it('rejects an unknown AWS region and an unknown event name', () => {
    const ps = problems(genConfigSchema, base.replace('curated = true', 'curated = true\nregions = ["us-east-1", "mars-north-1"]') + '\n[[source.custom_events]]\nname = "HackThePlanet"\nweight = 1\n');
    expect(ps.map((p) => p.path)).toEqual(['source.regions[1]', 'source.custom_events[0].name']);
    expect(ps[0].allowed).toMatch(/AWS region/);
    expect(ps[1].value).toBe('"HackThePlanet"');
  });

  it('requires exactly one rate in constant mode', () => {
    const [p] = problems(genConfigSchema, base.replace('time_scale = 0', 'time_scale = 0\nmode = "constant"'));
    expect(p.path).toBe('traffic.mode');
    expect(p.allowed).toMatch(/exactly one of traffic.events_per_second or traffic.bytes_per_second/);
  });

  it('reports a bad RFC 3339 start time', () => {
    const [p] = problems(genConfigSchema, base.replace('"2025-12-01T00:00:00Z"', '"yesterday"'));
    expect(p).toMatchObject({ path: 'traffic.start_time', value: '"yesterday"' });
  });

  it('reads YAML by extension', () => {
    const yaml = `traffic: {time_scale: 0}\noutput: {dir: out, rotation: {target_size_mb: 1}, format: {type: jsonl}}\nsource: {type: cloudtrail, curated: true, actor_population_path: a.parquet}\n`;
    const cfg = validate(genConfigSchema, parseConfigText(yaml, 'c.yaml'), 'c.yaml');
    expect(cfg.traffic.time_scale).toBe(0);
  });
});

describe('actors.toml validation', () => {
  const actors = '[population]\nactor_count = 10\n';
  it('rejects an unknown IANA time zone', () => {
    const [p] = problems(actorsConfigSchema, `[[timezone_distribution]]\nname = "Mars/Olympus_Mons"\nweight = 1\n\n${actors}`);
    expect(p).toMatchObject({ path: 'timezone_distribution[0].name', value: '"Mars/Olympus_Mons"' });
    expect(p.allowed).toMatch(/IANA time zone/);
  });

  it('rejects account ids that are not 12 digits', () => {
    const [p] = problems(actorsConfigSchema, actors + 'account_ids = ["123"]\n');
    expect(p).toMatchObject({ path: 'population.account_ids[0]', value: '"123"' });
    expect(p.allowed).toMatch(/12-digit/);
  });

  it('rejects ratios outside 0-1 and unknown roles', () => {
    const ps = problems(actorsConfigSchema, actors + 'service_ratio = 1.2\n\n[[population.role_distribution]]\nname = "janitor"\nweight = 1\n');
    expect(ps.map((p) => p.path)).toEqual(['population.service_ratio', 'population.role_distribution[0].name']);
    expect(ps[1].allowed).toMatch(/"admin", "developer", "readonly", "auditor"/);
  });
});

describe('source-owned formats', () => {
  it('accepts cloudtrail_delivery as another name of the source\'s delivery files', () => {
    const config = validate(genConfigSchema, parseConfigText(genConfig({ outDir: 'o', population: 'p.parquet', format: 'type = "cloudtrail_delivery"' }), 't.toml'), 't');
    expect(config.output!.format.type).toBe('delivery');
  });
});

describe('bad config on the command line', () => {
  it('exits non-zero with one clear message and writes nothing', async () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    const cfg = writeFile(dir, 'bad.toml', genConfig({ outDir: out, population: join(dir, 'missing.parquet') }).replace('target_size_mb = 64', 'target_size_mb = -5'));
    const r = await runCli(['gen', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('output.rotation.target_size_mb = -5: expected a number >= 1');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it('explains a missing population file', async () => {
    const dir = tempDir();
    const cfg = writeFile(dir, 'c.toml', genConfig({ outDir: join(dir, 'out'), population: join(dir, 'nope.parquet') }));
    const r = await runCli(['gen', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/source.actor_population_path = ".*nope.parquet": file not found/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('rejects bad flag values', async () => {
    const r = await runCli(['gen', '--config', 'examples/config.toml', '--max-events', 'lots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`seclog: --max-events "lots": expected a whole number from 1 to 9,007,199,254,740,991; see 'seclog gen --help'\n`);
  });
});
