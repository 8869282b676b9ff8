/**
 * A rule tried on stored history before it is enabled: the records of the sources it reads, in a time range, oldest
 * first, parsed again the way the ingest parses them and run through a detector holding only that rule (and, for a
 * correlation, the enabled detections it names). Answers the alerts it would have raised, without raising any.
 */
import type { AlertHit } from '../alerts/store.js';
import { Normalisers, type Row } from '../normalise/normalise.js';
import type { Queryable } from '../store/database.js';
import { Detector, HitCollector } from './engine.js';
import type { LoadedRule } from './load.js';

export interface PreviewOptions {
  readonly from: number;
  readonly to: number;
  /** Records read at most (the answer says when the range held more). */
  readonly maxRecords: number;
}

export interface PreviewResult {
  readonly scanned: number;
  readonly truncated: boolean;
  readonly alerts: readonly AlertHit[];
  readonly problems: readonly { id: string; message: string }[];
}

const PAGE = 5_000;

export async function previewRules(db: Queryable, rules: readonly LoadedRule[], o: PreviewOptions): Promise<PreviewResult> {
  const detector = new Detector(rules);
  const hits = new HitCollector();
  const normalisers = new Normalisers();
  const sources = detector.sources();
  // Detections read their sources' records in any table; process and threshold rules every source's processes or metrics.
  const tables: { table: string; sources: string[] | null }[] = [];
  if (sources.length > 0) tables.push({ table: 'logs', sources });
  if (detector.watchesProcesses()) tables.push({ table: 'process_logs', sources: null });
  else if (sources.length > 0) tables.push({ table: 'process_logs', sources });
  if (detector.watchesMetrics()) tables.push({ table: 'host_metrics', sources: null });
  let scanned = 0;
  let truncated = false;
  const rows: Row[] = [];
  for (const { table, sources: only } of tables) {
    let after: [string, string, string] | null = null;
    for (;;) {
      const params: unknown[] = [new Date(o.from).toISOString(), new Date(o.to).toISOString()];
      let where = 'time >= $1::timestamptz AND time < $2::timestamptz';
      if (only !== null) where += ` AND source = ANY($${params.push(only)}::text[])`;
      if (after !== null) where += ` AND (time, source, record_id) > ($${params.push(after[0])}::timestamptz, $${params.push(after[1])}, $${params.push(after[2])})`;
      const limit = Math.min(PAGE, o.maxRecords - scanned + 1);
      const page = await db.query<{ t: string; ms: number; source: string; record_id: string; raw: string }>(
        `SELECT time::text AS t, (extract(epoch FROM time) * 1000)::float8 AS ms, source, record_id, raw::text AS raw FROM ${table} WHERE ${where} ORDER BY time, source, record_id LIMIT ${limit}`,
        params,
      );
      for (const r of page) {
        if (scanned === o.maxRecords) {
          truncated = true;
          break;
        }
        scanned++;
        // Text records are kept as a JSON string of their line: their text is that string.
        const text = r.raw.startsWith('"') ? (JSON.parse(r.raw) as string) : r.raw;
        const time = Number(r.ms);
        normalisers.for(r.source)(text, { reference: time }, rows, (record, t, row) => {
          // The stored id and time are the record's (a Records batch was split before it was stored).
          row.record_id = r.record_id;
          detector.observe(r.source, record, t, row, Date.now(), hits);
        });
        rows.length = 0;
      }
      if (truncated || page.length < limit) break;
      const last = page[page.length - 1];
      after = [last.t, last.source, last.record_id];
    }
    if (truncated) break;
  }
  return { scanned, truncated, alerts: hits.hits(), problems: detector.problems };
}
