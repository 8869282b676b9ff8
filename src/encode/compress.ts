/**
 * Block compressors for file output. Each block becomes one gzip member or zstd frame; concatenated members and
 * frames are valid files that every gzip and zstd reader decompresses as one stream. Compression runs on libuv's
 * thread pool, off the main thread.
 */
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { UsageError } from '../config/errors.js';

export type CompressionKind = 'none' | 'gzip' | 'zstd';

export interface Compressor {
  readonly extension: string;
  compress(block: Uint8Array): Promise<Uint8Array>;
}

const gzip = promisify(zlib.gzip);

export const DEFAULT_GZIP_LEVEL = 6;
export const DEFAULT_ZSTD_LEVEL = 3;

export function createCompressor(kind: CompressionKind, level: number | undefined): Compressor | null {
  switch (kind) {
    case 'none':
      return null;
    case 'gzip': {
      const options = { level: level ?? DEFAULT_GZIP_LEVEL };
      return { extension: '.json.gz', compress: (block) => gzip(block, options) };
    }
    case 'zstd': {
      const native = (zlib as unknown as { zstdCompress?: (b: Uint8Array, o: object, cb: (e: Error | null, r: Buffer) => void) => void }).zstdCompress;
      if (!native) throw new UsageError('output.format.compression = "zstd" needs Node.js >= 22.15 (node:zlib zstd support)');
      const compress = promisify(native);
      const params = { params: { [(zlib.constants as unknown as Record<string, number>).ZSTD_c_compressionLevel]: level ?? DEFAULT_ZSTD_LEVEL } };
      return { extension: '.json.zst', compress: (block) => compress(block, params) as Promise<Uint8Array> };
    }
  }
}
