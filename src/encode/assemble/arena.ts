/**
 * A thread's arena: one shared WebAssembly memory from which the record assembler (assemble.wat) copies. Compiled
 * templates keep their static text and programs here, slots their scratch space and value table, and hot
 * pre-encoded values (identity blocks, timestamps, names) can be allocated here so a record refers to them by
 * offset instead of copying them first.
 *
 * It is a thread-local heap, created on first use: the values that live in it come from every part of a source
 * (module constants, the world, actor states), and passing an allocator to each would not make them purer.
 * The memory is shared so that growing it never detaches views already handed out (an unshared memory's old
 * ArrayBuffer is emptied by `grow`). Views made before a growth keep working; the assembler just no longer
 * recognises them as arena bytes (their `buffer` is the old object) and copies them like any other bytes.
 */
import { jsonContent, utf8 } from '../byte-writer.js';
import { ASSEMBLE_WASM } from './assemble-wasm.js';

/** The part of the WebAssembly JS API used here (the project's lib settings do not include its types). */
declare namespace WebAssembly {
  class Memory {
    constructor(descriptor: { initial: number; maximum: number; shared: boolean });
    readonly buffer: ArrayBufferLike;
    grow(pages: number): number;
  }
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}

const PAGE = 65536;
/** Enough for the CloudTrail catalog's templates, tables and a few thousand actors' identity blocks. */
const INITIAL_PAGES = 256;
/** 1 GiB: address space only, reserved by V8 for any wasm memory; pages are committed as they are touched. */
const MAXIMUM_PAGES = 16384;

/**
 * Where a view's bytes are in the arena (-1: not in it), kept on the view itself. V8 (11, Node 20) does not inline
 * the `buffer` and `byteOffset` getters: each costs 12-14 ns, more than a record's value table takes to fill.
 */
export const ARENA_OFFSET = Symbol('arena offset');
type Located = Uint8Array & { [ARENA_OFFSET]?: number };

type AssembleFn = (op: number, end: number, table: number, dst: number, limit: number) => number;

let compiled: WebAssembly.Module | null = null;

export class Arena {
  readonly memory: WebAssembly.Memory;
  /** The memory's current buffer: arena views are the views of this object. */
  buffer!: SharedArrayBuffer;
  u8!: Uint8Array;
  i32!: Int32Array;
  readonly assemble: AssembleFn;
  private top = 16;

  constructor(initialPages = INITIAL_PAGES) {
    this.memory = new WebAssembly.Memory({ initial: initialPages, maximum: MAXIMUM_PAGES, shared: true });
    compiled ??= new WebAssembly.Module(Buffer.from(ASSEMBLE_WASM, 'base64'));
    const instance = new WebAssembly.Instance(compiled, { env: { memory: this.memory } });
    this.assemble = instance.exports.assemble as AssembleFn;
    this.refresh();
  }

  private refresh(): void {
    this.buffer = this.memory.buffer as unknown as SharedArrayBuffer;
    this.u8 = new Uint8Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
  }

  /** Reserves `size` bytes (8-byte aligned) and returns their offset. */
  alloc(size: number): number {
    const at = this.top;
    const end = at + ((size + 7) & ~7);
    if (end > this.u8.length) {
      const pages = Math.ceil((end - this.u8.length) / PAGE);
      const grown = Math.max(pages, this.u8.length / PAGE);
      if (this.u8.length / PAGE + grown > MAXIMUM_PAGES) throw new RangeError(`arena full: ${size} more bytes do not fit in ${MAXIMUM_PAGES * PAGE} bytes`);
      this.memory.grow(grown);
      this.refresh();
    }
    this.top = end;
    return at;
  }

  /** `size` fresh bytes in the arena, as a view. */
  bytes(size: number): Uint8Array {
    const at = this.alloc(size);
    const view: Located = new Uint8Array(this.buffer, at, size);
    view[ARENA_OFFSET] = at;
    return view;
  }

  /** Where `bytes` start in the arena, or -1 if they are elsewhere (remembered on the view). */
  offsetOf(bytes: Uint8Array): number {
    const located = bytes as Located;
    let at = located[ARENA_OFFSET];
    if (at === undefined) {
      at = bytes.buffer === this.buffer ? bytes.byteOffset : -1;
      located[ARENA_OFFSET] = at;
    }
    return at;
  }

  /** A copy of `bytes` in the arena. */
  copy(bytes: Uint8Array): Uint8Array {
    const view = this.bytes(bytes.length);
    view.set(bytes);
    return view;
  }

  /** Bytes in use (for tests and metrics). */
  get used(): number {
    return this.top;
  }
}

let current: Arena | null = null;

/** This thread's arena. */
export function threadArena(): Arena {
  current ??= new Arena();
  return current;
}

/**
 * `text` as UTF-8 in this thread's arena, for long-lived values records copy (identity blocks, names, addresses):
 * the assembler reads them where they are. Arena bytes are never freed, so per-record values use `utf8`.
 */
export function arenaUtf8(text: string): Uint8Array {
  return threadArena().copy(utf8(text));
}

/** `text` as JSON string content (escaped, no quotes) in this thread's arena; see `arenaUtf8`. */
export function arenaJson(text: string): Uint8Array {
  return threadArena().copy(jsonContent(text));
}
