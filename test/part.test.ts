import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { OrderedMerge } from '../src/engine/merge.js';
import { allocatePart, PartWriter, type PartBuffers, type PartMessage } from '../src/engine/part.js';
import { recordStart, type RecordBatch } from '../src/sinks/sink.js';

// Parts cross a message port as they do between a worker and the main thread (structured clone, transfer lists).
const channel = new MessageChannel();
afterEach(() => {
  while (receiveMessageOnPort(channel.port2));
});
afterAll(() => channel.port1.close());
function acrossPort<T>(value: T, transfer: ArrayBuffer[] = []): T {
  channel.port1.postMessage(value, transfer);
  return receiveMessageOnPort(channel.port2)!.message as T;
}

/** Runs one worker's parts through the merge; returns the records it delivers, their bytes' buffers and the slots it recycles. */
async function mergeParts(parts: PartBuffers[], messages: PartMessage[]) {
  const records: string[] = [];
  const buffers: ArrayBufferLike[] = [];
  const recycled: number[] = [];
  const merge = new OrderedMerge(1, 0, 1000, {
    beforeWindow: async () => undefined,
    records: async (batch: RecordBatch) => {
      buffers.push(batch.bytes.buffer);
      for (let i = batch.from; i < batch.to; i++) records.push(Buffer.from(batch.bytes.subarray(recordStart(batch, i), batch.ends[i])).toString());
      return true;
    },
    windowDone: async () => undefined,
    recycle: (_worker, slot) => recycled.push(slot),
  });
  merge.addParts(0, parts);
  for (const message of messages) merge.push(message);
  merge.workerDone(0);
  await merge.finishedPromise;
  return { records, buffers, recycled };
}

function writeRecord(part: PartWriter, text: string, timeMs: number): void {
  part.w.ascii(text);
  part.commit(timeMs, 0);
}

/** Seals the part and sends the message across the port with its transfer list, as the worker does. */
function send(part: PartWriter, through: number): PartMessage {
  const { message, transfer } = part.seal(0, through);
  return acrossPort(message, transfer);
}

describe('parts', () => {
  it('are shared memory sent once; messages name the slot, carry counts and no buffers, and records are read in place', async () => {
    const own = [allocatePart(1024, 16, 0), allocatePart(1024, 16, 1)];
    const parts = acrossPort(own);
    const part = new PartWriter(own[0], 128);
    writeRecord(part, '{"a":1}', 100);
    writeRecord(part, '{"b":2}', 200);
    const first = part.seal(0, 1);
    expect(first.transfer).toEqual([]);
    expect(first.message).toEqual({ type: 'part', worker: 0, slot: 0, count: 2, byteLength: 16, through: 1 });
    part.attach(own[1]);
    writeRecord(part, '{"c":3}', 1500);
    const second = send(part, 2);
    expect(second.slot).toBe(1);

    const { records, buffers, recycled } = await mergeParts(parts, [acrossPort(first.message), second]);
    expect(records).toEqual(['{"a":1}\n', '{"b":2}\n', '{"c":3}\n']);
    expect(recycled).toEqual([0, 1]);
    // The receiving side reads the worker's memory itself: what the worker writes next is what it sees.
    for (const b of buffers) expect(b).toBeInstanceOf(SharedArrayBuffer);
    own[0].bytes[0] = 0x5b;
    own[0].ends[0] = 3;
    expect(parts[0].bytes[0]).toBe(0x5b);
    expect(parts[0].ends[0]).toBe(3);
  });

  it('send a record that outgrew its part in a transferred buffer, and the writer goes on in its next part', async () => {
    const own = [allocatePart(64, 16, 0), allocatePart(64, 16, 1)];
    const parts = acrossPort(own);
    const part = new PartWriter(own[0], 16);
    const big = `{"big":"${'x'.repeat(300)}"}`;
    writeRecord(part, '{"a":1}', 100);
    writeRecord(part, big, 200);
    const grown = send(part, 1);
    expect(grown.slot).toBe(0);
    expect(grown.grown!.length).toBeGreaterThanOrEqual(grown.byteLength);
    expect(part.w.buf.byteLength).toBe(0); // transferred: the worker keeps nothing of it
    part.attach(own[1]);
    writeRecord(part, '{"c":3}', 300);
    const next = send(part, 2);
    expect(next.grown).toBeUndefined();

    const { records, recycled } = await mergeParts(parts, [grown, next]);
    expect(records).toEqual(['{"a":1}\n', `${big}\n`, '{"c":3}\n']);
    expect(recycled).toEqual([0, 1]);
  });
});
