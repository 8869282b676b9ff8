/**
 * Rules in the database: each row one rule document (Sigma detection or correlation, or a seclog threshold or
 * process rule) as the YAML it was written in, enabled or not. The built-in rules (the `rules/` folder shipped with
 * seclog, or the folders the config names) are loaded on start; a built-in rule someone changed through the API is
 * left as they made it. Every change bumps `rules_version` in `settings`, which every instance polls to recompile.
 */
import { likeText, type Queryable, type Row } from '../store/database.js';

export const RULE_KINDS = ['detection', 'correlation', 'threshold', 'process'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export interface RuleRow {
  id: string;
  title: string;
  kind: RuleKind;
  level: string;
  tags: string[];
  enabled: boolean;
  yaml: string;
  /** `builtin:<path>` or `api`. */
  origin: string;
  /** A built-in rule changed through the API (not replaced by the built-in file on start). */
  edited: boolean;
  updated_at: string;
  updated_by: string | null;
}

/** What a rule's YAML says about itself (the loader parses it). */
export interface RuleMeta {
  id: string;
  title: string;
  kind: RuleKind;
  level: string;
  tags: readonly string[];
}

const COLUMNS = `id, title, kind, level, tags, enabled, yaml, origin, edited, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at, updated_by`;

export async function listRules(db: Queryable, filters: { enabled?: boolean; kind?: RuleKind; q?: string } = {}): Promise<RuleRow[]> {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filters.enabled !== undefined) clauses.push(`enabled = $${params.push(filters.enabled)}`);
  if (filters.kind !== undefined) clauses.push(`kind = $${params.push(filters.kind)}`);
  if (filters.q !== undefined) clauses.push(`(title ILIKE $${params.push(likeText(filters.q))} OR id = $${params.push(filters.q)})`);
  const where = clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
  return (await db.query<RuleRow & Row>(`SELECT ${COLUMNS} FROM rules ${where} ORDER BY title, id`, params)) as RuleRow[];
}

export async function getRule(db: Queryable, id: string): Promise<RuleRow | null> {
  const [row] = await db.query<RuleRow & Row>(`SELECT ${COLUMNS} FROM rules WHERE id = $1`, [id]);
  return row ?? null;
}

async function bump(db: Queryable): Promise<void> {
  await db.query(`INSERT INTO settings (key, value) VALUES ('rules_version', '1') ON CONFLICT (key) DO UPDATE SET value = (settings.value::bigint + 1)::text`);
}

export async function rulesVersion(db: Queryable): Promise<string> {
  const [row] = await db.query<{ value: string }>(`SELECT value FROM settings WHERE key = 'rules_version'`);
  return row?.value ?? '0';
}

/** Creates or replaces a rule written through the API; returns whether it was created. */
export async function putRule(db: Queryable, meta: RuleMeta, yaml: string, enabled: boolean, actor: string): Promise<'created' | 'updated'> {
  const [row] = await db.query<{ created: boolean }>(
    `INSERT INTO rules (id, title, kind, level, tags, enabled, yaml, origin, edited, updated_by) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, 'api', false, $8)
     ON CONFLICT (id) DO UPDATE SET title = excluded.title, kind = excluded.kind, level = excluded.level, tags = excluded.tags, enabled = excluded.enabled,
       yaml = excluded.yaml, edited = rules.origin <> 'api', updated_at = now(), updated_by = excluded.updated_by
     RETURNING (xmax = 0) AS created`,
    [meta.id, meta.title, meta.kind, meta.level, JSON.stringify(meta.tags), enabled, yaml, actor],
  );
  await bump(db);
  return row.created ? 'created' : 'updated';
}

export async function setRuleEnabled(db: Queryable, id: string, enabled: boolean, actor: string): Promise<RuleRow | null> {
  const [row] = await db.query<RuleRow & Row>(`UPDATE rules SET enabled = $2, updated_at = now(), updated_by = $3 WHERE id = $1 RETURNING ${COLUMNS}`, [id, enabled, actor]);
  if (row !== undefined) await bump(db);
  return row ?? null;
}

export async function deleteRule(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.query(`DELETE FROM rules WHERE id = $1 RETURNING 1`, [id]);
  if (rows.length > 0) await bump(db);
  return rows.length > 0;
}

/**
 * Loads the built-in rules: new ones are added (enabled as `enabled` says), unedited ones take the file's current
 * text, edited ones and their enabled state are left alone. Returns how many rows changed.
 */
export async function seedRules(db: Queryable, rules: readonly { meta: RuleMeta; yaml: string; origin: string; enabled: boolean }[]): Promise<number> {
  let changed = 0;
  for (const r of rules) {
    const rows = await db.query(
      `INSERT INTO rules (id, title, kind, level, tags, enabled, yaml, origin) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, kind = excluded.kind, level = excluded.level, tags = excluded.tags, yaml = excluded.yaml, origin = excluded.origin, updated_at = now()
       WHERE NOT rules.edited AND rules.origin <> 'api' AND rules.yaml <> excluded.yaml
       RETURNING 1`,
      [r.meta.id, r.meta.title, r.meta.kind, r.meta.level, JSON.stringify(r.meta.tags), r.enabled, r.yaml, r.origin],
    );
    changed += rows.length;
  }
  if (changed > 0) await bump(db);
  return changed;
}
