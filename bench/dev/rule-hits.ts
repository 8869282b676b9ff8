/**
 * Rule hit counts over a generator's output folder: every record of every source file (a file's source is its
 * folder, as `seclog siem --input` reads it) parsed by the SIEM's normalisers and run through the detector with the
 * shipped rules (rules/), then hits per rule, most first. For a benign day (no [scenarios]) every hit is background
 * noise. Run: npx tsx bench/dev/rule-hits.ts <output dir> [--sources sysmon,windows-security] [--sample <rule file
 * or id substring> [n]] [--rules <folder>]; --sample prints up to n (default 5) matching records of that rule.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { Normalisers, type Row } from '../../src/siem/normalise/normalise.js';
import { Detector, HitCollector } from '../../src/siem/rules/engine.js';
import { loadRuleFolders } from '../../src/siem/rules/load.js';

const ROOT = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (/\.(jsonl|json|log|txt|ndjson)(\.gz)?$/.test(e.name) && e.name !== 'labels.jsonl') out.push(p);
  }
  return out.sort();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i < 0 ? undefined : args.splice(i, 2)[1];
  };
  const only = opt('--sources')?.split(',');
  const ruleDir = opt('--rules') ?? join(ROOT, 'rules');
  const sampleAt = args.indexOf('--sample');
  const sample = sampleAt < 0 ? undefined : args[sampleAt + 1];
  const sampleN = sampleAt >= 0 && /^\d+$/.test(args[sampleAt + 2] ?? '') ? Number(args[sampleAt + 2]) : 5;
  const dir = args[0];
  if (dir === undefined || !statSync(dir).isDirectory()) throw new Error('usage: rule-hits.ts <output dir> [--sources a,b] [--sample <rule> [n]] [--rules <folder>]');

  const loaded = loadRuleFolders([ruleDir], ROOT).filter(({ origin, rule }) => sample === undefined || origin.includes(sample) || rule.meta.id === sample);
  const detector = new Detector(loaded.map((l) => l.rule));
  const names = new Map(loaded.map(({ origin, rule }) => [rule.meta.id, `${basename(origin).replace(/\.ya?ml$/, '')} (${rule.meta.level})`]));
  for (const p of detector.problems) console.error(`problem: ${names.get(p.id) ?? p.id}: ${p.message}`);
  const normalisers = new Normalisers();
  const counts = new Map<string, number>();
  const records = new Map<string, number>();
  const rows: Row[] = [];
  let printed = 0;
  for (const file of files(dir)) {
    const source = file.slice(dir.length).split('/').filter(Boolean)[0];
    if (only !== undefined && !only.includes(source)) continue;
    if (!detector.reads(source)) continue;
    const stream = createReadStream(file);
    const lines = createInterface({ input: file.endsWith('.gz') ? stream.pipe(createGunzip()) : stream, crlfDelay: Infinity });
    const reference = statSync(file).mtimeMs;
    for await (const line of lines) {
      if (line === '') continue;
      records.set(source, (records.get(source) ?? 0) + 1);
      normalisers.for(source)(line, { reference }, rows, (record, text, row) => {
        const hits = new HitCollector();
        detector.observe(source, record, text, row, 0, hits);
        if (hits.size === 0) return;
        for (const h of hits.hits()) counts.set(h.rule_id, (counts.get(h.rule_id) ?? 0) + h.count);
        if (sample !== undefined && printed < sampleN) {
          printed++;
          console.log(text);
        }
      });
      rows.length = 0;
    }
  }
  console.error(`records read: ${[...records].map(([s, n]) => `${s} ${n}`).join(', ')}`);
  for (const [id, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(9)}  ${names.get(id) ?? id}`);
}

await main();
