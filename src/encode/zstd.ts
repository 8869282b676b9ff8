/**
 * Synchronous zstd, for compression worker threads: `reusingZstd` through the zstd-napi package (an optional
 * dependency built from source at install time) when it is installed, which file output prefers; otherwise
 * `zstdCompressSync`, node:zlib's own zstd on Node >= 22.15 (or zstd-napi's one-shot API). Null when neither is there.
 */
import { createRequire } from 'node:module';
import * as zlib from 'node:zlib';

type ZstdSync = (input: Uint8Array, level: number) => Uint8Array;

function fromNode(): ZstdSync | null {
  const z = zlib as unknown as { zstdCompressSync?: (b: Uint8Array, o: object) => Buffer; constants: Record<string, number> };
  if (!z.zstdCompressSync) return null;
  const key = z.constants.ZSTD_c_compressionLevel;
  return (input, level) => z.zstdCompressSync!(input, { params: { [key]: level } });
}

function fromPackage(): ZstdSync | null {
  try {
    const require = createRequire(import.meta.url);
    const { Compressor } = require('zstd-napi') as { Compressor: new () => { setParameters(p: object): void; compress(b: Uint8Array): Buffer } };
    const byLevel = new Map<number, { compress(b: Uint8Array): Buffer }>();
    return (input, level) => {
      let c = byLevel.get(level);
      if (!c) {
        const compressor = new Compressor();
        compressor.setParameters({ compressionLevel: level });
        byLevel.set(level, (c = compressor));
      }
      return c.compress(input);
    };
  } catch {
    return null;
  }
}

export const zstdCompressSync: ZstdSync | null = fromNode() ?? fromPackage();

/**
 * A zstd compressor that writes into a buffer the caller passes (`into`, when it can hold the worst case) or else
 * into one buffer of its own, reused: the result is a view of `into` or of that buffer, valid until the next call.
 * Both one-shot APIs (node:zlib's and zstd-napi's Compressor) allocate a compressBound-sized buffer per call and often
 * a second to trim it; for Parquet's ~60 pages per block that was ~10 MB of external memory per block for the GC to
 * find. zstd-napi's context API compresses into a buffer we pass. Null without zstd-napi.
 */
export function reusingZstd(level: number): ((input: Uint8Array, into?: Uint8Array) => Uint8Array) | null {
  let binding: { CCtx: new () => { compress(dst: Uint8Array, src: Uint8Array, level: number): number }; compressBound(n: number): number };
  try {
    binding = createRequire(import.meta.url)('zstd-napi/binding') as typeof binding;
  } catch {
    return null;
  }
  const cctx = new binding.CCtx();
  let out = new Uint8Array(0);
  return (input, into) => {
    const bound = binding.compressBound(input.length);
    if (into !== undefined && into.length >= bound) return into.subarray(0, cctx.compress(into, input, level));
    if (out.length < bound) out = new Uint8Array(Math.max(bound, out.length * 2));
    return out.subarray(0, cctx.compress(out, input, level));
  };
}

/** What to say when zstd is asked for and neither source is there. */
export const ZSTD_UNAVAILABLE = 'needs Node.js >= 22.15 or the zstd-napi package (an optional dependency: reinstall with build tools present)';

type ZstdDecompress = (input: Uint8Array) => Uint8Array;

function decompressFromNode(): ZstdDecompress | null {
  const z = zlib as unknown as { zstdDecompressSync?: (b: Uint8Array) => Buffer };
  return z.zstdDecompressSync ? (input) => z.zstdDecompressSync!(input) : null;
}

function decompressFromPackage(): ZstdDecompress | null {
  try {
    const require = createRequire(import.meta.url);
    const { decompress } = require('zstd-napi') as { decompress(b: Uint8Array): Buffer };
    return (input) => decompress(input);
  } catch {
    return null;
  }
}

export const zstdDecompressSync: ZstdDecompress | null = decompressFromNode() ?? decompressFromPackage();
