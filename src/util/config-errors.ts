/**
 * Errors a user can act on. Each carries the offending key path, the value found and what is allowed, so the CLI
 * can print one clear message and exit non-zero without a stack trace.
 */

export interface ConfigProblem {
  /** Dotted key path, with array indexes in brackets: `source.error_rates[2].rate`. */
  path: string;
  /** The value found, already rendered for display (undefined when the key is missing). */
  value?: string;
  /** What is allowed, e.g. `a number between 0 and 1`. */
  allowed: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(file, problems));
    this.name = 'ConfigError';
  }
}


export function renderPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(top level)' : out;
}

/** TOML's spelling of the numbers JSON has no words for (JSON.stringify would print `null`). */
function nonFinite(n: number): string {
  return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
}

export function renderValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return nonFinite(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) {
    const text = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : typeof v === 'number' && !Number.isFinite(v) ? nonFinite(v) : v));
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }
  return JSON.stringify(value);
}

function formatProblems(file: string, problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) =>
    p.value === undefined ? `  ${p.path}: ${p.allowed}` : `  ${p.path} = ${p.value}: ${p.allowed}`,
  );
  const noun = problems.length === 1 ? 'problem' : 'problems';
  return `invalid config ${file} (${problems.length} ${noun}):\n${lines.join('\n')}`;
}
