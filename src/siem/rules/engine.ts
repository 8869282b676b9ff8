/**
 * The detector: the enabled rules compiled once, run on every record as batches stream in. Sigma detections run on
 * the parsed vendor record of each source their logsource maps to (logsources.ts); correlation rules count the hits
 * of the detections they name, per group, in a sliding window; threshold rules follow host metrics, process rules
 * process records. Hits are collected per batch and raised (alerts/store.ts) in the batch's own transaction, so an
 * alert never points at records that were not stored, and a batch written again raises nothing twice.
 */
import { FIELD_INDEX, type Row } from '../normalise/normalise.js';
import { MAPPINGS } from '../normalise/mappings.js';
import type { AlertHit, EvidenceRef } from '../alerts/store.js';
import type { LoadedRule } from './load.js';
import { LOGSOURCES } from './logsources.js';
import { impliedRequired, requiredOf, RuleIndex } from './prefilter.js';
import { impliedCondition, resolverFor } from './resolve.js';
import { detectionCompiler, type DetectionCompiler } from './sigma/compile.js';
import { Correlator } from './sigma/correlate.js';
import { processKey, ThresholdState, type ThresholdRule } from './thresholds.js';
import type { AlertSeverity, FieldGetter, FieldResolver, LogsourceMapping, Predicate, SigmaCorrelation, SigmaLevel, SigmaRule } from './types.js';

const SEVERITY: Readonly<Record<SigmaLevel, AlertSeverity | null>> = { informational: null, low: 'LOW', medium: 'MEDIUM', high: 'HIGH', critical: 'CRITICAL' };

/** The alert-facing part of any rule. */
interface RuleHead {
  readonly id: string;
  readonly title: string;
  readonly severity: AlertSeverity | null;
  readonly tags: readonly string[];
}

/** A correlation this detection feeds, with the detection's own getters for the group-by and counted fields. */
interface Feed {
  readonly correlation: CorrelationEntry;
  readonly ref: string;
  readonly group: readonly FieldGetter[];
  readonly value: FieldGetter | null;
}

interface DetectionEntry {
  readonly head: RuleHead;
  readonly predicate: Predicate;
  /** Whether its own hits raise alerts (a detection only used by correlations does not, unless `generate`). */
  emit: boolean;
  readonly feeds: Feed[];
}

interface CorrelationEntry {
  readonly head: RuleHead;
  readonly rule: SigmaCorrelation;
  readonly runtime: Correlator<EvidenceRef>;
  /** Whether its hits raise alerts (not when a correlation naming it does not `generate`). */
  emit: boolean;
  /** Correlations that name this one: the names of this one's group values they group and count by. */
  readonly downstream: { readonly correlation: CorrelationEntry; readonly ref: string; readonly group: readonly string[]; readonly value: string | null }[];
}

/** Hits of one batch, merged by rule and group. */
export class HitCollector {
  private readonly byKey = new Map<string, { -readonly [K in keyof AlertHit]: AlertHit[K] } & { evidence: EvidenceRef[]; seen: Set<string> }>();

