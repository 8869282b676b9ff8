/**
 * seclog's own rules beside Sigma, for what Sigma does not express: a host metric over a bound for a while
 * (`seclog: threshold`), and processes by name in any process record (`seclog: process`: Sysmon 1, Windows 4688,
 * auditd EXECVE, metricbeat's process snapshots). YAML documents like Sigma's, with their own keys:
 *
 *   seclog: threshold                     seclog: process
 *   id: 6d3f…                             id: 0b7c…
 *   title: Sustained high CPU             title: Known cryptocurrency miner running
 *   level: medium                         level: high
 *   metric: cpu        # or memory        names: [xmrig, minerd, …]     # process names, case-insensitive
 *   above: 90          # percent          tags: [attack.impact, attack.t1496]
 *   for: 10m           # s, m, h
 */
import type { SigmaLevel } from './types.js';
import { SIGMA_LEVELS } from './types.js';

export interface ThresholdRule {
  readonly kind: 'threshold';
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly level: SigmaLevel;
  readonly tags: readonly string[];
  readonly metric: 'cpu' | 'memory';
  /** 0..1 */
  readonly above: number;
  readonly for_ms: number;
}

export interface ProcessRule {
  readonly kind: 'process';
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly level: SigmaLevel;
  readonly tags: readonly string[];
  /** Lower-case process names (an executable's last path part, `.exe` optional). */
  readonly names: readonly string[];
}

export type SeclogRule = ThresholdRule | ProcessRule;

export class RuleError extends Error {}

const DURATION = /^(\d+)(s|m|h)$/;
const UNIT = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

function text(doc: Record<string, unknown>, key: string, where: string, required = true): string {
  const v = doc[key];
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (!required && v === undefined) return '';
  throw new RuleError(`${where}: ${key}: expected text, got ${JSON.stringify(v) ?? 'nothing'}`);
}

/** Reads one `seclog:` document; errors name the origin, the rule and the key. */
export function parseSeclogRule(doc: Record<string, unknown>, origin: string): SeclogRule {
  const kind = doc.seclog;
  const id = text(doc, 'id', origin);
  const where = `${origin}: rule ${id}`;
  const title = text(doc, 'title', where);
  const description = text(doc, 'description', where, false);
  const level = doc.level ?? 'medium';
  if (typeof level !== 'string' || !(SIGMA_LEVELS as readonly string[]).includes(level)) throw new RuleError(`${where}: level: ${JSON.stringify(level)} is not one of ${SIGMA_LEVELS.join(', ')}`);
  const tags = doc.tags ?? [];
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) throw new RuleError(`${where}: tags: expected a list of text`);
  const known = new Set(['seclog', 'id', 'title', 'description', 'level', 'tags', 'author', 'date', 'references', 'falsepositives', 'status']);
  if (kind === 'threshold') {
    for (const k of Object.keys(doc)) if (!known.has(k) && !['metric', 'above', 'for'].includes(k)) throw new RuleError(`${where}: ${k}: unknown key (allowed: metric, above, for, ${[...known].join(', ')})`);
    const metric = doc.metric;
    if (metric !== 'cpu' && metric !== 'memory') throw new RuleError(`${where}: metric: ${JSON.stringify(metric)} is not one of cpu, memory`);
    const above = doc.above;
    if (typeof above !== 'number' || !(above > 0 && above < 100)) throw new RuleError(`${where}: above: ${JSON.stringify(above)} is not a percentage between 0 and 100`);
    const m = DURATION.exec(String(doc.for ?? ''));
    if (m === null) throw new RuleError(`${where}: for: ${JSON.stringify(doc.for)} is not a duration like 30s, 10m or 1h`);
    return { kind, id, title, description, level: level as SigmaLevel, tags: tags as string[], metric, above: above / 100, for_ms: Number(m[1]) * UNIT[m[2] as keyof typeof UNIT] };
  }
  if (kind === 'process') {
    for (const k of Object.keys(doc)) if (!known.has(k) && k !== 'names') throw new RuleError(`${where}: ${k}: unknown key (allowed: names, ${[...known].join(', ')})`);
    const names = doc.names;
    if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string' && n !== '')) throw new RuleError(`${where}: names: expected a list of process names`);
    return { kind, id, title, description, level: level as SigmaLevel, tags: tags as string[], names: names.map((n: string) => n.toLowerCase().replace(/\.exe$/, '')) };
  }
  throw new RuleError(`${origin}: seclog: ${JSON.stringify(kind)} is not one of threshold, process`);
}

/** The name a process rule compares: the last part of a path, lower-case, without `.exe`. */
export function processKey(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).toLowerCase();
  return base.endsWith('.exe') ? base.slice(0, -4) : base;
}

/** Per host: since when the metric has been over the bound (samples in arrival order), and the samples of the streak. */
export class ThresholdState<E> {
  private readonly streaks = new Map<string, { start: number; last: number; evidence: E[] }>();

  constructor(private readonly rule: ThresholdRule) {}

  /** A sample; the streak's evidence when it has lasted `for` (every sample after that too), else null. */
  observe(host: string, time: number, value: number, evidence: E): { first: number; evidence: E[] } | null {
    if (!(value > this.rule.above)) {
      this.streaks.delete(host);
      return null;
    }
    let s = this.streaks.get(host);
    // A gap longer than the window (the host went quiet) starts a new streak.
    if (s === undefined || time - s.last > this.rule.for_ms || time < s.start) {
      s = { start: time, last: time, evidence: [] };
      this.streaks.set(host, s);
    }
    s.last = Math.max(s.last, time);
    if (s.evidence.length < 100) s.evidence.push(evidence);
    if (time - s.start < this.rule.for_ms) return null;
    const out = { first: s.start, evidence: s.evidence };
    s.evidence = [];
    return out;
  }
}
