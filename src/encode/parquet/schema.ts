/**
 * Parquet schemas from the DuckDB type names the layouts declare (`VARCHAR`, `STRUCT("a" VARCHAR, …)`, `T[]`…):
 * one declaration serves the docs, DuckDB's typed reads of JSONL, and our own Parquet writer. Every field is
 * OPTIONAL (JSON records omit absent keys); lists use Parquet's three-level LIST form.
 */
import type { CompactWriter } from './thrift.js';

export type LeafType = 'string' | 'json' | 'bool' | 'int32' | 'int64' | 'double' | 'timestamp';

export interface LeafNode {
  readonly kind: 'leaf';
  readonly name: string;
  readonly type: LeafType;
}
export interface StructNode {
  readonly kind: 'struct';
  readonly name: string;
  readonly children: readonly SchemaNode[];
}
export interface ListNode {
  readonly kind: 'list';
  readonly name: string;
  readonly element: SchemaNode;
}
export type SchemaNode = LeafNode | StructNode | ListNode;

const SCALARS: Readonly<Record<string, LeafType>> = {
  VARCHAR: 'string',
  JSON: 'json',
  BOOLEAN: 'bool',
  INTEGER: 'int32',
  BIGINT: 'int64',
  DOUBLE: 'double',
  'TIMESTAMP WITH TIME ZONE': 'timestamp',
};

/** Splits `a, b(c, d), e` at top-level commas. */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(body.slice(start).trim());
  return parts;
}

/** The schema node of a column named `name` with DuckDB type `type`. */
export function parseType(name: string, type: string): SchemaNode {
  const t = type.trim();
  if (t.endsWith('[]')) return { kind: 'list', name, element: parseType('element', t.slice(0, -2)) };
  if (t.startsWith('STRUCT(') && t.endsWith(')')) {
    const children = splitTopLevel(t.slice(7, -1)).map((field) => {
      const m = /^"([^"]+)"\s+(.+)$/s.exec(field) ?? /^(\w+)\s+(.+)$/s.exec(field);
      if (!m) throw new Error(`cannot read struct field ${JSON.stringify(field)} of ${name}`);
      return parseType(m[1], m[2]);
    });
    return { kind: 'struct', name, children };
  }
  const leaf = SCALARS[t];
  if (!leaf) throw new Error(`column ${name}: type ${t} has no Parquet mapping`);
  return { kind: 'leaf', name, type: leaf };
}

/** A leaf column as Parquet stores it: its path and its maximum definition and repetition levels. */
export interface LeafColumn {
  readonly index: number;
  readonly path: readonly string[];
  readonly type: LeafType;
  readonly maxDef: number;
  readonly maxRep: number;
}

/** Leaf columns in schema order (depth first), as the file stores their chunks. */
export function leafColumns(roots: readonly SchemaNode[]): LeafColumn[] {
  const out: LeafColumn[] = [];
  const walk = (node: SchemaNode, path: string[], def: number, rep: number) => {
    if (node.kind === 'leaf') out.push({ index: out.length, path: [...path, node.name], type: node.type, maxDef: def + 1, maxRep: rep });
    else if (node.kind === 'struct') for (const c of node.children) walk(c, [...path, node.name], def + 1, rep);
    // optional group (LIST) → repeated group "list" → the element
    else walk(node.element, [...path, node.name, 'list'], def + 2, rep + 1);
  };
  for (const r of roots) walk(r, [], 0, 0);
  return out;
}

const enum PhysicalType {
  Boolean = 0,
  Int32 = 1,
  Int64 = 2,
  Double = 5,
  ByteArray = 6,
}
const enum ConvertedType {
  Utf8 = 0,
  List = 3,
  TimestampMicros = 10,
  Json = 19,
}
const OPTIONAL = 1;
const REPEATED = 2;

export const PHYSICAL: Readonly<Record<LeafType, number>> = {
  string: PhysicalType.ByteArray,
  json: PhysicalType.ByteArray,
  bool: PhysicalType.Boolean,
  int32: PhysicalType.Int32,
  int64: PhysicalType.Int64,
  double: PhysicalType.Double,
  timestamp: PhysicalType.Int64,
};

/** The footer's flattened schema (SchemaElement list, depth first, the root first). */
export function writeSchemaElements(w: CompactWriter, fieldId: number, roots: readonly SchemaNode[]): void {
  type Element = { name: string; children?: number; repetition?: number; node?: SchemaNode; list?: 'outer' | 'middle' };
  const elements: Element[] = [{ name: 'schema', children: roots.length }];
  const walk = (node: SchemaNode, repetition: number) => {
    if (node.kind === 'leaf') elements.push({ name: node.name, repetition, node });
    else if (node.kind === 'struct') {
      elements.push({ name: node.name, repetition, children: node.children.length });
      for (const c of node.children) walk(c, OPTIONAL);
    } else {
      elements.push({ name: node.name, repetition, children: 1, list: 'outer' });
      elements.push({ name: 'list', repetition: REPEATED, children: 1, list: 'middle' });
      walk(node.element, OPTIONAL);
    }
  };
  for (const r of roots) walk(r, OPTIONAL);
  w.structList(fieldId, elements, (w, e) => {
    const leaf = e.node?.kind === 'leaf' ? e.node.type : undefined;
    if (leaf) w.i32(1, PHYSICAL[leaf]);
    if (e.repetition !== undefined) w.i32(3, e.repetition);
    w.string(4, e.name);
    if (e.children !== undefined) w.i32(5, e.children);
    const converted = leaf === 'string' ? ConvertedType.Utf8 : leaf === 'json' ? ConvertedType.Json : leaf === 'timestamp' ? ConvertedType.TimestampMicros : e.list === 'outer' ? ConvertedType.List : undefined;
    if (converted !== undefined) w.i32(6, converted);
    // LogicalType union: 1 STRING, 3 LIST, 8 TIMESTAMP(isAdjustedToUTC, unit MICROS), 12 JSON
    if (leaf === 'string') w.struct(10, (l) => l.struct(1, () => {}));
    else if (leaf === 'json') w.struct(10, (l) => l.struct(12, () => {}));
    else if (leaf === 'timestamp') w.struct(10, (l) => l.struct(8, (t) => t.bool(1, true).struct(2, (u) => u.struct(2, () => {}))));
    else if (e.list === 'outer') w.struct(10, (l) => l.struct(3, () => {}));
  });
}
