/**
 * Rule documents from YAML: the files of rule folders (`rules/` shipped with seclog, or the config's
 * `[rules] paths`), or one text from the API. Each YAML document is one rule with its own text: Sigma detection and
 * correlation rules (sigma/parse.ts), or seclog's threshold and process rules (a `seclog:` key, thresholds.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseSigma } from './sigma/parse.js';
import type { RuleMeta } from './store.js';
import { parseSeclogRule, RuleError, type SeclogRule } from './thresholds.js';
import type { SigmaDocument } from './types.js';

export type AnyRule = SigmaDocument | SeclogRule;

export interface LoadedRule {
  readonly rule: AnyRule;
  readonly meta: RuleMeta;
  /** The document's own YAML text. */
  readonly yaml: string;
}

function metaOf(rule: AnyRule): RuleMeta {
  return { id: rule.id, title: rule.title, kind: rule.kind, level: rule.level, tags: rule.tags };
}

/**
 * A rule folder's defaults (`seclog: defaults` documents): rules that load disabled, each with the reason (a rule
 * that fires on every federated sign-in is worth having, not worth running unless someone tunes it).
 */
export interface RuleDefaults {
  readonly disabled: ReadonlyMap<string, string>;
}

function parseDefaults(doc: Record<string, unknown>, origin: string, into: Map<string, string>): void {
  for (const k of Object.keys(doc)) if (k !== 'seclog' && k !== 'disabled') throw new RuleError(`${origin}: defaults: ${k}: unknown key (allowed: disabled)`);
  const list = doc.disabled;
  if (!Array.isArray(list)) throw new RuleError(`${origin}: defaults: disabled: expected a list of { id, reason }`);
  for (const [i, item] of list.entries()) {
    const { id, reason } = (item ?? {}) as { id?: unknown; reason?: unknown };
    if (typeof id !== 'string' || typeof reason !== 'string' || reason.trim() === '') throw new RuleError(`${origin}: defaults: disabled[${i}]: expected { id, reason } with both as text`);
    into.set(id, reason);
  }
}

/** Every document of a YAML text as a rule; throws RuleError or SigmaError (one line naming origin, rule and key). */
export function parseRules(text: string, origin: string, defaults?: Map<string, string>): LoadedRule[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new RuleError(`${origin}: not YAML documents`);
  const out: LoadedRule[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new RuleError(`${origin}: YAML: ${doc.errors[0].message.split('\n')[0]}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const range = doc.range;
    const yaml = docs.length === 1 ? text : text.slice(range[0], range[2]);
    if (typeof value === 'object' && !Array.isArray(value) && (value as { seclog?: unknown }).seclog === 'defaults') {
      if (defaults === undefined) throw new RuleError(`${origin}: seclog: defaults belong in a rule folder, not in one rule`);
      parseDefaults(value as Record<string, unknown>, origin, defaults);
      continue;
    }
    if (typeof value === 'object' && !Array.isArray(value) && 'seclog' in value) {
      const rule = parseSeclogRule(value as Record<string, unknown>, origin);
      out.push({ rule, meta: metaOf(rule), yaml });
      continue;
    }
    for (const rule of parseSigma(yaml, origin)) out.push({ rule, meta: metaOf(rule), yaml });
  }
  return out;
}

/** The `.yml`/`.yaml` files under a folder (or the file itself), sorted. */
function ruleFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, entry.name);
    if (entry.isDirectory()) out.push(...ruleFiles(p));
    else if (/\.ya?ml$/.test(entry.name)) out.push(p);
  }
  return out.sort();
}

/**
 * The rules of these folders, each with its origin (`builtin:<path relative to base>`) and whether it loads enabled
 * (not when a `seclog: defaults` document disables it). Duplicate ids are an error; so is disabling an unknown id.
 */
export function loadRuleFolders(paths: readonly string[], base: string): { rule: LoadedRule; origin: string; enabled: boolean }[] {
  const out: { rule: LoadedRule; origin: string; enabled: boolean }[] = [];
  const seen = new Map<string, string>();
  const disabled = new Map<string, string>();
  for (const folder of paths) {
    for (const file of ruleFiles(folder)) {
      const origin = relative(base, file) || file;
      for (const rule of parseRules(readFileSync(file, 'utf8'), origin, disabled)) {
        const before = seen.get(rule.meta.id);
        if (before !== undefined) throw new RuleError(`${origin}: rule ${rule.meta.id}: id already used by ${before}`);
        seen.set(rule.meta.id, origin);
        out.push({ rule, origin: `builtin:${origin}`, enabled: true });
      }
    }
  }
  const unknown = [...disabled.keys()].filter((id) => !seen.has(id));
  if (unknown.length > 0) throw new RuleError(`defaults: disabled: no rule has id ${unknown.join(', ')}`);
  return out.map((r) => ({ ...r, enabled: !disabled.has(r.rule.meta.id) }));
}

