/**
 * The Kafka client compresses zstd with node:zlib, which has zstd only from Node 22.15. On older Node, seclog's
 * own zstd (the zstd-napi package) is plugged into the client's codec table, so `compression = "zstd"` works on
 * every supported Node.
 */
import { compressionsAlgorithms } from '@platformatic/kafka';
import { UsageError } from '../../util/errors.js';
import { ZSTD_UNAVAILABLE, zstdCompressSync, zstdDecompressSync } from '../../encode/zstd.js';

const KAFKA_ZSTD_LEVEL = 3;

export function ensureZstd(key: string): void {
  const codec = compressionsAlgorithms.zstd as { available?: boolean; compressSync: unknown; decompressSync: unknown };
  if (codec.available) return;
  if (!zstdCompressSync || !zstdDecompressSync) {
    throw new UsageError(`${key} = "zstd" ${ZSTD_UNAVAILABLE}`);
  }
  const compress = zstdCompressSync;
  const decompress = zstdDecompressSync;
  const asBuffer = (data: Buffer | { buffer: Buffer }) => (Buffer.isBuffer(data) ? data : data.buffer);
  codec.compressSync = (data: Buffer) => Buffer.from(compress(asBuffer(data), KAFKA_ZSTD_LEVEL));
  codec.decompressSync = (data: Buffer) => Buffer.from(decompress(asBuffer(data)));
  codec.available = true;
}
