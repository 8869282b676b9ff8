/**
 * The Sigma content (rules/) against the per-source field knowledge (src/siem/rules/logsources.ts) and real generator
 * records (test/fixtures/rules/, see its README): every rule file parses and is complete, every rule's logsource
 * reads some seclog source, and every field a rule names lands, through its mapping, on a path our records carry —
 * unless KNOWN_ABSENT says why our generator does not write it. No compiler involved: this checks the data.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { MAPPINGS } from '../src/siem/normalise/mappings.js';
import type { TextParts } from '../src/siem/normalise/types.js';
import { LOGSOURCES } from '../src/siem/rules/logsources.js';
import { isJoined, SIGMA_LEVELS, type LogsourceMapping, type SigmaLogsource } from '../src/siem/rules/types.js';

const ROOT = join(import.meta.dirname, '..');
const RULES = join(ROOT, 'rules');
const FIXTURES = join(import.meta.dirname, 'fixtures/rules');

/**
 * `<source>:<Sigma field>` that rules name but our generator's records of that source never carry, with the reason.
 * Rules naming them still load; their selections on these fields cannot match (a fidelity gap or a format choice).
 * The test fails on an entry that is not needed any more (the field resolves, or no rule names it).
 */
const KNOWN_ABSENT: Readonly<Record<string, string>> = {
  // Windows Security 4688 carries no PE version resource and no parent command line (Sysmon 1 does): process
  // creation rules that test them run on 4688 with only their Image/CommandLine alternatives.
  'windows-security:OriginalFileName': '4688 has no OriginalFileName (PE version info is Sysmon-only)',
  'windows-security:Product': '4688 has no PE Product',
  'windows-security:ParentCommandLine': '4688 has no parent command line',
  // auditd EXECVE: our commands have at most six arguments (a0..a5); the coin-miner rule looks up to a7.
  'linux-auditd:a6': 'no generated command has a seventh argument',
  'linux-auditd:a7': 'no generated command has an eighth argument',
  // Fidelity gaps: fields real rules need that our records lack.
  'sysmon:SourceImage': 'Sysmon 10 records lack process.executable (Winlogbeat moves SourceImage there); it is only in the message text',
  'sysmon:SourceUser': 'Sysmon 10 records lack the source user (user.name); only in the message text',
  'windows-security:ShareName': 'no 5145 (network share object checked) events are generated',
  'windows-security:RelativeTargetName': 'no 5145 events are generated',
  // A rule's own mistake: aws_delete_saml_provider tests `status`, which CloudTrail records do not have.
  'cloudtrail:status': 'not a CloudTrail field',
};

type Doc = Record<string, unknown>;
interface RuleFile {
  readonly path: string;
  readonly docs: readonly Doc[];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.yml') || e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
}

function loadRules(): RuleFile[] {
  return walk(RULES).map((path) => {
    const docs = parseAllDocuments(readFileSync(path, 'utf8'));
    const list = Array.isArray(docs) ? docs : [docs];
    for (const d of list) if (d.errors.length > 0) throw new Error(`${relative(ROOT, path)}: ${d.errors[0].message}`);
    return { path: relative(ROOT, path), docs: list.map((d) => d.toJSON() as Doc).filter((d) => d !== null) };
  });
}

/** The mappings a logsource reads through (types.ts: every key a mapping's match names equals the rule's). */
function mappingsFor(ls: SigmaLogsource): LogsourceMapping[] {
  return LOGSOURCES.filter((m) => Object.entries(m.match).every(([k, v]) => (ls as Record<string, unknown>)[k] === v));
}

/** Field names a detection uses (selections' keys, modifiers dropped); keyword lists name none. */
function detectionFields(detection: Doc): string[] {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) out.add(k.split('|')[0]);
  };
  for (const [k, v] of Object.entries(detection)) if (k !== 'condition' && k !== 'timeframe') visit(v);
  out.delete('');
  return [...out];
}

// --- the paths real records of each source carry ---

