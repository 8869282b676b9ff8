/** The Microsoft Entra ID source plug-ins: sign-in logs (`type = "entra_signin"`) and audit logs (`type = "entra_audit"`). */
import type { SourcePlugin } from '../source.js';
import { entraAuditConfigSchema, entraSigninConfigSchema, type EntraAuditConfig, type EntraSigninConfig } from './config.js';
import { AUDIT_ACTIVITIES } from './data/audit.js';
import { EntraAuditShard } from './audit.js';
import { ENTRA_APPS, USER_FAILURES } from './data/tenant.js';
import { createEntraRuntime, type EntraRuntime } from './runtime.js';
import { EntraSigninShard, SIGNIN_CATEGORIES } from './signin.js';
import { ENTRA_DELIVERY, ENTRA_DELIVERY_DELAY, ENTRA_EVENT_HUB } from './delivery.js';
import { ENTRA_VALIDATION } from './validation.js';

export const entraSigninSource: SourcePlugin<EntraSigninConfig, EntraRuntime> = {
  type: 'entra_signin',
  configSchema: entraSigninConfigSchema,
  label: 'entra_signin',
  deliveryDelay: ENTRA_DELIVERY_DELAY,
  identityProvider: 'entra',
  createRuntime: (config, _seed, actors) => createEntraRuntime(config.tenant_id, actors, { adfs: config.adfs }),
  createShard: (runtime, ctx) => new EntraSigninShard(runtime, ctx),
  delivery: ENTRA_DELIVERY,
  messageBatch: ENTRA_EVENT_HUB,
  splunkSourcetype: 'azure:monitor:aad',
  validation: ENTRA_VALIDATION,
  demo: { type: 'entra_signin' },
  scenarioEvents: ['spray_attempt', 'mfa_push_denied', 'mfa_push_accepted', 'sso'],
  recordId: (text) => /"properties":\{"id":"([^"]+)"/.exec(text)?.[1] ?? '',
  catalog: () => [
    ...SIGNIN_CATEGORIES.map((c) => `category ${c}`),
    ...ENTRA_APPS.map((a) => `app      ${a.displayName}`),
    ...USER_FAILURES.map((f) => `AADSTS${String(f.code).padEnd(8)} ${f.description}`),
  ],
};

export const entraAuditSource: SourcePlugin<EntraAuditConfig, EntraRuntime> = {
  type: 'entra_audit',
  configSchema: entraAuditConfigSchema,
  label: 'entra_audit',
  deliveryDelay: ENTRA_DELIVERY_DELAY,
  createRuntime: (config, _seed, actors) => createEntraRuntime(config.tenant_id, actors),
  createShard: (runtime, ctx) => new EntraAuditShard(runtime, ctx),
  delivery: ENTRA_DELIVERY,
  messageBatch: ENTRA_EVENT_HUB,
  splunkSourcetype: 'azure:monitor:aad',
  demo: { type: 'entra_audit' },
  catalog: () => AUDIT_ACTIVITIES.map((a) => `${a.name.padEnd(60)} ${a.category.padEnd(22)} ${a.operationType.padEnd(9)} ${a.initiator}`),
};
