/**
 * What a layout compiles to: a list of ops (runs of pre-encoded static bytes, slot copies, optional keys, optional
 * groups, generators), and `writeOps`, which writes a record from them in JavaScript. Records are written this way
 * where the assembler cannot run (no arena on the thread, a template compiled without a program); `lower.ts` turns
 * the same ops into the assembler's program, which writes the same bytes.
 */
import type { ByteWriter } from '../byte-writer.js';
import type { Slots } from './slots.js';

export const enum OpKind {
  Static = 0,
  Slot = 1,
  Optional = 2,
  Group = 3,
  Generate = 4,
}

export interface Op {
  readonly kind: OpKind;
  readonly bytes: Uint8Array;
  readonly slot: number;
  /** For Optional: bytes written after the slot value (closing quote or nothing). */
  readonly tail: Uint8Array;
  /** For Group: the ops written when the slot is non-empty. */
  readonly ops: readonly Op[];
}

export const NO_OPS: readonly Op[] = [];

/** Writes a record from its ops, resolving slots as they come. */
export function writeOps<C>(ops: readonly Op[], w: ByteWriter, slots: Slots<C>): void {
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
      writeOps(op.ops, w, slots);
    }
  }
}
