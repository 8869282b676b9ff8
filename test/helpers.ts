import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '..');
export const CLI = join(ROOT, 'bin', 'seclog.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would. `onStart` gets the child (to signal it). */
export function runCli(args: string[], options: { cwd?: string; onStart?: (child: ReturnType<typeof spawn>) => void } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    options.onStart?.(child);
  });
}

/** Directories `tempDir` made for this test file. */
const madeDirs: string[] = [];

// A full run writes close to 1 GB of output: removed when the file's tests end (KEEP_TEST_DIRS=1 keeps them, to look).
afterAll(() => {
  if (process.env.KEEP_TEST_DIRS) return;
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'seclog-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

export function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Output files of a run, sorted by name (= time order). */
export function outputFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort()
    .map((f) => join(dir, f));
}

export function readRecords(file: string): Record<string, unknown>[] {
  const raw = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l));
}

export function readAllRecords(dir: string): Record<string, unknown>[] {
  return outputFiles(dir).flatMap(readRecords);
}

/** A config.toml for tests, with overridable sections; `outputs` (TOML of [[outputs]] entries) replaces [output]. */
export function genConfig(opts: {
  outDir: string;
  outputs?: string;
  population: string;
  seed?: number;
  traffic?: string;
  rotation?: string;
  format?: string;
  source?: string;
  curated?: boolean;
}): string {
  return `seed = ${opts.seed ?? 1}

[traffic]
${opts.traffic ?? 'start_time = "2025-12-01T00:00:00Z"\ntime_scale = 0'}

${opts.outputs ?? `[output]
dir = ${JSON.stringify(opts.outDir)}

[output.rotation]
${opts.rotation ?? 'target_size_mb = 64'}

[output.format]
${opts.format ?? 'type = "jsonl"'}
`}
[source]
type = "cloudtrail"
curated = ${opts.curated ?? true}
actor_population_path = ${JSON.stringify(opts.population)}
${opts.source ?? ''}
`;
}

/**
 * A config.toml of several sources (`[population]` and `[[sources]]`, simulated from 2025-12-01 as fast as possible)
 * with the given outputs (TOML of an [output] table or [[outputs]] entries).
 */
/** A `[[sources]]` entry: its type, or its type and further keys (TOML lines). */
export type SourceEntry = string | { readonly type: string; readonly keys: string };

export function sourcesConfig(opts: { seed: number; population: string; sources: readonly SourceEntry[]; outputs: string }): string {
  return `seed = ${opts.seed}
[traffic]
start_time = "2025-12-01T00:00:00Z"
time_scale = 0
[population]
path = ${JSON.stringify(opts.population)}
${opts.sources.map((e) => (typeof e === 'string' ? `[[sources]]\ntype = "${e}"\n` : `[[sources]]\ntype = "${e.type}"\n${e.keys}\n`)).join('')}${opts.outputs}
`;
}

/** An [output] table of one file output into `dir`, in `format` (jsonl, parquet, delivery). */
export function fileOutput(dir: string, format = 'jsonl', targetMb = 512): string {
  return `[output]\ndir = ${JSON.stringify(dir)}\n[output.rotation]\ntarget_size_mb = ${targetMb}\n[output.format]\ntype = "${format}"\n`;
}

/** One `[[outputs]]` file entry writing JSONL into `dir` (to put beside other outputs). */
export function fileOutputEntry(dir: string, targetMb = 256): string {
  return `[[outputs]]\ntype = "file"\ndir = ${JSON.stringify(dir)}\nrotation = { target_size_mb = ${targetMb} }\nformat = { type = "jsonl" }\n`;
}

/** Builds a population Parquet with the given actors.toml body; returns its path. */
export async function buildPopulationFile(dir: string, body: string, name = 'actors.parquet'): Promise<string> {
  const config = writeFile(dir, `${name}.toml`, body);
  const out = join(dir, name);
  const r = await runCli(['actors', '--config', config, '--output', out]);
  if (r.code !== 0) throw new Error(`seclog actors failed: ${r.stderr}`);
  return out;
}

/**
 * A config whose outputs are a plain JSONL file (what the run generated, to compare with) and `output`, the TOML
 * of one more [[outputs]] entry (the output under test). Written to `<dir>/<name>.toml`.
 */
export function configBesideFile(opts: { dir: string; name: string; population: string; output: string; traffic?: string }): { cfg: string; fileDir: string } {
  const fileDir = join(opts.dir, opts.name);
  const outputs = `[[outputs]]
type = "file"
dir = ${JSON.stringify(fileDir)}
rotation = { target_size_mb = 256 }
format = { type = "jsonl" }

[[outputs]]
${opts.output}
`;
  return { cfg: writeFile(opts.dir, `${opts.name}.toml`, genConfig({ population: opts.population, outDir: fileDir, traffic: opts.traffic, outputs })), fileDir };
}

/** Polls `check` every 250 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
