/**
 * The embedded demo: a small global organisation and a day of what the demo's sources log about it, so
 * `seclog demo` needs no files. Each source says whether it is in the demo and with which table (SourcePlugin.demo).
 */
import { SOURCES } from '../sources/registry.js';

export const DEMO_ACTORS = {
  seed: 7,
  population: { actor_count: 300, service_ratio: 0.25, account_count: 2 },
};

export function demoConfig(outputDir: string) {
  const sources = SOURCES.flatMap((s) => (s.demo ? [s.demo] : []));
  return {
    seed: 7,
    traffic: { start_time: '2025-12-01T00:00:00Z', time_scale: 0 },
    output: { dir: outputDir, rotation: { target_size_mb: 20 }, format: { type: 'jsonl' } },
    population: { path: '(embedded demo population)' },
    sources,
  };
}

export const DEMO_UNTIL = '2025-12-02T00:00:00Z';
