/**
 * Shreds JSON records into Parquet columns in one pass over their bytes. The records are ours (compact JSON, keys
 * in the layout's order), so keys are matched against the expected next key first and values are copied as byte
 * ranges; nothing is parsed into objects. Absent keys and JSON nulls become nulls at the right definition level;
 * unknown keys are skipped. The envelope columns are filled from the record's fields, constants and the actor.
 */
import { utf8 } from '../byte-writer.js';
import { IsoMicrosParser } from '../time-format.js';
import { ColumnBuffer } from './columns.js';
import type { EnvelopeValue, ParquetLayout } from './layout.js';
import { leafColumns, parseType, type LeafColumn, type LeafType, type SchemaNode } from './schema.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Leaf types as numbers, for the hot path's switches. */
const STRING = 0;
const JSON_TEXT = 1;
const TIMESTAMP = 2;
const BOOL = 3;
const INT32 = 4;
const INT64 = 5;
const DOUBLE = 6;
const CODES: Readonly<Record<LeafType, number>> = { string: STRING, json: JSON_TEXT, timestamp: TIMESTAMP, bool: BOOL, int32: INT32, int64: INT64, double: DOUBLE };

/** Slot flags: how the slot's byte range is to be read. */
const PLAIN = 0;
const ESCAPED = 1;
/** A non-string JSON value where a string was declared (kept as its JSON text, as DuckDB casts it). */
const RAW = 2;

interface PLeaf {
  readonly kind: 0;
  readonly slot: number;
  readonly col: ColumnBuffer;
  readonly code: number;
  readonly maxDef: number;
  readonly scope: number;
  /** Enclosing structs in the same scope, innermost first. */
  readonly ancestors: readonly PStruct[];
  /** Definition level when none of `ancestors` is present. */
  readonly baseDef: number;
}
interface PStruct {
  readonly kind: 1;
  readonly id: number;
  readonly scope: number;
  readonly def: number;
  readonly keys: Uint8Array[];
  /** Each key with its closing quote as little-endian 32-bit words (the last one zero-padded), and that last word's mask. */
  readonly keyWords: Int32Array[];
  readonly keyMasks: Int32Array;
  readonly kids: PNode[];
}
interface PList {
  readonly kind: 2;
  readonly id: number;
  /** Scope of its elements (their slots are reused for each element). */
  readonly scope: number;
  readonly def: number;
  readonly rep: number;
  readonly element: PNode;
  readonly leaves: PLeaf[];
  readonly ancestors: readonly PStruct[];
  readonly baseDef: number;
}
type PNode = PLeaf | PStruct | PList;

const FIRST = 0;
const FAILURE_IF = 1;
const CONST = 2;
const ACTOR = 3;
const FAILURE_WHEN = 4;

interface EnvelopeLeaf {
  readonly col: ColumnBuffer;
  readonly def: number;
  readonly kind: number;
  readonly code: number;
  /** For `first`: the record leaves to try, in order; list leaves read their list's first element. */
  readonly sources: readonly PLeaf[];
  /** For `const`: the bytes. */
  readonly text?: Uint8Array;
  readonly textView?: DataView;
  /** For `actor`: the value per actor (bytes for strings, numbers otherwise; null when absent). */
  readonly perActor?: readonly (Uint8Array | number | boolean | null)[];
  readonly perActorViews?: readonly (DataView | null)[];
  /** For `failureWhen`: the values (bytes) that mean failure. */
  readonly failureValues?: readonly Uint8Array[];
}

/** A DataView of exactly the bytes of `b` (ColumnBuffer.byteArray copies through one). */
function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function fail(message: string): never {
  throw new Error(message);
}

const SUCCESS = utf8('success');
const FAILURE = utf8('failure');
const SUCCESS_VIEW = viewOf(SUCCESS);
const FAILURE_VIEW = viewOf(FAILURE);
const decoder = new TextDecoder();

export class Shredder {
  /** Every leaf column, in file order (envelope first). */
  readonly columns: ColumnBuffer[];
  /**
   * Per column: the column it repeats exactly (same type, levels and values), or -1. Such an envelope column (the
   * envelope's `timestamp` is the record's `eventTime`) is not filled: its pages are the other column's
   * (`encodeColumns` in pages.ts), which saves copying and compressing the same values twice.
   */
  readonly aliases: Int32Array;
  readonly leaves: LeafColumn[];
  readonly schema: SchemaNode[];
  rows = 0;

