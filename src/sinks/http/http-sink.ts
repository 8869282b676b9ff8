/**
 * POSTs records in batches (gzip by default) over keep-alive connections, through Delivery: bounded requests in
 * flight, retries with backoff and jitter on 429/5xx and network errors; bulk APIs' per-item failures are retried
 * item by item, and items the server rejects for good fail the run with the server's reason.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { hostname as osHostname } from 'node:os';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { UsageError } from '../../util/errors.js';
import { Delivery, PermanentError, type PartialOutcome } from '../delivery.js';
import { readSecret } from '../secret.js';
import type { SinkContext } from '../plugin.js';
import { recordStart, type RecordBatch, type RecordSink, type SinkStats } from '../sink.js';
import { isCertificateError, tlsOptions } from '../tls.js';
import type { HttpOutputConfig } from './config.js';
import { KINDS, type Docs, type KindSpec } from './kinds.js';

const gzip = promisify(gzipCallback);

export class HttpSink implements RecordSink {
  private readonly kind: KindSpec;
  private readonly encode: ReturnType<KindSpec['encoder']>;
  private readonly delivery: Delivery<Docs>;
  private readonly url: URL;
  private readonly path: string;
  private readonly headers: Record<string, string>;
  private readonly agent: HttpAgent;
  private pending: Docs = { docs: [], sizes: [], records: 0, bytes: 0 };
  private bytesOut = 0;

  constructor(
    private readonly config: HttpOutputConfig,
    ctx: SinkContext,
    name: string,
    key: string,
  ) {
    this.kind = KINDS[config.kind];
    this.encode = this.kind.encoder({ config, sourceType: ctx.source.type, splunkSourcetype: ctx.source.splunkSourcetype, hostname: osHostname() });
    this.url = new URL(config.url);
    this.path = (config.path ?? this.kind.defaultPath(config)) + this.url.search;
    this.headers = { 'content-type': this.kind.contentType, ...(config.headers ?? {}) };
    if (config.compression === 'gzip') this.headers['content-encoding'] = 'gzip';
    if (config.basic_auth) {
      const pair = `${config.basic_auth.username}:${readSecret(config.basic_auth.password, `${key}.basic_auth.password`)}`;
      this.headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    }
    if (config.api_key) this.headers.authorization = `ApiKey ${readSecret(config.api_key, `${key}.api_key`)}`;
    if (config.token) this.headers.authorization = `Splunk ${readSecret(config.token, `${key}.token`)}`;
    const https = this.url.protocol === 'https:';
    if (!https && config.tls !== undefined) throw new UsageError(`${key}.tls: only allowed with an https:// url`);
    this.agent = https
      ? new HttpsAgent({ keepAlive: true, maxSockets: config.max_in_flight, ...tlsOptions(config.tls ?? true, `${key}.tls`) })
      : new HttpAgent({ keepAlive: true, maxSockets: config.max_in_flight });
    this.delivery = new Delivery((docs) => this.post(docs), {
      name,
      maxInFlight: config.max_in_flight,
      retry: { initialBackoffMs: 200, maxBackoffMs: 10_000, deliveryTimeoutMs: config.delivery_timeout_ms },
    });
  }

  async write(batch: RecordBatch): Promise<void> {
    for (let i = batch.from; i < batch.to; i++) {
      const start = recordStart(batch, i);
      const size = batch.ends[i] - 1 - start;
      this.pending.docs.push(this.encode({ record: batch.bytes.subarray(start, start + size), timeMs: batch.times[i] }));
      this.pending.sizes.push(size);
      this.pending.records++;
      this.pending.bytes += size;
      if (this.pending.bytes >= this.config.batch_bytes) await this.flush();
    }
    await this.flush();
  }

  async advance(): Promise<void> {}

  async close(): Promise<void> {
    try {
      await this.flush();
      await this.delivery.drain();
    } finally {
      this.agent.destroy();
    }
  }

  async abort(): Promise<void> {
    this.delivery.abort();
    this.agent.destroy();
  }

  stats(): SinkStats {
    return { bytesOut: this.bytesOut, files: 0, delivery: this.delivery.stats() };
  }

  private async flush(): Promise<void> {
    const docs = this.pending;
    if (docs.records === 0) return;
    this.pending = { docs: [], sizes: [], records: 0, bytes: 0 };
    await this.delivery.submit(docs, docs.records, docs.bytes);
  }

  private async post(docs: Docs): Promise<void | PartialOutcome> {
    const raw = this.kind.body ? this.kind.body(docs.docs) : Buffer.concat(docs.docs);
    const body = this.config.compression === 'gzip' ? await gzip(raw, { level: 1 }) : raw;
    const { status, text } = await this.request(body);
    this.bytesOut += body.length;
    try {
      return this.kind.interpret(status, text, docs);
    } catch (err) {
      if (err instanceof PermanentError || err instanceof Error) throw withTarget(err, `${this.config.kind} ${this.url.origin}${this.path}`);
      throw err;
    }
  }

  private request(body: Buffer): Promise<{ status: number; text: string }> {
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        {
          protocol: this.url.protocol,
          hostname: this.url.hostname,
          port: this.url.port,
          method: 'POST',
          path: this.path,
          agent: this.agent,
          headers: { ...this.headers, 'content-length': String(body.length) },
          timeout: this.config.request_timeout_ms,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.config.request_timeout_ms} ms`)));
      req.on('error', (err) => {
        const message = `${this.config.kind} ${this.url.origin}${this.path}: ${err.message}`;
        reject(isCertificateError(err) ? new PermanentError(message, { cause: err }) : new Error(message, { cause: err }));
      });
      req.end(body);
    });
  }
}

function withTarget(err: Error, target: string): Error {
  const message = `${target}: ${err.message}`;
  return err instanceof PermanentError ? new PermanentError(message, { cause: err }) : new Error(message, { cause: err });
}
