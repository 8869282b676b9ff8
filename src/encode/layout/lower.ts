/**
 * The WebAssembly lowering: a record's ops become a program for the assembler (`../assemble/`), with its static
 * text copied into the thread's arena, plus the list of steps that resolve the record's values (`Slots.resolve`).
 * `assemble` writes a record with it; `assembleInJs` does the assembler's work in JavaScript where the wasm call
 * cannot (a writer outside the arena, a record too big for the rest of its buffer), from the same program.
 */
import { type Arena, threadArena } from '../assemble/arena.js';
import type { ByteWriter } from '../byte-writer.js';
import { type Op, OpKind } from './ops.js';
import { Step, type SlotRegistry, type Slots } from './slots.js';

/** A record template lowered for the assembler: its ops in the arena, and what to resolve before running them. */
export interface Program {
  readonly registry: SlotRegistry<unknown>;
  /** Byte offsets of the ops in the arena (see assemble.wat for their format). */
  readonly start: number;
  readonly end: number;
  readonly steps: Int32Array;
  /** Table entries the program reads (the Slots writing it must have at least as many). */
  readonly entries: number;
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
export function lowerToProgram<C>(ops: readonly Op[], registry: SlotRegistry<C>): Program | null {
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
 * Writes a record with its program: resolves its values in op order (so random draws and values are exactly those
 * of the JavaScript writer), then has the assembler copy static text and values into `w` in one call. `slots` must
 * have an arena.
 */
export function assemble<C>(program: Program, slots: Slots<C>, w: ByteWriter): void {
  const arena = slots.arena as Arena;
  slots.resolve(program.steps);
  // Parts are in the arena; a writer that is not (a part that grew past its buffer) or a record that does not
  // fit gets the same program run in JavaScript.
  const base = arena.offsetOf(w.buf);
  const end = base < 0 ? -1 : arena.assemble(program.start, program.end, slots.table, base + w.pos, base + w.buf.length);
  if (end < 0) assembleInJs(arena, program, slots.table, w);
  else w.pos = end - base;
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