  private buf: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(new ArrayBuffer(0));
  private end = 0;
  private readonly times = new IsoMicrosParser();
  private readonly root: PStruct;
  private readonly recordLeaves: PLeaf[] = [];
  private readonly lists: PList[] = [];
  private readonly envelope: EnvelopeLeaf[] = [];
  private readonly slotStart: Int32Array;
  private readonly slotEnd: Int32Array;
  private readonly slotFlags: Uint8Array;
  private readonly slotStamp: Int32Array;
  /** The first element's slot values of each list leaf (for envelope columns). */
  private readonly firstStart: Int32Array;
  private readonly firstEnd: Int32Array;
  private readonly firstFlags: Uint8Array;
  private readonly firstStamp: Int32Array;
  private readonly structStamp: Int32Array;
  private readonly listStamp: Int32Array;
  private readonly scopeStamp: Int32Array;

  constructor(layout: ParquetLayout, actors: readonly object[]) {
    const envelopeNodes = layout.envelope.map((c) => parseType(c.name, c.type));
    const recordNodes = layout.columns.map((c) => parseType(c.name, c.type));
    this.schema = [...envelopeNodes, ...recordNodes];
    this.leaves = leafColumns(this.schema);
    this.columns = this.leaves.map((l) => new ColumnBuffer(l));
    this.aliases = new Int32Array(this.columns.length).fill(-1);

    let slots = 0;
    let structs = 0;
    let scopes = 1;
    const byPath = new Map<string, PLeaf>();
    // Record nodes take the leaf columns after the envelope's.
    let leafIndex = leafColumns(envelopeNodes).length;
    const compile = (node: SchemaNode, scope: number, def: number, rep: number, ancestors: PStruct[], baseDef: number, path: string, listLeaves: PLeaf[] | null): PNode => {
      if (node.kind === 'leaf') {
        const col = this.columns[leafIndex++];
        const leaf: PLeaf = { kind: 0, slot: slots++, col, code: CODES[node.type], maxDef: col.leaf.maxDef, scope, ancestors: [...ancestors].reverse(), baseDef };
        byPath.set(path, leaf);
        if (listLeaves) listLeaves.push(leaf);
        else this.recordLeaves.push(leaf);
        return leaf;
      }
      if (node.kind === 'struct') {
        const s: PStruct = { kind: 1, id: structs++, scope, def: def + 1, ...keyTable(node.children.map((c) => c.name)), kids: [] };
        for (const c of node.children) s.kids.push(compile(c, scope, def + 1, rep, [...ancestors, s], baseDef, `${path}.${c.name}`, listLeaves));
        return s;
      }
      if (listLeaves) throw new Error(`column ${path}: lists inside lists are not supported by the Parquet writer`);
      const elementScope = scopes++;
      const list: PList = { kind: 2, id: this.lists.length, scope: elementScope, def: def + 1, rep: rep + 1, element: null as unknown as PNode, leaves: [], ancestors: [...ancestors].reverse(), baseDef };
      this.lists.push(list);
      (list as { element: PNode }).element = compile(node.element, elementScope, def + 2, rep + 1, [], def + 2, path, list.leaves);
      return list;
    };
    this.root = { kind: 1, id: structs++, scope: 0, def: 0, ...keyTable(recordNodes.map((n) => n.name)), kids: [] };
    for (const n of recordNodes) this.root.kids.push(compile(n, 0, 0, 0, [], 0, n.name, null));

    this.slotStart = new Int32Array(slots);
    this.slotEnd = new Int32Array(slots);
    this.slotFlags = new Uint8Array(slots);
    this.slotStamp = new Int32Array(slots);
    this.firstStart = new Int32Array(slots);
    this.firstEnd = new Int32Array(slots);
    this.firstFlags = new Uint8Array(slots);
    this.firstStamp = new Int32Array(slots);
    this.structStamp = new Int32Array(structs);
    this.listStamp = new Int32Array(this.lists.length);
    this.scopeStamp = new Int32Array(scopes).fill(1);

    let envelopeLeaf = 0;
    const compileEnvelope = (node: SchemaNode, value: EnvelopeValue, def: number, name: string) => {
      if (node.kind === 'struct') {
        if (!('fields' in value)) throw new Error(`envelope column ${name}: a struct needs { fields }`);
        for (const c of node.children) {
          const v = value.fields[c.name];
          if (!v) throw new Error(`envelope column ${name}.${c.name} has no value`);
          compileEnvelope(c, v, def + 1, `${name}.${c.name}`);
        }
        return;
      }
      if (node.kind !== 'leaf') throw new Error(`envelope column ${name}: lists are not supported`);
      const col = this.columns[envelopeLeaf++];
      const paths = 'first' in value ? value.first : 'failureIf' in value ? value.failureIf : 'failureWhen' in value ? [value.failureWhen.field] : [];
      const sources = paths.map((p) => byPath.get(p) ?? fail(`envelope column ${name}: no record field ${p}`));
      let text: Uint8Array | undefined;
      let perActor: (Uint8Array | number | boolean | null)[] | undefined;
      if ('const' in value) text = utf8(value.const);
      else if ('actor' in value) {
        const field = value.actor;
        perActor = actors.map((a) => {
          const v = (a as Record<string, unknown>)[field];
          if (v === undefined || v === null) return null;
          if (node.type === 'int32' && !(Number.isInteger(v) && (v as number) >= -0x80000000 && (v as number) <= 0x7fffffff)) fail(`envelope column ${name}: actor ${field} ${String(v)} is not a 32-bit integer`);
          return node.type === 'string' ? utf8(String(v)) : node.type === 'json' ? utf8(JSON.stringify(v)) : (v as number | boolean);
        });
      } else if ('fields' in value) fail(`envelope column ${name}: a scalar cannot take { fields }`);
      const kind = 'first' in value ? FIRST : 'failureIf' in value ? FAILURE_IF : 'failureWhen' in value ? FAILURE_WHEN : 'const' in value ? CONST : ACTOR;
      const failureValues = 'failureWhen' in value ? value.failureWhen.values.map(utf8) : undefined;
      // `first` of one top-level field of the same type writes what that field's column holds, level for level.
      const only = sources.length === 1 ? sources[0] : null;
      if (kind === FIRST && only && only.scope === 0 && only.ancestors.length === 0 && only.maxDef === def + 1 && only.col.leaf.type === node.type && col.leaf.maxRep === 0) {
        this.aliases[this.columns.indexOf(col)] = this.columns.indexOf(only.col);
        return;
      }
      const perActorViews = perActor?.map((v) => (v instanceof Uint8Array ? viewOf(v) : null));
      this.envelope.push({ col, def: def + 1, kind, code: CODES[node.type], sources, text, textView: text && viewOf(text), perActor, perActorViews, failureValues });
    };
    layout.envelope.forEach((c, i) => compileEnvelope(envelopeNodes[i], c.value, 0, c.name));
  }

