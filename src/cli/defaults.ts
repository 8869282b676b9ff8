/**
 * The embedded demo: a small global organisation and a day of its CloudTrail, so `seclog demo` needs no files.
 */
export const DEMO_ACTORS = {
  seed: 7,
  population: { actor_count: 300, service_ratio: 0.25, account_count: 2 },
};

export function demoConfig(outputDir: string) {
  return {
    seed: 7,
    traffic: { start_time: '2025-12-01T00:00:00Z', time_scale: 0 },
    output: { dir: outputDir, rotation: { target_size_mb: 20 }, format: { type: 'jsonl' } },
    source: { type: 'cloudtrail', curated: true, actor_population_path: '(embedded demo population)' },
  };
}

export const DEMO_UNTIL = '2025-12-02T00:00:00Z';
