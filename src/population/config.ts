/**
 * actors.toml, the population's own config: how the actor population is built. Keys and defaults as documented in docs/configuration.md.
 */
import * as z from 'zod';
import { timeZoneProblem } from './timezones.js';
import { ACTIVITY_PATTERNS, HUMAN_ROLES, SERVICE_PROFILES } from './kinds.js';
import { sharesProblem } from './shares.js';
import { IDENTITY_PROVIDERS } from './organisation.js';
import { positiveInt, rate01, seedSchema, uniqueNames, weight, weightedList } from '../util/schema.js';

const timeZoneName = z.string().superRefine((name, ctx) => {
  const problem = timeZoneProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', input: name, message: problem });
});
const accountId = z.string().regex(/^\d{12}$/, { message: 'expected a 12-digit AWS account id such as "123456789012"' });

/** A list that overrides defaults entry by entry must leave a mix (src/population/shares.ts). */
function mergeable<K extends string>(names: readonly K[], list: readonly { name: K; weight: number }[], ctx: z.RefinementCtx): void {
  const problem = sharesProblem(names, list);
  if (problem) ctx.addIssue({ code: 'custom', input: list.map((e) => `${e.name} = ${e.weight}`).join(', '), message: problem });
}

export const actorsConfigSchema = z.strictObject({
  seed: seedSchema.optional(),
  timezone_distribution: weightedList(timeZoneName)
    .superRefine((l, ctx) => uniqueNames(l, ctx, 'time zone'))
    .optional(),
  population: z.strictObject({
    actor_count: positiveInt().max(10_000_000).default(500),
    service_ratio: rate01().default(0.2),
    hot_actor_ratio: rate01().default(0.1),
    hot_actor_multiplier: z.number().min(0).max(1000).default(6.0),
    account_ids: z
      .array(accountId)
      .min(1)
      .superRefine((ids, ctx) => {
        const seen = new Set<string>();
        ids.forEach((id, i) => {
          if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i], input: id, message: 'duplicate account id' });
          seen.add(id);
        });
      })
      .optional(),
    account_count: positiveInt().max(10_000).default(1),
    role_distribution: z
      .array(z.strictObject({ name: z.enum(HUMAN_ROLES), weight: weight() }))
      .min(1)
      .superRefine((l, ctx) => {
        uniqueNames(l, ctx, 'role');
        mergeable(HUMAN_ROLES, l, ctx);
      })
      .optional(),
    role_rates_per_hour: z
      .array(z.strictObject({ name: z.enum(HUMAN_ROLES), rate_per_hour: z.number().min(0).max(1e7) }))
      .superRefine((l, ctx) => uniqueNames(l, ctx, 'role'))
      .optional(),
    service_rate_per_hour: z.number().min(0).max(1e7).default(6.0),
    service_profiles: z
      .array(
        z.strictObject({
          name: z.enum(SERVICE_PROFILES),
          weight: weight(),
          rate_per_hour: z.number().min(0).max(1e7).optional(),
          pattern: z.enum(ACTIVITY_PATTERNS).optional(),
        }),
      )
      .min(1)
      .superRefine((l, ctx) => {
        uniqueNames(l, ctx, 'service profile');
        mergeable(SERVICE_PROFILES, l, ctx);
      })
      .optional(),
    /** The identity provider people sign in to AWS through; unset: the first identity provider source of a run. */
    identity_provider: z.enum(IDENTITY_PROVIDERS).optional(),
    email_domain: z
      .string()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, { message: 'expected a lower-case DNS domain such as "example.com"' })
      .default('example.com'),
  }),
});

export type ActorsConfig = z.output<typeof actorsConfigSchema>;
