import { describe, expect, it } from 'vitest';
import { copyBytes } from '../src/encode/copy-bytes.js';
import { Rng } from '../src/util/rng.js';

/**
 * copyBytes replaces TypedArray#set for records copied between shared buffers: it must write exactly the source's
 * bytes, at every alignment of source and target, and nothing outside the target range.
 */
describe('copyBytes', () => {
  const SIZE = 64 * 1024;
  const kinds = {
    shared: () => new Uint8Array(new SharedArrayBuffer(SIZE)),
    plain: () => new Uint8Array(SIZE),
    // A view that does not start at its buffer's start: alignment is the buffer's, not the view's.
    'shared view at 3': () => new Uint8Array(new SharedArrayBuffer(SIZE + 3), 3, SIZE),
  };

  it.each(Object.keys(kinds).flatMap((s) => Object.keys(kinds).map((t) => [s, t])))('copies %s → %s at every alignment and length', (sourceKind, targetKind) => {
    const rng = new Rng(1, 'copy-bytes');
    const source = kinds[sourceKind as keyof typeof kinds]();
    for (let i = 0; i < source.length; i++) source[i] = rng.int(256);
    const target = kinds[targetKind as keyof typeof kinds]();
    const lengths = [0, 1, 3, 1023, 1024, 1025, 1031, 4096 + 5, 20_000, 40_003];
    for (const length of lengths) {
      for (let from = 0; from < 8; from++) {
        for (let at = 0; at < 8; at++) {
          const start = 17 + from;
          const to = 9 + at;
          target.fill(0xee);
          copyBytes(target, to, source, start, start + length);
          const expected = new Uint8Array(SIZE).fill(0xee);
          expected.set(source.subarray(start, start + length), to);
          if (!Buffer.from(target.buffer, target.byteOffset, SIZE).equals(expected)) {
            expect.fail(`${sourceKind} → ${targetKind}: ${length} bytes from ${start} to ${to} differ`);
          }
        }
      }
    }
  });

  it('refuses ranges outside either view, as set() does, instead of writing past them', () => {
    const buffer = new SharedArrayBuffer(8192);
    const target = new Uint8Array(buffer, 0, 2048);
    const source = new Uint8Array(buffer, 4096, 2048);
    expect(() => copyBytes(target, 1, source, 3, 2051)).toThrow(RangeError);
    expect(() => copyBytes(target, 1000, source, 3, 2000)).toThrow(RangeError);
    expect(new Uint8Array(buffer, 2048, 2048).every((b) => b === 0)).toBe(true);
  });
});
