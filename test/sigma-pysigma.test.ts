/**
 * seclog's Sigma compiler against pySigma's own conversion: every rule of a corpus (handwritten rules exercising each
 * modifier and condition form, plus real SigmaHQ rules in test/fixtures/sigma/) is converted by pySigma's SQLite
 * backend (pysigma-backend-sqlite, PyPI, test only) and run on a SQLite table of the same flat records
 * (test/fixtures/sigma/pysigma_sql.py); the record ids each rule matches must be the same as our compiler's.
 *
 * Known, deliberate differences are kept out of the corpus (each with its reason where it would arise):
 * - records hold no explicit nulls: SQLite cannot tell an absent column from a null one, while `|exists: true` is true
 *   for a present null field per the Sigma specification (we follow the specification);
 * - values are ASCII (apart from the windash dashes): SQLite's LIKE and NOCASE fold ASCII case only, we fold Unicode;
 * - IPv6 addresses are in their canonical compressed lower-case form: pySigma turns `|cidr` into text prefixes
 *   (fe80::/10 → fe8*, fe9*, …), we compare addresses, so `FE80:0:0::1` only matches for us;
 * - `utf16le` is `wide` (pySigma 2.0.1 knows only the latter name);
 * - no `utf16` (with BOM) rule: pySigma writes the BOM as U+FEFF (UTF-8 EF BB BF), the specification as FF FE;
 * - numeric fields hold numbers only: in SQLite any text is greater than any number, so `|gt` would match text.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileDetection } from '../src/siem/rules/sigma/compile.js';
import { derivedId, parseSigma } from '../src/siem/rules/sigma/parse.js';
import type { FieldResolver, SigmaRule } from '../src/siem/rules/types.js';
import { pythonPath } from './services.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'sigma');

/** Handwritten rules: name → detection (YAML, indented under `detection:`). */
const HANDWRITTEN: Record<string, string> = {
  equals: `sel:\n    Image: 'C:\\Windows\\System32\\cmd.exe'\n  condition: sel`,
  endswith_list: `sel:\n    Image|endswith: ['\\cmd.exe', '\\pwsh.exe']\n  condition: sel`,
  startswith: `sel:\n    Image|startswith: 'c:\\windows\\'\n  condition: sel`,
  contains_all: `sel:\n    CommandLine|contains|all: ['-enc', 'powershell']\n  condition: sel`,
  wildcard_qmark: `sel:\n    Image: 'C:\\q?x.exe'\n  condition: sel`,
  wildcard_middle: `sel:\n    CommandLine: 'powershell*-enc*'\n  condition: sel`,
  wildcard_star_prefix: `sel:\n    Image: '*\\System32\\c*.exe'\n  condition: sel`,
  escaped_star: `sel:\n    Image: 'D:\\x\\a\\*b.exe'\n  condition: sel`,
  escaped_backslash_then_wildcard: `sel:\n    Image: 'C:\\\\*'\n  condition: sel`,
  null_value: `sel:\n    EventID: 1\n    CommandLine: null\n  condition: sel`,
  not_null: `sel:\n    EventID: 1\n  filter:\n    CommandLine: null\n  condition: sel and not filter`,
  empty_string: `sel:\n    CommandLine: ''\n  condition: sel`,
  exists_true: `sel:\n    DestinationIp|exists: true\n  condition: sel`,
  exists_false: `sel:\n    Port|exists: false\n    EventID: 3\n  condition: sel`,
  number: `sel:\n    EventID: 4625\n  condition: sel`,
  number_list: `sel:\n    EventID: [4624, 4625]\n  condition: sel`,
  number_as_string: `sel:\n    EventID: '3'\n  condition: sel`,
  gt: `sel:\n    Port|gt: 1024\n  condition: sel`,
  lte: `sel:\n    Port|lte: 443\n  condition: sel`,
  gte_lt: `sel:\n    Port|gte: 80\n  sel2:\n    Port|lt: 3389\n  condition: sel and sel2`,
  re: `sel:\n    CommandLine|re: '-[eE][nN][cC]\\s'\n  condition: sel`,
  re_i: `sel:\n    CommandLine|re|i: 'invoke-(mimikatz|expression)'\n  condition: sel`,
  re_anchored: `sel:\n    CommandLine|re: '^powershell'\n  condition: sel`,
  cidr_v4: `sel:\n    DestinationIp|cidr: ['10.0.0.0/8', '172.16.0.0/12']\n  condition: sel`,
  cidr_v4_odd: `sel:\n    DestinationIp|cidr: '192.168.1.0/25'\n  condition: sel`,
  cidr_v6: `sel:\n    DestinationIp|cidr: ['fe80::/10', 'fc00::/7', '::1/128']\n  condition: sel`,
  windash: `sel:\n    CommandLine|windash|contains: ' -enc '\n  condition: sel`,
  windash_two: `sel:\n    CommandLine|windash|contains: ' -nop -w '\n  condition: sel`,
  base64_contains: `sel:\n    CommandLine|base64|contains: 'whoami'\n  condition: sel`,
  base64offset: `sel:\n    CommandLine|base64offset|contains: 'Invoke-Mimikatz'\n  condition: sel`,
  wide_base64offset: `sel:\n    CommandLine|wide|base64offset|contains: 'ping'\n  condition: sel`,
  wide_base64offset_list: `sel:\n    CommandLine|wide|base64offset|contains: ['IEX', 'whoami']\n  condition: sel`,
  cased: `sel:\n    Image|endswith|cased: '\\cmd.exe'\n  condition: sel`,
  cased_contains: `sel:\n    CommandLine|contains|cased: 'Invoke'\n  condition: sel`,
  keywords: `keywords:\n    - 'mimikatz'\n    - 'sekurlsa'\n  condition: keywords`,
  keywords_all: `keywords:\n    '|all':\n      - 'powershell'\n      - 'hidden'\n  condition: keywords`,
  keywords_and_field: `keywords:\n    - 'admin'\n  sel:\n    EventID: 4625\n  condition: keywords and sel`,
  one_of: `sel_a:\n    User: admin\n  sel_b:\n    EventID: 4624\n  other:\n    Port: 80\n  condition: 1 of sel_*`,
  all_of: `sel_a:\n    User: admin\n  sel_b:\n    EventID: 4624\n  condition: all of sel_*`,
  one_of_them: `a:\n    User: bob\n  b:\n    Port: 8080\n  _c:\n    EventID: 1\n  condition: 1 of them`,
  all_of_them: `a:\n    User|startswith: admin\n  b:\n    Port|gt: 100\n  condition: all of them`,
  precedence: `a:\n    User: bob\n  b:\n    EventID: 4625\n  c:\n    Port: 443\n  condition: a or b and not c`,
  parentheses: `a:\n    User: bob\n  b:\n    EventID: 4625\n  c:\n    Port: 443\n  condition: (a or b) and not c`,
  not_one_of: `sel:\n    EventID: 1\n  filter_a:\n    Image|endswith: '\\cmd.exe'\n  filter_b:\n    User: bob\n  condition: sel and not 1 of filter_*`,
  list_of_maps: `sel:\n    - Image|endswith: '\\pwsh.exe'\n    - User: ADMINISTRATOR\n      EventID: 4624\n  condition: sel`,
  fieldref: `sel:\n    ParentImage|fieldref: Image\n  condition: sel`,
  fieldref_endswith: `sel:\n    Image|fieldref|endswith: ImageName\n  condition: sel`,
  neq: `sel:\n    EventID: 1\n    User|neq: admin\n  condition: sel`,
  condition_list: `a:\n    User: bob\n  b:\n    Port: 80\n  condition:\n    - a\n    - b`,
};

