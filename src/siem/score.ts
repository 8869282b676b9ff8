/**
 * Scoring the service's alerts against a generator run's ground truth (`labels.jsonl`: one line per attack record,
 * with its source, id, scenario instance, step and ATT&CK technique). The join is on (source, record id): an alert
 * is a true positive when one of its evidence records is labelled.
 *
 * - precision: true-positive alerts / alerts (overall, per rule, per technique the rule is tagged with);
 * - recall: detected / all, where the unit is a scenario instance's technique (an instance of a scenario that uses
 *   T1110.001 and T1053.003 counts twice), detected when an alert's evidence holds one of its labelled records.
 *
 * A technique tag matches its sub-techniques (`attack.t1110` tags count for T1110.001).
 */
import type { Queryable, Row } from './store/database.js';

export interface Label {
  readonly source: string;
  readonly id: string;
  readonly scenario: string;
  readonly instance: string;
  readonly technique: string;
}

export interface ScoredAlert {
  readonly id: string;
  readonly rule_id: string;
  readonly rule_title: string;
  readonly tags: readonly string[];
  readonly evidence: readonly { source: string; record_id: string }[];
}

export interface Ratio {
  readonly hit: number;
  readonly of: number;
  /** hit / of, or null when `of` is 0. */
  readonly value: number | null;
}

export interface ScoreReport {
  readonly alerts: number;
  readonly precision: Ratio;
  readonly recall: Ratio;
  readonly techniques: readonly { technique: string; recall: Ratio; precision: Ratio; rules: string[] }[];
  readonly scenarios: readonly { scenario: string; recall: Ratio; techniques: string[] }[];
  readonly rules: readonly { rule_id: string; rule_title: string; alerts: number; precision: Ratio }[];
}

const ratio = (hit: number, of: number): Ratio => ({ hit, of, value: of === 0 ? null : hit / of });

/** `attack.t1110.001` → `T1110.001`; other tags → null. */
export function techniqueOfTag(tag: string): string | null {
  const m = /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(tag);
  return m === null ? null : m[1].toUpperCase();
}

/** Whether a rule tagged `tagged` speaks of `technique` (equal, or its parent technique). */
function covers(tagged: string, technique: string): boolean {
  return technique === tagged || technique.startsWith(`${tagged}.`);
}

export function score(labels: readonly Label[], alerts: readonly ScoredAlert[]): ScoreReport {
  const byRecord = new Map<string, Label[]>();
  for (const l of labels) {
    const k = `${l.source}\u0000${l.id}`;
    const list = byRecord.get(k);
    if (list === undefined) byRecord.set(k, [l]);
    else list.push(l);
  }
  // Units of recall: (instance, technique), with the scenario each belongs to.
  const units = new Map<string, { scenario: string; technique: string; detected: boolean }>();
  for (const l of labels) units.set(`${l.instance}\u0000${l.technique}`, { scenario: l.scenario, technique: l.technique, detected: false });

  const rules = new Map<string, { title: string; alerts: number; tp: number }>();
  const techPrecision = new Map<string, { alerts: number; tp: number; rules: Set<string> }>();
  const allTechniques = [...new Set(labels.map((l) => l.technique))];
  let tp = 0;
  for (const a of alerts) {
    const hits = a.evidence.flatMap((e) => byRecord.get(`${e.source}\u0000${e.record_id}`) ?? []);
    for (const h of hits) units.get(`${h.instance}\u0000${h.technique}`)!.detected = true;
    if (hits.length > 0) tp++;
    const r = rules.get(a.rule_id) ?? { title: a.rule_title, alerts: 0, tp: 0 };
    r.alerts++;
    if (hits.length > 0) r.tp++;
    rules.set(a.rule_id, r);
    // Per technique: alerts of rules tagged with it (or its parent) are true when their evidence carries it.
    const tagged = a.tags.map(techniqueOfTag).filter((t): t is string => t !== null);
    const techniques = new Set([...allTechniques.filter((t) => tagged.some((g) => covers(g, t))), ...tagged.filter((g) => !allTechniques.some((t) => covers(g, t)))]);
    for (const t of techniques) {
      const p = techPrecision.get(t) ?? { alerts: 0, tp: 0, rules: new Set<string>() };
      p.alerts++;
      p.rules.add(a.rule_id);
      if (hits.some((h) => covers(t, h.technique))) p.tp++;
      techPrecision.set(t, p);
    }
  }
  const unitList = [...units.values()];
  const techniques = [...new Set([...unitList.map((u) => u.technique), ...techPrecision.keys()])].sort().map((technique) => {
    const us = unitList.filter((u) => u.technique === technique);
    const p = techPrecision.get(technique);
    return { technique, recall: ratio(us.filter((u) => u.detected).length, us.length), precision: ratio(p?.tp ?? 0, p?.alerts ?? 0), rules: [...(p?.rules ?? [])].sort() };
  });
  const scenarios = [...new Set(unitList.map((u) => u.scenario))].sort().map((scenario) => {
    const us = unitList.filter((u) => u.scenario === scenario);
    return { scenario, recall: ratio(us.filter((u) => u.detected).length, us.length), techniques: [...new Set(us.map((u) => u.technique))].sort() };
  });
  return {
    alerts: alerts.length,
    precision: ratio(tp, alerts.length),
    recall: ratio(unitList.filter((u) => u.detected).length, unitList.length),
    techniques,
    scenarios,
    rules: [...rules.entries()].map(([rule_id, r]) => ({ rule_id, rule_title: r.title, alerts: r.alerts, precision: ratio(r.tp, r.alerts) })).sort((a, b) => b.alerts - a.alerts || a.rule_id.localeCompare(b.rule_id)),
  };
}

