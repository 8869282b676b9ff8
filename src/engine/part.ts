/**
 * A part: a buffer of encoded records plus their index (end offset, event time, actor), filled by a worker and
 * handed to the main thread, then returned for reuse. A part also says how far its worker has got (`through`), so
 * the main thread knows when a worker has nothing more for a window.
 *
 * A worker's part bytes are in its arena (shared memory), where the record assembler writes records in place: the
 * main thread gets a view of them, not a copy, and hands the part back when its sinks are done with it. The index
 * arrays are transferred. A part that outgrew its buffer (a record bigger than the headroom) travels as a
 * transferred ArrayBuffer instead.
 */
import { threadArena } from '../encode/assemble/arena.js';
import { ByteWriter } from '../encode/byte-writer.js';
import type { RecordOut } from '../sources/source.js';

export interface PartBuffers {
  /** The worker's number for an arena part (its bytes come back as a new view of the same memory), or -1. */
  slot: number;
  bytes: Uint8Array;
  ends: ArrayBuffer;
  times: ArrayBuffer;
  actors: ArrayBuffer;
}

export interface PartMessage {
  type: 'part';
  worker: number;
  buffers: PartBuffers;
  count: number;
  byteLength: number;
  /** The worker has generated every window before this one (records of later windows come in later parts). */
  through: number;
}

/** A part; its bytes in this thread's arena when `slot` ≥ 0 is given and the arena has room (else slot is -1). */
export function allocatePart(bytes: number, records: number, slot = -1): PartBuffers {
  const shared = slot >= 0 ? (threadArena()?.tryBytes(bytes) ?? null) : null;
  return {
    slot: shared ? slot : -1,
    bytes: shared ?? new Uint8Array(bytes),
    ends: new ArrayBuffer(records * 4),
    times: new ArrayBuffer(records * 8),
    actors: new ArrayBuffer(records * 4),
  };
}

export class PartWriter implements RecordOut {
  readonly w: ByteWriter;
  ends!: Uint32Array;
  times!: Float64Array;
  actors!: Uint32Array;
  count = 0;
  lastRecordBytes = 0;
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
    this.ends = new Uint32Array(buffers.ends);
    this.times = new Float64Array(buffers.times);
    this.actors = new Uint32Array(buffers.actors);
    this.count = 0;
    this.byteLimit = Math.max(1, buffers.bytes.length - this.headroom);
    this.recordLimit = this.ends.length - 1;
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
    this.count++;
    this.lastRecordBytes = w.pos - start;
  }

  /** The part as a message. If a record outgrew the buffer, the writer's grown buffer is the one sent. */
  seal(worker: number, through: number): { message: PartMessage; transfer: ArrayBuffer[] } {
    let buffers = this.buffers;
    if (this.w.buf !== buffers.bytes) buffers = { ...buffers, bytes: this.w.buf };
    const message: PartMessage = { type: 'part', worker, buffers, count: this.count, byteLength: this.w.pos, through };
    return { message, transfer: partTransfer(buffers) };
  }
}

/** What a part message moves rather than shares: the index arrays, and the bytes unless they are shared memory. */
export function partTransfer(buffers: PartBuffers): ArrayBuffer[] {
  const transfer = [buffers.ends, buffers.times, buffers.actors];
  if (buffers.bytes.buffer instanceof ArrayBuffer) transfer.push(buffers.bytes.buffer);
  return transfer;
}
