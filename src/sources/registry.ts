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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SOURCES: readonly SourcePlugin<any, any>[] = [cloudTrailSource, oktaSource, entraSigninSource, entraAuditSource];

export const sourceConfigSchema = z.discriminatedUnion('type', [cloudTrailConfigSchema, oktaConfigSchema, entraSigninConfigSchema, entraAuditConfigSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? `expected source.type to be one of ${SOURCES.map((s) => JSON.stringify(s.type)).join(', ')}` : undefined),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function sourceFor(type: string): SourcePlugin<any, any> {
  const plugin = SOURCES.find((s) => s.type === type);
  if (!plugin) throw new Error(`unknown source type ${type}`);
  return plugin;
}