const IMAGES = ['C:\\Windows\\System32\\cmd.exe', 'c:\\windows\\system32\\CMD.EXE', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'C:\\tools\\pwsh.exe', 'C:\\cmd.exe.bak', 'C:\\Windows\\wuauclt.exe', 'D:\\x\\a*b.exe', 'D:\\x\\aXb.exe', 'C:\\qzx.exe', 'C:\\qx.exe', 'C:\\', 'C:\\Q1X.EXE', ''];
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const b64w = (s: string) => Buffer.from(s, 'utf16le').toString('base64');
const COMMANDS = [
  'powershell -enc JABzAD0A', 'powershell.exe -nop -w hidden -enc SQBFAFgA', 'powershell /enc aWV4I', 'powershell \u2013enc IAB', 'POWERSHELL -ENC x', 'powershell-enc',
  'cmd.exe /c echo J9kzQ2Y0qO |C:\\ProgramData\\anydesk.exe --set-password', 'cmd /c echo x', ' --set-password',
  `powershell -e ${b64('whoami /all')}`, `powershell -e ${b64('x whoami')}`, `powershell -e ${b64('xy IEX (New-Object); Invoke-Mimikatz')}`, `powershell -e ${b64('xyz Invoke-Mimikatz -DumpCreds')}`,
  `powershell -e ${b64w('ping 10.0.0.1')}`, `powershell -e ${b64w('a ping')}`, `powershell -e ${b64w('ab IEX')}`, `powershell -e ${b64w('whoami')}`, `-e ${b64('::FromBase64String(')}`, `-e ${b64('a::FromBase64String(')}`,
  'powershell.exe -nop /w hidden', 'powershell.exe /nop /w hidden', 'powershell.exe \u2014nop \u2015w hidden', 'p -nop-w',
  'Invoke-Expression foo', 'invoke-mimikatz', 'INVOKE-EXPRESSION', '[Ref].Assembly AmsiUtils', 'amsiinitfailed', 'mimikatz.exe sekurlsa::logonpasswords', 'SEKURLSA',
  'wuauclt.exe /UpdateDeploymentProvider x.dll /RunHandlerComServer', 'wuauclt.exe /RunHandlerComServer C:\\Windows\\UUS\\amd64\\UpdateDeploy.dll /ClassId', '',
  'net user admin', 'powershell.exe -ExecutionPolicy remotesigned -enc JAB', 'x.exe -ENCOD y', 'ping -n 1 host',
];
const FIELDS: Record<string, readonly unknown[]> = {
  Image: IMAGES,
  CommandLine: COMMANDS,
  OriginalFileName: ['PowerShell.EXE', 'powershell.exe', 'pwsh.dll', 'cmd.exe'],
  EventID: [1, '1', 3, '3', 4624, '4624', 4625, 4688],
  DestinationIp: ['10.1.2.3', '10.255.255.255', '11.0.0.1', '172.15.0.1', '172.16.5.5', '172.31.255.1', '192.168.1.1', '192.168.1.200', '8.8.8.8', '20.185.1.1', '52.230.0.1', 'fe80::1', 'febf::1', 'fec0::1', 'fc00::5', 'fd12::1', '2001:db8::1', '::1', '::2'],
  Port: [22, 80, 443, 1024, 1025, 3389, 8080],
  User: ['admin', 'ADMIN', 'Administrator', 'bob', 'BOB', 'alice'],
  ParentImage: [...IMAGES.slice(0, 4), 'C:\\Windows\\explorer.exe'],
  ImageName: ['cmd.exe', 'CMD.EXE', 'pwsh.exe', 'explorer.exe'],
};

