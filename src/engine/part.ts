/**
 * A part: a buffer of encoded records plus their index (end offset, event time, actor), filled by a worker and
 * handed to the main thread as transferable ArrayBuffers, then returned for reuse. A part also says how far its
 * worker has got (`through`), so the main thread knows when a worker has nothing more for a window.
 */
import { ByteWriter } from '../encode/byte-writer.js';
import type { RecordOut } from '../sources/source.js';

export interface PartBuffers {
  bytes: ArrayBuffer;
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

export function allocatePart(bytes: number, records: number): PartBuffers {
  return {
    bytes: new ArrayBuffer(bytes),
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
    this.w.reset(new Uint8Array(buffers.bytes));
    this.ends = new Uint32Array(buffers.ends);
    this.times = new Float64Array(buffers.times);
    this.actors = new Uint32Array(buffers.actors);
    this.count = 0;
    this.byteLimit = Math.max(1, buffers.bytes.byteLength - this.headroom);
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
    if (this.w.buf.buffer !== buffers.bytes) buffers = { ...buffers, bytes: this.w.buf.buffer as ArrayBuffer };
    const message: PartMessage = { type: 'part', worker, buffers, count: this.count, byteLength: this.w.pos, through };
    return { message, transfer: [buffers.bytes, buffers.ends, buffers.times, buffers.actors] };
  }
}
