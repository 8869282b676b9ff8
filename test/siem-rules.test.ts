/**
 * The detector's own logic, without a database: which mappings a logsource selects, implied conditions, hits merged
 * per rule and group with each evidence record once, correlations of correlations and `generate`, threshold streaks
 * and gaps, process names, and a rule folder's defaults.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Row } from '../src/siem/normalise/normalise.js';
import { Normalisers } from '../src/siem/normalise/normalise.js';
import { Detector, HitCollector, logsourceMatches } from '../src/siem/rules/engine.js';
import { loadRuleFolders, parseRules } from '../src/siem/rules/load.js';
import { requiredLiteral } from '../src/siem/rules/sigma/compile.js';
import { processKey, ThresholdState, type ThresholdRule } from '../src/siem/rules/thresholds.js';
import { tempDir } from './helpers.js';

/** Runs lines of one source through the normaliser and the detector; the hits. */
function run(detector: Detector, source: string, lines: string[]): ReturnType<HitCollector['hits']> {
  const hits = new HitCollector();
  const normalisers = new Normalisers();
  const rows: Row[] = [];
  for (const line of lines) {
    normalisers.for(source)(line, { reference: Date.UTC(2025, 11, 1) }, rows, (record, text, row) => detector.observe(source, record, text, row, 0, hits));
    rows.length = 0;
  }
  return hits.hits();
}

const authLine = (second: number, ip: string, what: 'Failed' | 'Accepted', user = 'deploy') =>
  `Dec  1 10:${String(Math.floor(second / 60)).padStart(2, '0')}:${String(second % 60).padStart(2, '0')} bastion-01 sshd[${1000 + second}]: ${what} password for ${user} from ${ip} port ${40000 + second} ssh2`;

const SSH_RULES = `title: failed
id: r-failed
name: failed
logsource: { product: linux, service: sshd }
detection: { k: ['Failed password'], condition: k }
level: informational
---
title: accepted
id: r-accepted
name: accepted
logsource: { product: linux, service: sshd }
detection: { k: ['Accepted password'], condition: k }
level: informational
---
title: guessing
id: r-guessing
name: guessing
correlation: { type: event_count, rules: [failed], group-by: [ip, host], timespan: 5m, condition: { gte: 5 } }
level: medium
---
title: guessing then login
id: r-chain
correlation: { type: temporal_ordered, rules: [guessing, accepted], group-by: [ip, host], timespan: 30m, GENERATE }
level: high
`;

