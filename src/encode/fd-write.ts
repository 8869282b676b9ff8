/**
 * Writes through the callback fs API on a FileHandle's descriptor, not through FileHandle#write/#writev.
 *
 * Every fs/promises request (FSReqPromise) allocates a small ArrayBuffer for its stats array. On the main thread,
 * which keeps receiving multi-MB ArrayBuffers transferred from worker threads, each such backing-store allocation
 * makes V8 (Heap::AllocateExternalBackingStore and the external-memory limit) run an "external memory pressure"
 * scavenge or mark-compact, although nothing is garbage. Callback requests (FSReqCallback) allocate none.
 */
import { write, writev } from 'node:fs';

function writevOnce(fd: number, chunks: readonly Uint8Array[], position: number | null): Promise<number> {
  return new Promise((resolve, reject) =>
    writev(fd, chunks as Uint8Array[], position, (err, written) => (err ? reject(err) : resolve(written))),
  );
}

function writeOnce(fd: number, bytes: Uint8Array, offset: number, length: number, position: number | null): Promise<number> {
  return new Promise((resolve, reject) => write(fd, bytes, offset, length, position, (err, written) => (err ? reject(err) : resolve(written))));
}

/** Writes all of `chunks` at `position` (null: at the current file position), resuming after short writes. */
export async function writevAll(fd: number, chunks: readonly Uint8Array[], position: number | null = null): Promise<number> {
  let total = 0;
  for (const c of chunks) total += c.length;
  if (total === 0) return 0;
  let written = await writevOnce(fd, chunks, position);
  if (written === total) return total;
  // Short write (rare for regular files): finish chunk by chunk.
  let skip = written;
  for (const c of chunks) {
    if (skip >= c.length) {
      skip -= c.length;
      continue;
    }
    let done = skip;
    skip = 0;
    while (done < c.length) {
      const n = await writeOnce(fd, c, done, c.length - done, position === null ? null : position + written);
      done += n;
      written += n;
    }
  }
  return total;
}
