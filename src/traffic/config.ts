/**
 * `[traffic]`: the simulated clock (start, time scale) and the shape of traffic (realistic or constant, bursts).
 */
import * as z from 'zod';
import { rfc3339 } from '../util/schema.js';

export const TRAFFIC_MODES = ['realistic', 'constant'] as const;
export const trafficSchema = z
  .strictObject({
    start_time: rfc3339.optional(),
    time_scale: z.number({ error: 'expected a number from 0 (as fast as possible) to 1000000000 (1 = real time)' }).min(0).max(1e9).default(1.0),
    mode: z.enum(TRAFFIC_MODES).default('realistic'),
    events_per_second: z.number().gt(0).max(1e9).optional(),
    bytes_per_second: z.number().gt(0).max(1e12).optional(),
    /** Realistic mode: the records of every simulated UTC day, within 2 % (rates scaled hour by hour). */
    events_per_day: z.number().gt(0).max(1e13).optional(),
    bursts: z
      .strictObject({
        rate_per_day: z.number().min(0).max(1000).default(1),
        multiplier: z.number().min(1).max(1000).default(8),
        duration_minutes: z.number().gt(0).max(1440).default(20),
      })
      .optional(),
  })
  .superRefine((t, ctx) => {
    if (t.mode === 'constant') {
      const given = Number(t.events_per_second !== undefined) + Number(t.bytes_per_second !== undefined);
      if (given !== 1) {
        ctx.addIssue({ code: 'custom', path: ['mode'], input: t.mode, message: 'constant mode needs exactly one of traffic.events_per_second or traffic.bytes_per_second' });
      }
      if (t.events_per_day !== undefined) ctx.addIssue({ code: 'custom', path: ['events_per_day'], input: t.events_per_day, message: 'only allowed with traffic.mode = "realistic" (constant mode takes events_per_second or bytes_per_second)' });
      if (t.bursts) ctx.addIssue({ code: 'custom', path: ['bursts'], input: t.bursts, message: 'bursts apply to realistic mode only; remove them or set mode = "realistic"' });
    } else {
      for (const key of ['events_per_second', 'bytes_per_second'] as const) {
        if (t[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], input: t[key], message: 'only allowed with traffic.mode = "constant"' });
      }
    }
  });

export type TrafficConfig = z.output<typeof trafficSchema>;
