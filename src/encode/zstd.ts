/**
 * Synchronous zstd, for compression worker threads: node:zlib's own zstd on Node >= 22.15, otherwise the
 * zstd-napi package (an optional dependency built from source at install time). Null when neither is there.
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
