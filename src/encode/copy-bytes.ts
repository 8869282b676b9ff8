/**
 * Copying records between buffers when either is shared memory (the workers' parts, compression and Parquet
 * blocks). V8 copies into or out of a SharedArrayBuffer with relaxed atomic accesses, word by word when source and
 * destination are equally aligned (~27 GB/s here) and byte by byte when they are not (~3.6 GB/s); records start
 * anywhere, so most copies were the slow kind. A loop of unaligned 32-bit reads and aligned 32-bit writes does
 * ~7 GB/s whatever the alignment (4 MiB, measured on the development machine).
 */

/** 32-bit reads in the host's byte order, so aligned 32-bit writes put the bytes back as they were. */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Below this, the loop's set-up costs more than the byte-wise copy it saves. */
const LOOP_MIN_BYTES = 1024;

/** Copies bytes [start, end) of `source` to `target` at `at`. The two must not overlap. */
export function copyBytes(target: Uint8Array, at: number, source: Uint8Array, start: number, end: number): void {
  const length = end - start;
  // The word loop makes its own views of the underlying buffers, beyond the reach of `set`'s bounds checks.
  if (start < 0 || end > source.length || length < 0 || at < 0 || at + length > target.length) {
    throw new RangeError(`copyBytes: [${start}, ${end}) of ${source.length} bytes to ${at} of ${target.length}`);
  }
  if (length < LOOP_MIN_BYTES || ((source.byteOffset + start - target.byteOffset - at) & 7) === 0 || !(source.buffer instanceof SharedArrayBuffer || target.buffer instanceof SharedArrayBuffer)) {
    target.set(length === source.length ? source : source.subarray(start, end), at);
    return;
  }
  // Bytes up to the first 4-byte boundary of the target, then whole words, then the rest.
  const head = (4 - ((target.byteOffset + at) & 3)) & 3;
  for (let i = 0; i < head; i++) target[at + i] = source[start + i];
  const words = (length - head) >>> 2;
  const from = new DataView(source.buffer, source.byteOffset + start + head, words * 4);
  const to = new Uint32Array(target.buffer, target.byteOffset + at + head, words);
  const little = HOST_LITTLE_ENDIAN;
  let w = 0;
  for (const unrolled = words - 7; w < unrolled; w += 8) {
    const o = w * 4;
    to[w] = from.getUint32(o, little);
    to[w + 1] = from.getUint32(o + 4, little);
    to[w + 2] = from.getUint32(o + 8, little);
    to[w + 3] = from.getUint32(o + 12, little);
    to[w + 4] = from.getUint32(o + 16, little);
    to[w + 5] = from.getUint32(o + 20, little);
    to[w + 6] = from.getUint32(o + 24, little);
    to[w + 7] = from.getUint32(o + 28, little);
  }
  for (; w < words; w++) to[w] = from.getUint32(w * 4, little);
  for (let i = head + words * 4; i < length; i++) target[at + i] = source[start + i];
}
