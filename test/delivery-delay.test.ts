/**
 * Delayed delivery (`[delivery] delayed = true`) measured against each source's declared delay: the same run at event
 * time and delayed, records joined by their bytes (bench/dev/delivery-delay.ts prints the same figures).
 */
import { describe, expect, it } from 'vitest';
import { measureDelays, quantile } from '../bench/dev/delivery-delay.js';
import { deliveryTime } from '../src/engine/delay.js';

describe('delivery delay', () => {
  it('each source delivers as it declares: quantiles, cap and shape (Kolmogorov-Smirnov) of the measured delays', async () => {
    const results = await measureDelays([{ type: 'cloudtrail' }, { type: 'okta' }, { type: 'entra_signin' }, { type: 'pack', pack: 'linux-auth' }], 24);
    for (const r of results) {
      const m = r.model;
      expect(r.body.length, r.source).toBeGreaterThan(2000);
      // The median within 5 %, the 99th percentile within 10 % of the declared log-normal's.
      expect(quantile(r.body, 0.5) / (m.median_seconds * 1000), r.source).toBeGreaterThan(0.95);
      expect(quantile(r.body, 0.5) / (m.median_seconds * 1000), r.source).toBeLessThan(1.05);
      const p99 = Math.min(m.max_seconds, m.median_seconds * Math.exp(2.3263 * m.sigma)) * 1000;
      expect(quantile(r.body, 0.99) / p99, r.source).toBeGreaterThan(0.9);
      expect(quantile(r.body, 0.99) / p99, r.source).toBeLessThan(1.1);
      // The whole shape: records of one tick share a delay, so the bound is looser than for independent draws.
      expect(r.ks, r.source).toBeLessThan(0.025);
      expect(r.delays[0], r.source).toBeGreaterThan(0);
      // Only hosts that were offline deliver after the cap.
      if (m.offline === undefined) expect(r.delays[r.delays.length - 1], r.source).toBeLessThanOrEqual(m.max_seconds * 1000);
    }
    // CloudTrail's minutes put most records behind a record of a later event; Okta's seconds far fewer.
    const [cloudtrail, okta] = results;
    expect(cloudtrail.outOfOrder).toBeGreaterThan(0.5);
    expect(okta.outOfOrder).toBeLessThan(cloudtrail.outOfOrder);
  }, 120_000);

  it('a host offline holds what it logs until it is back, then delivers it', () => {
    const model = { median_seconds: 1, sigma: 0, max_seconds: 1, offline: { per_day: 1, min_hours: 2, max_hours: 2 } };
    // Every actor is offline two hours a day: over a day, the records of those hours arrive at one moment each.
    const day = Date.UTC(2025, 11, 3);
    const late = new Map<number, number>();
    for (let t = day; t < day + 86_400_000; t += 60_000) {
      const d = deliveryTime(model, 42, 7, t) - t;
      if (d > 1000) late.set(deliveryTime(model, 42, 7, t), (late.get(deliveryTime(model, 42, 7, t)) ?? 0) + 1);
      else expect(d).toBe(1000);
    }
    // Two hours of minutes, delivered at the end of the spell (+ the 1 s delay); a spell of the day before may reach in.
    const total = [...late.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(119);
    expect(total).toBeLessThanOrEqual(240);
    expect(late.size).toBeLessThanOrEqual(2);
  });
});
