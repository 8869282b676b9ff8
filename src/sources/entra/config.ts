/** `type = "entra_signin"` in `[[sources]]`: keys and defaults as docs/entra.md documents them. */
import * as z from 'zod';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { message: 'expected a tenant id (a lower-case GUID)' });

export const entraSigninConfigSchema = z.strictObject({
  type: z.literal('entra_signin'),
  /** The tenant's id; default: derived from the population's e-mail domain. */
  tenant_id: guid.optional(),
  /**
   * The organisation federates with on-premises AD FS: people's sign-ins to the apps AD FS serves appear as
   * ADFSSignInLogs (AD FS Connect Health).
   */
  adfs: z.boolean().default(false),
});

export type EntraSigninConfig = z.output<typeof entraSigninConfigSchema>;

/** `type = "entra_audit"`: the directory's audit log, on the same tenant. */
export const entraAuditConfigSchema = z.strictObject({
  type: z.literal('entra_audit'),
  /** The tenant's id; default: derived from the population's e-mail domain (the same as entra_signin's). */
  tenant_id: guid.optional(),
});

export type EntraAuditConfig = z.output<typeof entraAuditConfigSchema>;
