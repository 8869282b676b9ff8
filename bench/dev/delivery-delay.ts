/**
 * Delayed delivery measured against each source's declared delay: the same run twice, at event time and with
 * `[delivery] delayed = true`; records joined by their bytes give each one's delay exactly. Prints, per source, the
 * measured and declared quantiles, the Kolmogorov-Smirnov distance of the body (records of hosts that were online) and
 * the share of records held by offline hosts. test/delivery-delay.test.ts asserts on the same figures.
 *
 *   npx tsx bench/dev/delivery-delay.ts
 */
import { genConfigSchema } from '../../src/config/gen-config.js';
import { generate } from '../../src/engine/run.js';
import { buildPopulation } from '../../src/population/build.js';
import { actorsConfigSchema } from '../../src/population/config.js';
import type { DeliveryDelay } from '../../src/sources/delivery-delay.js';
import { pluginFor } from '../../src/sources/registry.js';
import type { RecordSink } from '../../src/sinks/sink.js';
import { eachRecord } from './record-sink.js';
import { validate } from '../../src/util/validate.js';
import { fnv1a } from '../../src/util/hash.js';

/** Per source: record (its bytes, hashed twice) → its times, in delivery order. */
function timesSink(): { times: Map<string, number[]>[]; sink: RecordSink } {
  const times: Map<string, number[]>[] = [];
  const sink = eachRecord(({ bytes, time, source }) => {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
    const key = `${fnv1a(text)}:${fnv1a(text, 0x12345678)}:${text.length}`;
    const m = (times[source] ??= new Map());
    const list = m.get(key);
    if (list) list.push(time);
    else m.set(key, [time]);
  });
  return { times, sink };
}

export interface SourceDelays {
  source: string;
  model: DeliveryDelay;
  /** Every record's delay, ms, sorted. */
  delays: Float64Array;
  /** Delays of records of online hosts (at most max_seconds), ms, sorted. */
  body: Float64Array;
  /** Kolmogorov-Smirnov distance between `body` and the declared log-normal (capped). */
  ks: number;
  /** Records delivered in time order, but out of event order: the share delivered before some earlier event's record. */
  outOfOrder: number;
}

/** The standard normal CDF (Abramowitz-Stegun 7.1.26 through erf; |error| < 1.5e-7). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** The declared CDF of the body at `ms`. */
function declaredCdf(model: DeliveryDelay, ms: number): number {
  if (ms >= model.max_seconds * 1000) return 1;
  if (ms <= 0) return 0;
  return model.sigma === 0 ? (ms >= model.median_seconds * 1000 ? 1 : 0) : phi(Math.log(ms / (model.median_seconds * 1000)) / model.sigma);
}

export function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Runs `sources` over `hours` of a 300-actor organisation at event time and delayed, and joins the two. */
export async function measureDelays(sources: { type: string; pack?: string }[], hours: number): Promise<SourceDelays[]> {
  const population = buildPopulation(validate(actorsConfigSchema, { seed: 5, population: { actor_count: 300, service_ratio: 0.25, account_count: 2 } }, 'd'), 5);
  const configOf = (delayed: boolean) =>
    validate(
      genConfigSchema,
      { seed: 3, traffic: { start_time: '2025-12-01T00:00:00Z', time_scale: 0 }, population: { path: '(memory)' }, sources, outputs: [{ type: 'blackhole' }], delivery: { delayed } },
      'd',
    );
  const run = async (delayed: boolean) => {
    const config = configOf(delayed);
    const { times, sink } = timesSink();
    await generate({ config, population, workers: 2, untilMs: Date.parse('2025-12-01T00:00:00Z') + hours * 3_600_000, metricsIntervalMs: 600_000, sink });
    return times;
  };
  const atEvent = await run(false);
  const delayed = await run(true);
  const entries = configOf(true).sources!;
  return sources.map((s, k) => {
    const model = pluginFor(entries[k]).deliveryDelay!;
    const delays: number[] = [];
    const byEvent: { event: number; delivered: number }[] = [];
    for (const [text, events] of atEvent[k] ?? new Map()) {
      const delivered = delayed[k]?.get(text) ?? [];
      // Identical records (rare) pair up in order: their delays are then the same.
      for (const [j, e] of events.entries()) {
        if (delivered[j] === undefined) throw new Error(`${s.type}: a record was not delivered`);
        delays.push(delivered[j] - e);
        byEvent.push({ event: e, delivered: delivered[j] });
      }
    }
    const sorted = Float64Array.from(delays).sort();
    const body = sorted.filter((d) => d <= model.max_seconds * 1000 + 1);
    let ks = 0;
    for (let i = 0; i < body.length; i++) {
      const f = declaredCdf(model, body[i]);
      ks = Math.max(ks, Math.abs(f - i / body.length), Math.abs(f - (i + 1) / body.length));
    }
    // In delivery order, how many records have an event time before the latest event time delivered so far?
    byEvent.sort((a, b) => a.delivered - b.delivered);
    let latest = -Infinity;
    let late = 0;
    for (const r of byEvent) {
      if (r.event < latest) late++;
      latest = Math.max(latest, r.event);
    }
    return { source: s.pack ?? s.type, model, delays: sorted, body, ks, outOfOrder: late / byEvent.length };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await measureDelays([{ type: 'cloudtrail' }, { type: 'okta' }, { type: 'entra_signin' }, { type: 'pack', pack: 'linux-auth' }, { type: 'pack', pack: 'sysmon' }], 24);
  const s = (ms: number) => (ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : ms < 7_200_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 3_600_000).toFixed(1)} h`);
  const declared = (m: DeliveryDelay, q: number) => {
    // The body's declared quantile: median × e^(σ z_q), capped.
    const z = { 0.5: 0, 0.9: 1.2816, 0.99: 2.3263 }[q as 0.5 | 0.9 | 0.99];
    return Math.min(m.max_seconds, m.median_seconds * Math.exp(m.sigma * z)) * 1000;
  };
  console.log('source            records    p50 (declared)        p90 (declared)        p99 (declared)        max      KS     offline   out of event order');
  for (const r of results) {
    const q = (p: number) => `${s(quantile(r.body, p)).padStart(8)} (${s(declared(r.model, p)).padStart(8)})`;
    const offline = 1 - r.body.length / r.delays.length;
    console.log(
      `${r.source.padEnd(16)} ${String(r.delays.length).padStart(8)}  ${q(0.5)}  ${q(0.9)}  ${q(0.99)}  ${s(r.delays[r.delays.length - 1]).padStart(8)}  ${r.ks.toFixed(4)}  ${(offline * 100).toFixed(2).padStart(5)} %  ${(r.outOfOrder * 100).toFixed(1)} %`,
    );
  }
}
