/**
 * Reads Sigma rule files: multi-document YAML holding detection rules and correlation rules (Sigma specification
 * 2.x), into the shared SigmaRule / SigmaCorrelation shapes. Everything a rule gets wrong is reported here, in one
 * line naming the file, the rule, the key, the value and what is allowed (a detection is compiled once, against a
 * resolver that knows no fields, so that modifier and condition errors surface with the file's name too).
 *
 * Decisions where the specification leaves room:
 * - A rule without `id` gets one derived from its title: a UUID-shaped string (version nibble 5) made from the
 *   SHA-1 of `seclog-sigma:` + title, so the same title gives the same id on every load and machine.
 * - A rule without `level` is `medium` (the specification makes `level` optional with no default; medium is the
 *   level that asks for a review without paging anyone). An unknown level is an error.
 * - Correlation conditions: `gt`, `gte` and `neq` are supported; an upper bound (`lt`, `lte`, `eq`) can only be
 *   decided when a window has closed, which the streaming runtime (correlate.ts) does not do, so such rules are
 *   rejected with a message saying so. `temporal` without a condition means every listed rule; with one, it counts
 *   the distinct rules that matched. `temporal_ordered` takes no condition.
 * - Sigma filters (`filter:` documents) and the value_sum / value_avg / value_percentile correlation types are
 *   rejected as unsupported.
 */
import { createHash } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { SIGMA_LEVELS, type CorrelationType, type SigmaCorrelation, type SigmaDocument, type SigmaLevel, type SigmaLogsource, type SigmaRule } from '../types.js';
import { compileDetection } from './compile.js';
import { SigmaError, show } from './errors.js';

export { SigmaError } from './errors.js';

