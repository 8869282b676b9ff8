/**
 * `seclog siem --config siem.toml`: the service's one validated config (docs/siem.md explains every key). Paths are
 * relative to the config file's folder.
 */
import { dirname, resolve } from 'node:path';
import * as z from 'zod';
import { hostPortSchema } from '../util/address.js';
import { readConfigFile } from '../util/config-file.js';
import { int } from '../util/schema.js';
import { validate } from '../util/validate.js';
import { notifyConfigSchema } from './alerts/notify.js';

export const ROLES = ['admin', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const days = () => int().min(1).max(36_500);

export const siemConfigSchema = z.strictObject({
  /** Address the API listens on. */
  listen: hostPortSchema.default('127.0.0.1:8080'),
  /** PostgreSQL URL; absent: the embedded PostgreSQL in `data_dir`. */
  database: z.string().regex(/^postgres(ql)?:\/\//, { message: 'expected a postgres:// URL' }).optional(),
  /** Folder of the embedded database. */
  data_dir: z.string().min(1).default('./siem-data'),
  /** Connections the service opens to a PostgreSQL server. */
  database_pool: int().min(2).max(100).default(8),
  kafka: z
    .strictObject({
      brokers: z.array(hostPortSchema).min(1),
      /** Regular expression over topic names; topics created later are picked up within `refresh_ms`. */
      topics: z
        .string()
        .min(1)
        .refine(
          (s) => {
            try {
              new RegExp(s);
              return true;
            } catch {
              return false;
            }
          },
          { message: 'expected a regular expression' },
        )
        .default('seclog-.*'),
      /** A topic's source is its name without this prefix (`seclog-cloudtrail` → cloudtrail). */
      topic_prefix: z.string().default('seclog-'),
      group: z.string().min(1).default('seclog-siem'),
      client_id: z.string().min(1).default('seclog-siem'),
      refresh_ms: int().min(500).max(10_000).default(5_000),
      session_timeout_ms: int().min(6_000).max(300_000).default(10_000),
    })
    .optional(),
  ingest: z
    .strictObject({
      /** Records per database transaction, at most. */
      batch_records: int().min(1).max(200_000).default(50_000),
      /** A batch is written at the latest this long after its first record. */
      batch_ms: int().min(10).max(60_000).default(500),
      /** Batches written at once, each in its own transaction and connection (the embedded database takes turns). */
      writers: int().min(1).max(16).default(4),
    })
    .prefault({}),
  auth: z
    .strictObject({
      /** Which credentials the API accepts: bearer tokens from /api/v1/auth/token, HTTP Basic, or both. */
      mode: z.enum(['jwt', 'basic', 'both']).default('both'),
      /** HMAC key of the tokens (32+ characters); absent: one generated and kept in the database, shared by instances. */
      jwt_secret: z.string().min(32, { message: 'expected at least 32 characters' }).optional(),
      token_ttl_minutes: int().min(1).max(7 * 24 * 60).default(60),
      /** The admin user's password when SECLOG_SIEM_ADMIN_PASSWORD is not set. */
      admin_password: z.string().min(12, { message: 'expected at least 12 characters' }).optional(),
      /** Sign-in attempts per client address and minute. */
      sign_in_per_minute: int().min(1).max(10_000).default(10),
    })
    .prefault({}),
  retention: z
    .strictObject({
      logs_days: days().optional(),
      process_logs_days: days().optional(),
      host_metrics_days: days().optional(),
      audit_days: days().optional(),
      /** How often retention runs. */
      interval_minutes: int().min(1).max(24 * 60).default(60),
    })
    .prefault({}),
  enrich: z
    .strictObject({
      /** JSON Lines of hosts (`seclog actors --inventory`). */
      inventory: z.string().min(1).optional(),
      /** JSON Lines of people and the account names they appear under (`seclog actors --directory`). */
      directory: z.string().min(1).optional(),
    })
    .prefault({}),
  rules: z
    .strictObject({
      /** Folders (or files) of rule YAML loaded on start; absent: the rules shipped with seclog (`rules/`). */
      paths: z.array(z.string().min(1)).min(1).optional(),
      /** Whether a rule loaded for the first time from `paths` starts enabled. */
      enable_new: z.boolean().default(true),
      /** Hits of one rule and group within this long of an alert's last hit join that alert. */
      dedup_minutes: int().min(1).max(7 * 24 * 60).default(60),
      /** How often an instance looks for rule changes made through the API (by any instance). */
      reload_ms: int().min(200).max(60_000).default(2_000),
    })
    .prefault({}),
  notify: notifyConfigSchema.optional(),
});

export type SiemConfig = z.output<typeof siemConfigSchema>;

/** Reads and validates a config file; relative paths become relative to its folder. */
export function loadSiemConfig(file: string): SiemConfig {
  const config = validate(siemConfigSchema, readConfigFile(file), file);
  const base = dirname(resolve(file));
  return {
    ...config,
    data_dir: resolve(base, config.data_dir),
    enrich: {
      inventory: config.enrich.inventory === undefined ? undefined : resolve(base, config.enrich.inventory),
      directory: config.enrich.directory === undefined ? undefined : resolve(base, config.enrich.directory),
    },
    rules: { ...config.rules, paths: config.rules.paths?.map((p) => resolve(base, p)) },
  };
}
