/** The Microsoft Entra ID sign-in log source plug-in (`type = "entra_signin"`). */
import type { SourcePlugin } from '../source.js';
import { entraSigninConfigSchema, type EntraSigninConfig } from './config.js';
import { ENTRA_APPS, USER_FAILURES } from './data/tenant.js';
import { createEntraRuntime, type EntraRuntime } from './runtime.js';
import { EntraSigninShard } from './signin.js';

export const entraSigninSource: SourcePlugin<EntraSigninConfig, EntraRuntime> = {
  type: 'entra_signin',
  configSchema: entraSigninConfigSchema,
  label: 'entra_signin',
  identityProvider: 'entra',
  createRuntime: (config, _seed, actors) => createEntraRuntime(config.tenant_id, actors),
  createShard: (runtime, ctx) => new EntraSigninShard(runtime, ctx),
  splunkSourcetype: 'azure:monitor:aad',
  catalog: () => [
    ...['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs'].map((c) => `category ${c}`),
    ...ENTRA_APPS.map((a) => `app      ${a.displayName}`),
    ...USER_FAILURES.map((f) => `AADSTS${String(f.code).padEnd(8)} ${f.description}`),
  ],
};
