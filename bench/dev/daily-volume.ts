/**
 * `traffic.events_per_day` measured: the records of each simulated UTC day (by event time) against the target, for a
 * week of a run of several sources. test/traffic-volume.test.ts asserts on the same figures.
 *
 *   npm run build && npx tsx bench/dev/daily-volume.ts [events_per_day] [days] [actors]
 */
import { genConfigSchema } from '../../src/config/gen-config.js';
import { generate } from '../../src/engine/run.js';
import { buildPopulation } from '../../src/population/build.js';
import { actorsConfigSchema } from '../../src/population/config.js';
import { eachRecord } from './record-sink.js';
import { validate } from '../../src/util/validate.js';

const DAY_MS = 86_400_000;

/**
 * Records per simulated UTC day (and hour) of `days` days from `firstDay` (default Monday 2025-12-01) at `perDay`
 * (undefined: the population's own rates), with `sources`.
 */
export async function dailyVolumes(perDay: number | undefined, days: number, sources: { type: string; pack?: string }[], actorCount = 300, workers = 2, firstDay = '2025-12-01') {
  const population = buildPopulation(validate(actorsConfigSchema, { seed: 5, population: { actor_count: actorCount, service_ratio: 0.25, account_count: 2 } }, 'v'), 5);
  const config = validate(genConfigSchema, { seed: 8, traffic: { start_time: `${firstDay}T00:00:00Z`, time_scale: 0, ...(perDay === undefined ? {} : { events_per_day: perDay }) }, population: { path: '(memory)' }, sources, outputs: [{ type: 'blackhole' }] }, 'v');
  const perDayCount = new Map<number, number>();
  const perHourCount = new Map<number, number>();
  const sink = eachRecord(({ time }) => {
    const day = Math.floor(time / DAY_MS);
    perDayCount.set(day, (perDayCount.get(day) ?? 0) + 1);
    const hour = Math.floor(time / 3_600_000);
    perHourCount.set(hour, (perHourCount.get(hour) ?? 0) + 1);
  });
  const start = Date.parse(`${firstDay}T00:00:00Z`);
  await generate({ config, population, workers, untilMs: start + days * DAY_MS, metricsIntervalMs: 600_000, sink });
  const byDay = Array.from({ length: days }, (_, d) => perDayCount.get(Math.floor(start / DAY_MS) + d) ?? 0);
  const byHour = Array.from({ length: days * 24 }, (_, h) => perHourCount.get(Math.floor(start / 3_600_000) + h) ?? 0);
  return { byDay, byHour };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const perDay = Number(process.argv[2] ?? 200_000);
  const days = Number(process.argv[3] ?? 7);
  const names = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const actors = Number(process.argv[4] ?? 300);
  // Sources without timed samples: those are a floor a quota cannot go below (docs/traffic.md).
  const { byDay, byHour } = await dailyVolumes(perDay, days, [{ type: 'cloudtrail' }, { type: 'okta' }, { type: 'entra_signin' }, { type: 'pack', pack: 'linux-auth' }], actors);
  for (const [d, n] of byDay.entries()) {
    const hours = byHour.slice(d * 24, d * 24 + 24);
    const peak = Math.max(...hours);
    console.log(`${names[d % 7]}  ${String(n).padStart(9)}  ${(((n / perDay) - 1) * 100).toFixed(2).padStart(6)} %   hours (of the peak): ${hours.map((h) => Math.round((h / peak) * 9)).join('')}`);
  }
}
