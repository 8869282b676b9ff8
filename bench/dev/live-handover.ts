/**
 * Backfill, then live, drawn: a run from 30 minutes ago with `live` (it catches up at full speed, then keeps to the
 * wall clock) for a few minutes past now, beside a run at full speed over the same interval. Writes
 * docs/img/live-handover.svg: records per minute of event time (the live run's bars, the full-speed run's line: the
 * same counts, no gap and no overlap at the switch), and for each minute how long after its end it was written.
 *
 *   npm run build && npx tsx bench/dev/live-handover.ts [minutes back] [minutes live]
 */
import { writeFileSync } from 'node:fs';
import { genConfigSchema } from '../../src/config/gen-config.js';
import { generate } from '../../src/engine/run.js';
import { buildPopulation } from '../../src/population/build.js';
import { actorsConfigSchema } from '../../src/population/config.js';
import { eachRecord } from './record-sink.js';
import { validate } from '../../src/util/validate.js';

const back = Number(process.argv[2] ?? 30);
const ahead = Number(process.argv[3] ?? 4);

/** Per minute of event time: records, and the wall-clock time the last of them was written. */
function minuteSink() {
  const count = new Map<number, number>();
  const written = new Map<number, number>();
  const sink = eachRecord(({ time }) => {
    const m = Math.floor(time / 60_000);
    count.set(m, (count.get(m) ?? 0) + 1);
    written.set(m, Date.now());
  });
  return { count, written, sink };
}

const population = buildPopulation(validate(actorsConfigSchema, { seed: 1, population: { actor_count: 2000, service_ratio: 0.25, account_count: 3 } }, 'h'), 1);
const configAt = (timeScale: number) =>
  validate(
    genConfigSchema,
    { seed: 4, traffic: { time_scale: timeScale }, population: { path: '(memory)' }, sources: [{ type: 'cloudtrail' }, { type: 'okta' }, { type: 'entra_signin' }], outputs: [{ type: 'blackhole' }] },
    'h',
  );
const config = configAt(1);
const now = Math.floor(Date.now() / 60_000) * 60_000;
const fromMs = now - back * 60_000;
const untilMs = now + ahead * 60_000;
const started = Date.now();
const live = minuteSink();
let caughtUp = NaN;
const summary = await generate({
  config,
  population,
  workers: 2,
  fromMs,
  untilMs,
  live: true,
  metricsIntervalMs: 250,
  sink: live.sink,
  onMetrics: (m) => {
    if (Number.isNaN(caughtUp) && Date.now() - m.simulatedMs < 60_000) caughtUp = Date.now();
  },
});
const fast = minuteSink();
await generate({ config: configAt(0), population, workers: 2, fromMs, untilMs, metricsIntervalMs: 600_000, sink: fast.sink });

const minutes = Array.from({ length: back + ahead }, (_, k) => fromMs / 60_000 + k);
const counts = minutes.map((m) => live.count.get(m) ?? 0);
const same = minutes.every((m) => (live.count.get(m) ?? 0) === (fast.count.get(m) ?? 0));
const lagS = minutes.map((m) => ((live.written.get(m) ?? NaN) - (m + 1) * 60_000) / 1000);
console.log(`live run: ${summary.events} records, ${((Date.now() - started) / 1000).toFixed(0)} s; caught up with the clock ${((caughtUp - started) / 1000).toFixed(1)} s after the start; per-minute counts equal to the full-speed run: ${same}`);
console.log(`written after the minute's end: backfill ${lagS.slice(0, back).map((s) => s.toFixed(0)).join(' ')} | live ${lagS.slice(back).map((s) => s.toFixed(1)).join(' ')} s`);

