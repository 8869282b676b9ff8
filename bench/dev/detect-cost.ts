/**
 * What detection costs the ingest, per source: records of a generator's output folder (up to --per-source lines of
 * each source, held in memory) parsed by the SIEM's normalisers alone, then with the detector running the shipped
 * rules (or --rules <folder>) on each, and with every rule of a source run on every record (no prefilter: what the
 * index of required values saves), alternately, --rounds times. Prints the median microseconds per record of each,
 * per source and over all (weighted by each source's share of the folder).
 * Run: npx tsx bench/dev/detect-cost.ts <output dir> [--per-source 20000] [--rounds 3] [--rules <folder>]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Normalisers, type Row } from '../../src/siem/normalise/normalise.js';
import { Detector, HitCollector } from '../../src/siem/rules/engine.js';
import { loadRuleFolders } from '../../src/siem/rules/load.js';

const ROOT = join(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const opt = (name: string, d: string) => {
  const i = args.indexOf(name);
  return i < 0 ? d : args.splice(i, 2)[1];
};
const perSource = Number(opt('--per-source', '20000'));
const rounds = Number(opt('--rounds', '3'));
const ruleDir = opt('--rules', join(ROOT, 'rules'));
const dir = args[0];
if (dir === undefined || !statSync(dir).isDirectory()) throw new Error('usage: detect-cost.ts <output dir> [--per-source n] [--rounds n] [--rules folder]');

const enabled = loadRuleFolders([ruleDir], ROOT).filter((r) => r.enabled).map((r) => r.rule);
const detector = new Detector(enabled);
const flat = new Detector(enabled, undefined, { prefilter: false });
const sources = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
const data = new Map<string, { lines: string[]; total: number }>();
for (const s of sources) {
  const lines: string[] = [];
  let total = 0;
  for (const f of readdirSync(join(dir, s)).sort()) {
    for (const l of readFileSync(join(dir, s, f), 'utf8').split('\n')) {
      if (l === '') continue;
      total++;
      if (lines.length < perSource) lines.push(l);
    }
  }
  data.set(s, { lines, total });
}

function time(source: string, lines: string[], detect: Detector | null): number {
  const normalisers = new Normalisers();
  const n = normalisers.for(source);
  const rows: Row[] = [];
  const hits = new HitCollector();
  const seen = detect !== null ? (record: unknown, text: string, row: Row) => detect.observe(source, record, text, row, 0, hits) : undefined;
  const t0 = process.hrtime.bigint();
  for (const l of lines) {
    n(l, { reference: Date.UTC(2025, 11, 1) }, rows, seen);
    rows.length = 0;
  }
  return Number(process.hrtime.bigint() - t0) / 1000 / lines.length;
}

const grand = data.size === 0 ? 0 : [...data.values()].reduce((a, d) => a + d.total, 0);
const sum = [0, 0, 0];
console.log(`rules running: ${detector.active}`);
console.log('µs per line          lines    parse  +rules  +rules, no prefilter');
for (const [s, d] of data) {
  const runs: number[][] = [[], [], []];
  for (let r = 0; r < rounds; r++) {
    runs[0].push(time(s, d.lines, null));
    runs[1].push(time(s, d.lines, detector));
    runs[2].push(time(s, d.lines, flat));
  }
  const med = runs.map((x) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)]);
  med.forEach((m, i) => (sum[i] += (m * d.total) / grand));
  console.log(`${s.padEnd(18)} ${String(d.total).padStart(8)} ${med.map((m) => m.toFixed(2).padStart(7)).join(' ')}`);
}
console.log(`all (weighted)              ${sum.map((m) => m.toFixed(2).padStart(7)).join(' ')}`);
