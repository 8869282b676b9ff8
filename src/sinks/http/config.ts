/**
 * `[[outputs]] type = "http"`: records POSTed in batches to an HTTP API: OpenSearch/Elasticsearch `_bulk`, Splunk's
 * HTTP Event Collector, or any endpoint taking NDJSON or a JSON array.
 */
import * as z from 'zod';
import { int } from '../../util/schema.js';
import { commonOutputKeys } from '../plugin.js';
import { secretSchema } from '../secret.js';
import { tlsSchema } from '../tls.js';

export const HTTP_KINDS = ['opensearch', 'elasticsearch', 'splunk_hec', 'ndjson', 'json'] as const;
export type HttpKind = (typeof HTTP_KINDS)[number];

export const httpOutputSchema = z
  .strictObject({
    type: z.literal('http'),
    ...commonOutputKeys,
    kind: z.enum(HTTP_KINDS),
    /** Base URL of the server, e.g. "https://search.example.com:9200" or "https://splunk:8088". */
    url: z
      .url({ protocol: /^https?$/, message: 'expected an http(s) URL' })
      .refine((u) => !/^https?:\/\/[^/]*@/.test(u), { message: 'credentials do not belong in the URL: use basic_auth, api_key or token (with env)' }),
    /** Path to POST to; default per kind: /_bulk, /services/collector/event, or the URL's own path. */
    path: z.string().startsWith('/').optional(),
    /**
     * Bulk target index; {source}, {yyyy}, {MM} and {dd} (the record's event date, UTC) are replaced.
     * Default "seclog-{source}-{yyyy}.{MM}.{dd}".
     */
    index: z
      .string()
      .regex(/^([a-z0-9._-]|\{source\}|\{yyyy\}|\{MM\}|\{dd\})+$/, { message: 'expected a lowercase index name (letters, digits, ".", "_", "-") with optional {source}, {yyyy}, {MM}, {dd}' })
      .optional(),
    /** Bulk action: "create" (required by data streams; with id_field makes resends idempotent) or "index". */
    action: z.enum(['create', 'index']).default('create'),
    /** Top-level string field used as the document _id, e.g. "eventID": a resent record then never duplicates. */
    id_field: z.string().regex(/^[A-Za-z0-9_@.-]+$/, { message: 'expected a top-level field name' }).optional(),
    /** Splunk HEC metadata. sourcetype default: the Splunk add-on's for the source (the source plug-in says which). */
    splunk: z
      .strictObject({
        index: z.string().min(1).optional(),
        source: z.string().min(1).default('seclog'),
        sourcetype: z.string().min(1).optional(),
        host: z.string().min(1).optional(),
      })
      .optional(),
    /** HTTP basic authentication. */
    basic_auth: z.strictObject({ username: z.string().min(1), password: secretSchema }).optional(),
    /** Elasticsearch/OpenSearch API key ("Authorization: ApiKey …"). */
    api_key: secretSchema.optional(),
    /** Splunk HEC token ("Authorization: Splunk …"). */
    token: secretSchema.optional(),
    /** Extra request headers. */
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string()).optional(),
    compression: z.enum(['gzip', 'none']).default('gzip'),
    /** Record bytes per request (before compression). */
    batch_bytes: int().min(1024).max(100 * 1024 * 1024).default(4 * 1024 * 1024),
    max_in_flight: int().min(1).max(64).default(4),
    request_timeout_ms: int().min(100).max(600_000).default(30_000),
    delivery_timeout_ms: int().min(1000).max(86_400_000).default(120_000),
    tls: tlsSchema.optional(),
  })
  .superRefine((h, ctx) => {
    const bulk = h.kind === 'opensearch' || h.kind === 'elasticsearch';
    const onlyFor = (key: 'index' | 'id_field' | 'splunk' | 'token' | 'api_key', allowed: boolean, kinds: string) => {
      if (h[key] !== undefined && !allowed) ctx.addIssue({ code: 'custom', path: [key], input: h[key], message: `only allowed with kind = ${kinds}` });
    };
    onlyFor('index', bulk, '"opensearch" or "elasticsearch"');
    onlyFor('id_field', bulk, '"opensearch" or "elasticsearch"');
    onlyFor('api_key', bulk, '"opensearch" or "elasticsearch"');
    onlyFor('splunk', h.kind === 'splunk_hec', '"splunk_hec"');
    onlyFor('token', h.kind === 'splunk_hec', '"splunk_hec"');
    if (h.kind === 'splunk_hec' && h.token === undefined) ctx.addIssue({ code: 'custom', path: ['token'], input: undefined, message: 'required with kind = "splunk_hec" (the HEC token)' });
  });

export type HttpOutputConfig = z.output<typeof httpOutputSchema>;
