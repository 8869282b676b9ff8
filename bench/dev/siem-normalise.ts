/**
 * The SIEM's CPU per record on its own side of the database, without Kafka or PostgreSQL: normalising a generator
 * output folder and encoding it as binary COPY data (`Ingest.batch`), in batches of 20,000.
 *   node dist/bench/dev/siem-normalise.js <output dir>
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inventory } from '../../src/siem/enrich/inventory.js';
import { Ingest, type Message } from '../../src/siem/ingest/ingest.js';
import { SiemMetrics } from '../../src/siem/metrics.js';
import type { Database } from '../../src/siem/store/database.js';
import { RecordWriter } from '../../src/siem/store/writer.js';

const dir = process.argv[2];
const messages: Message[] = [];
for (const source of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)) {
  for (const f of readdirSync(join(dir, source))) for (const text of readFileSync(join(dir, source, f), 'utf8').split('\n')) if (text !== '') messages.push({ source, text, reference: Date.UTC(2025, 11, 1) });
}
// Interleave sources as a consumer sees them.
messages.sort((a, b) => (a.text.length * 7919) % 1000 - (b.text.length * 7919) % 1000);
const ingest = new Ingest(new RecordWriter(null as unknown as Database, new Inventory()), new SiemMetrics(), () => {});
for (let round = 0; round < 3; round++) {
  const t0 = process.hrtime.bigint();
  let bytes = 0;
  for (let i = 0; i < messages.length; i += 20_000) {
    const batch = ingest.batch();
    for (const m of messages.slice(i, i + 20_000)) batch.add(m);
    bytes += Object.values(batch.finish().byTable).reduce((a, l) => a + l.rows, 0);
  }
  const ns = Number(process.hrtime.bigint() - t0);
  process.stdout.write(`${messages.length} records, ${bytes} rows: ${(ns / messages.length / 1000).toFixed(2)} µs/record\n`);
}
