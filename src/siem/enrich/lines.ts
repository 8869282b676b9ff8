/** What the enrichment files share: JSON Lines read with one-line errors, and hosts named with or without a domain. */
import { readFileSync } from 'node:fs';
import { UsageError } from '../../util/errors.js';

/**
 * Each non-empty line of a JSON Lines file, checked by `check` (a problem as text, or null); errors name the config
 * key, the file, the line and what a line should be (`expected`).
 */
export function readJsonLines<T>(file: string, key: string, expected: string, check: (value: Record<string, unknown>) => string | null): T[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${key}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const out: T[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new UsageError(`${key}: ${file} line ${i + 1} is not JSON (${expected})`);
    }
    const problem = v === null || typeof v !== 'object' || Array.isArray(v) ? 'is not an object' : check(v as Record<string, unknown>);
    if (problem !== null) throw new UsageError(`${key}: ${file} line ${i + 1} ${problem} (${expected})`);
    out.push(v as T);
  });
  return out;
}

/** A host by name without case, or by its short name (`DC-01.corp.example.com` is `DC-01`). */
export function byHostName<T>(map: ReadonlyMap<string, T>, host: string | null): T | undefined {
  if (host === null || map.size === 0) return undefined;
  const lower = host.toLowerCase();
  const exact = map.get(lower);
  if (exact !== undefined) return exact;
  const dot = lower.indexOf('.');
  return dot > 0 ? map.get(lower.slice(0, dot)) : undefined;
}
