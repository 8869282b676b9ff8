/**
 * What each kind of HTTP endpoint wants: the request line per record, and how to read the answer. Adding an API
 * means adding an entry here.
 */
import { PermanentError, type PartialOutcome } from '../delivery.js';
import type { HttpKind, HttpOutputConfig } from './config.js';

/** The records of one request: each document's bytes (everything the API wants for that record). */
export interface Docs {
  docs: Buffer[];
  /** Each document's record bytes (without the API's framing): what delivery stats count. */
  sizes: number[];
  records: number;
  bytes: number;
}

export interface RecordView {
  /** The record (JSON object bytes, no newline). */
  readonly record: Uint8Array;
  readonly timeMs: number;
}

export interface KindContext {
  readonly config: HttpOutputConfig;
  readonly sourceType: string;
  /** The Splunk add-on's sourcetype for the source, if it has one (SourcePlugin.splunkSourcetype). */
  readonly splunkSourcetype?: string;
  readonly hostname: string;
}

export interface KindSpec {
  readonly defaultPath: (config: HttpOutputConfig) => string;
  readonly contentType: string;
  /** Returns a function making one record's document (request lines). */
  encoder(ctx: KindContext): (r: RecordView) => Buffer;
  /** The request body from the documents (default: concatenated). */
  body?(docs: readonly Buffer[]): Buffer;
  /** Reads a response; narrows `docs` to what must be sent again, or throws (retryable Error, or PermanentError). */
  interpret(status: number, body: string, docs: Docs): PartialOutcome | void;
}

const DEFAULT_INDEX = 'seclog-{source}-{yyyy}.{MM}.{dd}';

function retryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

function failStatus(status: number, body: string): never {
  const text = `HTTP ${status}: ${body.slice(0, 300)}`;
  throw retryableStatus(status) ? new Error(text) : new PermanentError(text);
}

/** `_index` per event day, from a template, with a cache per day (records arrive in time order). */
function indexNamer(template: string, sourceType: string): (timeMs: number) => string {
  const base = template.replaceAll('{source}', sourceType);
  let day = NaN;
  let name = '';
  return (timeMs) => {
    const d = Math.floor(timeMs / 86_400_000);
    if (d !== day) {
      day = d;
      const iso = new Date(d * 86_400_000).toISOString();
      name = base.replaceAll('{yyyy}', iso.slice(0, 4)).replaceAll('{MM}', iso.slice(5, 7)).replaceAll('{dd}', iso.slice(8, 10));
    }
    return name;
  };
}

/** The value of a top-level string field, found in the record bytes (first occurrence of `"field":"`). */
function stringField(record: Uint8Array, needle: Buffer): string | undefined {
  const buf = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  const at = buf.indexOf(needle);
  if (at < 0) return undefined;
  const start = at + needle.length;
  const end = buf.indexOf(34, start);
  return end < 0 ? undefined : buf.toString('latin1', start, end);
}