  /** Empties the columns for the next page (the layout stays compiled). */
  reset(): void {
    for (const c of this.columns) c.reset();
    this.rows = 0;
  }

  /** Adds the record in bytes [start, end) of `buf`, written for actor number `actor`. */
  add(buf: Uint8Array, start: number, end: number, actor: number): void {
    if (buf !== this.buf) {
      this.buf = buf;
      this.view = viewOf(buf);
    }
    this.end = end;
    const stamp = ++this.scopeStamp[0];
    let p = start;
    while (p < end && buf[p] <= 0x20) p++;
    if (buf[p] !== OPEN_BRACE || p >= end) throw new Error('a record is not a JSON object');
    p = this.parseObject(this.root, p);
    while (p < end && buf[p] <= 0x20) p++;
    if (p < end) this.malformed(p);
    for (const leaf of this.recordLeaves) this.emit(leaf, 0);
    for (const list of this.lists) {
      if (this.listStamp[list.id] === stamp) continue;
      const def = this.presentDef(list.ancestors, list.baseDef);
      for (const leaf of list.leaves) leaf.col.level(def, 0);
    }
    for (const e of this.envelope) this.emitEnvelope(e, actor, stamp);
    this.rows++;
  }

  private presentDef(ancestors: readonly PStruct[], baseDef: number): number {
    for (const a of ancestors) if (this.structStamp[a.id] === this.scopeStamp[a.scope]) return a.def;
    return baseDef;
  }

  private emit(leaf: PLeaf, rep: number): void {
    const s = leaf.slot;
    if (this.slotStamp[s] === this.scopeStamp[leaf.scope]) {
      leaf.col.level(leaf.maxDef, rep);
      this.value(leaf.col, leaf.code, this.slotStart[s], this.slotEnd[s], this.slotFlags[s]);
    } else leaf.col.level(this.presentDef(leaf.ancestors, leaf.baseDef), rep);
  }

