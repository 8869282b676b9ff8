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
import { type Arena, threadArena } from './assemble/arena.js';
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
  readonly scratch: ByteWriter;

  constructor(scratch: Uint8Array = new Uint8Array(SCRATCH_BYTES)) {
    this.scratch = ByteWriter.over(scratch);
  }

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
/** Room a slot or generator value has before its writer grows (out of the arena: it is then copied in). */
const SCRATCH_BYTES = 256;

/**
 * Produces a slot's value for the current record. The assembler copies values only once every value of the record
 * is resolved, so a resolver must not change bytes another slot already points at (a shared buffer, a patched block):
 * values are fixed from their resolution to the end of the record. Presets are made before the record is written.
 */
export type Resolver<C> = (ctx: C, out: SlotValue, slots: Slots<C>) => void;
/** Writes a value (JSON string content, no quotes) directly into the record. */
export type Generator<C> = (ctx: C, w: ByteWriter) => void;

/** Slot names → ids and resolvers. One per source; shared by every template compiled for it. */
export class SlotRegistry<C> {
  private readonly ids = new Map<string, number>();
  readonly resolvers: Resolver<C>[] = [];
  private readonly generatorIds = new Map<string, number>();
  readonly generators: Generator<C>[] = [];
  /** Generator uses in compiled records: each has its own value-table entry, after the slots'. */
  generatorUses = 0;
  /** Set by the first compiled record: the value table's layout (slots first) is fixed from then on. */
  private sealed = false;

  /** Marks the registry as used by a compiled record: defining slots after that would move the table's entries. */
  seal(): void {
    this.sealed = true;
  }

  /** Claims a value-table entry for one use of a generator in a compiled record. */
  generatorEntry(): number {
    return this.resolvers.length + this.generatorUses++;
  }

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
    if (this.sealed) throw new Error(`slot ${name} defined after records were compiled: define every slot first`);
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

/**
 * Per-thread slot state: each slot resolves at most once per record (generation counter, no clearing). For records
 * written by the assembler it also keeps the value table: where each slot's and generator's value is, in the arena.
 */
export class Slots<C> {
  readonly values: SlotValue[];
  private readonly generation: Int32Array;
  private current = 1;
  /** Null where there is no arena (WebAssembly memory refused, or full): records are written in JavaScript. */
  readonly arena: Arena | null;
  /** Byte offset of the value table: an (offset, length) pair of i32 per slot, then per generator use. */
  readonly table: number;
  /** Entries in the table (records compiled after this Slots was made may need more: they are written in JS). */
  readonly entries: number;
  /** Where generators write their value, per generator use. */
  private readonly generated: ByteWriter[];
  /** Space in the arena for values that live outside it, per entry (offset, capacity). */
  private readonly overflowAt: Int32Array;
  private readonly overflowCap: Int32Array;

