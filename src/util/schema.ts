/**
 * Small zod helpers every config schema shares (the population's, the sources' and the outputs' own): weights,
 * rates, integers, weighted lists, unique names, seeds. Messages say what is allowed; src/config/validate.ts turns
 * them into one line per problem.
 */
import * as z from 'zod';

export const weight = () => z.number({ error: 'expected a number >= 0' }).min(0).finite();
export const rate01 = () => z.number().min(0).max(1);
export const int = () => z.int({ error: 'expected an integer' });
export const positiveInt = () => int().min(1);

/** A `{ name, weight }` list whose weights must not all be zero. */
export function weightedList<T extends z.ZodType<string>>(name: T) {
  return z
    .array(z.strictObject({ name, weight: weight() }))
    .min(1)
    .refine((list) => list.some((e) => e.weight > 0), { message: 'expected at least one entry with weight > 0' });
}

/** Rejects a list where the same `name` appears twice (the second would silently win otherwise). */
export function uniqueNames<T extends { name: string }>(list: readonly T[], ctx: z.RefinementCtx, what: string): void {
  const seen = new Map<string, number>();
  list.forEach((entry, i) => {
    const first = seen.get(entry.name);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: [i, 'name'], input: entry.name, message: `duplicate ${what}: already given at index ${first}` });
    } else seen.set(entry.name, i);
  });
}

export const seedSchema = z.union([z.int(), z.bigint()], { error: 'expected an integer seed' });

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
/** An RFC 3339 time (a TOML date-time arrives as its ISO string). */
export const rfc3339 = z
  .string()
  .refine((s) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)), { message: 'expected an RFC 3339 time such as "2025-12-01T00:00:00Z"' });

