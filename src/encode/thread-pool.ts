/**
 * A small pool of worker threads for encode jobs (compressing blocks, encoding Parquet pages). Each job goes to the
 * least busy worker (ties: the lowest index); results do not depend on which worker ran a job, so output stays
 * deterministic. Buffers travel by transfer, not copy, or are SharedArrayBuffers registered once (`share`) that
 * jobs name by number: transferring megabytes per job made each thread take in new ArrayBuffers, which V8 counts as
 * external memory and answers with collections.
 */
import { parentPort, Worker } from 'node:worker_threads';

/** Registers a shared buffer with a pool's threads. */
interface ShareMessage {
  share: number;
  buffer: SharedArrayBuffer;
}

/**
 * A pool thread's side: runs `handle` for each job, which reads the buffers `ThreadPool.share` registered through
 * `shared(number)`.
 */
export function serveJobs<Job extends object>(handle: (job: Job & { id: number }, shared: (id: number) => SharedArrayBuffer) => void): void {
  const buffers = new Map<number, SharedArrayBuffer>();
  const shared = (id: number) => {
    const buffer = buffers.get(id);
    if (!buffer) throw new Error(`shared buffer ${id} was never registered`);
    return buffer;
  };
  parentPort!.on('message', (message: (Job & { id: number }) | ShareMessage) => {
    if ('share' in message && 'buffer' in message) buffers.set(message.share, message.buffer);
    else handle(message as Job & { id: number }, shared);
  });
}

export class ThreadPool<Job extends object, Result extends object> {
  private readonly workers: Worker[] = [];
  private readonly inFlight: number[] = [];
  private readonly pending = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void; worker: number }>();
  private nextId = 0;
  /** Set when a worker failed or exited, or the pool was closed: every pending and later job is rejected with it. */
  private broken: Error | null = null;

  constructor(script: string, workerData: unknown, threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(script, { workerData });
      worker.on('message', (msg: Result & { id: number; error?: string }) => {
        const job = this.pending.get(msg.id);
        if (!job) return; // rejected already, when the pool broke
        this.pending.delete(msg.id);
        this.inFlight[job.worker]--;
        if (msg.error !== undefined) job.reject(new Error(msg.error));
        else job.resolve(msg);
      });
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => this.fail(new Error(`a worker thread exited (code ${code})`)));
      // Unreferenced: a pool left open does not keep the process alive (its owner's close() ends it).
      worker.unref();
      this.workers.push(worker);
      this.inFlight.push(0);
    }
  }

  private fail(err: Error): void {
    this.broken ??= err;
    for (const job of this.pending.values()) job.reject(this.broken);
    this.pending.clear();
  }

  run(job: Job, transfer: ArrayBuffer[]): Promise<Result> {
    if (this.broken) return Promise.reject(this.broken);
    let worker = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.inFlight[i] < this.inFlight[worker]) worker = i;
    const id = this.nextId++;
    this.inFlight[worker]++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker });
      this.workers[worker].postMessage({ ...job, id }, transfer);
    });
  }

  private readonly sharedIds = new Map<SharedArrayBuffer, number>();

  /**
   * The number jobs name `buffer` by: registered with every thread on first use, ahead of any job run after it (a
   * thread reads its messages in order). Registrations last as long as the pool.
   */
  share(buffer: SharedArrayBuffer): number {
    let id = this.sharedIds.get(buffer);
    if (id === undefined) {
      this.sharedIds.set(buffer, (id = this.sharedIds.size));
      const message: ShareMessage = { share: id, buffer };
      for (const worker of this.workers) worker.postMessage(message);
    }
    return id;
  }

  /** Stops the threads; jobs still pending are rejected. */
  async close(): Promise<void> {
    this.fail(new Error('the thread pool was closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
