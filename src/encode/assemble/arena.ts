/**
 * A thread's arena: one shared WebAssembly memory from which the record assembler (assemble.wat) copies. Compiled
 * templates keep their static text and programs here, slots their scratch space and value table, and hot
 * pre-encoded values (identity blocks, timestamps, names) can be allocated here so a record refers to them by
 * offset instead of copying them first.
 *
 * It is a thread-local heap, created on first use: the values that live in it come from every part of a source
 * (module constants, the world, actor states), and passing an allocator to each would not make them purer.
 * The memory is shared so that growing it never detaches views already handed out (an unshared memory's old
 * ArrayBuffer is emptied by `grow`).
 *
 * The arena is an optimisation, never a requirement. V8 reserves ~10 GiB of address space for any WebAssembly
 * memory (guard regions); where that is refused (`ulimit -v`), `threadArena()` is null and records are written by
 * the JavaScript writer. When the arena is full, `arenaUtf8`/`arenaJson` return ordinary bytes, which the assembler
 * copies in per record. Nothing is freed: only long-lived values belong here.
 */
import { isMainThread } from 'node:worker_threads';
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
/**
 * 2 GiB: offsets stay positive 32-bit integers on both sides (the assembler returns -1 for "does not fit").
 * Address space only: pages are committed as they are touched.
 */
const MAXIMUM_PAGES = 32768;
/**
 * What long-lived values (`copy`) leave free: programs, tables and the per-record overflow space of values that
 * live elsewhere must always find room, or a record could not be written.
 */
const RESERVE_BYTES = 64 << 20;

/**
 * Where a view's bytes are in its thread's arena, kept on the view itself (set on every view the arena makes).
 * V8 (11, Node 20) does not inline the `buffer` and `byteOffset` getters: each costs 12-14 ns, more than a record's
 * value table takes to fill. There is one arena per thread, so the tag cannot point into another arena.
 */
const ARENA_OFFSET = Symbol('arena offset');
type Located = Uint8Array & { [ARENA_OFFSET]?: number };

type AssembleFn = (op: number, end: number, table: number, dst: number, limit: number) => number;

export class Arena {
  private readonly memory: WebAssembly.Memory;
  /** The memory's current buffer object (a new one after each growth). */
  private buffer!: SharedArrayBuffer;
  u8!: Uint8Array;
  i32!: Int32Array;
  readonly assemble: AssembleFn;
  private top = 16;

  /** Use `threadArena()`: one arena per thread. */
  private constructor(module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.assemble = instance.exports.assemble as AssembleFn;
    this.refresh();
  }

  /** This thread's arena, or null where WebAssembly memory cannot be had. */
  static create(): Arena | null {
    try {
      return new Arena(new WebAssembly.Module(Buffer.from(ASSEMBLE_WASM, 'base64')));
    } catch {
      return null;
    }
  }

  private refresh(): void {
    this.buffer = this.memory.buffer as unknown as SharedArrayBuffer;
    this.u8 = new Uint8Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
  }

  /** Reserves `size` bytes (8-byte aligned) and returns their offset; -1 if the arena cannot hold them. */
  tryAlloc(size: number): number {
    const at = this.top;
    const end = at + Math.ceil(size / 8) * 8;
    if (end > this.u8.length) {
      const current = this.u8.length / PAGE;
      const needed = Math.ceil((end - this.u8.length) / PAGE);
      if (needed > MAXIMUM_PAGES - current) return -1;
      // Double while there is room, so growth (and new buffer objects) stays rare.
      this.memory.grow(Math.min(Math.max(needed, current), MAXIMUM_PAGES - current));
      this.refresh();
    }
    this.top = end;
    return at;
  }

  /** Reserves `size` bytes and returns their offset; throws if the arena is full. */
  alloc(size: number): number {
    const at = this.tryAlloc(size);
    if (at < 0) throw new RangeError(`arena full: ${size} more bytes do not fit in ${MAXIMUM_PAGES * PAGE} bytes`);
    return at;
  }

  /** `size` fresh bytes in the arena, as a view; null if the arena is full. */
  tryBytes(size: number): Uint8Array | null {
    const at = this.tryAlloc(size);
    if (at < 0) return null;
    const view: Located = new Uint8Array(this.buffer, at, size);
    view[ARENA_OFFSET] = at;
    return view;
  }

  /** A copy of long-lived `bytes` in the arena, or `bytes` themselves once only the reserve is left. */
  copy(bytes: Uint8Array): Uint8Array {
    if (this.top + bytes.length > MAXIMUM_PAGES * PAGE - RESERVE_BYTES) return bytes;
    const view = this.tryBytes(bytes.length);
    if (view === null) return bytes;
    view.set(bytes);
    return view;
  }

  /**
   * Where `bytes` start in the arena, or -1 if they are elsewhere. Views the arena made carry their offset; others
   * are checked (and tagged only if they turn out to be arena bytes, such as a subarray of an arena view, so that
   * per-record arrays do not all change shape).
   */
  offsetOf(bytes: Uint8Array): number {
    const at = (bytes as Located)[ARENA_OFFSET];
    if (at !== undefined) return at;
    if (bytes.buffer !== this.buffer) return -1;
    (bytes as Located)[ARENA_OFFSET] = bytes.byteOffset;
    return bytes.byteOffset;
  }

  /** Bytes in use (for tests and metrics). */
  get used(): number {
    return this.top;
  }
}

let current: Arena | null | undefined;

/** This thread's arena (created on first use), or null where WebAssembly memory is refused. */
export function threadArena(): Arena | null {
  if (current === undefined) current = Arena.create();
  return current;
}

/**
 * The arena long-lived values go to. A main thread does not create one for them: `seclog gen`'s main thread imports
 * the source's modules (and their constants) but only merges and writes, and an arena would reserve its address
 * space before the outputs' own WebAssembly (the Kafka client's) gets any. A main thread that generates (dev
 * harnesses, tests) creates its arena when it compiles records; constants made before that are copied per record.
 */
function valueArena(): Arena | null {
  return isMainThread && current === undefined ? null : threadArena();
}

/**
 * `text` as UTF-8 in this thread's arena, for long-lived values records copy (identity blocks, names, addresses):
 * the assembler reads them where they are. Arena bytes are never freed, so per-record values use `utf8`.
 */
export function arenaUtf8(text: string): Uint8Array {
  const bytes = utf8(text);
  return valueArena()?.copy(bytes) ?? bytes;
}

/** `text` as JSON string content (escaped, no quotes) in this thread's arena; see `arenaUtf8`. */
export function arenaJson(text: string): Uint8Array {
  const bytes = jsonContent(text);
  return valueArena()?.copy(bytes) ?? bytes;
}
