/**
 * A small pool of worker threads for encode jobs (compressing blocks, encoding Parquet pages). Each job goes to the
 * least busy worker (ties: the lowest index); results do not depend on which worker ran a job, so output stays
 * deterministic. Buffers travel by transfer, not copy.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The compiled worker script next to `moduleUrl` (`name.js`), also when running from sources (tests, tsx). */
export function workerScript(moduleUrl: string, name: string): string {
  const here = fileURLToPath(new URL(`./${name}.js`, moduleUrl));
  if (existsSync(here)) return here;
  const source = fileURLToPath(new URL(`./${name}.ts`, moduleUrl));
  return source.replace(/[\\/]src[\\/]/, '/dist/src/').replace(/\.ts$/, '.js');
}

export class ThreadPool<Job extends object, Result extends object> {
  private readonly workers: Worker[] = [];
  private readonly inFlight: number[] = [];
  private readonly pending = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void; worker: number }>();
  private nextId = 0;

  constructor(script: string, workerData: unknown, threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(script, { workerData });
      worker.on('message', (msg: Result & { id: number; error?: string }) => {
        const job = this.pending.get(msg.id)!;
        this.pending.delete(msg.id);
        this.inFlight[job.worker]--;
        if (msg.error !== undefined) job.reject(new Error(msg.error));
        else job.resolve(msg);
      });
      worker.on('error', (err) => {
        for (const job of this.pending.values()) job.reject(err);
        this.pending.clear();
      });
      worker.unref();
      this.workers.push(worker);
      this.inFlight.push(0);
    }
  }

  run(job: Job, transfer: ArrayBuffer[]): Promise<Result> {
    let worker = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.inFlight[i] < this.inFlight[worker]) worker = i;
    const id = this.nextId++;
    this.inFlight[worker]++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker });
      this.workers[worker].postMessage({ ...job, id }, transfer);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
