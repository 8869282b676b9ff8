/**
 * Which rules a record can match, before any runs: a detection whose every match needs one field to hold one of a
 * few literal values (CloudTrail's `eventName: StopLogging`, what a Sysmon category implies: `EventID: 1`) is filed
 * under that field and those values; a record runs only the rules filed under its own values, and the rules that
 * could not be filed. A necessary condition only: the rule's predicate still decides.
 */
import type { FieldGetter, LogsourceMapping, SigmaRule } from './types.js';

/** A field every match needs, and the values it may hold (lower-case, as Sigma compares plain strings). */
export interface Required {
  readonly field: string;
  readonly values: readonly string[];
}

function literal(v: unknown): string | null {
  if (typeof v === 'string') return /[*?\\]/.test(v) || v === '' ? null : v.toLowerCase();
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  return null;
}

function literals(v: unknown): string[] | null {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) return null;
  const out: string[] = [];
  for (const x of list) {
    const l = literal(x);
    if (l === null) return null;
    out.push(l);
  }
  return out;
}

/**
 * A selection field a rule's condition requires: the condition's terms joined by `and` (none by `or`, no
 * parentheses), of which the plain identifiers not after `not` are required (`1 of x*` and `not …` terms need nothing
 * filed); a required selection is a map, and its field without modifiers holding literal values is a candidate. Of
 * the candidates, the first of `prefer` (the mapping's selective fields: CloudTrail's eventName rather than its
 * eventSource) wins, else the one with the fewest values. Null when nothing that simple is required.
 */
export function requiredOf(rule: SigmaRule, prefer: readonly string[] = []): Required | null {
  const condition = rule.detection.condition;
  if (typeof condition !== 'string' || /[()|]/.test(condition)) return null;
  const tokens = condition.trim().split(/\s+/);
  if (tokens.includes('or')) return null;
  const candidates: Required[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    // `1 of x*`, `all of them`: a term of its own (skipped whole); `not <term>`: nothing required.
    if (tokens[i + 1] === 'of') {
      i += 2;
      continue;
    }
    if (t === 'and' || t === 'not' || tokens[i - 1] === 'not') continue;
    const selection = rule.detection[t];
    if (selection === null || typeof selection !== 'object' || Array.isArray(selection)) continue;
    for (const [key, value] of Object.entries(selection as Record<string, unknown>)) {
      if (key.includes('|')) continue;
      const values = literals(value);
      if (values !== null) candidates.push({ field: key, values });
    }
  }
  for (const field of prefer) {
    const c = candidates.find((x) => x.field === field);
    if (c !== undefined) return c;
  }
  let best: Required | null = null;
  for (const c of candidates) if (best === null || c.values.length < best.values.length) best = c;
  return best;
}

/** What a logsource mapping itself requires (its implied conditions' first field). */
export function impliedRequired(m: LogsourceMapping): Required | null {
  const first = Object.entries(m.conditions ?? {})[0];
  if (first === undefined) return null;
  return { field: first[0], values: first[1].map((v) => String(v).toLowerCase()) };
}

/** One source's rules, filed by a required field's values where they have one. */
export class RuleIndex<E> {
  private readonly always: E[] = [];
  private readonly keyed = new Map<FieldGetter, Map<string, E[]>>();
  private readonly seen = new Set<E>();

  add(entry: E, key: { get: FieldGetter; values: readonly string[] } | null): void {
    if (key === null) {
      this.always.push(entry);
      return;
    }
    let byValue = this.keyed.get(key.get);
    if (byValue === undefined) {
      byValue = new Map();
      this.keyed.set(key.get, byValue);
    }
    for (const v of new Set(key.values)) {
      const list = byValue.get(v);
      if (list === undefined) byValue.set(v, [entry]);
      else list.push(entry);
    }
  }

  /** Puts each rule this record may match into `out`, each once. */
  collect(record: unknown, out: E[]): void {
    for (const e of this.always) out.push(e);
    for (const [get, byValue] of this.keyed) {
      const v = get(record);
      if (typeof v === 'string') {
        const list = byValue.get(v.toLowerCase());
        if (list !== undefined) for (const e of list) out.push(e);
      } else if (typeof v === 'number') {
        const list = byValue.get(String(v));
        if (list !== undefined) for (const e of list) out.push(e);
      } else if (Array.isArray(v)) {
        // Any element may match: each rule once.
        this.seen.clear();
        for (const x of v) {
          const list = typeof x === 'string' ? byValue.get(x.toLowerCase()) : typeof x === 'number' ? byValue.get(String(x)) : undefined;
          if (list === undefined) continue;
          for (const e of list) {
            if (this.seen.has(e)) continue;
            this.seen.add(e);
            out.push(e);
          }
        }
      }
    }
  }

  get size(): number {
    return this.always.length + [...this.keyed.values()].reduce((a, m) => a + new Set([...m.values()].flat()).size, 0);
  }
}
