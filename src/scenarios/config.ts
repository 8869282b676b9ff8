/**
 * `[scenarios]`: which attack scenarios run, how often, when and against whom. Off unless the table is there and
 * `enabled` is true. Names are checked against the library when the run is planned (errors name the key and list
 * what exists).
 */
import * as z from 'zod';
import { HUMAN_ROLES } from '../population/kinds.js';
import { rfc3339 } from '../util/schema.js';

export const SEASONALITIES = ['any', 'business_hours', 'off_hours', 'maintenance_windows'] as const;

export const scenariosSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** Scenario names (`*` matches any text: `stratus.*`) or ATT&CK technique ids (`T1098` also takes T1098.001). */
    include: z.array(z.string().min(1)).optional(),
    exclude: z.array(z.string().min(1)).default([]),
    /** How many times each scenario runs per simulated day, on average (a Poisson draw per day). */
    per_day: z.number().min(0).max(10_000).default(1),
    /** Per scenario name: its own rate per day (overrides per_day). */
    rates: z.record(z.string(), z.number().min(0).max(10_000)).default({}),
    /** Instances start only inside this span (default: the whole run). */
    window: z.strictObject({ start: rfc3339.optional(), end: rfc3339.optional() }).optional(),
    /** When in the victim's local week instances start (default: each scenario's own). */
    seasonality: z.enum(SEASONALITIES).optional(),
    /** Share of instances that run past their first stage (the rest give up there: a spray that finds nothing). */
    chain_ratio: z.number().min(0).max(1).default(1),
    /** Multiplies the benign look-alike noise (the alert feed's policy hits, scans, admin logons): 0 silences it. */
    noise_ratio: z.number().min(0).max(100).default(1),
    /** Victims: people of these roles, or these actors (by id, e-mail or user name). Default: each scenario's own. */
    victims: z
      .strictObject({
        roles: z.array(z.enum(HUMAN_ROLES)).min(1).optional(),
        actors: z.array(z.string().min(1)).min(1).optional(),
      })
      .optional(),
    /** Where the ground truth goes (default: `labels.jsonl` in the first file output's directory). */
    labels: z.string().min(1).optional(),
  })
  .superRefine((s, ctx) => {
    const w = s.window;
    if (w?.start !== undefined && w.end !== undefined && Date.parse(w.end) <= Date.parse(w.start)) {
      ctx.addIssue({ code: 'custom', path: ['window', 'end'], input: w.end, message: `must be after window.start (${w.start})` });
    }
  });

export type ScenariosConfig = z.output<typeof scenariosSchema>;
