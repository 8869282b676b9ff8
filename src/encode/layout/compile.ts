/**
 * The compiler: a layout (`dsl.ts`) against a source's slot registry becomes a `CompiledTemplate`. All static text
 * is merged into pre-encoded byte runs, so writing a record is a short list of copies: by the assembler, from the
 * program `lower.ts` makes of the ops, or in JavaScript (`writeOps`) where there is no program or no arena.
 */
import { jsonEscape, utf8, type ByteWriter } from '../byte-writer.js';
import { fmt, Fmt, Gen, type Layout, Opt, Raw, Ref, When } from './dsl.js';
import { assemble, lowerToProgram, type Program } from './lower.js';
import { NO_OPS, type Op, OpKind, writeOps } from './ops.js';
import type { SlotRegistry, Slots } from './slots.js';

const EMPTY = new Uint8Array(0);

/** A record writer: its ops, and the assembler's program of them when the compiling thread has an arena. */
export class CompiledTemplate {
  constructor(
    readonly ops: readonly Op[],
    private readonly program: Program | null = null,
  ) {}

  write<C>(w: ByteWriter, slots: Slots<C>): void {
    const program = this.program;
    if (program !== null && slots.arena !== null && program.registry === slots.registry && program.entries <= slots.entries) assemble(program, slots, w);
    else writeOps(this.ops, w, slots);
  }
}

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
  return new CompiledTemplate(b.ops, lowerToProgram(b.ops, registry));
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
