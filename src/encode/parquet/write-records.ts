/**
 * Writes a small table (the actor population) as Parquet with the same writer as the record outputs, in this
 * thread: JSON lines shredded into columns, a page per column every `PAGE_ROWS` rows, one row group, dictionaries
 * as the record outputs make them.
 */
import { open } from 'node:fs/promises';
import { utf8 } from '../byte-writer.js';
import { ParquetFileWriter } from './file-writer.js';
import type { ParquetLayout } from './layout.js';
import { compressor, encodeColumns, PageEncoder, type ParquetCompression } from './pages.js';
import { Shredder } from './shredder.js';

const PAGE_ROWS = 16_384;
const DICTIONARY_ENTRIES = PAGE_ROWS / 2;

export async function writeRecordsParquet(path: string, layout: ParquetLayout, records: Iterable<object>, compression: ParquetCompression = 'zstd'): Promise<void> {
  const compress = compressor(compression);
  if (typeof compress === 'string') throw new Error(compress);
  const encoder = new PageEncoder(compress, DICTIONARY_ENTRIES);
  const shredder = new Shredder(layout, []);
  const handle = await open(path, 'w');
  try {
    const writer = new ParquetFileWriter(handle, shredder.schema, shredder.leaves, compression, compress);
    let page = 0;
    const flush = () => {
      if (shredder.rows === 0) return;
      writer.addPages(
        encodeColumns(shredder, encoder, page),
        shredder.rows,
      );
      shredder.reset();
      page++;
    };
    for (const record of records) {
      const line = utf8(JSON.stringify(record));
      shredder.add(line, 0, line.length, 0);
      if (shredder.rows === PAGE_ROWS) flush();
    }
    flush();
    await writer.finish();
  } finally {
    await handle.close();
  }
}