const pct = (r: Ratio) => (r.value === null ? '   -  ' : `${(r.value * 100).toFixed(1).padStart(5)}%`);

/** The report as text tables. */
export function formatScore(r: ScoreReport): string {
  const lines: string[] = [];
  lines.push(`alerts ${r.alerts}   precision ${pct(r.precision)} (${r.precision.hit}/${r.precision.of})   recall ${pct(r.recall)} (${r.recall.hit}/${r.recall.of} scenario-instance techniques)`, '');
  lines.push('technique    recall            precision         rules');
  for (const t of r.techniques) lines.push(`${t.technique.padEnd(12)} ${pct(t.recall)} ${`${t.recall.hit}/${t.recall.of}`.padEnd(9)} ${pct(t.precision)} ${`${t.precision.hit}/${t.precision.of}`.padEnd(9)} ${t.rules.length}`);
  lines.push('', 'scenario                                                    recall');
  for (const s of r.scenarios) lines.push(`${s.scenario.padEnd(59)} ${pct(s.recall)} ${s.recall.hit}/${s.recall.of}`);
  lines.push('', 'rule                                                        alerts  precision');
  for (const x of r.rules) lines.push(`${x.rule_title.slice(0, 59).padEnd(59)} ${String(x.alerts).padStart(6)}  ${pct(x.precision)}`);
  return `${lines.join('\n')}\n`;
}

/** Every alert with its evidence ids, from the service's database. */
export async function alertsFromDatabase(db: Queryable, from?: string, to?: string): Promise<ScoredAlert[]> {
  const rows = await db.query<{ id: string; rule_id: string; rule_title: string; tags: string[]; evidence: [string, string][] | null } & Row>(
    `SELECT a.id::text AS id, a.rule_id, a.rule_title, a.tags,
       (SELECT json_agg(json_build_array(e.source, e.record_id)) FROM alert_evidence e WHERE e.alert_id = a.id) AS evidence
     FROM alerts a WHERE ($1::timestamptz IS NULL OR a.last_seen >= $1::timestamptz) AND ($2::timestamptz IS NULL OR a.first_seen < $2::timestamptz) ORDER BY a.id`,
    [from ?? null, to ?? null],
  );
  return rows.map((r) => ({ id: r.id, rule_id: r.rule_id, rule_title: r.rule_title, tags: r.tags, evidence: (r.evidence ?? []).map(([source, record_id]) => ({ source, record_id })) }));
}

/** Every alert with its evidence ids, through a running service's API (`GET /alerts?evidence_ids=true`, a page at a time). */
export async function alertsFromApi(url: string, authorization: string, from?: string, to?: string): Promise<ScoredAlert[]> {
  const out: ScoredAlert[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ limit: '1000', evidence_ids: 'true' });
    if (from !== undefined) q.set('from', from);
    if (cursor !== null) q.set('cursor', cursor);
    const res = await fetch(new URL(`/api/v1/alerts?${q}`, url), { headers: { authorization } });
    if (!res.ok) throw new Error(`GET /api/v1/alerts: ${res.status} ${(await res.text()).slice(0, 200)}`);
    const page = (await res.json()) as { items: (ScoredAlert & { first_seen: string; evidence_ids: [string, string][] })[]; next: string | null };
    for (const a of page.items) {
      if (to !== undefined && a.first_seen >= to) continue;
      out.push({ id: a.id, rule_id: a.rule_id, rule_title: a.rule_title, tags: a.tags, evidence: a.evidence_ids.map(([source, record_id]) => ({ source, record_id })) });
    }
    cursor = page.next;
  } while (cursor !== null);
  return out;
}

/** labels.jsonl's lines; a line that is not a label is an error naming the file and line. */
export function parseLabels(text: string, file: string): Label[] {
  const out: Label[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`${file}:${i + 1}: not JSON`);
    }
    for (const k of ['source', 'id', 'scenario', 'instance', 'technique']) if (typeof v[k] !== 'string') throw new Error(`${file}:${i + 1}: ${k}: expected text (a labels.jsonl line has source, id, scenario, instance, technique)`);
    out.push({ source: v.source as string, id: v.id as string, scenario: v.scenario as string, instance: v.instance as string, technique: v.technique as string });
  });
  return out;
}
