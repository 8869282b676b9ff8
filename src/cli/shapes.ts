/**
 * Record shapes: compares generated records with reference (real) records, event by event, by their field paths
 * (nested keys, array elements as `[]`) and value types. `seclog shapes` prints the comparison; the fidelity test
 * holds the catalog to it.
 *
 * Records are compared like with like: for each event, generated records count only if their *kind* — the set of
 * userIdentity paths and whether the call failed — is one the reference records of that event show (when none
 * matches, all generated records of the event count). A reference sample of an IAM user calling with a long-term key
 * is then compared with generated calls of that kind, not with role sessions that legitimately carry more fields.
 */
import { readFileSync } from 'node:fs';

export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

function typeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as JsonType;
}

/** Every field path of a record, with the JSON types seen there. */
export function fieldPaths(value: unknown, prefix = '', out = new Map<string, Set<JsonType>>()): Map<string, Set<JsonType>> {
  if (value !== null && typeof value === 'object') {
    if (Array.isArray(value)) {
      for (const item of value) fieldPaths(item, `${prefix}[]`, out);
    } else {
      for (const [key, v] of Object.entries(value)) {
        const path = prefix ? `${prefix}.${key}` : key;
        let types = out.get(path);
        if (!types) out.set(path, (types = new Set()));
        types.add(typeOf(v));
        fieldPaths(v, path, out);
      }
    }
  }
  return out;
}

function kindOf(record: Record<string, unknown>): string {
  const identity = [...fieldPaths(record.userIdentity ?? {}).keys()].sort().join(',');
  const failed = record.errorCode !== undefined || record.errorMessage !== undefined;
  return `${identity}|${failed}`;
}

export interface EventShape {
  event: string;
  realRecords: number;
  generatedRecords: number;
  /** Share of the reference paths the generated records also have. */
  realCovered: number;
  /** Share of the generated paths the reference records also have. */
  generatedCovered: number;
  /** Share of shared paths whose generated types are among the reference types. */
  typesAgree: number;
  missing: string[];
  extra: string[];
  typeMismatches: string[];
}

function merge(records: readonly Record<string, unknown>[]): Map<string, Set<JsonType>> {
  const out = new Map<string, Set<JsonType>>();
  for (const r of records) fieldPaths(r, '', out);
  return out;
}

/** How a source's records are told apart: by event, and within an event by kind (default: CloudTrail's fields). */
export interface ShapeKeys {
  event(record: Record<string, unknown>): string;
  kind(record: Record<string, unknown>): string;
}

const DEFAULT_KEYS: ShapeKeys = { event: (r) => String(r.eventName), kind: kindOf };

export function compareShapes(real: readonly Record<string, unknown>[], generated: readonly Record<string, unknown>[], keys: ShapeKeys = DEFAULT_KEYS): EventShape[] {
  const kindOf = keys.kind;
  const byEvent = (records: readonly Record<string, unknown>[]) => {
    const m = new Map<string, Record<string, unknown>[]>();
    for (const r of records) {
      const name = keys.event(r);
      let list = m.get(name);
      if (!list) m.set(name, (list = []));
      list.push(r);
    }
    return m;
  };
  const realBy = byEvent(real);
  const genBy = byEvent(generated);
  const out: EventShape[] = [];
  for (const [event, realRecords] of realBy) {
    const all = genBy.get(event);
    if (!all) continue;
    const kinds = new Set(realRecords.map(kindOf));
    const sameKind = all.filter((r) => kinds.has(kindOf(r)));
    const gen = sameKind.length > 0 ? sameKind : all;
    const r = merge(realRecords);
    const g = merge(gen);
    const shared = [...r.keys()].filter((p) => g.has(p));
    const typeMismatches = shared.filter((p) => ![...g.get(p)!].every((t) => r.get(p)!.has(t) || t === 'null' || r.get(p)!.has('null')));
    out.push({
      event,
      realRecords: realRecords.length,
      generatedRecords: gen.length,
      realCovered: shared.length / r.size,
      generatedCovered: shared.length / g.size,
      typesAgree: shared.length === 0 ? 1 : (shared.length - typeMismatches.length) / shared.length,
      missing: [...r.keys()].filter((p) => !g.has(p)),
      extra: [...g.keys()].filter((p) => !r.has(p)),
      typeMismatches,
    });
  }
  return out.sort((a, b) => Math.min(a.realCovered, a.generatedCovered) - Math.min(b.realCovered, b.generatedCovered));
}

export function readJsonl(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

export function shapesReport(shapes: readonly EventShape[], worst = 10): string {
  const mean = (f: (s: EventShape) => number) => shapes.reduce((a, s) => a + f(s), 0) / Math.max(1, shapes.length);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `events compared: ${shapes.length}; mean share of reference paths generated: ${pct(mean((s) => s.realCovered))}; ` +
      `mean share of generated paths in the reference: ${pct(mean((s) => s.generatedCovered))}; types agree: ${pct(mean((s) => s.typesAgree))}`,
    `worst ${Math.min(worst, shapes.length)}:`,
  ];
  for (const s of shapes.slice(0, worst)) {
    lines.push(`  ${s.event}: reference covered ${pct(s.realCovered)}, generated in reference ${pct(s.generatedCovered)} (${s.realRecords} real, ${s.generatedRecords} generated)`);
    if (s.missing.length) lines.push(`    missing: ${s.missing.slice(0, 12).join(', ')}${s.missing.length > 12 ? ', …' : ''}`);
    if (s.extra.length) lines.push(`    extra:   ${s.extra.slice(0, 12).join(', ')}${s.extra.length > 12 ? ', …' : ''}`);
    if (s.typeMismatches.length) lines.push(`    types:   ${s.typeMismatches.slice(0, 8).join(', ')}`);
  }
  return lines.join('\n');
}
