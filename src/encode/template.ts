/**
 * Record layouts declared once, compiled into fast writers.
 *
 * A layout is a JSON-like value (objects keep their key order) in which dynamic parts are named *slots*:
 * `ref('bucket')` writes a JSON string, `fmt('{bucket}.s3.{region}.amazonaws.com')` interpolates slots into one
 * string, `num('bytes')` writes a bare number, `raw('identity')` writes pre-encoded JSON, and `opt(...)` drops the
 * whole key when the slot resolves to nothing. `compile` merges all static text into pre-encoded byte runs, so
 * writing a record is a short loop of byte copies. Slots are resolved lazily, once per record, by resolver
 * functions a source registers; the same slot used twice in a record (a bucket name in `bucketName`, `Host` and a
 * resource ARN) therefore has the same value everywhere.
 */
import { ByteWriter, jsonEscape, utf8 } from './byte-writer.js';

// ---- layout DSL -------------------------------------------------------------------------------------------------

abstract class Dynamic {}
/** A slot written as a JSON string. */
export class Ref extends Dynamic {
  constructor(readonly slot: string) {
    super();
  }
}
/** A JSON string assembled from literal text and `{slot}` references. */
export class Fmt extends Dynamic {
  constructor(readonly parts: readonly (string | Ref)[]) {
    super();
  }
}
/** A slot written as it is: pre-encoded JSON (an object, array, number, `null`…). */
export class Raw extends Dynamic {
  constructor(readonly slot: string) {
    super();
  }
}
/** An object key whose whole `"key":value` pair is left out when the slot resolves to zero bytes. */
export class Opt extends Dynamic {
  constructor(readonly value: Ref | Raw) {
    super();
  }
}

/**
 * A value written straight into the record by a generator, for one-off values no other field repeats
 * (event ids, request ids, opaque tokens): no slot scratch, no copy.
 */
export class Gen extends Dynamic {
  constructor(readonly generator: string) {
    super();
  }
}
export const gen = (generator: string) => new Gen(generator);

export type Layout = null | boolean | number | string | Dynamic | readonly Layout[] | { readonly [key: string]: Layout };

export const ref = (slot: string) => new Ref(slot);
export const raw = (slot: string) => new Raw(slot);
export const num = (slot: string) => new Raw(slot);
export const opt = (value: Ref | Raw) => new Opt(value);
export function fmt(pattern: string): Fmt {
  const parts: (string | Ref)[] = [];
  const re = /\{([A-Za-z0-9_.]+)\}/g;
  let last = 0;
  for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
    if (m.index > last) parts.push(pattern.slice(last, m.index));
    parts.push(new Ref(m[1]));
    last = m.index + m[0].length;
  }
  if (last < pattern.length) parts.push(pattern.slice(last));
  return new Fmt(parts);
}

/** Names of every slot a layout uses, for checking a catalog against the registered resolvers. */
export function slotsOf(layout: Layout, out = new Set<string>()): Set<string> {
  if (layout instanceof Ref || layout instanceof Raw) out.add(layout.slot);
  else if (layout instanceof Fmt) layout.parts.forEach((p) => p instanceof Ref && out.add(p.slot));
  else if (layout instanceof Opt) slotsOf(layout.value, out);
  else if (layout instanceof When) {
    out.add(layout.slot);
    slotsOf(layout.layout, out);
  }
  else if (Array.isArray(layout)) layout.forEach((l) => slotsOf(l, out));
  else if (layout !== null && typeof layout === 'object') Object.values(layout).forEach((l) => slotsOf(l as Layout, out));
  return out;
}

// ---- slots ------------------------------------------------------------------------------------------------------

/** The value of one slot for the current record: either a reference to pre-encoded bytes or bytes written here. */
export class SlotValue {
  ref: Uint8Array | null = null;
  readonly scratch = new ByteWriter(256);

  /** Points the slot at existing bytes (JSON-escaped content, no quotes). */
  set(bytes: Uint8Array): void {
    this.ref = bytes;
  }
  /** Makes the slot empty: `opt` keys are dropped, other uses write nothing. */
  clear(): void {
    this.ref = EMPTY;
  }
  /** A writer for composing the value in place; the slot's value is what gets written here. */
  compose(): ByteWriter {
    this.ref = null;
    this.scratch.pos = 0;
    return this.scratch;
  }
  get length(): number {
    return this.ref ? this.ref.length : this.scratch.pos;
  }
}
const EMPTY = new Uint8Array(0);

export type Resolver<C> = (ctx: C, out: SlotValue, slots: Slots<C>) => void;
/** Writes a value (JSON string content, no quotes) directly into the record. */
export type Generator<C> = (ctx: C, w: ByteWriter) => void;

