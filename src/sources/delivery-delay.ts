/**
 * How a vendor delivers its records: the delay between an event and the moment it reaches a consumer (CloudTrail's
 * delivery files about five minutes later, Okta's System Log within seconds, an endpoint agent's buffer flushed hours
 * later when a laptop comes back online). Each source declares its own as data; a run writes by delivery time when
 * `[delivery] delayed = true` (src/engine/delay.ts).
 */
import * as z from 'zod';

/**
 * A log-normal delay (median and spread, capped), plus, for agents on hosts, offline spells: each actor's host is
 * offline on a UTC day with probability `per_day`, for `min_hours`…`max_hours` from a uniform time of that day, and what
 * it logged meanwhile is delivered when it comes back.
 */
export const deliveryDelaySchema = z.strictObject({
  median_seconds: z.number().gt(0).max(86_400),
  /** σ of the delay's logarithm: 0.35 keeps 99 % within 2.3× the median, 1.0 within 10×. */
  sigma: z.number().min(0).max(3),
  max_seconds: z.number().gt(0).max(7 * 86_400),
  offline: z
    .strictObject({
      per_day: z.number().min(0).max(1),
      min_hours: z.number().gt(0).max(72),
      max_hours: z.number().gt(0).max(72),
    })
    .refine((o) => o.max_hours >= o.min_hours, { message: 'max_hours must be at least min_hours', path: ['max_hours'] })
    .optional(),
});

export type DeliveryDelay = z.output<typeof deliveryDelaySchema>;

/** An endpoint or server agent shipping as it logs (Winlogbeat, Filebeat, auditbeat, an EDR sensor): seconds, and
 * now and then a host that was offline for hours. */
export const AGENT_DELIVERY: DeliveryDelay = { median_seconds: 3, sigma: 0.8, max_seconds: 120, offline: { per_day: 0.02, min_hours: 1, max_hours: 8 } };
