/**
 * `--input <dir>`: reads a generator's output folder instead of Kafka, and keeps following it: new files as they
 * appear, and more lines of a file that grows. A file's source is its folder under `<dir>` (`out/okta/…` is okta),
 * or for files directly in `<dir>` the start of its name (`cloudtrail-20251201T…jsonl`). Each batch commits the
 * file's new position in the same transaction as its records, so a restart continues where the database is.
 * Gzip files are read whole when they appear (the generator writes them under their final name only when complete).
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { SiemConfig } from '../config.js';
import type { Database } from '../store/database.js';
import type { Ingest, IngestLog, Message } from './ingest.js';

const READABLE = /\.(jsonl|json|log|txt|ndjson)(\.gz)?$/;
/** Files of a run that are not records. */
const NOT_RECORDS = new Set(['labels.jsonl']);
const CHUNK = 4 * 1024 * 1024;

/** The source of a file under the input folder. */
export function sourceOfFile(dir: string, file: string, known: (source: string) => boolean): string {
  const rel = relative(dir, file).split(sep);
  if (rel.length > 1) return rel[0];
  const m = /^(.+?)-\d{8}T\d{6}Z/.exec(rel[0]);
  const name = m?.[1] ?? rel[0].replace(READABLE, '');
  const dashed = name.replaceAll('_', '-');
  return known(name) || !known(dashed) ? name : dashed;
}

/** The time a generator's file name starts at (`…-20251201T000006Z-…`), or the file's modification time. */
function referenceOf(file: string, mtime: number): number {
  const m = /-(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/.exec(file);
  return m === null ? mtime : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) walk(path, out);
    else if (e.isFile() && READABLE.test(e.name) && !NOT_RECORDS.has(e.name)) out.push(path);
  }
}

export class FileInput {
  private positions = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private closed = false;
  /** Files read to their end at least once, for readiness. */
  scans = 0;

  constructor(
    private readonly dir: string,
    private readonly db: Database,
    private readonly batch: SiemConfig['ingest'],
    private readonly ingest: Ingest,
    private readonly known: (source: string) => boolean,
    private readonly log: IngestLog,
    private readonly pollMs = 1000,
  ) {}

  async start(): Promise<void> {
    const rows = await this.db.query<{ path: string; position: string | number }>('SELECT path, position FROM input_files');
    this.positions = new Map(rows.map((r) => [r.path, Number(r.position)]));
    const tick = () => {
      this.running = this.scan()
        .catch((err: Error) => this.log(`seclog siem: reading ${this.dir} failed: ${err.message}`))
        .finally(() => {
          if (!this.closed) this.timer = setTimeout(tick, this.pollMs);
        });
    };
    tick();
  }

  /** Reads every file's new complete lines, in batches. */
  async scan(): Promise<void> {
    const files: string[] = [];
    walk(this.dir, files);
    files.sort();
    for (const file of files) {
      if (this.closed) return;
      await this.readFile(file);
    }
    this.scans++;
  }

  private async readFile(file: string): Promise<void> {
    const key = relative(this.dir, file);
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return;
    }
    let position = this.positions.get(key) ?? 0;
    if (stat.size <= position) return;
    const source = sourceOfFile(this.dir, file, this.known);
    const reference = referenceOf(file, stat.mtimeMs);
    if (file.endsWith('.gz')) {
      if (position > 0) return;
      const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
      await this.writeLines(source, reference, lines, key, stat.size);
      return;
    }
    const fd = openSync(file, 'r');
    try {
      let carry = '';
      while (position + Buffer.byteLength(carry) < stat.size && !this.closed) {
        const start = position + Buffer.byteLength(carry);
        const buf = Buffer.alloc(Math.min(CHUNK, stat.size - start));
        const n = readSync(fd, buf, 0, buf.length, start);
        if (n <= 0) break;
        const text = carry + buf.toString('utf8', 0, n);
        const end = text.lastIndexOf('\n');
        if (end < 0) {
          carry = text;
          continue;
        }
        carry = text.slice(end + 1);
        const complete = text.slice(0, end + 1);
        const next = position + Buffer.byteLength(complete);
        await this.writeLines(source, reference, complete.split('\n'), key, next);
        position = next;
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Writes lines in batches; the last batch also records the file's new position. */
  private async writeLines(source: string, reference: number, lines: string[], key: string, position: number): Promise<void> {
    const messages: Message[] = [];
    for (const line of lines) if (line.trim() !== '') messages.push({ source, text: line.endsWith('\r') ? line.slice(0, -1) : line, reference });
    for (let i = 0; i < messages.length || i === 0; i += this.batch.batch_records) {
      const part = messages.slice(i, i + this.batch.batch_records);
      const last = i + this.batch.batch_records >= messages.length;
      const written = await this.ingest.write(
        part,
        last
          ? (tx) => tx.query('INSERT INTO input_files (path, position) VALUES ($1, $2) ON CONFLICT (path) DO UPDATE SET position = EXCLUDED.position, updated_at = now()', [key, position]).then(() => {})
          : undefined,
      );
      if (written === null) return;
      if (last) this.positions.set(key, position);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.running;
  }
}