  private emitEnvelope(e: EnvelopeLeaf, actor: number, stamp: number): void {
    const col = e.col;
    switch (e.kind) {
      case FIRST: {
        for (const leaf of e.sources) {
          const s = leaf.slot;
          if (leaf.scope === 0) {
            if (this.slotStamp[s] !== stamp) continue;
            col.level(e.def, 0);
            this.value(col, e.code, this.slotStart[s], this.slotEnd[s], this.slotFlags[s]);
            return;
          }
          if (this.firstStamp[s] !== stamp) continue;
          col.level(e.def, 0);
          this.value(col, e.code, this.firstStart[s], this.firstEnd[s], this.firstFlags[s]);
          return;
        }
        col.level(e.def - 1, 0);
        return;
      }
      case FAILURE_IF: {
        let failed = false;
        for (const leaf of e.sources) if (this.slotStamp[leaf.slot] === stamp) failed = true;
        col.level(e.def, 0);
        if (failed) col.byteArray(FAILURE, FAILURE_VIEW, 0, FAILURE.length);
        else col.byteArray(SUCCESS, SUCCESS_VIEW, 0, SUCCESS.length);
        return;
      }
      case FAILURE_WHEN: {
        const leaf = e.sources[0];
        const s = leaf.slot;
        let failed = false;
        if (this.slotStamp[s] === this.scopeStamp[leaf.scope]) {
          const b = this.buf;
          const start = this.slotStart[s];
          const length = this.slotEnd[s] - start;
          for (const v of e.failureValues!) {
            if (v.length !== length) continue;
            let same = true;
            for (let i = 0; i < length && same; i++) same = b[start + i] === v[i];
            if (same) failed = true;
          }
        }
        col.level(e.def, 0);
        if (failed) col.byteArray(FAILURE, FAILURE_VIEW, 0, FAILURE.length);
        else col.byteArray(SUCCESS, SUCCESS_VIEW, 0, SUCCESS.length);
        return;
      }
      case CONST:
        col.level(e.def, 0);
        col.byteArray(e.text!, e.textView!, 0, e.text!.length);
        return;
      default: {
        const value = e.perActor![actor];
        if (value === null || value === undefined) {
          col.level(e.def - 1, 0);
          return;
        }
        col.level(e.def, 0);
        if (e.code === STRING || e.code === JSON_TEXT) col.byteArray(value as Uint8Array, e.perActorViews![actor]!, 0, (value as Uint8Array).length);
        else if (e.code === BOOL) col.bool(value as boolean);
        else if (e.code === INT32) col.int32(value as number);
        else if (e.code === DOUBLE) col.double(value as number);
        else col.int64(value as number);
      }
    }
  }

