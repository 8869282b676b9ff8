/**
 * Every source plug-in, by `[source] type`. A source is a folder under src/sources/ exporting a SourcePlugin and
 * its config schema; listing it here is the only edit outside its folder.
 */
import * as z from 'zod';
import { cloudTrailSource } from './cloudtrail/index.js';
import { cloudTrailConfigSchema } from './cloudtrail/config.js';
import { oktaSource } from './okta/index.js';
import { entraAuditSource, entraSigninSource } from './entra/index.js';
import { entraAuditConfigSchema, entraSigninConfigSchema } from './entra/config.js';
import { oktaConfigSchema } from './okta/config.js';
import type { SourcePlugin } from './source.js';
import { packConfigSchema, packPlugin } from './pack/index.js';
import { builtInPacks } from './pack/manifest.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SOURCES: readonly SourcePlugin<any, any>[] = [cloudTrailSource, oktaSource, entraSigninSource, entraAuditSource];

/** A built-in pack is also a source type of its own: its name with `_` for `-` (`type = "windows_security"`). */
function packTypes(): string[] {
  return builtInPacks().map((n) => n.replaceAll('-', '_'));
}

/** `{ type = "<built-in pack>", … }` read as `{ type = "pack", pack = "<its name>", … }`. */
function asPackEntry(entry: unknown): unknown {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return entry;
  const { type, ...rest } = entry as Record<string, unknown>;
  if (typeof type !== 'string' || type === 'pack' || SOURCES.some((s) => s.type === type) || !packTypes().includes(type)) return entry;
  return { type: 'pack', pack: type.replaceAll('_', '-'), ...rest };
}

export const sourceConfigSchema = z.preprocess(
  asPackEntry,
  z.discriminatedUnion('type', [cloudTrailConfigSchema, oktaConfigSchema, entraSigninConfigSchema, entraAuditConfigSchema, packConfigSchema], {
    error: (issue) => (issue.code === 'invalid_union' ? `expected source.type to be one of ${[...SOURCES.map((s) => s.type), ...packTypes(), 'pack'].map((t) => JSON.stringify(t)).join(', ')}` : undefined),
  }),
);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function sourceFor(type: string): SourcePlugin<any, any> {
  const plugin = SOURCES.find((s) => s.type === type);
  if (!plugin) throw new Error(`unknown source type ${type}`);
  return plugin;
}

/** The plug-in of a config's source entry: a built-in source by type, or the pack a `type = "pack"` entry names. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function pluginFor(entry: z.output<typeof sourceConfigSchema>): SourcePlugin<any, any> {
  return entry.type === 'pack' ? packPlugin(entry) : sourceFor(entry.type);
}

/** How a run tells its sources apart (a type at most once; packs by the pack they name). */
export function sourceKey(entry: z.output<typeof sourceConfigSchema>): string {
  return entry.type === 'pack' ? `pack ${entry.pack}` : entry.type;
}