// The drawing: bars of records per minute, a line of the full-speed run, the switch, and the lag below.
const W = 860, H = 460, left = 60, right = 20, top = 40, plotH = 220, lagTop = 330, lagH = 80;
const x = (k: number) => left + ((W - left - right) * k) / minutes.length;
const bw = (W - left - right) / minutes.length - 2;
const maxCount = Math.max(...counts, ...minutes.map((m) => fast.count.get(m) ?? 0)) * 1.1;
const y = (n: number) => top + plotH - (plotH * n) / maxCount;
const maxLag = Math.max(60, ...lagS.filter(Number.isFinite)) * 1.1;
// A log scale: backfilled minutes are written up to half an hour after they end, live ones within seconds.
const ly = (s: number) => lagTop + lagH - (lagH * Math.log10(1 + Math.max(0, s))) / Math.log10(1 + maxLag);
const hhmm = (m: number) => new Date(m * 60_000).toISOString().slice(11, 16);
const parts: string[] = [];
parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`);
parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
parts.push(`<text x="${left}" y="20" font-size="13" font-weight="bold">Backfill from ${back} min ago, then live: records per minute of event time (CloudTrail, Okta, Entra; 2,000 actors)</text>`);
counts.forEach((n, k) => parts.push(`<rect x="${x(k) + 1}" y="${y(n)}" width="${bw}" height="${top + plotH - y(n)}" fill="${k < back ? '#9ab' : '#e8a33d'}"/>`));
parts.push(`<polyline fill="none" stroke="#222" stroke-width="1.5" points="${minutes.map((m, k) => `${x(k) + bw / 2 + 1},${y(fast.count.get(m) ?? 0)}`).join(' ')}"/>`);
parts.push(`<line x1="${x(back)}" y1="${top - 5}" x2="${x(back)}" y2="${lagTop + lagH}" stroke="#c33" stroke-dasharray="4 3"/>`);
parts.push(`<text x="${x(back) - 4}" y="${top + 8}" fill="#c33" text-anchor="end">now: the run has caught up, ${((caughtUp - started) / 1000).toFixed(1)} s after it started →</text>`);
parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${W - right}" y2="${top + plotH}" stroke="#444"/>`);
for (const n of [0, 0.5, 1].map((f) => Math.round((maxCount / 1.1) * f))) parts.push(`<text x="${left - 6}" y="${y(n) + 4}" text-anchor="end">${n}</text>`);
minutes.forEach((m, k) => {
  if (k % 5 === 0) parts.push(`<text x="${x(k)}" y="${top + plotH + 14}">${hhmm(m)}</text>`);
});
parts.push(`<text x="${left}" y="${top + plotH + 30}">bars: the live run (grey: backfill, orange: live) · line: a run at full speed over the same interval${same ? ' (equal in every minute)' : ''}</text>`);
parts.push(`<text x="${left}" y="${lagTop - 8}">seconds from the end of each minute to when its last record was written (wall clock, log scale)</text>`);
parts.push(`<line x1="${left}" y1="${lagTop + lagH}" x2="${W - right}" y2="${lagTop + lagH}" stroke="#444"/>`);
lagS.forEach((s, k) => {
  if (Number.isFinite(s)) parts.push(`<rect x="${x(k) + 1}" y="${ly(s)}" width="${bw}" height="${lagTop + lagH - ly(s)}" fill="${k < back ? '#9ab' : '#e8a33d'}"/>`);
});
for (const v of [10, 100, 1000]) if (v < maxLag) parts.push(`<text x="${left - 6}" y="${ly(v) + 4}" text-anchor="end">${v} s</text>`);
parts.push(`<text x="${left - 6}" y="${lagTop + lagH + 4}" text-anchor="end">0</text>`);
const liveLag = lagS.slice(back).filter(Number.isFinite);
parts.push(`<text x="${left}" y="${H - 22}" fill="#555">backfilled minutes: all written in the first ${((caughtUp - started) / 1000).toFixed(0)} s, up to ${Math.round(Math.max(...lagS.slice(0, back)) / 60)} min after they ended</text>`);
parts.push(`<text x="${left}" y="${H - 8}" fill="#555">live minutes: written at most ${Math.max(...liveLag).toFixed(1)} s after they ended (a window of records is released when the clock passes its end)</text>`);
parts.push('</svg>');
writeFileSync(new URL('../../docs/img/live-handover.svg', import.meta.url), `${parts.join('\n')}\n`);
console.log('wrote docs/img/live-handover.svg');
