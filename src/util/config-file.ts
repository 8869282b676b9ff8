/**
 * Reads a config file (TOML, or YAML by extension) into a plain object. Parse errors become ConfigErrors that carry
 * the file's own line and column.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { UsageError } from './errors.js';
import { reason } from './files.js';
import { ConfigError } from './config-errors.js';

export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `config file not found: ${file}` : `cannot read config file ${file}: ${reason(err)}`);
  }
  return parseConfigText(text, file);
}

export function parseConfigText(text: string, file: string): unknown {
  const ext = extname(file).toLowerCase();
  try {
    if (ext === '.yaml' || ext === '.yml') return normalise(parseYaml(text) ?? {});
    if (ext === '.json') return normalise(JSON.parse(text));
    return normalise(parseToml(text, { integersAsBigInt: 'asNeeded' }));
  } catch (err) {
    throw new ConfigError(file, [{ path: '(file)', allowed: `not valid ${ext === '.yaml' || ext === '.yml' ? 'YAML' : ext === '.json' ? 'JSON' : 'TOML'}: ${(err as Error).message.trim()}` }]);
  }
}

/** TOML dates become RFC 3339 strings and null-prototype tables plain objects, so schemas see one shape. */
function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalise(v);
    return out;
  }
  return value;
}