/** Slot names → ids and resolvers. One per source; shared by every template compiled for it. */
export class SlotRegistry<C> {
  private readonly ids = new Map<string, number>();
  readonly resolvers: Resolver<C>[] = [];
  private readonly generatorIds = new Map<string, number>();
  readonly generators: Generator<C>[] = [];

  /** Registers a generator for `gen(name)`: a one-off value written in place. */
  generator(name: string, write: Generator<C>): this {
    if (this.generatorIds.has(name)) throw new Error(`generator defined twice: ${name}`);
    this.generatorIds.set(name, this.generators.length);
    this.generators.push(write);
    return this;
  }

  generatorId(name: string): number {
    const id = this.generatorIds.get(name);
    if (id === undefined) throw new Error(`unknown generator {${name}}`);
    return id;
  }

  define(name: string, resolver: Resolver<C>): this {
    if (this.ids.has(name)) throw new Error(`slot defined twice: ${name}`);
    this.ids.set(name, this.resolvers.length);
    this.resolvers.push(resolver);
    return this;
  }
  has(name: string): boolean {
    return this.ids.has(name);
  }
  id(name: string): number {
    const id = this.ids.get(name);
    if (id === undefined) throw new Error(`unknown slot {${name}}`);
    return id;
  }
  names(): string[] {
    return [...this.ids.keys()];
  }
}

/** Per-shard slot state: each slot resolves at most once per record (generation counter, no clearing). */
export class Slots<C> {
  readonly values: SlotValue[];
  private readonly generation: Int32Array;
  private current = 1;

  constructor(
    readonly registry: SlotRegistry<C>,
    public ctx: C,
  ) {
    this.values = registry.resolvers.map(() => new SlotValue());
    this.generation = new Int32Array(registry.resolvers.length);
  }

  /**
   * Resolves the next records against `ctx`. Slots hold only the current record's values, so the shards a thread
   * runs one after another can share one Slots: one set of scratch buffers per thread, not per shard.
   */
  bind(ctx: C): void {
    this.ctx = ctx;
  }

  /** Starts a new record: every slot will resolve afresh on first use. */
  nextRecord(): void {
    this.current++;
  }

  /** The resolved value of slot `id` for the current record. */
  get(id: number): SlotValue {
    const v = this.values[id];
    if (this.generation[id] !== this.current) {
      this.generation[id] = this.current;
      this.registry.resolvers[id](this.ctx, v, this);
    }
    return v;
  }

  /** Same as `get`, by name: for resolvers that build on other slots (not on the per-field hot path). */
  byName(name: string): SlotValue {
    return this.get(this.registry.id(name));
  }

  /** Overrides a slot's value for the current record (e.g. an error message chosen before writing). */
  preset(id: number): SlotValue {
    this.generation[id] = this.current;
    return this.values[id];
  }

  /** Sets a slot to pre-encoded bytes for the current record (the caller knows it: no resolver call). */
  fill(id: number, bytes: Uint8Array): void {
    this.generation[id] = this.current;
    this.values[id].ref = bytes;
  }

  presetByName(name: string): SlotValue {
    return this.preset(this.registry.id(name));
  }
}

// ---- compilation ------------------------------------------------------------------------------------------------

const enum OpKind {
  Static = 0,
  Slot = 1,
  Optional = 2,
  Group = 3,
  Generate = 4,
}

interface Op {
  readonly kind: OpKind;
  readonly bytes: Uint8Array;
  readonly slot: number;
  /** For Optional: bytes written after the slot value (closing quote or nothing). */
  readonly tail: Uint8Array;
  /** For Group: the ops written when the slot is non-empty. */
  readonly ops: readonly Op[];
}

const NO_OPS: readonly Op[] = [];

function run<C>(ops: readonly Op[], w: ByteWriter, slots: Slots<C>): void {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op.kind === OpKind.Static) {
      w.bytes(op.bytes);
    } else if (op.kind === OpKind.Slot) {
      const v = slots.get(op.slot);
      if (v.ref) w.bytes(v.ref);
      else w.bytesN(v.scratch.buf, v.scratch.pos);
    } else if (op.kind === OpKind.Generate) {
      slots.registry.generators[op.slot](slots.ctx, w);
    } else if (op.kind === OpKind.Optional) {
      const v = slots.get(op.slot);
      if (v.length === 0) continue;
      w.bytes(op.bytes);
      if (v.ref) w.bytes(v.ref);
      else w.bytesN(v.scratch.buf, v.scratch.pos);
      if (op.tail.length > 0) w.bytes(op.tail);
    } else if (slots.get(op.slot).length > 0) {
      run(op.ops, w, slots);
    }
  }
}

