/**
 * Sends each record as one syslog message. TCP and TLS write framed batches on one connection, one batch at a
 * time (a stream keeps order); a failed write reconnects and sends the batch again. UDP sends one datagram per
 * message and has no acknowledgement: "acked" there means handed to the kernel.
 *
 * Plain syslog has no application-level acknowledgement: over TCP, "acked" means the kernel accepted the bytes.
 * Bytes accepted but not yet read when the receiver dies are lost unless the receiver drains its socket on
 * shutdown (rsyslog and syslog-ng do on a clean stop).
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { hostname as osHostname } from 'node:os';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { UsageError } from '../../util/errors.js';
import { splitHostPort } from '../../util/address.js';
import { Delivery, PermanentError } from '../delivery.js';
import type { SinkContext } from '../plugin.js';
import { recordStart, type RecordBatch, type RecordSink, type SinkStats } from '../sink.js';
import { isCertificateError, tlsOptions } from '../tls.js';
import type { SyslogOutputConfig } from './config.js';
import { headerWriter, type SyslogHeader } from './frame.js';

interface Frames {
  /** TCP/TLS: the framed messages, concatenated. UDP: one buffer per message. */
  chunks: Buffer[];
  records: number;
  bytes: number;
}

export class SyslogSink implements RecordSink {
  private readonly header: SyslogHeader;
  private readonly host: string;
  private readonly port: number;
  private readonly delivery: Delivery<Frames>;
  private socket: Socket | null = null;
  private udp: UdpSocket | null = null;
  private pending: Frames = { chunks: [], records: 0, bytes: 0 };
  private bytesOut = 0;

  constructor(
    private readonly config: SyslogOutputConfig,
    ctx: SinkContext,
    name: string,
    private readonly key: string,
  ) {
    ({ host: this.host, port: this.port } = splitHostPort(config.address));
    const host = config.hostname ?? (osHostname().replace(/[^\x21-\x7e]/g, '') || '-');
    this.header = headerWriter(config, host, config.app_name ?? ctx.source.label);
    if (config.protocol === 'tls') tlsOptions(config.tls ?? true, `${key}.tls`); // fail early on unreadable PEM files
    this.delivery = new Delivery((frames) => this.send(frames), {
      name,
      // One batch at a time: a stream must not interleave a retried batch with the next.
      maxInFlight: 1,
      retry: { initialBackoffMs: 100, maxBackoffMs: 5000, deliveryTimeoutMs: config.delivery_timeout_ms },
    });
  }

  async write(batch: RecordBatch): Promise<void> {
    const udp = this.config.protocol === 'udp';
    const counting = !udp && this.config.framing === 'octet_counting';
    for (let i = batch.from; i < batch.to; i++) {
      const start = recordStart(batch, i);
      const end = batch.ends[i] - 1; // without the record's newline
      const head = this.header(batch.times[i]);
      const length = Buffer.byteLength(head) + (end - start);
      if (length > this.config.max_message_bytes) {
        throw new UsageError(`${this.key}.max_message_bytes = ${this.config.max_message_bytes}: a ${length}-byte message does not fit; raise it (receivers must accept it too)`);
      }
      const prefix = counting ? `${length} ${head}` : head;
      const message = Buffer.allocUnsafe(Buffer.byteLength(prefix) + (end - start) + (udp || counting ? 0 : 1));
      let at = message.write(prefix, 0, 'latin1');
      message.set(batch.bytes.subarray(start, end), at);
      at += end - start;
      if (!udp && !counting) message[at] = 10;
      this.pending.chunks.push(message);
      this.pending.records++;
      this.pending.bytes += end - start;
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
      this.disconnect();
    }
  }

  async abort(): Promise<void> {
    this.delivery.abort();
    this.disconnect();
  }

  stats(): SinkStats {
    return { bytesOut: this.bytesOut, files: 0, delivery: this.delivery.stats() };
  }

  private async flush(): Promise<void> {
    const frames = this.pending;
    if (frames.records === 0) return;
    this.pending = { chunks: [], records: 0, bytes: 0 };
    if (this.config.protocol !== 'udp') frames.chunks = [Buffer.concat(frames.chunks)];
    await this.delivery.submit(frames, frames.records, frames.bytes);
  }

  private async send(frames: Frames): Promise<void> {
    if (this.config.protocol === 'udp') return this.sendUdp(frames);
    const socket = await this.connection();
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      socket.once('error', onError);
      socket.write(frames.chunks[0], (err) => {
        socket.off('error', onError);
        if (err) reject(err);
        else resolve();
      });
    }).catch((err: unknown) => {
      this.disconnect();
      if (err instanceof PermanentError) throw err;
      throw new Error(`syslog ${this.config.protocol}://${this.config.address}: ${(err as Error).message}`, { cause: err });
    });
    this.bytesOut += frames.chunks[0].length;
  }

  private async sendUdp(frames: Frames): Promise<void> {
    this.udp ??= createSocket(isIP(this.host) === 6 ? 'udp6' : 'udp4');
    const udp = this.udp;
    for (const message of frames.chunks) {
      await new Promise<void>((resolve, reject) => udp.send(message, this.port, this.host, (err) => (err ? reject(err) : resolve())));
      this.bytesOut += message.length;
    }
  }

  private connection(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    return new Promise((resolve, reject) => {
      const ready = () => {
        socket.off('error', failed);
        // Later errors surface on the next write; a closed connection is reopened then.
        socket.on('error', () => undefined);
        socket.on('close', () => {
          if (this.socket === socket) this.socket = null;
        });
        this.socket = socket;
        resolve(socket);
      };
      const failed = (err: Error) => {
        socket.destroy();
        const message = `syslog ${this.config.protocol}://${this.config.address}: ${err.message}`;
        reject(isCertificateError(err) ? new PermanentError(message, { cause: err }) : new Error(message, { cause: err }));
      };
      const socket =
        this.config.protocol === 'tls'
          ? tlsConnect({ host: this.host, port: this.port, ...this.tls(), }, ready)
          : netConnect({ host: this.host, port: this.port }, ready);
      socket.setNoDelay(false);
      socket.setTimeout(30_000, () => socket.destroy(new Error('connection timed out')));
      socket.once('error', failed);
    });
  }

  /** TLS options; SNI names the host unless it is an address (or server_name says otherwise). */
  private tls(): ConnectionOptions {
    const options = tlsOptions(this.config.tls ?? true, `${this.key}.tls`)!;
    return { ...options, servername: options.servername ?? (isIP(this.host) ? undefined : this.host) };
  }

  private disconnect(): void {
    this.socket?.destroy();
    this.socket = null;
    this.udp?.close();
    this.udp = null;
  }
}
