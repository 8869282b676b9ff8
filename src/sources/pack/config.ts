/** `type = "pack"` in `[[sources]]`: a pack by built-in name or folder path, and its parameters (docs/packs.md). */
import * as z from 'zod';

export const packConfigSchema = z.strictObject({
  type: z.literal('pack'),
  /** A built-in pack's name (`seclog pack list`), or the path of a pack folder. */
  pack: z.string().min(1),
  /** Values for the pack's parameters (its manifest's `[params]`), overriding their defaults. */
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** In a run with other sources: share of an actor's activity ticks that write an event (default: the pack's). */
  share: z.number().min(0).max(20).optional(),
  /** Multiplies the pack's rate (its share beside other sources and alone); `[scenarios] noise_ratio` sets it for noise packs. */
  scale: z.number().min(0).max(100).optional(),
});

export type PackConfig = z.output<typeof packConfigSchema>;
