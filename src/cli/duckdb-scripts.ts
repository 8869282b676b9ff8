/**
 * The runner of the sources' DuckDB validation scripts (each source's `validation`: a folder of SQL, some of it
 * generated from the source's own code). The scripts run unchanged in the DuckDB CLI (`duckdb -c ".read
 * scripts/duckdb/01_summary.sql"`, data from ./out-test or SET VARIABLE seclog_data) and from `seclog validate <dir>`
 * through @duckdb/node-api.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { packageRoot } from '../util/package.js';
import { duckdb, sqlString } from '../encode/parquet/duckdb.js';
import { SOURCES } from '../sources/registry.js';

export interface ValidationScript {
  readonly source: string;
  /** The script's file name. */
  readonly name: string;
  readonly path: string;
}

/** Every source's validation scripts, in order. */
export function validationScripts(): ValidationScript[] {
  return SOURCES.flatMap((s) => (s.validation ? s.validation.scripts.map((name) => ({ source: s.type, name, path: join(packageRoot(), s.validation!.dir, name) })) : []));
}

/** Every script generated from a source's code, with its path and what it should hold (tests check they are current). */
export function generatedScripts(): { path: string; text: () => string }[] {
  return SOURCES.flatMap((s) => (s.validation ? Object.entries(s.validation.generated).map(([name, text]) => ({ path: join(packageRoot(), s.validation!.dir, name), text })) : []));
}

export interface QueryResult {
  title: string;
  columns: string[];
  rows: unknown[][];
}

/** Splits a script into statements, following `.read` lines; keeps the comment before each SELECT as its title. */
export function statements(file: string): { sql: string; title: string }[] {
  const out: { sql: string; title: string }[] = [];
  let title = '';
  let current = '';
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('.read ')) {
      const target = trimmed.slice(6).trim();
      out.push(...statements(target.endsWith('00_load.sql') ? join(dirname(file), '00_load.sql') : resolve(target)));
      continue;
    }
    if (trimmed.startsWith('.')) continue;
    if (current === '' && trimmed.startsWith('--')) {
      title = trimmed.replace(/^--\s*/, '');
      continue;
    }
    if (trimmed === '') continue;
    current += `${line}\n`;
    if (trimmed.endsWith(';')) {
      out.push({ sql: current.trim(), title });
      current = '';
      title = '';
    }
  }
  return out;
}

/**
 * Where each source's output is in `dataDir`: `<dir>/<type>/` (a run of [[sources]]), or `<dir>` itself when it holds
 * files named after the source (a run of the single [source]). Sources without output there are left out.
 */
export function sourceDirs(dataDir: string): Map<string, string> {
  const dirs = new Map<string, string>();
  const names = readdirSync(dataDir);
  for (const s of SOURCES) {
    const own = join(dataDir, s.type);
    if (statSync(own, { throwIfNoEntry: false })?.isDirectory()) dirs.set(s.type, own);
    else if (names.some((n) => n.startsWith(`${s.label}-`))) dirs.set(s.type, dataDir);
  }
  // Records under other names (files renamed or gathered by hand) are read as the first source's, as before there
  // were several.
  if (dirs.size === 0 && names.some((n) => /\.(json|jsonl|parquet)(\.gz|\.zst)?$/.test(n))) dirs.set(SOURCES[0].type, dataDir);
  return dirs;
}

/** Runs the validation scripts (or those named in `only`) of the sources whose output is in `dataDir`. */
export async function runScripts(dataDir: string, only?: readonly string[]): Promise<{ source: string; script: string; results: QueryResult[] }[]> {
  const base = dataDir.replace(/\/+$/, '');
  const dirs = sourceDirs(base);
  const needs = new Map(SOURCES.flatMap((s) => Object.entries(s.validation?.needs ?? {}).map(([name, types]) => [`${s.type}/${name}`, types] as const)));
  const scripts = validationScripts().filter((s) => (!only || only.includes(s.name)) && dirs.has(s.source) && (needs.get(`${s.source}/${s.name}`) ?? []).every((t) => dirs.has(t)));
  const conn = await duckdb();
  try {
    await conn.run(`SET VARIABLE seclog_data = ${sqlString(base)}`);
    for (const [type, dir] of dirs) await conn.run(`SET VARIABLE seclog_${type}_data = ${sqlString(dir.replace(/\/+$/, ''))}`);
    const all = [];
    for (const script of scripts) {
      const results: QueryResult[] = [];
      for (const { sql, title } of statements(script.path)) {
        if (/^\s*(SET|CREATE|INSERT)\b/i.test(sql)) {
          await conn.run(sql);
          continue;
        }
        const reader = await conn.runAndReadAll(sql);
        results.push({ title, columns: reader.columnNames(), rows: reader.getRowsJS() });
      }
      all.push({ source: script.source, script: script.name, results });
    }
    return all;
  } finally {
    conn.closeSync();
  }
}

export function formatTable(result: QueryResult, maxRows = 25): string {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const rows = result.rows.slice(0, maxRows).map((r) => r.map(cell));
  const widths = result.columns.map((c, i) => Math.min(60, Math.max(c.length, ...rows.map((r) => r[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => (c.length > widths[i] ? `${c.slice(0, widths[i] - 1)}…` : c.padEnd(widths[i]))).join('  ');
  const more = result.rows.length > maxRows ? `\n… ${result.rows.length - maxRows} more rows` : '';
  return [`## ${result.title}`, line(result.columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + more;
}