  add(head: RuleHead, group: Record<string, string>, host: string | null, user: string | null, count: number, first: number, last: number, evidence: readonly EvidenceRef[], received: number): void {
    if (head.severity === null) return;
    let key = head.id;
    for (const k of Object.keys(group).sort()) key += `\u0000${k}\u0000${group[k]}`;
    let hit = this.byKey.get(key);
    if (hit === undefined) {
      hit = { rule_id: head.id, rule_title: head.title, severity: head.severity, tags: head.tags, group, host, user, count: 0, first, last, evidence: [], seen: new Set(), received };
      this.byKey.set(key, hit);
    }
    hit.count += count;
    if (first < hit.first) hit.first = first;
    if (last > hit.last) hit.last = last;
    if (received > hit.received) hit.received = received;
    // A correlation that keeps holding hands over its window's evidence each time: each record once.
    for (const e of evidence) {
      if (hit.evidence.length >= 1000) break;
      const k = `${e.source}\u0000${e.record_id}`;
      if (hit.seen.has(k)) continue;
      hit.seen.add(k);
      hit.evidence.push(e);
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  hits(): AlertHit[] {
    return [...this.byKey.values()].map(({ seen: _, ...hit }) => hit);
  }
}

function headOf(rule: { id: string; title: string; level: SigmaLevel; tags: readonly string[] }): RuleHead {
  return { id: rule.id, title: rule.title, severity: SEVERITY[rule.level], tags: rule.tags };
}

/** Does a rule's logsource select this mapping: every key the mapping names is the rule's too. */
export function logsourceMatches(rule: SigmaRule['logsource'], m: LogsourceMapping): boolean {
  const keys = ['product', 'service', 'category'] as const;
  return keys.every((k) => m.match[k] === undefined || m.match[k] === rule[k]) && keys.every((k) => rule[k] === undefined || m.match[k] === rule[k] || (k === 'product' && m.match.product === undefined));
}

/** The mappings a rule runs on (a rule that names nothing the mappings know runs nowhere: reported as unmapped). */
export function mappingsFor(rule: SigmaRule, mappings: readonly LogsourceMapping[] = LOGSOURCES): LogsourceMapping[] {
  return mappings.filter((m) => logsourceMatches(rule.logsource, m));
}

function str(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? null : str(v[0]);
  return JSON.stringify(v);
}

function rowHost(row: Row): string | null {
  return row.table === 'logs' ? row.fields[FIELD_INDEX.host] : row.host;
}

function rowUser(row: Row): string | null {
  return row.table === 'logs' ? row.fields[FIELD_INDEX.user] : row.table === 'process_logs' ? row.user : null;
}

export interface DetectorProblem {
  readonly id: string;
  readonly message: string;
}

export class Detector {
  private readonly bySource = new Map<string, RuleIndex<DetectionEntry>>();
  /** The rules one record may match (reused from record to record). */
  private readonly candidates: DetectionEntry[] = [];
  private readonly thresholds: { head: RuleHead; rule: ThresholdRule; state: ThresholdState<EvidenceRef> }[] = [];
  private readonly processes = new Map<string, RuleHead[]>();
  /** Rules that could not run, and why (unmapped logsource, a compile error). */
  readonly problems: DetectorProblem[] = [];
  /** How many rules run. */
  readonly active: number;

  /** `prefilter: false` runs every rule of a source on each record (for measuring what the index saves). */
  constructor(rules: readonly LoadedRule[], mappings: readonly LogsourceMapping[] = LOGSOURCES, options: { prefilter?: boolean } = {}) {
    const refs = new Map<string, DetectionEntry[]>();
    // One compiler per mapping: its rules share field reads (each field read and lower-cased once per record).
    const compilers = new Map<LogsourceMapping, { resolver: FieldResolver; compiler: DetectionCompiler }>();
    const compilerOf = (m: LogsourceMapping) => {
      let c = compilers.get(m);
      if (c === undefined) {
        const resolver = resolverFor(m, MAPPINGS[m.source]?.format ?? 'json');
        c = { resolver, compiler: detectionCompiler(resolver) };
        compilers.set(m, c);
      }
      return c;
    };
    let active = 0;
    for (const { rule } of rules) {
      try {
        if (rule.kind === 'detection') {
          const targets = mappingsFor(rule, mappings);
          if (targets.length === 0) {
            this.problems.push({ id: rule.id, message: `no source carries logsource ${JSON.stringify(rule.logsource)}` });
            continue;
          }
          const entries: DetectionEntry[] = [];
          for (const m of targets) {
            const { resolver, compiler } = compilerOf(m);
            const detection = compiler.compile(rule);
            const implied = impliedCondition(m, resolver);
            const predicate: Predicate = implied === null ? detection : (record, text) => implied(record) && detection(record, text);
            const entry: DetectionEntry = { head: headOf(rule), predicate, emit: true, feeds: [] };
            entries.push(entry);
            let index = this.bySource.get(m.source);
            if (index === undefined) {
              index = new RuleIndex();
              this.bySource.set(m.source, index);
            }
            // Filed under a field its matches need (the rule's own literal, else what the logsource implies).
            const required = options.prefilter === false ? null : (requiredOf(rule, m.selective) ?? impliedRequired(m));
            index.add(entry, required === null ? null : { get: resolver.field(required.field), values: required.values });
          }
          for (const key of [rule.id, rule.name]) if (key !== undefined) refs.set(key, entries);
          active++;
        } else if (rule.kind === 'threshold') {
          this.thresholds.push({ head: headOf(rule), rule, state: new ThresholdState(rule) });
          active++;
        } else if (rule.kind === 'process') {
          const head = headOf(rule);
          for (const n of rule.names) this.processes.set(n, [...(this.processes.get(n) ?? []), head]);
          active++;
        }
      } catch (err) {
        this.problems.push({ id: rule.id, message: (err as Error).message });
      }
    }
    // Correlations after every detection is known: each feeds on the detections it names, through their sources,
    // and on the correlations it names (a correlation of correlations: built once the ones it names are).
    const correlations = new Map<string, CorrelationEntry>();
    let pending = rules.map((r) => r.rule).filter((r): r is SigmaCorrelation => r.kind === 'correlation');
    for (let progress = true; progress && pending.length > 0; ) {
      progress = false;
      const next: SigmaCorrelation[] = [];
      for (const rule of pending) {
        if (!rule.rules.every((r) => refs.has(r) || correlations.has(r))) {
          next.push(rule);
          continue;
        }
        progress = true;
        try {
          const correlation: CorrelationEntry = { head: headOf(rule), rule, runtime: new Correlator<EvidenceRef>(rule), emit: true, downstream: [] };
          for (const ref of rule.rules) {
            const alias = (name: string, ids: readonly (string | undefined)[]) => ids.map((id) => (id === undefined ? undefined : rule.aliases[name]?.[id])).find((v) => v !== undefined) ?? name;
            const upstream = correlations.get(ref);
            if (upstream !== undefined) {
              if (!rule.generate) upstream.emit = false;
              const names = (n: string) => alias(n, [ref, upstream.rule.id, upstream.rule.name]);
              upstream.downstream.push({ correlation, ref, group: rule.group_by.map(names), value: rule.condition?.field === undefined ? null : names(rule.condition.field) });
              continue;
            }
            const entries = refs.get(ref)!;
            const detection = rules.find((r) => r.rule.id === entries[0].head.id)!.rule as SigmaRule;
            if (!rule.generate) for (const e of entries) e.emit = false;
            for (const [i, entry] of entries.entries()) {
              const { resolver } = compilerOf(mappingsFor(detection, mappings)[i]);
              const fieldFor = (name: string) => resolver.field(alias(name, [ref, detection.id, detection.name]));
              entry.feeds.push({ correlation, ref, group: rule.group_by.map(fieldFor), value: rule.condition?.field === undefined ? null : fieldFor(rule.condition.field) });
            }
          }
          for (const key of [rule.id, rule.name]) if (key !== undefined) correlations.set(key, correlation);
          active++;
        } catch (err) {
          this.problems.push({ id: rule.id, message: (err as Error).message });
        }
      }
      pending = next;
    }
    for (const rule of pending) this.problems.push({ id: rule.id, message: `rules ${rule.rules.filter((r) => !refs.has(r) && !correlations.has(r)).join(', ')} are not enabled rules` });
    // A detection that also stands alone elsewhere keeps its alerts: `emit` was cleared only for `generate: false`.
    this.active = active;
  }

  /** The sources detections read. */
  sources(): string[] {
    return [...this.bySource.keys()];
  }

  watchesProcesses(): boolean {
    return this.processes.size > 0;
  }

  watchesMetrics(): boolean {
    return this.thresholds.length > 0;
  }

  /** Whether any rule reads this source's records (else the ingest skips calling `observe`). */
  reads(source: string): boolean {
    return this.bySource.has(source) || this.thresholds.length > 0 || this.processes.size > 0;
  }

  /** One record as parsed, with its row; hits go to the batch's collector. */
  observe(source: string, record: unknown, text: string, row: Row, received: number, into: HitCollector): void {
    const index = this.bySource.get(source);
    const candidates = this.candidates;
    if (index !== undefined) index.collect(record, candidates);
    for (let i = 0; i < candidates.length; i++) {
      const e = candidates[i];
      if (!e.predicate(record, text)) continue;
      const ref: EvidenceRef = { source, record_id: row.record_id, time: row.time };
      if (e.emit) {
        const host = rowHost(row);
        const user = rowUser(row);
        const group: Record<string, string> = {};
        if (host !== null) group.host = host;
        if (user !== null) group.user = user;
        into.add(e.head, group, host, user, 1, row.time, row.time, [ref], received);
      }
      for (const f of e.feeds) this.feed(f, record, ref, received, into);
    }
    candidates.length = 0;
    if (row.table === 'host_metrics') {
      for (const t of this.thresholds) {
        const v = t.rule.metric === 'cpu' ? row.cpu_pct : row.memory_pct;
        if (v === null || row.host === null) continue;
        const fired = t.state.observe(row.host, row.time, v, { source, record_id: row.record_id, time: row.time });
        if (fired !== null) into.add(t.head, { host: row.host }, row.host, null, fired.evidence.length, fired.first, row.time, fired.evidence, received);
      }
    } else if (row.table === 'process_logs' && this.processes.size > 0) {
      const name = row.name ?? row.executable;
      const heads = name === null ? undefined : this.processes.get(processKey(name));
      if (heads !== undefined) {
        const group: Record<string, string> = {};
        if (row.host !== null) group.host = row.host;
        for (const head of heads) into.add(head, group, row.host, row.user, 1, row.time, row.time, [{ source, record_id: row.record_id, time: row.time }], received);
      }
    }
  }

  private feed(f: Feed, record: unknown, ref: EvidenceRef, received: number, into: HitCollector): void {
    const values: string[] = [];
    for (const g of f.group) {
      const v = str(g(record));
      if (v === null) return; // a record without a group-by value is in no group
      values.push(v);
    }
    const counted = f.value === null ? undefined : (str(f.value(record)) ?? undefined);
    if (f.value !== null && counted === undefined) return;
    this.correlate(f.correlation, f.ref, values, counted, ref, received, into);
  }

  /** One event of a correlation; when it holds, its alert (unless only a correlation of it reports) and the ones naming it. */
  private correlate(c: CorrelationEntry, name: string, values: string[], counted: string | undefined, ref: EvidenceRef, received: number, into: HitCollector): void {
    const hit = c.runtime.observe(name, ref.time, values, counted, ref);
    if (hit === null) return;
    const group: Record<string, string> = {};
    c.rule.group_by.forEach((g, i) => (group[g] = values[i]));
    if (c.emit) {
      let first = ref.time;
      for (const e of hit.evidence) if (e.time < first) first = e.time;
      const host = group.host ?? group.Computer ?? group['host.name'] ?? null;
      const user = group.user ?? group.TargetUserName ?? group.User ?? null;
      into.add(c.head, group, host, user, 1, first, ref.time, hit.evidence, received);
    }
    for (const d of c.downstream) {
      const dv = d.group.map((g) => group[g]);
      if (dv.some((v) => v === undefined)) continue;
      const dc = d.value === null ? undefined : group[d.value];
      if (d.value !== null && dc === undefined) continue;
      this.correlate(d.correlation, d.ref, dv, dc, ref, received, into);
    }
  }
}