describe('the detector', () => {
  it('selects mappings by logsource: every key a mapping names must be the rule’s', () => {
    const sysmon = { match: { product: 'windows', category: 'process_creation' }, source: 'sysmon' };
    expect(logsourceMatches({ product: 'windows', category: 'process_creation' }, sysmon)).toBe(true);
    expect(logsourceMatches({ product: 'windows', service: 'security' }, sysmon)).toBe(false);
    expect(logsourceMatches({ product: 'windows' }, sysmon)).toBe(false);
    expect(logsourceMatches({ category: 'webserver' }, { match: { category: 'webserver' }, source: 'nginx-access' })).toBe(true);
  });

  it('runs a correlation of a correlation; `generate` decides whether the named rules alert too', () => {
    const lines = [...Array.from({ length: 6 }, (_, i) => authLine(i * 10, '203.0.113.9', 'Failed')), authLine(120, '203.0.113.9', 'Accepted'), ...Array.from({ length: 3 }, (_, i) => authLine(200 + i, '198.51.100.4', 'Failed'))];
    const quiet = run(new Detector(parseRules(SSH_RULES.replace(', GENERATE', ''), 't')), 'linux-auth', lines);
    expect(quiet.map((h) => h.rule_id)).toEqual(['r-chain']);
    expect(quiet[0].group).toEqual({ ip: '203.0.113.9', host: 'bastion-01' });
    const loud = run(new Detector(parseRules(SSH_RULES.replace('GENERATE', 'generate: true'), 't')), 'linux-auth', lines);
    const guessing = loud.find((h) => h.rule_id === 'r-guessing')!;
    // Fifth and sixth failures each hold the correlation; the evidence holds each failure once.
    expect(guessing.count).toBe(2);
    expect(guessing.evidence.length).toBe(6);
    expect(new Set(guessing.evidence.map((e) => e.record_id)).size).toBe(6);
    expect(loud.map((h) => h.rule_id).sort()).toEqual(['r-chain', 'r-guessing']);
  });

  it('applies what a mapping implies (Sysmon process creation is event 1 only)', () => {
    const rule = `title: cmd
id: r-cmd
logsource: { product: windows, category: process_creation }
detection: { s: { Image|endswith: '\\cmd.exe' }, condition: s }
level: low
`;
    const record = (code: string) => JSON.stringify({ '@timestamp': '2025-12-01T10:00:00Z', event: { code }, winlog: { event_id: code, computer_name: 'WS-1', record_id: code }, process: { executable: 'C:\\Windows\\System32\\cmd.exe', name: 'cmd.exe' }, host: { name: 'WS-1' } });
    const hits = run(new Detector(parseRules(rule, 't')), 'sysmon', [record('1'), record('5')]);
    expect(hits.map((h) => h.evidence.map((e) => e.record_id))).toEqual([['WS-1:1']]);
  });

  it('compares Sysmon’s User as Sysmon wrote it, though Winlogbeat splits it into domain and name', () => {
    const rule = `title: system
id: r-system
logsource: { product: windows, category: process_creation }
detection: { s: { User|contains: ['AUTHORI', 'AUTORI'] }, exact: { User: 'CORP\\jdoe' }, condition: s or exact }
level: low
`;
    const record = (n: number, domain: string, name: string) => JSON.stringify({ '@timestamp': '2025-12-01T10:00:00Z', event: { code: '1' }, winlog: { event_id: '1', computer_name: 'WS-1', record_id: String(n) }, process: { executable: 'C:\\x.exe' }, user: { domain, name }, host: { name: 'WS-1' } });
    const hits = run(new Detector(parseRules(rule, 't')), 'sysmon', [record(1, 'NT AUTHORITY', 'SYSTEM'), record(2, 'CORP', 'jdoe'), record(3, 'CORP', 'jdoe2')]);
    expect(hits.flatMap((h) => h.evidence.map((e) => e.record_id)).sort()).toEqual(['WS-1:1', 'WS-1:2']);
  });

  it('reads a dotted name through a list, as Sigma means it (any element)', () => {
    const rule = `title: selectors
id: r-sel
logsource: { product: aws, service: cloudtrail }
detection: { s: { eventName: PutEventSelectors, requestParameters.eventSelectors.includeManagementEvents: false }, condition: s }
level: high
`;
    const record = (id: string, ...include: boolean[]) =>
      JSON.stringify({ eventID: id, eventTime: '2025-12-01T10:00:00Z', eventSource: 'cloudtrail.amazonaws.com', eventName: 'PutEventSelectors', requestParameters: { trailName: 't', eventSelectors: include.map((i) => ({ includeManagementEvents: i, readWriteType: 'All' })) } });
    const hits = run(new Detector(parseRules(rule, 't')), 'cloudtrail', [record('a', true), record('b', true, false), record('c', false)]);
    expect(hits.flatMap((h) => h.evidence.map((e) => e.record_id)).sort()).toEqual(['b', 'c']);
  });

  it('reports rules that cannot run instead of failing the others', () => {
    const d = new Detector(parseRules(`title: x\nid: r-x\nlogsource: { product: mainframe }\ndetection: { s: { a: 1 }, condition: s }\nlevel: low\n`, 't'));
    expect(d.problems).toEqual([{ id: 'r-x', message: 'no source carries logsource {"product":"mainframe"}' }]);
    expect(d.active).toBe(0);
  });
});

describe('regular expressions', () => {
  it('look for the text every match needs first, and only where nothing can make it optional', () => {
    const cases: [RegExp, string | null][] = [
      [/.+:assumed-role\/aws:.+/, ':assumed-role/aws:'],
      [/abc?def/, 'def'],
      [/ab{2,3}cdef/, 'cdef'],
      [/\d+\.exe$/, '.exe'],
      [/foo|barbaz/, null],
      [/ab(cd)?efg/, null],
      [/AbCdEf/i, null],
      [/[a-z]+secret[0-9]/, 'secret'],
    ];
    expect(cases.map(([re]) => requiredLiteral(re))).toEqual(cases.map(([, lit]) => lit));
  });
});

