/**
 * The slot runtime: what a source registers (a resolver per slot, a writer per generator, in a `SlotRegistry`) and
 * the per-thread state that resolves them while records are written (`Slots`). A slot resolves at most once per
 * record (generation counter), so one bucket name appears in `bucketName`, `Host` and the resource ARN alike. For
 * records written by the assembler, `Slots` also fills the value table the assembler reads: where each slot's and
 * generator's value is, in the arena.
 */
import { type Arena, threadArena } from '../assemble/arena.js';
import { ByteWriter } from '../byte-writer.js';

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

/** Kinds of step in a program's resolve list (`Slots.resolve`; written by `lower.ts`). */
export const enum Step {
  /** [Slot, slot id] */
  Slot = 0,
  /** [Generate, generator id, generator use] */
  Generate = 1,
  /** [Group, slot id, steps to skip when the slot is empty] */
  Group = 2,
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

  /** Makes slot `id` resolve again on its next use in the current record (what it depends on changed). */
  invalidate(id: number): void {
    this.generation[id] = this.current - 1;
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
   * same), and fills the value table with where each value is, for the assembler (requires the arena).
   */
  resolve(steps: Int32Array): void {
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
  }
}
