/**
 * A part: a buffer of encoded records plus their index (end offset, event time, actor, source), filled by a worker and
 * handed to the main thread, then returned for reuse. A part also says how far its worker has got (`through`), so
 * the main thread knows when a worker has nothing more for a window.
 *
 * A worker's parts are shared memory, allocated once: bytes in its arena, where the record assembler writes records
 * in place, and the index in a SharedArrayBuffer. The worker sends them to the main thread once, when it starts;
 * after that a part's message names it by its slot and carries only counts (no transfer, no new buffer objects per
 * part), and the main thread hands the slot back when its sinks are done with it. A part whose bytes outgrew their
 * buffer (a record bigger than the headroom) sends the grown buffer along, transferred.
 */
import { threadArena } from '../encode/assemble/arena.js';
import { ByteWriter } from '../encode/byte-writer.js';
import type { RecordOut } from '../sources/source.js';

export interface PartBuffers {
  /** The part's number among its worker's parts (messages name parts by it), or -1: a part that stays in its thread. */
  slot: number;
  bytes: Uint8Array;
  ends: Uint32Array;
  times: Float64Array;
  actors: Uint32Array;
  /** Per record: the index of its source in the run plan. */
  sources: Uint8Array;
}

/** A worker's parts, sent once when it starts: the main thread keeps its own views of them. */
export interface PartsMessage {
  type: 'parts';
  worker: number;
  parts: PartBuffers[];
}

export interface PartMessage {
  type: 'part';
  worker: number;
  slot: number;
  count: number;
  byteLength: number;
  /** The worker has generated every window before this one (records of later windows come in later parts). */
  through: number;
  /** The part's bytes when a record outgrew its buffer (transferred); otherwise they are in the part's own buffer. */
  grown?: Uint8Array;
  /** Ground-truth lines of scenario records (`labels.jsonl`), each with its record's index in the part. */
  labels?: PartLabel[];
}

export interface PartLabel {
  index: number;
  line: string;
}

/**
 * A part. One with a slot (≥ 0) is shared memory, to be handed between threads: its bytes in this thread's arena
 * when there is room (records are assembled in place), else in a SharedArrayBuffer of their own.
 */
export function allocatePart(bytes: number, records: number, slot = -1): PartBuffers {
  if (slot < 0) return { slot, bytes: new Uint8Array(bytes), ends: new Uint32Array(records), times: new Float64Array(records), actors: new Uint32Array(records), sources: new Uint8Array(records) };
  const index = new SharedArrayBuffer(records * 17);
  return {
    slot,
    bytes: threadArena()?.tryBytes(bytes) ?? new Uint8Array(new SharedArrayBuffer(bytes)),
    times: new Float64Array(index, 0, records),
    ends: new Uint32Array(index, records * 8, records),
    actors: new Uint32Array(index, records * 12, records),
    sources: new Uint8Array(index, records * 16, records),
  };
}

/**
 * Index entries kept free at the end of a part: the most records one tick may write (a pack: 64 per event, and up to
 * 1,024 of the hosts' scheduled samples; the other sources a few).
 */
const decoder = new TextDecoder();

export const RECORD_SLACK = 2048;

export class PartWriter implements RecordOut {
  readonly w: ByteWriter;
  ends!: Uint32Array;
  times!: Float64Array;
  actors!: Uint32Array;
  sources!: Uint8Array;
  /** The source whose records are being written (the worker sets it before running each source's lane). */
  source = 0;
  count = 0;
  lastRecordBytes = 0;
  private labels: PartLabel[] = [];
  private buffers!: PartBuffers;
  private byteLimit = 0;
  private recordLimit = 0;

  constructor(
    buffers: PartBuffers,
    /** Bytes kept free at the end of a part so one more record always fits without growing. */
    private readonly headroom: number,
  ) {
    this.w = new ByteWriter(1);
    this.attach(buffers);
  }

  attach(buffers: PartBuffers): void {
    this.buffers = buffers;
    this.w.reset(buffers.bytes);
    this.ends = buffers.ends;
    this.times = buffers.times;
    this.actors = buffers.actors;
    this.sources = buffers.sources;
    this.count = 0;
    this.labels = [];
    this.byteLimit = Math.max(1, buffers.bytes.length - this.headroom);
    // A tick can write several records (an Okta sign-in, a pack's multi-record event, every source of a linked run):
    // the part counts as full while RECORD_SLACK entries are still free, so the tick that ends it always fits.
    this.recordLimit = Math.max(1, this.ends.length - RECORD_SLACK);
  }

  get full(): boolean {
    return this.w.pos >= this.byteLimit || this.count >= this.recordLimit;
  }


  commit(timeMs: number, actorIndex: number): void {
    const w = this.w;
    w.byte(10);
    const start = this.count > 0 ? this.ends[this.count - 1] : 0;
    this.ends[this.count] = w.pos;
    this.times[this.count] = timeMs;
    this.actors[this.count] = actorIndex;
    this.sources[this.count] = this.source;
    this.count++;
    this.lastRecordBytes = w.pos - start;
  }

  /** The text of record `index` of this part, without its newline. */
  recordText(index: number): string {
    const start = index > 0 ? this.ends[index - 1] : 0;
    return decoder.decode(this.w.buf.subarray(start, this.ends[index] - 1));
  }

  /** Attaches a ground-truth line to record `index` of this part. */
  label(index: number, line: string): void {
    this.labels.push({ index, line });
  }

  /** The part as a message; if a record outgrew the part's buffer, the writer's grown buffer goes with it. */
  seal(worker: number, through: number): { message: PartMessage; transfer: ArrayBuffer[] } {
    const message: PartMessage = { type: 'part', worker, slot: this.buffers.slot, count: this.count, byteLength: this.w.pos, through };
    if (this.labels.length > 0) message.labels = this.labels;
    if (this.w.buf === this.buffers.bytes) return { message, transfer: [] };
    message.grown = this.w.buf;
    return { message, transfer: [this.w.buf.buffer as ArrayBuffer] };
  }
}
