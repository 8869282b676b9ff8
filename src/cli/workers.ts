/** The default of `--workers`: see src/encode/encoder-threads.ts for why encoders get cores of their own. */
import { availableParallelism } from 'node:os';
import { configuredOutputs, type GenConfig } from '../config/gen-config.js';
import { sinkFor } from '../sinks/registry.js';

/** Generation workers when `--workers` is not given: the cores left after the outputs' encoders, at least one. */
export function defaultWorkers(config: GenConfig, cores = availableParallelism()): number {
  const cost = Math.max(0, ...configuredOutputs(config).map(({ entry }) => sinkFor(entry.type).encodeCost?.(entry as never) ?? 0));
  return Math.max(1, Math.round(cores / (1 + cost)));
}
