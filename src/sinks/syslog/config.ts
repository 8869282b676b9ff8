/**
 * `[[outputs]] type = "syslog"`: each record as one syslog message, RFC 5424 or RFC 3164, over UDP, TCP (RFC 6587
 * octet counting or newline framing) or TLS (RFC 5425).
 */
import * as z from 'zod';
import { int } from '../../util/schema.js';
import { hostPortSchema } from '../../util/address.js';
import { commonOutputKeys } from '../plugin.js';
import { tlsSchema } from '../tls.js';

export const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
] as const;
export const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

const printable = (max: number) => z.string().regex(new RegExp(`^[\\x21-\\x7e]{1,${max}}$`), { message: `expected 1-${max} printable ASCII characters without spaces` });

export const syslogOutputSchema = z
  .strictObject({
    type: z.literal('syslog'),
    ...commonOutputKeys,
    address: hostPortSchema,
    protocol: z.enum(['udp', 'tcp', 'tls']).default('tcp'),
    format: z.enum(['rfc5424', 'rfc3164']).default('rfc5424'),
    /** TCP/TLS framing: RFC 6587 octet counting (the RFC 5425 standard), or a newline after each message. */
    framing: z.enum(['octet_counting', 'newline']).default('octet_counting'),
    facility: z.enum(FACILITIES).default('local0'),
    severity: z.enum(SEVERITIES).default('info'),
    /** Default: the machine's host name. */
    hostname: printable(255).optional(),
    /** APP-NAME (RFC 5424) or TAG (RFC 3164); default: the source label, e.g. "cloudtrail". */
    app_name: printable(48).optional(),
    /** RFC 5424 MSGID; default: "-" (none). */
    msgid: printable(32).optional(),
    /** Messages longer than this are refused by many receivers; longer records fail the run instead of being cut. */
    max_message_bytes: int().min(480).max(1_048_576).default(65_536),
    /** Record bytes per write. */
    batch_bytes: int().min(1024).max(64 * 1024 * 1024).default(256 * 1024),
    delivery_timeout_ms: int().min(1000).max(86_400_000).default(120_000),
    tls: tlsSchema.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.tls !== undefined && s.protocol !== 'tls') ctx.addIssue({ code: 'custom', path: ['tls'], input: s.tls, message: 'only allowed with protocol = "tls"' });
    if (s.protocol === 'udp' && s.max_message_bytes > 65_507) {
      ctx.addIssue({ code: 'custom', path: ['max_message_bytes'], input: s.max_message_bytes, message: 'expected at most 65507 with protocol = "udp" (the largest UDP payload)' });
    }
  });

export type SyslogOutputConfig = z.output<typeof syslogOutputSchema>;