const bulk: KindSpec = {
  defaultPath: () => '/_bulk',
  contentType: 'application/x-ndjson',
  encoder({ config, sourceType }) {
    const indexFor = indexNamer(config.index ?? DEFAULT_INDEX, sourceType);
    const needle = config.id_field !== undefined ? Buffer.from(`"${config.id_field}":"`) : null;
    // The action line's start changes once per event day: built then, not per record.
    let index = '';
    let head = Buffer.alloc(0);
    return ({ record, timeMs }) => {
      const name = indexFor(timeMs);
      if (name !== index) {
        index = name;
        head = Buffer.from(`{"${config.action}":{"_index":${JSON.stringify(name)}`);
      }
      const id = needle ? stringField(record, needle) : undefined;
      const tail = id !== undefined ? `,"_id":${JSON.stringify(id)}}}\n` : '}}\n';
      const doc = Buffer.allocUnsafe(head.length + Buffer.byteLength(tail) + record.length + 1);
      head.copy(doc, 0);
      let at = head.length + doc.write(tail, head.length);
      doc.set(record, at);
      at += record.length;
      doc[at] = 10;
      return doc;
    };
  },
  interpret(status, body, docs) {
    if (status < 200 || status >= 300) failStatus(status, body);
    let answer: { errors?: boolean; items?: Record<string, { status: number; error?: { type?: string; reason?: string } }>[] };
    try {
      answer = JSON.parse(body) as typeof answer;
    } catch {
      // Not a _bulk answer (a proxy's page?): resending could duplicate what was indexed, so stop.
      throw new PermanentError(`HTTP ${status} with a body that is not a _bulk answer: ${body.slice(0, 200)}`);
    }
    if (!answer.errors) return;
    const items = answer.items ?? [];
    if (items.length !== docs.docs.length) throw new PermanentError(`_bulk answered ${items.length} items for ${docs.docs.length} documents`);
    const again: Buffer[] = [];
    const againSizes: number[] = [];
    let acked = 0;
    let ackedBytes = 0;
    let rejected = 0;
    let rejectReason: string | undefined;
    let retryReason: string | undefined;
    items.forEach((item, i) => {
      const result = Object.values(item)[0];
      const size = docs.sizes[i];
      // 409 on create: the document is already there (a resend of a delivered record with a fixed _id).
      if ((result.status >= 200 && result.status < 300) || result.status === 409) {
        acked++;
        ackedBytes += size;
      } else if (retryableStatus(result.status)) {
        again.push(docs.docs[i]);
        againSizes.push(size);
        retryReason ??= `item ${result.status} ${result.error?.type ?? ''}: ${result.error?.reason ?? ''}`;
      } else {
        rejected++;
        rejectReason ??= `item ${result.status} ${result.error?.type ?? ''}: ${result.error?.reason ?? ''}`;
      }
    });
    const remainingBytes = againSizes.reduce((n, d) => n + d, 0);
    docs.docs = again;
    docs.sizes = againSizes;
    docs.records = again.length;
    docs.bytes = remainingBytes;
    return { acked, ackedBytes, rejected, rejectReason, remaining: again.length, remainingBytes, retryReason };
  },
};

const splunkHec: KindSpec = {
  defaultPath: () => '/services/collector/event',
  contentType: 'application/json',
  encoder({ config, sourceType, splunkSourcetype, hostname }) {
    const s = config.splunk;
    const meta = [
      `"host":${JSON.stringify(s?.host ?? hostname)}`,
      `"source":${JSON.stringify(s?.source ?? 'seclog')}`,
      `"sourcetype":${JSON.stringify(s?.sourcetype ?? splunkSourcetype ?? sourceType)}`,
      ...(s?.index !== undefined ? [`"index":${JSON.stringify(s.index)}`] : []),
    ].join(',');
    return ({ record, timeMs }) => {
      const head = `{"time":${(timeMs / 1000).toFixed(3)},${meta},"event":`;
      const doc = Buffer.allocUnsafe(Buffer.byteLength(head) + record.length + 2);
      const at = doc.write(head, 0);
      doc.set(record, at);
      doc[at + record.length] = 125; // }
      doc[at + record.length + 1] = 10;
      return doc;
    };
  },
  interpret(status, body) {
    if (status >= 200 && status < 300) return;
    // HEC answers {"text": …, "code": n}; 503 code 9 "Server is busy" is the one to wait out.
    failStatus(status, body);
  },
};

const ndjson: KindSpec = {
  defaultPath: (config) => new URL(config.url).pathname || '/',
  contentType: 'application/x-ndjson',
  encoder: () => ({ record }) => {
    const doc = Buffer.allocUnsafe(record.length + 1);
    doc.set(record, 0);
    doc[record.length] = 10;
    return doc;
  },
  interpret(status, body) {
    if (status < 200 || status >= 300) failStatus(status, body);
  },
};

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** One JSON array of records per request. */
const jsonArray: KindSpec = {
  defaultPath: ndjson.defaultPath,
  contentType: 'application/json',
  encoder: () => ({ record }) => Buffer.from(record),
  body: (docs) => Buffer.concat([OPEN, ...docs.flatMap((d, i) => (i === 0 ? [d] : [COMMA, d])), CLOSE]),
  interpret: ndjson.interpret,
};

export const KINDS: Record<HttpKind, KindSpec> = { opensearch: bulk, elasticsearch: bulk, splunk_hec: splunkHec, ndjson, json: jsonArray };