export class CompiledTemplate {
  constructor(readonly ops: readonly Op[]) {}

  write<C>(w: ByteWriter, slots: Slots<C>): void {
    run(this.ops, w, slots);
  }
}

/** An object key present only when slot `slot` resolves to a non-empty value: `tlsDetails` for API callers. */
export class When extends Dynamic {
  constructor(
    readonly slot: string,
    readonly layout: Layout,
  ) {
    super();
  }
}
export const when = (slot: string, layout: Layout) => new When(slot, layout);

class OpBuilder<C> {
  readonly ops: Op[] = [];
  private text = '';

  constructor(private readonly registry: SlotRegistry<C>) {}

  literal(text: string): void {
    this.text += text;
  }

  flush(): void {
    if (this.text !== '') this.ops.push({ kind: OpKind.Static, bytes: utf8(this.text), slot: -1, tail: EMPTY, ops: NO_OPS });
    this.text = '';
  }

  slot(name: string): void {
    this.flush();
    this.ops.push({ kind: OpKind.Slot, bytes: EMPTY, slot: this.registry.id(name), tail: EMPTY, ops: NO_OPS });
  }

  stringParts(parts: readonly (string | Ref)[]): void {
    for (const part of parts) {
      if (typeof part === 'string') this.literal(jsonEscape(part));
      else this.slot(part.slot);
    }
  }

  value(node: Layout): void {
    if (node === null || typeof node === 'boolean' || typeof node === 'number' || typeof node === 'string') {
      this.literal(JSON.stringify(node));
    } else if (node instanceof Ref) {
      this.literal('"');
      this.slot(node.slot);
      this.literal('"');
    } else if (node instanceof Raw) {
      this.slot(node.slot);
    } else if (node instanceof Gen) {
      this.literal('"');
      this.flush();
      this.ops.push({ kind: OpKind.Generate, bytes: EMPTY, slot: this.registry.generatorId(node.generator), tail: EMPTY, ops: NO_OPS });
      this.literal('"');
    } else if (node instanceof Fmt) {
      this.literal('"');
      this.stringParts(node.parts);
      this.literal('"');
    } else if (node instanceof Opt || node instanceof When) {
      throw new Error('opt() and when() are only allowed as object values');
    } else if (Array.isArray(node)) {
      this.literal('[');
      node.forEach((item, i) => {
        if (i > 0) this.literal(',');
        this.value(item);
      });
      this.literal(']');
    } else {
      this.object(node as Record<string, Layout>);
    }
  }

  private object(node: Record<string, Layout>): void {
    this.literal('{');
    let first = true;
    for (const [key, value] of Object.entries(node)) {
      const keyText = `${JSON.stringify(key)}:`;
      if (value instanceof Opt || value instanceof When) {
        if (first) throw new Error(`opt()/when() cannot be the first key of an object (key ${key})`);
        this.flush();
        if (value instanceof Opt) {
          const quoted = value.value instanceof Ref;
          this.ops.push({ kind: OpKind.Optional, bytes: utf8(`,${keyText}${quoted ? '"' : ''}`), slot: this.registry.id(value.value.slot), tail: quoted ? utf8('"') : EMPTY, ops: NO_OPS });
        } else {
          const inner = new OpBuilder(this.registry);
          inner.literal(`,${keyText}`);
          inner.value(value.layout);
          inner.flush();
          this.ops.push({ kind: OpKind.Group, bytes: EMPTY, slot: this.registry.id(value.slot), tail: EMPTY, ops: inner.ops });
        }
        continue;
      }
      this.literal(`${first ? '' : ','}${keyText}`);
      first = false;
      this.value(value);
    }
    this.literal('}');
  }
}

/** Compiles a layout against a slot registry. Throws on unknown slots (a catalog bug, caught at startup). */
export function compile<C>(layout: Layout, registry: SlotRegistry<C>): CompiledTemplate {
  const b = new OpBuilder(registry);
  b.value(layout);
  b.flush();
  return new CompiledTemplate(b.ops);
}

/** Compiles `{slot}` text into a writer of JSON string *content* (escaped, no quotes), e.g. an error message. */
export function compileText<C>(pattern: string, registry: SlotRegistry<C>): CompiledTemplate {
  const b = new OpBuilder(registry);
  b.stringParts(fmt(pattern).parts);
  b.flush();
  return new CompiledTemplate(b.ops);
}

/** A template that writes `text` verbatim as JSON string content: for text from users, where braces are not slots. */
export function literalText(text: string): CompiledTemplate {
  return new CompiledTemplate(text === '' ? [] : [{ kind: OpKind.Static, bytes: utf8(jsonEscape(text)), slot: -1, tail: EMPTY, ops: NO_OPS }]);
}