  constructor(
    readonly registry: SlotRegistry<C>,
    public ctx: C,
  ) {
    this.entries = registry.resolvers.length + registry.generatorUses;
    let arena = threadArena();
    const table = arena?.tryAlloc(this.entries * 8) ?? -1;
    if (table < 0) arena = null;
    this.arena = arena;
    this.table = table;
    const scratch = () => arena?.tryBytes(SCRATCH_BYTES) ?? new Uint8Array(SCRATCH_BYTES);
    this.values = registry.resolvers.map(() => new SlotValue(scratch()));
    this.generation = new Int32Array(registry.resolvers.length);
    this.generated = Array.from({ length: registry.generatorUses }, () => ByteWriter.over(scratch()));
    this.overflowAt = new Int32Array(this.entries);
    this.overflowCap = new Int32Array(this.entries);
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

  /** Records table entry `entry` as the first `length` bytes of `bytes`, copying them into the arena if needed. */
  private publish(entry: number, bytes: Uint8Array, length: number): void {
    const arena = this.arena as Arena;
    const at = (this.table >> 2) + 2 * entry;
    const offset = length === 0 ? 0 : arena.offsetOf(bytes);
    if (offset >= 0) {
      arena.i32[at] = offset;
      arena.i32[at + 1] = length;
      return;
    }
    if (this.overflowCap[entry] < length) {
      const capacity = Math.max(64, length, 2 * this.overflowCap[entry]);
      this.overflowAt[entry] = arena.alloc(capacity);
      this.overflowCap[entry] = capacity;
    }
    const to = this.overflowAt[entry];
    const u8 = arena.u8;
    // Most values are short and sit at the start of a longer scratch buffer: a loop needs no view of them.
    if (length <= 64) for (let i = 0; i < length; i++) u8[to + i] = bytes[i];
    else u8.set(length === bytes.length ? bytes : bytes.subarray(0, length), to);
    arena.i32[at] = to;
    arena.i32[at + 1] = length;
  }

  private publishSlot(id: number): SlotValue {
    const v = this.get(id);
    if (v.ref !== null) this.publish(id, v.ref, v.ref.length);
    else this.publish(id, v.scratch.buf, v.scratch.pos);
    return v;
  }

  /**
   * Resolves what a record uses, in the order the JavaScript writer would (so random draws and their values are the
   * same), then has the assembler copy static text and values into `w` in one call.
   */
  assemble(program: Program, w: ByteWriter): void {
    const arena = this.arena as Arena;
    const steps = program.steps;
    for (let i = 0; i < steps.length; ) {
      const kind = steps[i];
      if (kind === Step.Slot) {
        this.publishSlot(steps[i + 1]);
        i += 2;
      } else if (kind === Step.Generate) {
        const use = steps[i + 2];
        const g = this.generated[use];
        g.pos = 0;
        this.registry.generators[steps[i + 1]](this.ctx, g);
        this.publish(this.values.length + use, g.buf, g.pos);
        i += 3;
      } else {
        i += this.publishSlot(steps[i + 1]).length > 0 ? 3 : 3 + steps[i + 2];
      }
    }
    // Parts are in the arena; a writer that is not (a part that grew past its buffer) or a record that does not
    // fit gets the same program run in JavaScript.
    const base = arena.offsetOf(w.buf);
    const end = base < 0 ? -1 : arena.assemble(program.start, program.end, this.table, base + w.pos, base + w.buf.length);
    if (end < 0) assembleInJs(arena, program, this.table, w);
    else w.pos = end - base;
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

/** Kinds of step in a program's resolve list (see `Slots.assemble`). */
const enum Step {
  /** [Slot, slot id] */
  Slot = 0,
  /** [Generate, generator id, generator use] */
  Generate = 1,
  /** [Group, slot id, steps to skip when the slot is empty] */
  Group = 2,
}

/** A record template lowered for the assembler: its ops in the arena, and what to resolve before running them. */
interface Program {
  readonly registry: SlotRegistry<unknown>;
  /** Byte offsets of the ops in the arena (see assemble.wat for their format). */
  readonly start: number;
  readonly end: number;
  readonly steps: Int32Array;
  /** Table entries the program reads (the Slots writing it must have at least as many). */
  readonly entries: number;
}

export class CompiledTemplate {
  constructor(
    readonly ops: readonly Op[],
    private readonly program: Program | null = null,
  ) {}

  write<C>(w: ByteWriter, slots: Slots<C>): void {
    const program = this.program;
    if (program !== null && slots.arena !== null && program.registry === slots.registry && program.entries <= slots.entries) slots.assemble(program, w);
    else run(this.ops, w, slots);
  }
}

/** Op codes of assemble.wat. */
const enum Code {
  Static = 0,
  Value = 1,
  Group = 2,
}

/** Lowers ops into assembler words (static text copied into the arena) and the steps that resolve their values. */
function lower<C>(ops: readonly Op[], registry: SlotRegistry<C>, arena: Arena, words: number[], steps: number[]): void {
  const text = (bytes: Uint8Array) => {
    if (bytes.length === 0) return;
    const at = arena.alloc(bytes.length);
    arena.u8.set(bytes, at);
    words.push(Code.Static, at, bytes.length);
  };
  for (const op of ops) {
    switch (op.kind) {
      case OpKind.Static:
        text(op.bytes);
        break;
      case OpKind.Slot:
        words.push(Code.Value, op.slot * 8);
        steps.push(Step.Slot, op.slot);
        break;
      case OpKind.Generate: {
        const entry = registry.generatorEntry();
        words.push(Code.Value, entry * 8);
        steps.push(Step.Generate, op.slot, entry - registry.resolvers.length);
        break;
      }
      case OpKind.Optional: {
        const head = words.length;
        words.push(Code.Group, op.slot * 8, 0);
        text(op.bytes);
        words.push(Code.Value, op.slot * 8);
        text(op.tail);
        words[head + 2] = (words.length - head - 3) * 4;
        steps.push(Step.Slot, op.slot);
        break;
      }
      case OpKind.Group: {
        const head = words.length;
        words.push(Code.Group, op.slot * 8, 0);
        const stepHead = steps.length;
        steps.push(Step.Group, op.slot, 0);
        lower(op.ops, registry, arena, words, steps);
        words[head + 2] = (words.length - head - 3) * 4;
        steps[stepHead + 2] = steps.length - stepHead - 3;
        break;
      }
    }
  }
}

/** The record's program for the assembler; null without an arena (the JavaScript writer then writes it). */
function program<C>(ops: readonly Op[], registry: SlotRegistry<C>): Program | null {
  registry.seal();
  const arena = threadArena();
  if (arena === null) return null;
  const words: number[] = [];
  const steps: number[] = [];
  let start: number;
  try {
    lower(ops, registry, arena, words, steps);
    start = arena.alloc(words.length * 4);
  } catch (err) {
    if (err instanceof RangeError) return null; // arena full
    throw err;
  }
  arena.i32.set(words, start >> 2);
  return { registry: registry as SlotRegistry<unknown>, start, end: start + words.length * 4, steps: Int32Array.from(steps), entries: registry.resolvers.length + registry.generatorUses };
}

/**
 * The assembler's work in JavaScript, for a writer outside the arena or a record too big for the rest of its buffer
 * (the writer grows as needed). Reads the same ops and value table, so the bytes are the same.
 */
function assembleInJs(arena: Arena, program: Program, table: number, w: ByteWriter): void {
  const i32 = arena.i32;
  const u8 = arena.u8;
  const copy = (at: number, length: number) => w.range(u8, at, at + length);
  let op = program.start >> 2;
  const end = program.end >> 2;
  while (op < end) {
    const code = i32[op];
    if (code === Code.Static) {
      copy(i32[op + 1], i32[op + 2]);
      op += 3;
      continue;
    }
    const entry = (table + i32[op + 1]) >> 2;
    const length = i32[entry + 1];
    if (code === Code.Value) {
      copy(i32[entry], length);
      op += 2;
    } else {
      op += length > 0 ? 3 : 3 + (i32[op + 2] >> 2);
    }
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
  return new CompiledTemplate(b.ops, program(b.ops, registry));
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