/** Mirrors normalise.ts' text parsing (its parser is internal): the line's groups, auditd's kv pairs, the message's groups, derived parts. */
function textParts(spec: TextParts, line: string): Record<string, string> {
  const m = new RegExp(spec.line, 's').exec(line);
  if (m === null) return {};
  const parts: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) parts[k] = v;
  const readKv = (body: string): void => {
    const re = /([A-Za-z0-9_-]+)=("([^"]*)"|'([^']*)'|(\S*))/g;
    for (let x = re.exec(body); x !== null; x = re.exec(body)) {
      parts[`kv.${x[1]}`] ??= x[3] ?? x[4] ?? x[5] ?? '';
      if (x[4] !== undefined) readKv(x[4]);
    }
  };
  if (spec.kv !== undefined && parts[spec.kv] !== undefined) readKv(parts[spec.kv]);
  if (parts.message !== undefined) {
    for (const rule of spec.messages ?? []) {
      const mm = new RegExp(rule.match).exec(parts.message);
      if (mm === null) continue;
      parts.event = rule.event;
      for (const [k, v] of Object.entries(mm.groups ?? {})) if (v !== undefined && v !== '') parts[k] = v;
      break;
    }
  }
  for (const d of spec.derive ?? []) if (d.from === 'auditd_args' ? parts['kv.argc'] !== undefined : d.path !== undefined && parts[d.path] !== undefined) parts[d.name] = '';
  return parts;
}

const FIXTURE_FILES: Readonly<Record<string, string>> = Object.fromEntries(
  readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.jsonl') || f.endsWith('.log'))
    .map((f) => [f.replace(/\.(jsonl|log)$/, ''), join(FIXTURES, f)]),
);

/** A fixture record: the paths it carries, with their values (as text). */
type FixtureRecord = ReadonlyMap<string, readonly string[]>;