/** Deterministic records: each field present with probability 0.7, its value drawn from its list. */
function records(n: number): Record<string, unknown>[] {
  let seed = 0x5eed;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: Record<string, unknown>[] = [];
  // First, one record per value of each field alone (every value is seen), then random mixtures.
  for (const [f, values] of Object.entries(FIELDS)) for (const v of values) out.push({ [f]: v, EventID: 1 });
  while (out.length < n) {
    const r: Record<string, unknown> = {};
    for (const [f, values] of Object.entries(FIELDS)) if (rand() < 0.7) r[f] = values[Math.floor(rand() * values.length)];
    out.push(r);
  }
  return out;
}

const keywordText = (r: Record<string, unknown>) => Object.values(r).map(String).join(' ');
const resolver: FieldResolver = {
  field: (name) => (record) => (record as Record<string, unknown>)[name],
  keywords: (record) => keywordText(record as Record<string, unknown>),
};

function corpus(): { name: string; yaml: string }[] {
  const hand = Object.entries(HANDWRITTEN).map(([name, det]) => ({ name, yaml: `title: ${name}\nid: ${derivedId(name)}\nlogsource: {product: test}\ndetection:\n  ${det}\n` }));
  const real = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => ({ name: f, yaml: readFileSync(join(FIXTURES, f), 'utf8') }));
  return [...hand, ...real];
}

describe('Sigma compiler against pySigma (sqlite backend)', () => {
  const rules = corpus();
  const recs = records(600);

  it('matches the same records as pySigma, rule by rule', () => {
    const input = JSON.stringify({ rules, records: recs, keywords: recs.map(keywordText) });
    const out = execFileSync('python3', [join(FIXTURES, 'pysigma_sql.py')], {
      input,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, PYTHONPATH: pythonPath('pysigma-backend-sqlite', '2.1.1') },
    });
    const ref = JSON.parse(out) as { matches: Record<string, number[]>; errors: Record<string, string>; queries: Record<string, string> };
    expect(ref.errors).toEqual({});
    expect(Object.keys(ref.matches).length).toBeGreaterThanOrEqual(30);
    expect(Object.keys(ref.matches).length).toBe(rules.length);
    // pySigma must have matched something: an empty reference would make every comparison vacuous.
    const total = Object.values(ref.matches).reduce((n, m) => n + m.length, 0);
    expect(total).toBeGreaterThan(rules.length);
    const diffs: string[] = [];
    for (const { name, yaml } of rules) {
      const [rule] = parseSigma(yaml, name) as SigmaRule[];
      const p = compileDetection(rule, resolver);
      const ours = recs.flatMap((r, i) => (p(r, keywordText(r)) ? [i] : []));
      const theirs = ref.matches[name];
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
        const extra = ours.filter((i) => !theirs.includes(i)).slice(0, 3).map((i) => JSON.stringify(recs[i]));
        const missing = theirs.filter((i) => !ours.includes(i)).slice(0, 3).map((i) => JSON.stringify(recs[i]));
        diffs.push(`${name}: ours ${ours.length}, pySigma ${theirs.length}\n  query: ${ref.queries[name]}\n  only ours: ${extra.join('\n    ')}\n  only pySigma: ${missing.join('\n    ')}`);
      }
    }
    expect(diffs.join('\n')).toBe('');
  });

  it('covers every rule with matches and misses', () => {
    const nonTrivial = rules.filter(({ name, yaml }) => {
      const p = compileDetection((parseSigma(yaml, name) as SigmaRule[])[0], resolver);
      const n = recs.filter((r) => p(r, keywordText(r))).length;
      return n > 0 && n < recs.length;
    });
    expect(nonTrivial.map((r) => r.name)).toEqual(rules.map((r) => r.name));
  });
});
