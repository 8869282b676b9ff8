/**
 * `type = "cloudtrail"` in `[[sources]]` (or the single `[source]` table): keys and defaults as docs/configuration.md
 * documents them.
 */
import * as z from 'zod';
import { rate01, uniqueNames, weight } from '../../util/schema.js';
import { CATALOG_BY_NAME } from './catalog/index.js';
import { AWS_REGION_NAMES } from './data/regions.js';

const regionName = z.string().refine((r) => AWS_REGION_NAMES.includes(r), {
  message: `expected an AWS region of the aws partition, such as "us-east-1" (known: ${AWS_REGION_NAMES.join(', ')})`,
});
const eventName = z.string().refine((n) => CATALOG_BY_NAME.has(n), {
  message: 'expected a CloudTrail event name from the catalog (`seclog catalog` lists them)',
});

export const cloudTrailConfigSchema = z
  .strictObject({
    type: z.literal('cloudtrail'),
    curated: z.boolean().default(true),
    /** The population file in the single-`[source]` form (`[population] path` in the `[[sources]]` form). */
    actor_population_path: z.string().min(1).optional(),
    regions: z
      .array(regionName)
      .min(1)
      .refine((l) => new Set(l).size === l.length, { message: 'expected each region once' })
      .optional(),
    region_distribution: z
      .array(z.strictObject({ name: regionName, weight: weight() }))
      .min(1)
      .superRefine((l, ctx) => uniqueNames(l, ctx, 'region'))
      .refine((l) => l.some((r) => r.weight > 0), { message: 'expected at least one region with weight > 0' })
      .optional(),
    custom_events: z
      .array(z.strictObject({ name: eventName, weight: weight() }))
      .min(1)
      .superRefine((l, ctx) => uniqueNames(l, ctx, 'event'))
      .optional(),
    error_rates: z
      .array(z.strictObject({ name: eventName, rate: rate01(), code: z.string().min(1).optional(), message: z.string().min(1).optional() }))
      .superRefine((l, ctx) => uniqueNames(l, ctx, 'event'))
      .optional(),
  })
  .superRefine((s, ctx) => {
    if (s.regions && s.region_distribution) {
      s.region_distribution.forEach((r, i) => {
        if (!s.regions!.includes(r.name)) ctx.addIssue({ code: 'custom', path: ['region_distribution', i, 'name'], input: r.name, message: `expected one of source.regions (${s.regions!.join(', ')})` });
      });
    }
    if (!s.curated && !s.custom_events) {
      ctx.addIssue({ code: 'custom', path: ['curated'], input: false, message: 'with curated = false, source.custom_events must list the events to generate' });
    }
    if (!s.curated && s.custom_events && !s.custom_events.some((e) => e.weight > 0)) {
      ctx.addIssue({ code: 'custom', path: ['custom_events'], input: s.custom_events, message: 'with curated = false, at least one custom event needs weight > 0' });
    }
  });

export type CloudTrailConfig = z.output<typeof cloudTrailConfigSchema>;