function jsonValues(value: unknown, prefix: string, out: Map<string, string[]>): void {
  if (Array.isArray(value)) {
    for (const v of value) jsonValues(v, prefix, out);
  } else if (value !== null && typeof value === 'object') {
    if (prefix !== '') out.set(prefix, out.get(prefix) ?? []);
    for (const [k, v] of Object.entries(value)) jsonValues(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else if (value !== null && prefix !== '') out.set(prefix, [...(out.get(prefix) ?? []), String(value)]);
}

const RECORDS = new Map<string, FixtureRecord[]>();
function recordsOf(source: string): FixtureRecord[] {
  const cached = RECORDS.get(source);
  if (cached !== undefined) return cached;
  const file = FIXTURE_FILES[source];
  if (file === undefined) throw new Error(`no fixture for source ${source}`);
  const mapping = MAPPINGS[source];
  const out: FixtureRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    if (mapping.format === 'text') {
      if (mapping.text === undefined) throw new Error(`${source}: text mapping without a parser`);
      out.push(new Map(Object.entries(textParts(mapping.text, line)).map(([k, v]) => [k, [v]])));
    } else {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      const batch = mapping.batch !== undefined && Array.isArray(parsed[mapping.batch]) ? (parsed[mapping.batch] as unknown[]) : [parsed];
      for (const r of batch) {
        const m = new Map<string, string[]>();
        jsonValues(r, '', m);
        out.push(m);
      }
    }
  }
  if (out.length === 0) throw new Error(`empty fixture for ${source}`);
  RECORDS.set(source, out);
  return out;
}

/**
 * The paths records carry that this mapping reads: the union over the fixture records of its source that meet the
 * mapping's conditions (Sysmon event 10's records for process_access, not event 1's).
 */
const PATHS = new Map<LogsourceMapping, Set<string>>();
function pathsOf(mapping: LogsourceMapping): Set<string> {
  const cached = PATHS.get(mapping);
  if (cached !== undefined) return cached;
  const conditions = Object.entries(mapping.conditions ?? {});
  const out = new Set<string>();
  for (const r of recordsOf(mapping.source)) {
    const meets = conditions.every(([field, accepted]) => candidates(mapping, field).some((p) => (r.get(p) ?? []).some((v) => accepted.map(String).includes(v))));
    if (meets) for (const p of r.keys()) out.add(p);
  }
  PATHS.set(mapping, out);
  return out;
}
/** The record paths a Sigma field may read on this mapping: its `fields` entry, else each prefix + name, then the name. */
function candidates(mapping: LogsourceMapping, field: string): string[] {
  const f = mapping.fields?.[field];
  if (f !== undefined) return typeof f === 'string' ? [f] : isJoined(f) ? [...f.join] : [...(f as readonly string[])];
  return [...(mapping.prefixes ?? []).map((p) => p + field), field];
}

function resolves(mapping: LogsourceMapping, field: string): boolean {
  const paths = pathsOf(mapping);
  return candidates(mapping, field).some((p) => paths.has(p));
}

// --- the tests ---

const FILES = loadRules();
const ALL = FILES.flatMap((f) => f.docs.map((doc, i) => ({ file: f.path, index: i, doc })));
/** seclog's own non-Sigma rule formats (`seclog: threshold`, read by their own loader) sit beside the Sigma rules. */
const SIGMA = ALL.filter((r) => r.doc.seclog === undefined);
const DETECTIONS = SIGMA.filter((r) => r.doc.detection !== undefined);
const CORRELATIONS = SIGMA.filter((r) => r.doc.correlation !== undefined);
const label = (r: { file: string; index: number }) => `${r.file}#${r.index}`;

describe('rules/ content', () => {
  it('finds the vendored SigmaHQ rules and seclog’s own', () => {
    expect(DETECTIONS.filter((r) => r.file.startsWith('rules/sigma/')).length).toBeGreaterThanOrEqual(60);
    expect(SIGMA.filter((r) => r.file.startsWith('rules/seclog/')).length).toBeGreaterThanOrEqual(10);
    expect(CORRELATIONS.length).toBeGreaterThan(0);
  });

  it('every document is a complete Sigma rule (id, title, level, logsource and detection, or correlation)', () => {
    const bad: string[] = [];
    for (const r of SIGMA) {
      const d = r.doc;
      const missing = ['id', 'title', 'level'].filter((k) => typeof d[k] !== 'string' || d[k] === '');
      if (!SIGMA_LEVELS.includes(d.level as (typeof SIGMA_LEVELS)[number])) missing.push(`level ${String(d.level)}`);
      if (d.correlation === undefined) {
        if (d.logsource === null || typeof d.logsource !== 'object') missing.push('logsource');
        const det = d.detection as Doc | undefined;
        if (det === undefined || typeof det !== 'object' || det.condition === undefined) missing.push('detection.condition');
      }
      if (missing.length > 0) bad.push(`${label(r)}: ${missing.join(', ')}`);
    }
    expect(bad).toEqual([]);
  });

  it('ids are unique; seclog’s own rules carry a UUID, ATT&CK tags, a description and false positives', () => {
    const ids = ALL.map((r) => String(r.doc.id));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const bad: string[] = [];
    for (const r of SIGMA.filter((x) => x.file.startsWith('rules/seclog/'))) {
      const d = r.doc;
      const tags = (d.tags as string[] | undefined) ?? [];
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(String(d.id))) bad.push(`${label(r)}: id is not a UUID`);
      if (!tags.some((t) => /^attack\.t\d{4}(\.\d{3})?$/.test(t))) bad.push(`${label(r)}: no technique tag`);
      if (!tags.some((t) => /^attack\.[a-z-]+$/.test(t) && !/^attack\.t\d/.test(t))) bad.push(`${label(r)}: no tactic tag`);
      if (typeof d.description !== 'string' || d.description.length < 20) bad.push(`${label(r)}: no description`);
      if (!Array.isArray(d.falsepositives) || d.falsepositives.length === 0) bad.push(`${label(r)}: no falsepositives`);
    }
    expect(bad).toEqual([]);
  });

  it('vendored rules come with their licence and provenance, and take no placeholders or expand', () => {
    const sigma = readdirSync(join(RULES, 'sigma'));
    expect(sigma).toContain('LICENSE.Detection.Rules.md');
    expect(sigma).toContain('PROVENANCE.md');
    const provenance = readFileSync(join(RULES, 'sigma/PROVENANCE.md'), 'utf8');
    const vendored = FILES.filter((f) => f.path.startsWith('rules/sigma/')).map((f) => f.path.slice('rules/sigma/'.length));
    expect(vendored.filter((p) => !provenance.includes(p))).toEqual([]);
    const expand = DETECTIONS.filter((r) => JSON.stringify(r.doc.detection).includes('|expand'));
    expect(expand.map(label)).toEqual([]);
  });

  it('every rule’s logsource reads at least one seclog source', () => {
    const unmapped = DETECTIONS.filter((r) => mappingsFor(r.doc.logsource as SigmaLogsource).length === 0).map((r) => `${label(r)}: ${JSON.stringify(r.doc.logsource)}`);
    expect(unmapped).toEqual([]);
  });

  it('every mapping reads a source the SIEM parses and that has a fixture, with its condition and keyword fields present', () => {
    const bad: string[] = [];
    for (const m of LOGSOURCES) {
      if (MAPPINGS[m.source] === undefined) bad.push(`${JSON.stringify(m.match)}: unknown source ${m.source}`);
      else if (FIXTURE_FILES[m.source] === undefined) bad.push(`${JSON.stringify(m.match)}: no fixture for ${m.source}`);
      else {
        if (pathsOf(m).size === 0) bad.push(`${JSON.stringify(m.match)}: no ${m.source} record in the fixture meets its conditions`);
        for (const k of m.keywords ?? []) if (!pathsOf(m).has(k)) bad.push(`${JSON.stringify(m.match)}: keyword path ${k} absent from ${m.source}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('every field a detection names lands on a path that real records of its source carry (or is KNOWN_ABSENT)', () => {
    const missing = new Map<string, string[]>();
    const used = new Set<string>();
    for (const r of DETECTIONS) {
      const fields = detectionFields(r.doc.detection as Doc);
      for (const m of mappingsFor(r.doc.logsource as SigmaLogsource)) {
        for (const f of fields) {
          const key = `${m.source}:${f}`;
          if (resolves(m, f)) continue;
          if (KNOWN_ABSENT[key] !== undefined) {
            used.add(key);
            continue;
          }
          missing.set(key, [...(missing.get(key) ?? []), label(r)]);
        }
      }
    }
    expect([...missing].map(([k, rules]) => `${k} (${rules.join(', ')})`)).toEqual([]);
    // An entry no rule needs any more is stale: drop it, or the list stops meaning anything.
    expect(Object.keys(KNOWN_ABSENT).filter((k) => !used.has(k))).toEqual([]);
  });

  it('correlations refer to existing rules, and their group-by (and value_count) fields resolve on each', () => {
    const byRef = new Map<string, Doc>();
    for (const r of SIGMA) {
      byRef.set(String(r.doc.id), r.doc);
      if (typeof r.doc.name === 'string') byRef.set(r.doc.name, r.doc);
    }
    const bad: string[] = [];
    /** The detection rules underneath a rule (a correlation's, recursively). */
    const leaves = (d: Doc): Doc[] => (d.correlation === undefined ? [d] : ((d.correlation as Doc).rules as string[]).flatMap((ref) => (byRef.has(ref) ? leaves(byRef.get(ref) as Doc) : [])));
    for (const r of CORRELATIONS) {
      const c = r.doc.correlation as Doc;
      if (!['event_count', 'value_count', 'temporal', 'temporal_ordered'].includes(String(c.type))) bad.push(`${label(r)}: type ${String(c.type)}`);
      if (typeof c.timespan !== 'string' || !/^\d+[smhdwMy]$/.test(c.timespan)) bad.push(`${label(r)}: timespan ${String(c.timespan)}`);
      const refs = (c.rules as string[] | undefined) ?? [];
      for (const ref of refs) if (!byRef.has(ref)) bad.push(`${label(r)}: unknown rule ${ref}`);
      const aliases = (c.aliases as Record<string, Record<string, string>> | undefined) ?? {};
      const groupBy = (c['group-by'] as string[] | undefined) ?? [];
      const cond = (c.condition as Doc | undefined) ?? {};
      for (const ref of refs) {
        const target = byRef.get(ref);
        if (target === undefined) continue;
        for (const leaf of leaves(target)) {
          const maps = mappingsFor(leaf.logsource as SigmaLogsource);
          const name = typeof leaf.name === 'string' ? leaf.name : String(leaf.id);
          const fields = [...groupBy.map((g) => aliases[g]?.[ref] ?? aliases[g]?.[name] ?? g), ...(typeof cond.field === 'string' ? [cond.field] : [])];
          for (const f of fields) for (const m of maps) if (!resolves(m, f)) bad.push(`${label(r)}: ${f} absent from ${m.source} (rule ${ref})`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