  /** Writes the value in [start, end) of the current record as a column value of type `code`. */
  private value(col: ColumnBuffer, code: number, start: number, end: number, flags: number): void {
    const b = this.buf;
    switch (code) {
      case STRING:
        if (flags === ESCAPED) {
          const text = utf8(JSON.parse(decoder.decode(b.subarray(start - 1, end + 1))) as string);
          col.byteArray(text, viewOf(text), 0, text.length);
        } else col.byteArray(b, this.view, start, end);
        return;
      case JSON_TEXT:
        col.byteArray(b, this.view, start, end);
        return;
      case TIMESTAMP:
        col.int64(this.times.parse(b, start, end));
        return;
      case BOOL:
        col.bool(start === 1);
        return;
      case INT32: {
        const v = this.number(start, end);
        if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) this.badValue(start, end, 'a 32-bit integer');
        col.int32(v);
        return;
      }
      case INT64: {
        const v = this.number(start, end);
        // Larger integers would lose digits as JavaScript numbers.
        if (!Number.isSafeInteger(v)) this.badValue(start, end, 'an integer within ±2^53');
        col.int64(v);
        return;
      }
      case DOUBLE:
        col.double(this.number(start, end));
        return;
    }
  }

  private number(start: number, end: number): number {
    const text = decoder.decode(this.buf.subarray(start, end));
    const v = text.trim() === '' ? NaN : Number(text);
    if (!Number.isFinite(v)) this.badValue(start, end, 'a number');
    return v;
  }

  private badValue(start: number, end: number, expected: string): never {
    throw new Error(`JSON record value ${decoder.decode(this.buf.subarray(start, end))} is not ${expected}`);
  }

  private mismatch(p: number, expected: string): never {
    throw new Error(`JSON record value near byte ${p} is not ${expected}: ${JSON.stringify(decoder.decode(this.buf.subarray(p, Math.min(this.end, p + 60))))}`);
  }

  private malformed(p: number): never {
    throw new Error(`malformed JSON record near byte ${p}: ${JSON.stringify(decoder.decode(this.buf.subarray(Math.max(0, p - 40), Math.min(this.end, p + 40))))}`);
  }

  private ws(p: number): number {
    const b = this.buf;
    while (b[p] <= 0x20) p++;
    if (p >= this.end) this.malformed(p);
    return p;
  }

  /** Parses the object at `p` (its `{`) into `node`'s slots; returns the position after its `}`. */
  private parseObject(node: PStruct, p: number): number {
    const b = this.buf;
    const end = this.end;
    this.structStamp[node.id] = this.scopeStamp[node.scope];
    p++;
    if (b[p] <= 0x20) p = this.ws(p);
    if (b[p] === CLOSE_BRACE) return p + 1;
    const keys = node.keys;
    let expect = 0;
    for (;;) {
      if (b[p] !== QUOTE) this.malformed(p);
      const ks = p + 1;
      let ke = -1;
      let index = -1;
      // Our records keep the layout's key order, with optional keys left out: try the keys from the expected one
      // on, four bytes at a time against the precomputed words (the key and its closing quote), then the earlier ones.
      const count = keys.length;
      for (let k = 0; k < count; k++) {
        let i = expect + k;
        if (i >= count) i -= count;
        if (matchesKey(this.view, ks, end, node.keyWords[i], node.keyMasks[i])) {
          index = i;
          ke = ks + keys[i].length;
          break;
        }
      }
      if (index < 0) ke = this.stringEnd(p) >>> 1;
      p = ke + 1;
      if (b[p] !== COLON) {
        p = this.ws(p);
        if (b[p] !== COLON) this.malformed(p);
      }
      p++;
      if (b[p] <= 0x20) p = this.ws(p);
      if (index < 0) p = this.skip(p);
      else {
        expect = index + 1;
        const kid = node.kids[index];
        if (kid.kind === 0 && kid.code === STRING && b[p] === QUOTE) {
          // The common case, without a call to parseValue: a string value.
          const scanned = this.stringEnd(p);
          this.set(kid, p + 1, scanned >>> 1, scanned & 1);
          p = (scanned >>> 1) + 1;
        } else p = this.parseValue(kid, p);
      }
      if (b[p] <= 0x20) p = this.ws(p);
      if (b[p] === COMMA) {
        p++;
        if (b[p] <= 0x20) p = this.ws(p);
      } else if (b[p] === CLOSE_BRACE) return p + 1;
      else this.malformed(p);
    }
  }

  private parseValue(node: PNode, p: number): number {
    const b = this.buf;
    const c = b[p];
    if (c === 0x6e) return p + 4; // null: absent
    if (node.kind === 1) return c === OPEN_BRACE ? this.parseObject(node, p) : this.mismatch(p, 'an object');
    if (node.kind === 2) return c === OPEN_BRACKET ? this.parseList(node, p) : this.mismatch(p, 'an array');
    const code = node.code;
    if (code === JSON_TEXT) {
      const end = this.skip(p);
      this.set(node, p, end, PLAIN);
      return end;
    }
    if (code === BOOL) {
      if (c === 0x74) {
        this.set(node, 1, 1, PLAIN);
        return p + 4;
      }
      if (c === 0x66) {
        this.set(node, 0, 0, PLAIN);
        return p + 5;
      }
      return this.mismatch(p, 'true or false');
    }
    if (c === QUOTE) {
      const scanned = this.stringEnd(p);
      this.set(node, p + 1, scanned >>> 1, scanned & 1);
      return (scanned >>> 1) + 1;
    }
    const end = this.skip(p);
    this.set(node, p, end, code === STRING ? RAW : PLAIN);
    return end;
  }

  /**
   * The position of the closing quote of the string whose opening quote is at `p`, times two, plus ESCAPED (1) when
   * the string holds a backslash (two results in one small integer: no allocation, no field write).
   */
  private stringEnd(p: number): number {
    const b = this.buf;
    const end = this.end;
    // Four bytes at a time while no quote or backslash, then byte by byte.
    let q = plainRun(this.view, p + 1, end);
    let flags = PLAIN;
    for (;;) {
      const x = b[q];
      if (x === QUOTE) break;
      if (x === BACKSLASH) {
        flags = ESCAPED;
        q += 2;
      } else q++;
      if (q >= end) this.malformed(p);
    }
    return q * 2 + flags;
  }

  private set(leaf: PLeaf, start: number, end: number, flags: number): void {
    const s = leaf.slot;
    this.slotStart[s] = start;
    this.slotEnd[s] = end;
    this.slotFlags[s] = flags;
    this.slotStamp[s] = this.scopeStamp[leaf.scope];
  }

  private parseList(list: PList, p: number): number {
    const b = this.buf;
    const recordStamp = this.scopeStamp[0];
    if (this.listStamp[list.id] === recordStamp) this.malformed(p); // the same list key twice
    this.listStamp[list.id] = recordStamp;
    p = this.ws(p + 1);
    if (b[p] === CLOSE_BRACKET) {
      for (const leaf of list.leaves) leaf.col.level(list.def, 0);
      return p + 1;
    }
    for (let i = 0; ; i++) {
      this.scopeStamp[list.scope]++;
      p = this.ws(this.parseValue(list.element, p));
      const rep = i === 0 ? 0 : list.rep;
      for (const leaf of list.leaves) {
        this.emit(leaf, rep);
        if (i === 0 && this.slotStamp[leaf.slot] === this.scopeStamp[list.scope]) {
          const s = leaf.slot;
          this.firstStart[s] = this.slotStart[s];
          this.firstEnd[s] = this.slotEnd[s];
          this.firstFlags[s] = this.slotFlags[s];
          this.firstStamp[s] = recordStamp;
        }
      }
      if (b[p] === COMMA) p = this.ws(p + 1);
      else if (b[p] === CLOSE_BRACKET) return p + 1;
      else this.malformed(p);
    }
  }

  /** The position after the JSON value at `p`. */
  private skip(p: number): number {
    const b = this.buf;
    const end = this.end;
    const c = b[p];
    if (c === QUOTE) return (this.stringEnd(p) >>> 1) + 1;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      let depth = 0;
      while (p < end) {
        const x = b[p];
        if (x === QUOTE) {
          p = (this.stringEnd(p) >>> 1) + 1;
          continue;
        }
        p++;
        if (x === OPEN_BRACE || x === OPEN_BRACKET) depth++;
        else if ((x === CLOSE_BRACE || x === CLOSE_BRACKET) && --depth === 0) return p;
      }
      this.malformed(p);
    }
    const from = p;
    while (p < end && b[p] !== COMMA && b[p] !== CLOSE_BRACE && b[p] !== CLOSE_BRACKET && b[p] > 0x20) p++;
    if (p === from) this.malformed(p); // a missing value: `"a":}` or `[1,]`
    return p;
  }
}

