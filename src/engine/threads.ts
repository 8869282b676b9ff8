/**
 * How the cores are shared between generation workers and encoder threads. More busy threads than cores costs
 * CPU per event (measured for Parquet on 2 cores: 1 generation worker + 1 encoder made 78,657 / 87,589 events/s at
 * 19-22 µs of CPU per event; 2 + 2 made 65,529 / 70,864 at 28-30 µs).
 */
import { availableParallelism } from 'node:os';

/** Encoding cost per event relative to generation, by file format (Parquet shredding + pages: about twice). */
export function formatEncodeCost(format: string): number {
  return format === 'parquet' ? 2 : 0;
}

/** Encoder threads for an output whose encoding runs off the main thread: the cores the workers leave, at least one. */
export function encoderThreads(workers: number, cores = availableParallelism()): number {
  return Math.max(1, cores - workers);
}
