/**
 * `type = "stdout"`: JSONL on standard output, so `seclog gen … | other-tool` works. Metrics and the summary go to
 * stderr. Waits for each write to be taken by the pipe, so a slow reader slows generation.
 */
import * as z from 'zod';
import { commonOutputKeys, type SinkPlugin } from '../plugin.js';
import { recordStart, type RecordBatch, type RecordSink, type SinkStats } from '../sink.js';

const schema = z.strictObject({ type: z.literal('stdout'), ...commonOutputKeys });
export type StdoutOutputConfig = z.output<typeof schema>;

export class StreamSink implements RecordSink {
  private bytesOut = 0;
  private closed = false;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  write(batch: RecordBatch): Promise<void> {
    if (batch.to <= batch.from || this.closed) return Promise.resolve();
    const start = recordStart(batch, batch.from);
    const end = batch.ends[batch.to - 1];
    this.bytesOut += end - start;
    // The engine reuses the batch's memory once this resolves: the callback says the stream is done with it.
    return new Promise((resolve, reject) => {
      this.stream.write(batch.bytes.subarray(start, end), (err) => (err ? reject(err) : resolve()));
    });
  }

  async advance(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }

  async abort(): Promise<void> {
    this.closed = true;
  }

  stats(): SinkStats {
    return { bytesOut: this.bytesOut, files: 0 };
  }
}

export const stdoutSink: SinkPlugin<StdoutOutputConfig> = {
  type: 'stdout',
  schema,
  mixesSources: true,
  create: () => new StreamSink(process.stdout),
  describe: () => 'JSONL on standard output',
};