/**
 * The first position from `q` where a four-byte word holds a quote or a backslash (or where fewer than four bytes
 * are left): the zero-byte test on v ^ 0x22222222 and v ^ 0x5c5c5c5c.
 */
function plainRun(view: DataView, q: number, end: number): number {
  while (q + 4 <= end) {
    const v = view.getInt32(q, true);
    const x1 = v ^ 0x22222222;
    const x2 = v ^ 0x5c5c5c5c;
    if ((((x1 - 0x01010101) & ~x1) | ((x2 - 0x01010101) & ~x2)) & 0x80808080) return q;
    q += 4;
  }
  return q;
}

function keyTable(names: readonly string[]): { keys: Uint8Array[]; keyWords: Int32Array[]; keyMasks: Int32Array } {
  const keys = names.map((n) => utf8(n));
  const keyWords = keys.map((k) => {
    const bytes = new Uint8Array(Math.ceil((k.length + 1) / 4) * 4);
    bytes.set(k);
    bytes[k.length] = QUOTE;
    // Little-endian words, as the DataView reads compare them (whatever the platform's byte order).
    const view = new DataView(bytes.buffer);
    return Int32Array.from({ length: bytes.length / 4 }, (_, i) => view.getInt32(i * 4, true));
  });
  const keyMasks = new Int32Array(keys.map((k) => {
    const used = (k.length + 1) % 4 || 4;
    return used === 4 ? -1 : (1 << (used * 8)) - 1;
  }));
  return { keys, keyWords, keyMasks };
}

function matchesKey(view: DataView, at: number, end: number, words: Int32Array, lastMask: number): boolean {
  const last = words.length - 1;
  if (at + (last + 1) * 4 > end) return false;
  let w = 0;
  while (w < last && view.getInt32(at + w * 4, true) === words[w]) w++;
  return w === last && (view.getInt32(at + w * 4, true) & lastMask) === words[w];
}
