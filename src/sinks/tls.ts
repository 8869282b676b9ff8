/**
 * TLS options shared by network outputs: `tls = true` (system CAs) or a table naming PEM files.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import * as z from 'zod';
import { UsageError } from '../util/errors.js';

export const tlsSchema = z.union([
  z.boolean(),
  z.strictObject({
    /** PEM file of the CA(s) that signed the server's certificate (default: the system's). */
    ca_file: z.string().min(1).optional(),
    /** Client certificate and key (PEM), for servers that require them. */
    cert_file: z.string().min(1).optional(),
    key_file: z.string().min(1).optional(),
    /** Name to verify the server certificate against (default: the host connected to). */
    server_name: z.string().min(1).optional(),
    /** Accept any server certificate. For tests only. */
    insecure_skip_verify: z.boolean().default(false),
  }),
]);
export type TlsConfig = z.output<typeof tlsSchema>;

function readPem(path: string, key: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(`${key} = ${JSON.stringify(path)}: cannot read the file (${(err as Error).message})`);
  }
}

/** Node TLS options for a config value, or undefined when TLS is off. `key` names the config key in errors. */
export function tlsOptions(tls: TlsConfig | undefined, key: string): ConnectionOptions | undefined {
  if (tls === undefined || tls === false) return undefined;
  if (tls === true) return {};
  if ((tls.cert_file === undefined) !== (tls.key_file === undefined)) throw new UsageError(`${key}: cert_file and key_file go together`);
  return {
    ca: tls.ca_file !== undefined ? readPem(tls.ca_file, `${key}.ca_file`) : undefined,
    cert: tls.cert_file !== undefined ? readPem(tls.cert_file, `${key}.cert_file`) : undefined,
    key: tls.key_file !== undefined ? readPem(tls.key_file, `${key}.key_file`) : undefined,
    servername: tls.server_name,
    rejectUnauthorized: !tls.insecure_skip_verify,
  };
}

/** A server certificate that cannot be verified does not heal by retrying: such errors fail the run at once. */
export function isCertificateError(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME/.test(code)) return true;
    if (/self[- ]signed certificate|unable to verify|certificate has expired|Hostname\/IP does not match/i.test(e.message)) return true;
    const nested = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(nested) && nested.some(isCertificateError)) return true;
  }
  return false;
}