const CORRELATION_TYPES: readonly CorrelationType[] = ['event_count', 'value_count', 'temporal', 'temporal_ordered'];
const UNSUPPORTED_CORRELATION_TYPES = ['value_sum', 'value_avg', 'value_percentile', 'value_median'];
const TIMESPAN_UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A stable id for a rule that has none: UUID-shaped, from the SHA-1 of its title. */
export function derivedId(title: string): string {
  const h = createHash('sha1').update(`seclog-sigma:${title}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `30s`, `5m`, `1h`, `2d` in milliseconds; a SigmaError for anything else. */
export function parseTimespan(value: unknown): number {
  const m = typeof value === 'string' ? /^(\d+)([smhd])$/.exec(value.trim()) : null;
  if (m === null || Number(m[1]) <= 0) throw new SigmaError(`invalid timespan ${show(value)} (allowed: a positive whole number followed by s, m, h or d, e.g. 30s, 5m, 1h, 2d)`, { key: 'correlation.timespan' });
  return Number(m[1]) * TIMESPAN_UNITS[m[2]];
}

/** Every rule of a Sigma YAML file (documents separated by `---`); empty documents are skipped. */
export function parseSigma(text: string, origin: string): SigmaDocument[] {
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(docs)) throw new SigmaError('not a YAML stream', { origin });
  const out: SigmaDocument[] = [];
  docs.forEach((doc, i) => {
    if (doc.errors.length > 0) {
      throw new SigmaError(`invalid YAML in document ${i + 1}: ${doc.errors[0].message.split('\n')[0]}`, { origin });
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    try {
      out.push(parseDocument(value, i + 1));
    } catch (err) {
      if (err instanceof SigmaError) throw err.withOrigin(origin);
      throw err;
    }
  });
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseDocument(value: unknown, index: number): SigmaDocument {
  if (!isMap(value)) throw new SigmaError(`document ${index} is ${show(value)} (allowed: a mapping with title and detection or correlation)`);
  const title = value.title;
  if (typeof title !== 'string' || title.trim() === '') {
    const where = typeof value.id === 'string' ? { rule: value.id } : {};
    throw new SigmaError(`missing or empty title in document ${index}: ${show(title)} (allowed: a non-empty string)`, { ...where, key: 'title' });
  }
  try {
    if ('correlation' in value) return parseCorrelation(value, title);
    if ('detection' in value) return parseDetectionRule(value, title);
    if ('filter' in value) throw new SigmaError('Sigma filters are not supported (allowed: detection or correlation rules)', { key: 'filter' });
    throw new SigmaError('neither detection nor correlation (allowed: a detection rule or a correlation rule)', { key: 'detection' });
  } catch (err) {
    if (err instanceof SigmaError) throw err.withRule(title);
    throw err;
  }
}

function optionalString(doc: Record<string, unknown>, key: string): string | undefined {
  const v = doc[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new SigmaError(`${show(v)} is not a string`, { key });
  return v;
}

function stringList(doc: Record<string, unknown>, key: string): string[] {
  const v = doc[key];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((item) => {
    if (typeof item !== 'string' && typeof item !== 'number') throw new SigmaError(`${show(item)} is not a string (allowed: a string or a list of strings)`, { key });
    return String(item);
  });
}

function common(doc: Record<string, unknown>, title: string) {
  const idValue = doc.id;
  if (idValue !== undefined && idValue !== null && (typeof idValue !== 'string' || idValue.trim() === '')) {
    throw new SigmaError(`${show(idValue)} is not an id (allowed: a non-empty string, e.g. a UUID)`, { key: 'id' });
  }
  const levelValue = doc.level ?? 'medium';
  if (typeof levelValue !== 'string' || !(SIGMA_LEVELS as readonly string[]).includes(levelValue)) {
    throw new SigmaError(`unknown level ${show(levelValue)} (allowed: ${SIGMA_LEVELS.join(', ')})`, { key: 'level' });
  }
  return {
    id: typeof idValue === 'string' ? idValue.trim() : derivedId(title),
    name: optionalString(doc, 'name'),
    title,
    description: optionalString(doc, 'description') ?? '',
    level: levelValue as SigmaLevel,
    status: optionalString(doc, 'status'),
    tags: stringList(doc, 'tags'),
  };
}

function parseLogsource(value: unknown): SigmaLogsource {
  if (value === undefined || value === null) return {};
  if (!isMap(value)) throw new SigmaError(`${show(value)} is not a mapping (allowed: product, service, category)`, { key: 'logsource' });
  const out: { product?: string; service?: string; category?: string } = {};
  for (const key of ['product', 'service', 'category'] as const) {
    const v = value[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new SigmaError(`${show(v)} is not a string`, { key: `logsource.${key}` });
    out[key] = v;
  }
  return out;
}

/** Resolves no field: used to validate a detection at load time, before any source is known. */
const NO_FIELDS = {
  field: () => () => undefined,
  keywords: (_record: unknown, text: string) => text,
};

function parseDetectionRule(doc: Record<string, unknown>, title: string): SigmaRule {
  const base = common(doc, title);
  if (!isMap(doc.detection)) throw new SigmaError(`${show(doc.detection)} is not a mapping (allowed: search identifiers and a condition)`, { key: 'detection' });
  const author = doc.author;
  const rule: SigmaRule = {
    kind: 'detection',
    ...base,
    logsource: parseLogsource(doc.logsource),
    detection: doc.detection,
    falsepositives: stringList(doc, 'falsepositives'),
    references: stringList(doc, 'references'),
    author: typeof author === 'string' ? author : undefined,
    fields: stringList(doc, 'fields'),
  };
  compileDetection(rule, NO_FIELDS);
  return rule;
}

function parseCorrelation(doc: Record<string, unknown>, title: string): SigmaCorrelation {
  const base = common(doc, title);
  const c = doc.correlation;
  if (!isMap(c)) throw new SigmaError(`${show(c)} is not a mapping (allowed: type, rules, group-by, timespan, condition, aliases, generate)`, { key: 'correlation' });
  const known = new Set(['type', 'rules', 'group-by', 'timespan', 'condition', 'aliases', 'generate']);
  for (const key of Object.keys(c)) {
    if (!known.has(key)) throw new SigmaError(`unknown key ${show(key)} (allowed: ${[...known].join(', ')})`, { key: `correlation.${key}` });
  }
  const type = c.type;
  if (typeof type !== 'string' || !(CORRELATION_TYPES as readonly string[]).includes(type)) {
    const why = typeof type === 'string' && UNSUPPORTED_CORRELATION_TYPES.includes(type) ? 'unsupported correlation type' : 'unknown correlation type';
    throw new SigmaError(`${why} ${show(type)} (allowed: ${CORRELATION_TYPES.join(', ')})`, { key: 'correlation.type' });
  }
  const rules = stringList(c, 'rules');
  if (rules.length === 0) throw new SigmaError(`${show(c.rules)}: no rules (allowed: a non-empty list of rule ids or names)`, { key: 'correlation.rules' });
  const groupBy = stringList(c, 'group-by');
  const timespan_ms = parseTimespan(c.timespan);
  const aliases = parseAliases(c.aliases, groupBy);
  const condition = parseCondition(c.condition, type as CorrelationType, rules);
  if ((type === 'temporal' || type === 'temporal_ordered') && new Set(rules).size !== rules.length) {
    throw new SigmaError(`${show(rules)}: a rule is listed twice (allowed: distinct rules)`, { key: 'correlation.rules' });
  }
  const generate = c.generate ?? false;
  if (typeof generate !== 'boolean') throw new SigmaError(`${show(generate)} is not a boolean (allowed: true, false)`, { key: 'correlation.generate' });
  return { kind: 'correlation', ...base, type: type as CorrelationType, rules, group_by: groupBy, timespan_ms, condition, aliases, generate };
}

function parseAliases(value: unknown, groupBy: readonly string[]): Record<string, Record<string, string>> {
  if (value === undefined || value === null) return {};
  if (!isMap(value)) throw new SigmaError(`${show(value)} is not a mapping (allowed: alias → {rule: field})`, { key: 'correlation.aliases' });
  const out: Record<string, Record<string, string>> = {};
  for (const [alias, perRule] of Object.entries(value)) {
    if (!isMap(perRule)) throw new SigmaError(`${show(perRule)} is not a mapping (allowed: rule id or name → field)`, { key: `correlation.aliases.${alias}` });
    const m: Record<string, string> = {};
    for (const [rule, field] of Object.entries(perRule)) {
      if (typeof field !== 'string') throw new SigmaError(`${show(field)} is not a field name`, { key: `correlation.aliases.${alias}.${rule}` });
      m[rule] = field;
    }
    out[alias] = m;
  }
  for (const alias of Object.keys(out)) {
    if (!groupBy.includes(alias)) throw new SigmaError(`alias ${show(alias)} is not in group-by (allowed: ${groupBy.map((g) => JSON.stringify(g)).join(', ') || 'none'})`, { key: 'correlation.aliases' });
  }
  return out;
}

function parseCondition(value: unknown, type: CorrelationType, rules: readonly string[]): SigmaCorrelation['condition'] {
  const key = 'correlation.condition';
  if (value === undefined || value === null) {
    if (type === 'event_count' || type === 'value_count') throw new SigmaError(`missing condition for ${type} (allowed: a mapping of gt, gte or neq to a number${type === 'value_count' ? ', and field' : ''})`, { key });
    return undefined;
  }
  if (type === 'temporal_ordered') throw new SigmaError(`${show(value)}: temporal_ordered takes no condition (it needs every rule, in order)`, { key });
  if (!isMap(value)) throw new SigmaError(`${show(value)} is not a mapping (allowed: gt, gte, neq and, for value_count, field)`, { key });
  const out: { field?: string; gt?: number; gte?: number; neq?: number } = {};
  for (const [op, v] of Object.entries(value)) {
    if (op === 'field') {
      if (type !== 'value_count') throw new SigmaError(`${show(v)}: only value_count counts a field`, { key: `${key}.field` });
      if (typeof v !== 'string' || v === '') throw new SigmaError(`${show(v)} is not a field name`, { key: `${key}.field` });
      out.field = v;
    } else if (op === 'gt' || op === 'gte' || op === 'neq') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new SigmaError(`${show(v)} is not a count (allowed: a whole number ≥ 0)`, { key: `${key}.${op}` });
      out[op] = v;
    } else if (op === 'lt' || op === 'lte' || op === 'eq') {
      throw new SigmaError(`${op}: ${show(v)}: an upper bound can only be decided when a window closes, which the streaming correlator does not do (allowed: gt, gte, neq)`, { key: `${key}.${op}` });
    } else {
      throw new SigmaError(`unknown condition ${show(op)} (allowed: gt, gte, neq${type === 'value_count' ? ', field' : ''})`, { key: `${key}.${op}` });
    }
  }
  if (type === 'value_count' && out.field === undefined) throw new SigmaError(`${show(value)}: value_count needs the field whose distinct values it counts (allowed: field: <name>)`, { key: `${key}.field` });
  if (out.gt === undefined && out.gte === undefined && out.neq === undefined) throw new SigmaError(`${show(value)}: no bound (allowed: gt, gte, neq)`, { key });
  if (type === 'temporal' && ((out.gte ?? 0) > rules.length || (out.gt ?? -1) >= rules.length)) {
    throw new SigmaError(`${show(value)}: more distinct rules than the ${rules.length} listed can never match`, { key });
  }
  return out;
}
