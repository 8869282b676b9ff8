/** `type = "okta"` in `[[sources]]`: keys and defaults as docs/okta.md documents them. */
import * as z from 'zod';

export const oktaConfigSchema = z.strictObject({
  type: z.literal('okta'),
  /** The tenant's domain; default `<company>.okta.com` after the population's e-mail domain. */
  domain: z
    .string()
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, { message: 'expected a domain name such as acme.okta.com' })
    .optional(),
});

export type OktaConfig = z.output<typeof oktaConfigSchema>;