describe('threshold and process rules', () => {
  const rule: ThresholdRule = { kind: 'threshold', id: 't', title: 't', description: '', level: 'medium', tags: [], metric: 'cpu', above: 0.9, for_ms: 300_000 };

  it('alerts once the metric stayed above the bound for the whole duration; a dip or a gap starts over', () => {
    const s = new ThresholdState<number>(rule);
    const at = (min: number) => Date.UTC(2025, 11, 1, 10, min);
    expect(s.observe('h', at(0), 0.95, 0)).toBeNull();
    expect(s.observe('h', at(4), 0.97, 1)).toBeNull();
    expect(s.observe('h', at(5), 0.99, 2)).toEqual({ first: at(0), evidence: [0, 1, 2] });
    expect(s.observe('h', at(6), 0.5, 3)).toBeNull();
    expect(s.observe('h', at(7), 0.95, 4)).toBeNull();
    expect(s.observe('h', at(11), 0.95, 5)).toBeNull();
    // Quiet for longer than the window: the streak does not span the gap.
    expect(s.observe('h', at(30), 0.95, 6)).toBeNull();
    expect(s.observe('other', at(30), 0.95, 7)).toBeNull();
  });

  it('compares process names without path, case or .exe', () => {
    expect(['/tmp/.x/xmrig', 'C:\\Users\\a\\XMRig.EXE', 'xmrig'].map(processKey)).toEqual(['xmrig', 'xmrig', 'xmrig']);
  });
});

describe('rule folders', () => {
  it('load disabled what a defaults document names, and refuse an unknown id or a duplicate', () => {
    const dir = tempDir('seclog-rules-');
    mkdirSync(join(dir, 'a'));
    const one = (id: string) => `title: ${id}\nid: ${id}\nlogsource: { product: aws, service: cloudtrail }\ndetection: { s: { eventName: X }, condition: s }\nlevel: low\n`;
    writeFileSync(join(dir, 'a', 'rules.yml'), `${one('r-1')}---\n${one('r-2')}`);
    writeFileSync(join(dir, 'defaults.yml'), 'seclog: defaults\ndisabled:\n  - id: r-2\n    reason: noisy\n');
    expect(loadRuleFolders([dir], dir).map((r) => [r.rule.meta.id, r.enabled, r.origin])).toEqual([
      ['r-1', true, 'builtin:a/rules.yml'],
      ['r-2', false, 'builtin:a/rules.yml'],
    ]);
    writeFileSync(join(dir, 'defaults.yml'), 'seclog: defaults\ndisabled:\n  - id: r-9\n    reason: noisy\n');
    expect(() => loadRuleFolders([dir], dir)).toThrow('defaults: disabled: no rule has id r-9');
    writeFileSync(join(dir, 'defaults.yml'), one('r-1'));
    expect(() => loadRuleFolders([dir], dir)).toThrow('defaults.yml: rule r-1: id already used by a/rules.yml');
  });

  it('load every shipped rule, and every one of them runs', () => {
    const shipped = loadRuleFolders([join(import.meta.dirname, '..', 'rules')], join(import.meta.dirname, '..'));
    expect(shipped.length).toBeGreaterThan(150);
    const d = new Detector(shipped.map((r) => r.rule));
    expect(d.problems).toEqual([]);
  });

  it('are in the published package, with their licence (an installed seclog siem loads them from there)', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' })) as { files: { path: string }[] }[];
    const paths = new Set(pack.files.map((f) => f.path));
    const shipped = loadRuleFolders([join(import.meta.dirname, '..', 'rules')], join(import.meta.dirname, '..'));
    const files = new Set(shipped.map((r) => r.origin.replace(/^builtin:/, '')));
    expect([...files].filter((f) => !paths.has(f))).toEqual([]);
    for (const f of ['rules/defaults.yml', 'rules/sigma/LICENSE.Detection.Rules.md', 'rules/sigma/PROVENANCE.md']) expect(paths.has(f), f).toBe(true);
  });
});
