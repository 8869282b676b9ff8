/**
 * Secrets in output configs (passwords, API keys, tokens): written inline, `password = "…"`, or better named by the
 * environment variable that holds them, `password = { env = "KAFKA_PASSWORD" }`. One form for every output.
 */
import * as z from 'zod';
import { UsageError } from '../util/errors.js';

export const secretSchema = z.union([z.string().min(1), z.strictObject({ env: z.string().min(1) })], {
  error: 'expected the secret as a string, or { env = "NAME" } naming the environment variable that holds it',
});
export type Secret = z.output<typeof secretSchema>;

/** The secret's value; `key` names the config key in the error when the variable is not set. */
export function readSecret(secret: Secret, key: string): string {
  if (typeof secret === 'string') return secret;
  const value = process.env[secret.env];
  if (value === undefined || value === '') throw new UsageError(`${key}.env = ${JSON.stringify(secret.env)}: that environment variable is not set`);
  return value;
}
