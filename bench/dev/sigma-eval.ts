/**
 * How long a compiled Sigma detection takes per record: ns per rule per record, on process-creation records (Sysmon
 * event 1 shape, flat fields) against a set of process-creation rules in SigmaHQ's style (real ones from
 * test/fixtures/sigma plus generated ones: image suffix lists, command-line substring lists with `all`, filters,
 * `1 of` selections, a regular expression, windash and base64offset). Two ways: each rule compiled alone
 * (compileDetection: each rule reads and lower-cases its fields itself) and the rules compiled together
 * (detectionCompiler: field reads shared per record). Run: npx tsx bench/dev/sigma-eval.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileDetection, detectionCompiler } from '../../src/siem/rules/sigma/compile.js';
import { parseSigma } from '../../src/siem/rules/sigma/parse.js';
import type { FieldResolver, Predicate, SigmaRule } from '../../src/siem/rules/types.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'sigma');
const TOOLS = ['certutil', 'bitsadmin', 'mshta', 'regsvr32', 'rundll32', 'wmic', 'cscript', 'wscript', 'schtasks', 'reg', 'net', 'net1', 'whoami', 'nltest', 'vssadmin', 'wevtutil', 'bcdedit', 'msiexec', 'installutil', 'cmstp'];
const WORDS = ['-urlcache', '/transfer', 'javascript:', '/s /n /u /i:', 'DllRegisterServer', 'process call create', '/create /tn', 'add HKLM', 'user /add', '/all', '/domain_trusts', 'delete shadows', 'cl Security', '/set {default}', '/q /i http', '/logfile= /LogToConsole=false', '/s /ns', 'comsvcs.dll MiniDump', '-decode', '-split -f'];

function generatedRules(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const tool = TOOLS[i % TOOLS.length];
    const w1 = WORDS[i % WORDS.length];
    const w2 = WORDS[(i * 7 + 3) % WORDS.length];
    const shape = i % 4;
    const det =
      shape === 0
        ? `  selection_img:\n    - Image|endswith: ['\\${tool}.exe', '\\${tool}64.exe']\n    - OriginalFileName: '${tool}.exe'\n  selection_cli:\n    CommandLine|contains: ['${w1}', '${w2}']\n  filter_main:\n    ParentImage|startswith: 'C:\\Program Files\\'\n  condition: all of selection_* and not 1 of filter_*`
        : shape === 1
          ? `  selection:\n    Image|endswith: '\\${tool}.exe'\n    CommandLine|contains|all: ['${w1}', '${w2}']\n  condition: selection`
          : shape === 2
            ? `  selection:\n    ParentImage|endswith: ['\\winword.exe', '\\excel.exe', '\\powerpnt.exe']\n    Image|endswith: ['\\${tool}.exe', '\\cmd.exe', '\\powershell.exe']\n  filter:\n    CommandLine|contains: '${w1}'\n  condition: selection and not filter`
            : `  selection:\n    Image|endswith: '\\${tool}.exe'\n    CommandLine|windash|contains: ' -${tool.slice(0, 3)} '\n  selection_re:\n    CommandLine|re: '(?i)${tool}\\.exe\\s+[/-]\\w+'\n  condition: 1 of selection*`;
    out.push(`title: Generated ${i}\nlogsource: {product: windows, category: process_creation}\ndetection:\n${det}\n`);
  }
  return out;
}

function records(n: number): Record<string, unknown>[] {
  const images = ['C:\\Windows\\System32\\svchost.exe', 'C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Windows\\System32\\conhost.exe', 'C:\\Windows\\explorer.exe', ...TOOLS.map((t) => `C:\\Windows\\System32\\${t}.exe`)];
  const parents = ['C:\\Windows\\explorer.exe', 'C:\\Windows\\System32\\services.exe', 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', 'C:\\Windows\\System32\\svchost.exe'];
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const image = images[(i * 31) % images.length];
    const exe = image.slice(image.lastIndexOf('\\') + 1);
    const args = i % 50 === 0 ? ` ${WORDS[i % WORDS.length]} http://198.51.100.${i % 255}/a.txt` : ` --type=renderer --field-trial-handle=${1000 + (i % 9000)},${i} --lang=en-US /prefetch:${i % 8}`;
    out.push({
      EventID: 1,
      UtcTime: '2024-05-01 12:00:00.000',
      ProcessGuid: `{${(i * 2654435761) >>> 0}-0000-0000-0000-000000000000}`,
      ProcessId: 1000 + (i % 50000),
      Image: image,
      OriginalFileName: exe.toUpperCase(),
      CommandLine: `"${image}"${args}`,
      CurrentDirectory: 'C:\\Windows\\system32\\',
      User: i % 3 === 0 ? 'NT AUTHORITY\\SYSTEM' : 'CORP\\alice',
      IntegrityLevel: 'Medium',
      Hashes: 'SHA256=0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF',
      ParentImage: parents[i % parents.length],
      ParentCommandLine: parents[i % parents.length],
    });
  }
  return out;
}

const resolver: FieldResolver = {
  field: (name) => (record) => (record as Record<string, unknown>)[name],
  keywords: (_record, text) => text,
};

function main(): void {
  const texts = [...readdirSync(FIXTURES).filter((f) => f.endsWith('.yml')).map((f) => readFileSync(join(FIXTURES, f), 'utf8')), ...generatedRules(60)];
  const rules = texts.flatMap((t) => parseSigma(t, 'bench')) as SigmaRule[];
  const recs = records(20_000);
  const texts2 = recs.map((r) => JSON.stringify(r));
  const shared = detectionCompiler(resolver);
  for (const [label, preds] of [
    ['alone (compileDetection)', rules.map((r) => compileDetection(r, resolver))],
    ['together (detectionCompiler)', rules.map((r) => shared.compile(r))],
  ] as [string, Predicate[]][]) {
    let matches = 0;
    const run = () => {
      for (let i = 0; i < recs.length; i++) {
        const r = recs[i];
        const t = texts2[i];
        for (let j = 0; j < preds.length; j++) if (preds[j](r, t)) matches++;
      }
    };
    for (let w = 0; w < 3; w++) run(); // warm-up
    matches = 0;
    const rounds = 10;
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < rounds; k++) run();
    const ns = Number(process.hrtime.bigint() - t0);
    const perRule = ns / (rounds * recs.length * preds.length);
    console.log(`${label}: ${preds.length} rules × ${recs.length} records × ${rounds} rounds in ${(ns / 1e6).toFixed(0)} ms`);
    console.log(`  ${perRule.toFixed(1)} ns per rule per record; ${((perRule * preds.length) / 1000).toFixed(2)} µs per record for all rules; ${(1e9 / (perRule * preds.length)).toFixed(0)} records/s on one core; matches per round ${matches / rounds}`);
  }
}

main();
