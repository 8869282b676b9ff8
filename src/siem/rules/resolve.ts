/**
 * A logsource mapping (logsources.ts) as the compiler's FieldResolver: a Sigma field name becomes a getter over the
 * source's parsed records (dotted paths into JSON, or a text record's part names), and keywords search the mapped
 * paths' values or the record's whole text.
 */
import { isJoined, type FieldGetter, type FieldResolver, type LogsourceMapping } from './types.js';

/** The value at `keys[i…]` below `v`; a list on the way is looked through (each element's value, flattened). */
function walk(v: unknown, keys: readonly string[], i: number): unknown {
  for (; i < keys.length; i++) {
    if (v === null || typeof v !== 'object') return undefined;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const e of v) {
        const x = walk(e, keys, i);
        if (Array.isArray(x)) out.push(...x);
        else if (x !== undefined) out.push(x);
      }
      return out.length === 0 ? undefined : out;
    }
    v = (v as Record<string, unknown>)[keys[i]];
  }
  return v;
}

function jsonPath(path: string): FieldGetter {
  const keys = path.split('.');
  if (keys.length === 1) return (r) => (r !== null && typeof r === 'object' ? (r as Record<string, unknown>)[path] : undefined);
  return (r) => {
    // Sigma's dotted names reach into lists (`requestParameters.eventSelectors.includeManagementEvents`: any selector).
    const v = walk(r, keys, 0);
    // A key that itself holds dots (`winlog.event_data` keeps names as the vendor spells them) is tried whole too.
    return v === undefined && r !== null && typeof r === 'object' ? (r as Record<string, unknown>)[path] : v;
  };
}

function part(path: string): FieldGetter {
  return (r) => (r as Record<string, unknown>)[path];
}

function firstPresent(getters: readonly FieldGetter[]): FieldGetter {
  if (getters.length === 1) return getters[0];
  return (r) => {
    for (const g of getters) {
      const v = g(r);
      if (v !== undefined && v !== null) return v;
    }
    return undefined;
  };
}

/** The present text values of several getters joined (`NT AUTHORITY` and `SYSTEM` → `NT AUTHORITY\SYSTEM`). */
function joined(getters: readonly FieldGetter[], separator: string): FieldGetter {
  return (r) => {
    let out: string | undefined;
    for (const g of getters) {
      const v = g(r);
      if (typeof v !== 'string' || v === '') continue;
      out = out === undefined ? v : `${out}${separator}${v}`;
    }
    return out;
  };
}

export function resolverFor(m: LogsourceMapping, format: 'json' | 'text'): FieldResolver {
  const getter = format === 'json' ? jsonPath : part;
  const cache = new Map<string, FieldGetter>();
  const keywordGetters = m.keywords?.map(getter);
  return {
    field(name) {
      let g = cache.get(name);
      if (g === undefined) {
        const mapped = m.fields?.[name];
        if (mapped !== undefined && isJoined(mapped)) g = joined(mapped.join.map(getter), mapped.with);
        else {
          const paths = mapped !== undefined ? (typeof mapped === 'string' ? [mapped] : [...(mapped as readonly string[])]) : [...(m.prefixes ?? []).map((p) => p + name), name];
          g = firstPresent(paths.map(getter));
        }
        cache.set(name, g);
      }
      return g;
    },
    keywords(record, text) {
      if (keywordGetters === undefined) return text;
      let out = '';
      for (const g of keywordGetters) {
        const v = g(record);
        if (typeof v === 'string') out = out === '' ? v : `${out}\n${v}`;
      }
      return out;
    },
  };
}

/** What a mapping's logsource implies (Sysmon's EventID 1 for process_creation) as a test, or null when nothing. */
export function impliedCondition(m: LogsourceMapping, resolver: FieldResolver): ((record: unknown) => boolean) | null {
  const tests = Object.entries(m.conditions ?? {}).map(([field, values]) => {
    const get = resolver.field(field);
    const accepted = new Set(values.map((v) => String(v).toLowerCase()));
    return (record: unknown) => {
      const v = get(record);
      return (typeof v === 'string' || typeof v === 'number') && accepted.has(String(v).toLowerCase());
    };
  });
  if (tests.length === 0) return null;
  return (record) => tests.every((t) => t(record));
}
