/** `host:port` addresses: network outputs (Kafka brokers, syslog receivers) and the SIEM (its listen address, brokers). */
import * as z from 'zod';

export const hostPortSchema = z
  .string()
  .regex(/^[^\s:]+:\d{1,5}$/, { message: 'expected "host:port"' })
  .refine((a) => Number(a.slice(a.lastIndexOf(':') + 1)) <= 65535, { message: 'expected a port from 1 to 65535' });

export function splitHostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}
