/**
 * The command line with bad input, as a newcomer meets it: every bad flag, config value or destination is one line
 * on stderr naming the flag or key, the value and what is allowed, exit status 2, no stack trace, nothing written;
 * a run never hangs on a bad destination; earlier runs' files are refused, added to or replaced, never silently
 * mixed; leftovers of killed runs are removed; Ctrl-C ends a run promptly.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPopulationFile, CLI, genConfig, runCli, tempDir, writeFile } from './helpers.js';

let dir: string;
let population: string;
let config: string;

beforeAll(async () => {
  dir = tempDir();
  population = await buildPopulationFile(dir, 'seed = 3\n[population]\nactor_count = 40\n');
  config = writeFile(dir, 'c.toml', genConfig({ outDir: join(dir, 'unused'), population }));
});

/** One line on stderr, exit 2, no stack trace. */
function expectOneLine(r: { code: number | null; stderr: string }, ...parts: (string | RegExp)[]): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^seclog: /);
  for (const p of parts) expect(lines[0]).toMatch(typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p);
}

describe('bad flags', () => {
  const cases: [string[], (string | RegExp)[]][] = [
    [['--max-events', '-5'], ['--max-events "-5"', 'whole number from 1 to']],
    [['--max-events', 'lots'], ['--max-events "lots"']],
    [['--max-events', '1.5'], ['--max-events "1.5"']],
    [['--max-events', '1e30'], ['--max-events "1e30"', '9,007,199,254,740,991']],
    [['--workers', '0'], ['--workers "0"', 'from 1 to 64']],
    [['--workers', '100000'], ['--workers "100000"', 'from 1 to 64']],
    [['--max-seconds', '0'], ['--max-seconds "0"', 'greater than 0']],
    [['--max-seconds', 'inf'], ['--max-seconds "inf"']],
    [['--metrics-interval-ms', '99999999999'], ['--metrics-interval-ms', 'to 2,147,483,647']],
    [['--until-time', 'garbage'], ['--until-time "garbage"', 'RFC 3339']],
    [['--max-evnts', '5'], ["unknown option '--max-evnts' (did you mean --max-events?)"]],
    [['--append', '--overwrite'], ["'--append' cannot be used with option '--overwrite'"]],
  ];
  for (const [flags, parts] of cases) {
    it(`gen ${flags.join(' ')}`, async () => {
      const out = join(dir, 'never');
      const r = await runCli(['gen', '-c', config, '-o', out, ...flags]);
      expectOneLine(r, ...parts, "see 'seclog gen --help'");
      expect(existsSync(out)).toBe(false);
    });
  }

  it('a missing -c, an unknown command, a bad demo flag', async () => {
    expectOneLine(await runCli(['gen', '-o', join(dir, 'never')]), "required option '-c, --config <file>' not specified", "see 'seclog gen --help'");
    expectOneLine(await runCli(['frobnicate']), "unknown command 'frobnicate'", "see 'seclog --help'");
    expectOneLine(await runCli(['demo', '--workers', '0', '-o', join(dir, 'never')]), '--workers "0"');
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('--until-time before the start of the simulation', async () => {
    expectOneLine(await runCli(['gen', '-c', config, '-o', join(dir, 'never'), '--until-time', '2020-01-01T00:00:00Z']), '--until-time must be after traffic.start_time');
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('--version prints the package version; help exits 0', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect((await runCli(['gen', '--help'])).code).toBe(0);
  });
});

describe('bad config values', () => {
  it('names non-finite numbers as TOML writes them', async () => {
    const cfg = writeFile(dir, 'inf.toml', genConfig({ outDir: join(dir, 'never'), population, traffic: 'time_scale = inf' }));
    const r = await runCli(['gen', '-c', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('traffic.time_scale = inf: expected a number from 0');
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('refuses a time zone in the wrong case and says the right one', async () => {
    const cfg = writeFile(dir, 'tz.toml', '[[timezone_distribution]]\nname = "america/los_angeles"\nweight = 1\n[population]\n');
    const r = await runCli(['actors', '-c', cfg, '-o', join(dir, 'tz.parquet')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('timezone_distribution[0].name = "america/los_angeles": time zone names are case-sensitive: expected "America/Los_Angeles"');
    expect(existsSync(join(dir, 'tz.parquet'))).toBe(false);
  });
});

describe('destinations are checked before the first record', () => {
  it('--output under a regular file', async () => {
    const file = writeFile(dir, 'a-file', 'x');
    expectOneLine(await runCli(['gen', '-c', config, '-o', join(file, 'out')]), 'output.dir', 'a part of the path is a file');
  });

  it('--output in /proc ends at once instead of hanging', async () => {
    const t0 = Date.now();
    expectOneLine(await runCli(['gen', '-c', config, '-o', '/proc/seclog-test/out', '--max-events', '10']), 'cannot create /proc/seclog-test');
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it('actors --output under a file, or a directory', async () => {
    const file = writeFile(dir, 'b-file', 'x');
    const actorsToml = writeFile(dir, 'a.toml', '[population]\nactor_count = 5\n');
    expectOneLine(await runCli(['actors', '-c', actorsToml, '-o', join(file, 'a.parquet')]), '--output', 'a part of the path is a file');
    expectOneLine(await runCli(['actors', '-c', actorsToml, '-o', dir]), '--output', 'it is a directory');
  });

  it('--summary-json to a path that cannot be written is refused before any output', async () => {
    const out = join(dir, 'summary-out');
    const file = writeFile(dir, 'c-file', 'x');
    expectOneLine(await runCli(['gen', '-c', config, '-o', out, '--max-events', '10', '--summary-json', join(file, 's.json')]), '--summary-json');
    expect(existsSync(out)).toBe(false);
    // A missing directory is made, as --output's is.
    const r = await runCli(['gen', '-c', config, '-o', out, '--max-events', '10', '--summary-json', join(dir, 'new', 'deeper', 's.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'new', 'deeper', 's.json'))).toBe(true);
  });

  it('a directory this user may not write in (run as nobody)', async () => {
    if (process.getuid?.() !== 0) return; // needs root to switch users; elsewhere the permission bits already apply
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o755);
    chmodSync(dir, 0o755);
    for (const args of [
      ['gen', '-c', config, '-o', locked, '--max-events', '10'],
      ['gen', '-c', config, '-o', join(locked, 'sub'), '--max-events', '10'],
      ['actors', '-c', writeFile(dir, 'n.toml', '[population]\nactor_count = 5\n'), '-o', join(locked, 'a.parquet')],
    ]) {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, ...args], { uid: 65534, gid: 65534, env: { ...process.env, HOME: '/tmp' } });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expectOneLine(r, 'permission denied');
    }
    expect(readdirSync(locked)).toEqual([]);
  });
});

describe('earlier runs in the output directory', () => {
  const gen = (out: string, ...flags: string[]) => runCli(['gen', '-c', config, '-o', out, '--max-events', '2000', ...flags]);
  const files = (out: string) => readdirSync(out).sort();

  it('refuses them by default, adds to them with --append, replaces them with --overwrite', async () => {
    const out = join(dir, 'again');
    expect((await gen(out)).code).toBe(0);
    const first = files(out);
    expect(first).toHaveLength(1);
    expectOneLine(await gen(out), 'already holds 1 file of an earlier run', '--overwrite', '--append');
    expect(files(out)).toEqual(first);

    const appended = await gen(out, '--append');
    expect(appended.code, appended.stderr).toBe(0);
    const after = files(out);
    expect(after).toHaveLength(2);
    expect(after).toContain(first[0]);
    expect(after.find((f) => f !== first[0])).toMatch(/-000002\.jsonl$/);

    const replaced = await gen(out, '--overwrite');
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stderr).toContain('removed 2 files of an earlier run');
    expect(files(out)).toEqual([first[0]]);
  });

  it('removes what a killed run left, says so, and leaves only data files behind', async () => {
    const out = join(dir, 'killed');
    mkdirSync(out);
    // A temporary file of a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max default range).
    writeFileSync(join(out, '.cloudtrail-000001.jsonl.4194305.tmp'), 'half a record');
    writeFileSync(join(out, 'notes.txt'), 'not ours');
    const r = await gen(out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('removed 1 temporary file that killed runs left');
    expect(files(out).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(files(out)).toContain('notes.txt');
  });

  it('refuses a directory that a live run is writing into', async () => {
    const out = join(dir, 'busy');
    mkdirSync(out);
    // This test's own process is alive and runs node: its temporary file is a live run's.
    writeFileSync(join(out, `.cloudtrail-000001.jsonl.${process.pid}.tmp`), '');
    expectOneLine(await gen(out), `another seclog run (process ${process.pid}) is writing into it`);
  });
});

describe('Ctrl-C', () => {
  it('ends a paced run promptly, with every file complete', async () => {
    const out = join(dir, 'interrupted');
    const live = writeFile(dir, 'live.toml', genConfig({ outDir: out, population, traffic: 'start_time = "2025-12-01T12:00:00Z"\ntime_scale = 60' }));
    const child = spawn(process.execPath, [CLI, 'gen', '-c', live], { env: { ...process.env, CI: 'true' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise((r) => setTimeout(r, 3000));
    const t0 = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('stopped by SIGINT');
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});
