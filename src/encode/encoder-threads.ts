/**
 * How the cores are shared between generation workers and encoder threads. Too many busy threads costs CPU per
 * event; too few leaves cores idle while threads wait on each other. Measured for Parquet on 2 cores, 8 s runs:
 * 2 workers + 2 encoders 65,529 / 70,864 events/s at 28-30 µs of CPU per event; 1 + 1: 91,463 / 94,955 / 98,325
 * at 18-19 µs (1.75 cores busy); 1 + 2: 100,275 / 103,494 / 105,216 at 18-19 µs (1.94 cores busy).
 */
import { availableParallelism } from 'node:os';

/**
 * Encoding cost per event relative to generation, by file format (Parquet shredding + pages: about twice when the
 * split above was measured, ~1.3x since 2026-11-24; on 2 cores both give 1 worker + 2 encoders, and other core counts
 * have not been measured, so the value stays).
 */
export function formatEncodeCost(format: string): number {
  return format === 'parquet' ? 2 : 0;
}

/**
 * Encoder threads for an output whose encoding runs off the main thread: the cores the workers leave, plus one to
 * use the time workers spend waiting on backpressure.
 */
export function encoderThreads(workers: number, cores = availableParallelism()): number {
  return Math.max(1, cores - workers + 1);
}
