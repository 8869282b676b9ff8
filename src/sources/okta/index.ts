/** The Okta System Log source plug-in. */
import type { SourcePlugin } from '../source.js';
import { OKTA_EVENTS } from './catalog.js';
import { OKTA_DELIVERY_DELAY } from './delivery.js';
import { oktaConfigSchema, type OktaConfig } from './config.js';
import { createOktaRuntime, type OktaRuntime } from './runtime.js';
import { OktaShard } from './shard.js';
import { OKTA_VALIDATION } from './validation.js';
import { oktaParquet, oktaSchemaMarkdown } from './parquet.js';

export const oktaSource: SourcePlugin<OktaConfig, OktaRuntime> = {
  type: 'okta',
  configSchema: oktaConfigSchema,
  label: 'okta',
  deliveryDelay: OKTA_DELIVERY_DELAY,
  identityProvider: 'okta',
  scenarioEvents: ['spray_attempt', 'password_accepted', 'mfa_push_denied', 'mfa_push_accepted', 'sso'],
  recordId: (text) => /"uuid":"([^"]+)"/.exec(text)?.[1] ?? '',
  createRuntime: (config, _seed, actors) => createOktaRuntime(config, actors),
  createShard: (runtime, ctx) => new OktaShard(runtime, ctx),
  parquet: oktaParquet,
  schemaMarkdown: oktaSchemaMarkdown,
  splunkSourcetype: 'OktaIM2:log',
  catalog: () => OKTA_EVENTS.map((e) => `${e.eventType.padEnd(52)} ${e.severity.padEnd(5)}  ${e.use.padEnd(8)} ${e.message}`),
  validation: OKTA_VALIDATION,
  demo: { type: 'okta' },
};
