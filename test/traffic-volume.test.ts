/**
 * Volume targets: `traffic.events_per_day` lands every simulated UTC day within 2 % and keeps the day's shape;
 * constant mode's events_per_second counts records, also in a run of several sources (each tick writes one record
 * per source or more).
 */
import { describe, expect, it } from 'vitest';
import { dailyVolumes } from '../bench/dev/daily-volume.js';
import { genConfigSchema } from '../src/config/gen-config.js';
import { generate } from '../src/engine/run.js';
import { buildPopulation } from '../src/population/build.js';
import { actorsConfigSchema } from '../src/population/config.js';
import { eachRecord } from '../bench/dev/record-sink.js';
import { validate } from '../src/util/validate.js';
import { ConfigError } from '../src/util/config-errors.js';

const SOURCES = [{ type: 'cloudtrail' }, { type: 'okta' }, { type: 'entra_signin' }, { type: 'pack', pack: 'linux-auth' }];

/** Pearson's correlation of two series. */
function correlation(a: readonly number[], b: readonly number[]): number {
  const mean = (x: readonly number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const [ma, mb] = [mean(a), mean(b)];
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('traffic volume targets', () => {
  it('events_per_day: each day of a week, weekend included, within 2 %, hour by hour in the shape of the unscaled run', async () => {
    const target = 200_000;
    const scaled = await dailyVolumes(target, 7, SOURCES);
    const natural = await dailyVolumes(undefined, 7, SOURCES);
    // The population's own volume is far from the target: the quota did the work.
    const naturalMean = natural.byDay.reduce((a, b) => a + b, 0) / 7;
    expect(Math.abs(naturalMean / target - 1)).toBeGreaterThan(0.2);
    for (const [d, n] of scaled.byDay.entries()) expect(Math.abs(n / target - 1), `day ${d}: ${n}`).toBeLessThan(0.02);
    // Within each day, hours follow the unscaled run's hours (working hours, time zones, the weekend's quiet).
    for (let d = 0; d < 7; d++) {
      const hours = (x: number[]) => x.slice(d * 24, d * 24 + 24);
      expect(correlation(hours(scaled.byHour), hours(natural.byHour)), `day ${d}`).toBeGreaterThan(0.85);
    }
  }, 120_000);

  it('events_per_day with hosts sampled on a timer: the samples come first, activity makes up the rest', async () => {
    // host-metrics samples every server every 10 s whatever the traffic: here about a third of the target.
    const target = 300_000;
    const withTimer = [...SOURCES.slice(0, 3), { type: 'pack', pack: 'host-metrics', scale: 0.05 }];
    const scaled = await dailyVolumes(target, 2, withTimer as never);
    for (const [d, n] of scaled.byDay.entries()) expect(Math.abs(n / target - 1), `day ${d}: ${n}`).toBeLessThan(0.02);
  }, 120_000);

  it('events_per_second in a run of several sources: records per simulated second, not ticks', async () => {
    const population = buildPopulation(validate(actorsConfigSchema, { seed: 5, population: { actor_count: 300 } }, 'c'), 5);
    const config = validate(genConfigSchema, { seed: 2, traffic: { start_time: '2025-12-01T09:00:00Z', time_scale: 0, mode: 'constant', events_per_second: 500 }, population: { path: '(memory)' }, sources: SOURCES, outputs: [{ type: 'blackhole' }] }, 'c');
    const perSecond = new Map<number, number>();
    const sources = new Set<number>();
    const sink = eachRecord(({ time, source }) => {
      const s = Math.floor(time / 1000);
      perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
      sources.add(source);
    });
    const summary = await generate({ config, population, workers: 2, untilMs: Date.parse('2025-12-01T09:10:00Z'), metricsIntervalMs: 600_000, sink });
    expect(sources.size).toBe(4);
    expect(Math.abs(summary.events / (600 * 500) - 1)).toBeLessThan(0.02);
    // Every minute within 2 % too.
    const counts = [...perSecond.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
    expect(counts.length).toBe(600);
    for (let m = 0; m < 10; m++) expect(Math.abs(counts.slice(m * 60, m * 60 + 60).reduce((a, b) => a + b, 0) / 30_000 - 1), `minute ${m}`).toBeLessThan(0.02);
  }, 60_000);

  it('events_per_day is for realistic traffic', () => {
    const bad = { traffic: { mode: 'constant', events_per_second: 10, events_per_day: 1000 }, population: { path: 'a' }, sources: [{ type: 'okta' }], outputs: [{ type: 'blackhole' }] };
    expect(() => validate(genConfigSchema, bad, 'c.toml')).toThrow(ConfigError);
    expect(() => validate(genConfigSchema, bad, 'c.toml')).toThrow(/traffic\.events_per_day.*only allowed with traffic\.mode = "realistic"/s);
  });
});
