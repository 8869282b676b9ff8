/**
 * The Sigma parser, compiler and correlation runtime (src/siem/rules/sigma/): every modifier, wildcard and escape,
 * null and exists, numbers, arrays, keywords, each condition form and its precedence, the error messages, and the
 * correlation types on sliding event-time windows.
 */
import { describe, expect, it } from 'vitest';
import { compileDetection, detectionCompiler } from '../src/siem/rules/sigma/compile.js';
import { Correlator } from '../src/siem/rules/sigma/correlate.js';
import { derivedId, parseSigma, parseTimespan, SigmaError } from '../src/siem/rules/sigma/parse.js';
import type { FieldResolver, Predicate, SigmaCorrelation, SigmaRule } from '../src/siem/rules/types.js';

const resolver: FieldResolver = {
  field: (name) => (record) => (record as Record<string, unknown>)[name],
  keywords: (record, text) => text || Object.values(record as Record<string, unknown>).join(' '),
};

function rule(detection: string, extra = ''): SigmaRule {
  const [r] = parseSigma(`title: T\nlogsource: {product: test}\n${extra}detection:\n${detection}\n`, 'test.yml');
  return r as SigmaRule;
}

/** A predicate from a detection written with two-space indentation under `detection:`. */
function p(detection: string): Predicate {
  return compileDetection(rule(detection), resolver);
}

const m = (pred: Predicate, record: Record<string, unknown>, text = '') => pred(record, text);

function errorOf(yaml: string): string {
  try {
    parseSigma(yaml, 'rules/x.yml');
  } catch (e) {
    expect(e).toBeInstanceOf(SigmaError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('Sigma values and modifiers', () => {
  it('matches plain strings whole and case-insensitively', () => {
    const pred = p(`  sel:\n    Image: 'C:\\Windows\\cmd.exe'\n  condition: sel`);
    expect(m(pred, { Image: 'c:\\windows\\CMD.EXE' })).toBe(true);
    expect(m(pred, { Image: 'C:\\Windows\\cmd.exe ' })).toBe(false);
    expect(m(pred, { Image: 'x C:\\Windows\\cmd.exe' })).toBe(false);
    expect(m(pred, {})).toBe(false);
  });

  it('contains, startswith, endswith, and value lists (OR) and all (AND)', () => {
    expect(m(p(`  sel:\n    F|contains: bAr\n  condition: sel`), { F: 'foobarbaz' })).toBe(true);
    expect(m(p(`  sel:\n    F|startswith: foo\n  condition: sel`), { F: 'FOObar' })).toBe(true);
    expect(m(p(`  sel:\n    F|startswith: foo\n  condition: sel`), { F: 'xfoo' })).toBe(false);
    expect(m(p(`  sel:\n    F|endswith: ['.exe', '.dll']\n  condition: sel`), { F: 'a.DLL' })).toBe(true);
    const all = p(`  sel:\n    F|contains|all: ['-nop', 'hidden']\n  condition: sel`);
    expect(m(all, { F: 'ps -nop -w hidden' })).toBe(true);
    expect(m(all, { F: 'ps -nop' })).toBe(false);
  });

  it('wildcards * and ?, and backslash escapes', () => {
    const q = p(`  sel:\n    F: 'prog?.exe'\n  condition: sel`);
    expect(m(q, { F: 'progA.exe' })).toBe(true);
    expect(m(q, { F: 'prog.exe' })).toBe(false);
    expect(m(q, { F: 'progAB.exe' })).toBe(false);
    const star = p(`  sel:\n    F: 'a*b*c'\n  condition: sel`);
    expect(m(star, { F: 'aXXbYYc' })).toBe(true);
    expect(m(star, { F: 'abc' })).toBe(true);
    expect(m(star, { F: 'acb' })).toBe(false);
    const escaped = p(`  sel:\n    F: 'a\\*b'\n  condition: sel`);
    expect(m(escaped, { F: 'a*b' })).toBe(true);
    expect(m(escaped, { F: 'aXb' })).toBe(false);
    const escQ = p(`  sel:\n    F: 'why\\?'\n  condition: sel`);
    expect(m(escQ, { F: 'why?' })).toBe(true);
    expect(m(escQ, { F: 'whyX' })).toBe(false);
    // \\* : a backslash, then a wildcard; a lone backslash before another character is itself.
    const bs = p(`  sel:\n    F: 'C:\\\\*'\n  condition: sel`);
    expect(m(bs, { F: 'C:\\anything' })).toBe(true);
    expect(m(bs, { F: 'C:anything' })).toBe(false);
    expect(m(p(`  sel:\n    F: 'C:\\Temp'\n  condition: sel`), { F: 'c:\\temp' })).toBe(true);
    // Regex metacharacters in a wildcard pattern are plain.
    expect(m(p(`  sel:\n    F: '(a.b)*'\n  condition: sel`), { F: '(a.b)x' })).toBe(true);
    expect(m(p(`  sel:\n    F: '(a.b)*'\n  condition: sel`), { F: '(aXb)x' })).toBe(false);
    expect(m(p(`  sel:\n    F: '*'\n  condition: sel`), { F: '' })).toBe(true);
    expect(m(p(`  sel:\n    F: '*'\n  condition: sel`), {})).toBe(false);
  });

  it('null: absent, null or an empty array; not an empty string', () => {
    const pred = p(`  sel:\n    F: null\n  condition: sel`);
    expect(m(pred, {})).toBe(true);
    expect(m(pred, { F: null })).toBe(true);
    expect(m(pred, { F: [] })).toBe(true);
    expect(m(pred, { F: '' })).toBe(false);
    expect(m(pred, { F: 'x' })).toBe(false);
    expect(m(p(`  sel:\n    F: ''\n  condition: sel`), { F: '' })).toBe(true);
    expect(m(p(`  sel:\n    F: ''\n  condition: sel`), {})).toBe(false);
  });

  it('exists: presence only (a null field exists)', () => {
    const yes = p(`  sel:\n    F|exists: true\n  condition: sel`);
    const no = p(`  sel:\n    F|exists: false\n  condition: sel`);
    expect([m(yes, { F: 'x' }), m(yes, { F: null }), m(yes, { F: '' }), m(yes, {})]).toEqual([true, true, true, false]);
    expect([m(no, { F: 'x' }), m(no, {})]).toEqual([false, true]);
  });

  it('numbers match numbers and numeric strings; strings match numbers by text; booleans', () => {
    const n = p(`  sel:\n    EventID: 4625\n  condition: sel`);
    expect([m(n, { EventID: 4625 }), m(n, { EventID: '4625' }), m(n, { EventID: 4624 }), m(n, { EventID: '4625x' })]).toEqual([true, true, false, false]);
    expect(m(p(`  sel:\n    EventID: '4625'\n  condition: sel`), { EventID: 4625 })).toBe(true);
    const b = p(`  sel:\n    Flag: true\n  condition: sel`);
    expect([m(b, { Flag: true }), m(b, { Flag: 'True' }), m(b, { Flag: false }), m(b, { Flag: 1 })]).toEqual([true, true, false, false]);
  });

  it('lt, lte, gt, gte compare numbers and numeric strings only', () => {
    const gt = p(`  sel:\n    Port|gt: 1024\n  condition: sel`);
    expect([m(gt, { Port: 1025 }), m(gt, { Port: '2000' }), m(gt, { Port: 1024 }), m(gt, { Port: 'abc' }), m(gt, {})]).toEqual([true, true, false, false, false]);
    expect(m(p(`  sel:\n    Port|gte: 1024\n  condition: sel`), { Port: 1024 })).toBe(true);
    expect(m(p(`  sel:\n    Port|lt: 10\n  condition: sel`), { Port: 9.5 })).toBe(true);
    expect(m(p(`  sel:\n    Port|lte: 10\n  condition: sel`), { Port: 11 })).toBe(false);
  });

  it('arrays: any element matches; with all, each value by some element', () => {
    const any = p(`  sel:\n    Tags|endswith: admin\n  condition: sel`);
    expect(m(any, { Tags: ['x', 'domain admin'] })).toBe(true);
    expect(m(any, { Tags: ['x', 'y'] })).toBe(false);
    const all = p(`  sel:\n    Tags|all: [a, b]\n  condition: sel`);
    expect(m(all, { Tags: ['B', 'c', 'A'] })).toBe(true);
    expect(m(all, { Tags: ['a', 'c'] })).toBe(false);
    expect(m(p(`  sel:\n    Ids: 5\n  condition: sel`), { Ids: [1, '5'] })).toBe(true);
  });

  it('re with i, m, s; case-sensitive by default; a leading (?i) becomes a flag', () => {
    expect(m(p(`  sel:\n    F|re: 'ab+c'\n  condition: sel`), { F: 'xxabbbc' })).toBe(true);
    expect(m(p(`  sel:\n    F|re: 'ab+c'\n  condition: sel`), { F: 'ABC' })).toBe(false);
    expect(m(p(`  sel:\n    F|re|i: 'ab+c'\n  condition: sel`), { F: 'ABC' })).toBe(true);
    expect(m(p(`  sel:\n    F|re: '(?i)ab+c'\n  condition: sel`), { F: 'ABC' })).toBe(true);
    expect(m(p(`  sel:\n    F|re: '^b$'\n  condition: sel`), { F: 'a\nb' })).toBe(false);
    expect(m(p(`  sel:\n    F|re|m: '^b$'\n  condition: sel`), { F: 'a\nb' })).toBe(true);
    expect(m(p(`  sel:\n    F|re: 'a.b'\n  condition: sel`), { F: 'a\nb' })).toBe(false);
    expect(m(p(`  sel:\n    F|re|s: 'a.b'\n  condition: sel`), { F: 'a\nb' })).toBe(true);
    expect(m(p(`  sel:\n    F|re: '^4\\d+'\n  condition: sel`), { F: 4625 })).toBe(true);
  });

  it('cased', () => {
    const c = p(`  sel:\n    F|contains|cased: Invoke\n  condition: sel`);
    expect([m(c, { F: 'x Invoke y' }), m(c, { F: 'x invoke y' })]).toEqual([true, false]);
  });

  it('cidr, IPv4 and IPv6', () => {
    const v4 = p(`  sel:\n    Ip|cidr: ['10.0.0.0/8', '192.168.1.0/25']\n  condition: sel`);
    expect(['10.2.3.4', '11.0.0.0', '192.168.1.127', '192.168.1.128', 'x', '10.0.0.256'].map((Ip) => m(v4, { Ip }))).toEqual([true, false, true, false, false, false]);
    const v6 = p(`  sel:\n    Ip|cidr: ['fe80::/10', '::1/128', '2001:db8::/32']\n  condition: sel`);
    expect(['fe80::1', 'FEBF:0:0::1', 'fec0::1', '::1', '::2', '2001:DB8:ffff::1', '2001:db9::1', '10.0.0.1'].map((Ip) => m(v6, { Ip }))).toEqual([true, true, false, true, false, true, false, false]);
    expect(m(p(`  sel:\n    Ip|cidr: '::ffff:0:0/96'\n  condition: sel`), { Ip: '::ffff:10.1.2.3' })).toBe(true);
    expect(m(p(`  sel:\n    Ip|cidr: '0.0.0.0/0'\n  condition: sel`), { Ip: '1.2.3.4' })).toBe(true);
  });

  it('windash: each dash at a word start becomes -, /, en dash, em dash, horizontal bar', () => {
    const w = p(`  sel:\n    C|windash|contains: ' -nop -enc '\n  condition: sel`);
    expect(m(w, { C: 'ps -nop -enc x' })).toBe(true);
    expect(m(w, { C: 'ps /nop \u2013enc x' })).toBe(true);
    expect(m(w, { C: 'ps \u2014nop \u2015enc x' })).toBe(true);
    expect(m(w, { C: 'ps +nop -enc x' })).toBe(false);
    // A dash inside a word is left alone.
    const inner = p(`  sel:\n    C|windash: 'a-b'\n  condition: sel`);
    expect([m(inner, { C: 'a-b' }), m(inner, { C: 'a/b' })]).toEqual([true, false]);
  });

  it('base64, base64offset, and utf16le/wide/utf16be/utf16 under base64offset', () => {
    const b = p(`  sel:\n    C|base64: 'whoami'\n  condition: sel`);
    expect(m(b, { C: 'd2hvYW1p' })).toBe(true);
    const off = p(`  sel:\n    C|base64offset|contains: 'Invoke-Mimikatz'\n  condition: sel`);
    for (const prefix of ['', 'a', 'ab', 'abc']) expect(m(off, { C: `-e ${Buffer.from(`${prefix}Invoke-Mimikatz -x`).toString('base64')}` })).toBe(true);
    expect(m(off, { C: Buffer.from('Invoke-Mimikats').toString('base64') })).toBe(false);
    for (const [mod, enc] of [['utf16le', 'utf16le'], ['wide', 'utf16le']] as const) {
      const w = p(`  sel:\n    C|${mod}|base64offset|contains: 'ping'\n  condition: sel`);
      for (const prefix of ['', 'x', 'xy']) expect(m(w, { C: Buffer.from(`${prefix}ping 1.1.1.1`, enc).toString('base64') })).toBe(true);
      expect(m(w, { C: Buffer.from('ping').toString('base64') })).toBe(false);
    }
    const be = p(`  sel:\n    C|utf16be|base64offset|contains: 'ping'\n  condition: sel`);
    expect(m(be, { C: Buffer.from('ping', 'utf16le').swap16().toString('base64') })).toBe(true);
    const bom = p(`  sel:\n    C|utf16|base64: 'ab'\n  condition: sel`);
    expect(m(bom, { C: Buffer.from([0xff, 0xfe, 0x61, 0, 0x62, 0]).toString('base64') })).toBe(true);
  });

  it('fieldref compares two fields; neq negates', () => {
    const f = p(`  sel:\n    A|fieldref: B\n  condition: sel`);
    expect([m(f, { A: 'X', B: 'x' }), m(f, { A: 'x', B: 'y' }), m(f, { A: 'x' })]).toEqual([true, false, false]);
    expect(m(p(`  sel:\n    A|fieldref|endswith: B\n  condition: sel`), { A: 'C:\\cmd.exe', B: 'CMD.EXE' })).toBe(true);
    const neq = p(`  sel:\n    U|neq: admin\n  condition: sel`);
    expect([m(neq, { U: 'ADMIN' }), m(neq, { U: 'bob' })]).toEqual([false, true]);
  });

  it('keywords: lists of plain values, a bare value, and |all, searched case-insensitively', () => {
    const kw = p(`  keywords:\n    - mimikatz\n    - 'sekurlsa::*'\n  condition: keywords`);
    expect(m(kw, {}, 'run MIMIKATZ now')).toBe(true);
    expect(m(kw, {}, 'sekurlsa::logonpasswords')).toBe(true);
    expect(m(kw, {}, 'sekurlsa')).toBe(false);
    const all = p(`  keywords:\n    '|all':\n      - powershell\n      - hidden\n  condition: keywords`);
    expect([m(all, {}, 'powershell -w hidden'), m(all, {}, 'powershell')]).toEqual([true, false]);
    expect(m(p(`  kw: evil\n  condition: kw`), {}, 'an EVIL thing')).toBe(true);
    expect(m(p(`  kw: [4625]\n  condition: kw`), {}, 'event 4625 failed')).toBe(true);
  });

  it('a list of maps is OR; a map is AND', () => {
    const pred = p(`  sel:\n    - A: 1\n      B: 2\n    - C: 3\n  condition: sel`);
    expect([m(pred, { A: 1, B: 2 }), m(pred, { A: 1 }), m(pred, { C: 3 })]).toEqual([true, false, true]);
  });

  it('rules compiled together read each field once per record', () => {
    const reads: string[] = [];
    const counting: FieldResolver = { field: (name) => (record) => (reads.push(name), (record as Record<string, unknown>)[name]), keywords: (_r, t) => t };
    const c = detectionCompiler(counting);
    const a = c.compile(rule(`  sel:\n    Image|endswith: x.exe\n  condition: sel`));
    const b = c.compile(rule(`  sel:\n    Image|contains: tmp\n    User: bob\n  condition: sel`));
    const r1 = { Image: 'C:\\TMP\\x.exe', User: 'bob' };
    expect([a(r1, ''), b(r1, ''), a(r1, '')]).toEqual([true, true, true]);
    expect(reads).toEqual(['Image', 'User']);
    const r2 = { Image: 'y.exe', User: 'bob' };
    expect([a(r2, ''), b(r2, '')]).toEqual([false, false]);
    expect(reads).toEqual(['Image', 'User', 'Image']);
  });

  it('never throws at match time, whatever the record', () => {
    const pred = p(`  sel:\n    A|contains: x\n    B|cidr: 10.0.0.0/8\n    C|gt: 3\n  kw: [y]\n  condition: sel or kw`);
    const throwing: FieldResolver = { field: () => () => { throw new Error('boom'); }, keywords: () => { throw new Error('boom'); } };
    const q = compileDetection(rule(`  sel:\n    A: x\n  kw: [y]\n  condition: sel or kw`), throwing);
    for (const r of [null, undefined, 5, 'str', [], { A: { nested: 1 } }, { A: [[1]], B: 12, C: {} }]) {
      expect(() => pred(r, '')).not.toThrow();
      expect(q(r, '')).toBe(false);
    }
  });
});

describe('Sigma conditions', () => {
  const d = `  a:\n    A: 1\n  b:\n    B: 1\n  c:\n    C: 1\n  sel_x:\n    X: 1\n  sel_y:\n    Y: 1\n  _hidden:\n    H: 1\n`;
  const c = (cond: string) => p(`${d}  condition: ${cond}`);
  const rec = (keys: string) => Object.fromEntries([...keys].map((k) => [k.toUpperCase(), 1]));

  it('and, or, not and their precedence (not > and > or)', () => {
    const pred = c('a or b and not c');
    expect([m(pred, rec('a')), m(pred, rec('b')), m(pred, rec('bc')), m(pred, rec('ac'))]).toEqual([true, true, false, true]);
    const paren = c('(a or b) and not c');
    expect([m(paren, rec('ac')), m(paren, rec('a'))]).toEqual([false, true]);
    expect(m(c('not a and b'), rec('b'))).toBe(true);
    expect(m(c('not (a and b)'), rec('ab'))).toBe(false);
    expect(m(c('not not a'), rec('a'))).toBe(true);
  });

  it('1 of, any of, all of a pattern; them excludes _identifiers', () => {
    expect([m(c('1 of sel_*'), rec('y')), m(c('1 of sel_*'), rec('a'))]).toEqual([true, false]);
    expect(m(c('any of sel_*'), rec('x'))).toBe(true);
    expect([m(c('all of sel_*'), rec('xy')), m(c('all of sel_*'), rec('x'))]).toEqual([true, false]);
    expect([m(c('1 of them'), rec('h')), m(c('1 of them'), rec('c'))]).toEqual([false, true]);
    expect([m(c('all of them'), rec('abcxy')), m(c('all of them'), rec('abcxyh'))]).toEqual([true, true]);
    expect(m(c('1 of _*'), rec('h'))).toBe(true);
    expect(m(c('a and not 1 of sel_*'), rec('ax'))).toBe(false);
    expect(m(c('not 1 of sel_* and a'), rec('a'))).toBe(true);
  });

  it('a condition list is OR', () => {
    const pred = p(`${d}  condition:\n    - a\n    - b`);
    expect([m(pred, rec('b')), m(pred, rec('c'))]).toEqual([true, false]);
  });
});

describe('Sigma parsing and errors', () => {
  const base = 'title: Foo\nlogsource: {product: windows}\n';

  it('names the file, rule, key, value and what is allowed, on one line', () => {
    expect(errorOf(`${base}detection:\n  selection:\n    Image|foo: x\n  condition: selection\n`)).toBe(
      'rules/x.yml: rule "Foo": detection.selection.Image|foo: unknown modifier "foo" (allowed: contains, startswith, endswith, all, re, i, m, s, ignorecase, multiline, dotall, cidr, windash, base64, base64offset, utf16le, utf16be, utf16, wide, exists, lt, lte, gt, gte, cased, neq, fieldref)',
    );
    expect(errorOf(`${base}level: severe\ndetection:\n  sel:\n    A: 1\n  condition: sel\n`)).toBe('rules/x.yml: rule "Foo": level: unknown level "severe" (allowed: informational, low, medium, high, critical)');
    expect(errorOf(`${base}detection:\n  sel:\n    A: 1\n  condition: sel and other\n`)).toBe(
      'rules/x.yml: rule "Foo": detection.condition: "sel and other": unknown search identifier "other" (defined: sel) (allowed: identifiers, and, or, not, parentheses, 1/any/all of <pattern>|them)',
    );
    expect(errorOf(`${base}detection:\n  sel:\n    A|expand: '%Admins%'\n  condition: sel\n`)).toBe(
      'rules/x.yml: rule "Foo": detection.sel.A|expand: placeholders (expand) are not supported: the SIEM has no values for them; write the values in the rule (modifier "expand")',
    );
    for (const msg of [
      errorOf(`${base}detection:\n  sel:\n    A|re: '(unclosed'\n  condition: sel\n`),
      errorOf(`${base}detection:\n  sel:\n    A|cidr: 10.0.0.0/33\n  condition: sel\n`),
      errorOf(`${base}detection:\n  sel:\n    A|gt: ten\n  condition: sel\n`),
      errorOf(`${base}detection:\n  sel:\n    A|base64: 'a*'\n  condition: sel\n`),
      errorOf(`${base}detection:\n  sel:\n    A: 1\n  condition: sel | count() > 5\n`),
      errorOf(`${base}detection:\n  sel:\n    A: 1\n  condition: (sel\n`),
      errorOf(`${base}detection:\n  sel:\n    A: 1\n  condition: 1 of nothing*\n`),
      errorOf(`${base}detection:\n  sel:\n    A: 1\n`),
      errorOf(`${base}detection:\n  sel:\n    A|exists: yes-ish\n  condition: sel\n`),
      errorOf(`title: ''\ndetection: {}\n`),
      errorOf(`${base}detection:\n  sel: [\n`),
    ]) {
      expect(msg).toMatch(/^rules\/x\.yml: /);
      expect(msg).not.toContain('\n');
    }
  });

  it('defaults: level medium; an id derived from the title, stable and UUID-shaped', () => {
    const [r] = parseSigma(`${base}detection:\n  sel:\n    A: 1\n  condition: sel\n`, 'x.yml');
    expect(r.level).toBe('medium');
    expect(r.id).toBe(derivedId('Foo'));
    expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedId('Foo')).not.toBe(derivedId('Bar'));
  });

  it('reads multi-document files with detection and correlation rules', () => {
    const docs = parseSigma(
      `title: Failed login\nname: failed_login\nid: 53ba33fd-3a50-4468-a5ef-c583635cfa92\nlogsource: {product: windows, service: security}\ndetection:\n  sel:\n    EventID: 4625\n  condition: sel\n---\ntitle: Many failed\ncorrelation:\n  type: event_count\n  rules: [failed_login]\n  group-by: [TargetUserName]\n  timespan: 10m\n  condition:\n    gte: 10\nlevel: high\n`,
      'x.yml',
    );
    expect(docs.map((d) => d.kind)).toEqual(['detection', 'correlation']);
    const c = docs[1] as SigmaCorrelation;
    expect(c).toMatchObject({ type: 'event_count', rules: ['failed_login'], group_by: ['TargetUserName'], timespan_ms: 600_000, condition: { gte: 10 }, generate: false, level: 'high' });
  });

  it('timespans and correlation errors', () => {
    expect([parseTimespan('30s'), parseTimespan('5m'), parseTimespan('1h'), parseTimespan('2d')]).toEqual([30_000, 300_000, 3_600_000, 172_800_000]);
    const corr = (body: string) => errorOf(`title: C\ncorrelation:\n${body}`);
    expect(corr(`  type: event_count\n  rules: [a]\n  group-by: [u]\n  timespan: 5 minutes\n  condition: {gte: 3}\n`)).toBe(
      'rules/x.yml: rule "C": correlation.timespan: invalid timespan "5 minutes" (allowed: a positive whole number followed by s, m, h or d, e.g. 30s, 5m, 1h, 2d)',
    );
    expect(corr(`  type: event_count\n  rules: [a]\n  group-by: [u]\n  timespan: 5m\n  condition: {lt: 3}\n`)).toBe(
      'rules/x.yml: rule "C": correlation.condition.lt: lt: 3: an upper bound can only be decided when a window closes, which the streaming correlator does not do (allowed: gt, gte, neq)',
    );
    expect(corr(`  type: value_sum\n  rules: [a]\n  group-by: [u]\n  timespan: 5m\n  condition: {gte: 3, field: x}\n`)).toContain('unsupported correlation type "value_sum"');
    expect(corr(`  type: value_count\n  rules: [a]\n  group-by: [u]\n  timespan: 5m\n  condition: {gte: 3}\n`)).toContain('value_count needs the field');
    expect(corr(`  type: event_count\n  rules: []\n  group-by: [u]\n  timespan: 5m\n  condition: {gte: 3}\n`)).toContain('correlation.rules');
  });
});

describe('Sigma correlations', () => {
  function corr(body: string): SigmaCorrelation {
    return parseSigma(`title: C\ncorrelation:\n${body}`, 'c.yml')[0] as SigmaCorrelation;
  }
  const S = 1000;

  it('event_count: per group, within a sliding window', () => {
    const c = new Correlator<number>(corr(`  type: event_count\n  rules: [r]\n  group-by: [user]\n  timespan: 10s\n  condition: {gte: 3}\n`));
    expect(c.observe('r', 0, ['a'], undefined, 1)).toBeNull();
    expect(c.observe('r', 1 * S, ['b'], undefined, 2)).toBeNull();
    expect(c.observe('r', 5 * S, ['a'], undefined, 3)).toBeNull();
    const hit = c.observe('r', 10 * S, ['a'], undefined, 4);
    expect(hit).toMatchObject({ group: ['a'], count: 3, windowEnd: 10 * S, windowStart: 0, evidence: [1, 3, 4] });
    // The window slides: [6 s, 16 s] holds 10 s and 16 s only; [7 s, 17 s] three.
    expect(c.observe('r', 16 * S, ['a'], undefined, 5)).toBeNull();
    expect(c.observe('r', 17 * S, ['a'], undefined, 6)).toMatchObject({ count: 3, evidence: [4, 5, 6] });
    expect(c.observe('other', 17 * S, ['a'], undefined, 7)).toBeNull();
  });

  it('tolerates out-of-order events inside the window; ignores those before it', () => {
    const c = new Correlator<number>(corr(`  type: event_count\n  rules: [r]\n  group-by: [user]\n  timespan: 10s\n  condition: {gt: 2}\n`));
    c.observe('r', 20 * S, ['a'], undefined, 1);
    expect(c.observe('r', 5 * S, ['a'], undefined, 2)).toBeNull(); // before [10 s, 20 s]
    expect(c.observe('r', 12 * S, ['a'], undefined, 3)).toBeNull();
    expect(c.observe('r', 11 * S, ['a'], undefined, 4)).toMatchObject({ count: 3, evidence: [4, 3, 1] });
  });

  it('value_count counts distinct values per group', () => {
    const c = new Correlator<string>(corr(`  type: value_count\n  rules: [r]\n  group-by: [src]\n  timespan: 1m\n  condition: {field: user, gte: 3}\n`));
    expect(c.observe('r', 0, ['h'], 'alice', 'e1')).toBeNull();
    expect(c.observe('r', S, ['h'], 'alice', 'e2')).toBeNull();
    expect(c.observe('r', 2 * S, ['h'], 'bob', 'e3')).toBeNull();
    expect(c.observe('r', 3 * S, ['x'], 'carol', 'e4')).toBeNull();
    expect(c.observe('r', 4 * S, ['h'], undefined, 'e5')).toBeNull();
    expect(c.observe('r', 5 * S, ['h'], 'carol', 'e6')).toMatchObject({ count: 3 });
    // alice's events leave the window [2 s, 62 s]: bob, carol, dave.
    expect(c.observe('r', 62 * S, ['h'], 'dave', 'e7')).toMatchObject({ count: 3 });
    // bob's leaves [3 s, 63 s]: carol, dave.
    expect(c.observe('r', 63 * S, ['h'], 'dave', 'e8')).toBeNull();
  });

  it('temporal: every rule within the window, any order; with a condition, that many distinct rules', () => {
    const c = new Correlator<string>(corr(`  type: temporal\n  rules: [a, b, c]\n  group-by: [host]\n  timespan: 5m\n`));
    expect(c.observe('c', 0, ['h'], undefined, 'c1')).toBeNull();
    expect(c.observe('a', 60 * S, ['h'], undefined, 'a1')).toBeNull();
    expect(c.observe('b', 61 * S, ['other'], undefined, 'b0')).toBeNull();
    expect(c.observe('b', 120 * S, ['h'], undefined, 'b1')).toMatchObject({ count: 3, evidence: ['c1', 'a1', 'b1'] });
    expect(c.observe('b', 400 * S, ['h'], undefined, 'b2')).toBeNull(); // c1 and a1 left the window
    const two = new Correlator<string>(corr(`  type: temporal\n  rules: [a, b, c]\n  group-by: [host]\n  timespan: 5m\n  condition: {gte: 2}\n`));
    expect(two.observe('a', 0, ['h'], undefined, 'a1')).toBeNull();
    expect(two.observe('a', 1, ['h'], undefined, 'a2')).toBeNull();
    expect(two.observe('c', 2, ['h'], undefined, 'c1')).toMatchObject({ count: 2, evidence: ['a2', 'c1'] });
  });

  it('temporal_ordered: the rules in the listed order within the window', () => {
    const c = new Correlator<string>(corr(`  type: temporal_ordered\n  rules: [fail, success]\n  group-by: [user]\n  timespan: 10m\n`));
    expect(c.observe('success', 0, ['u'], undefined, 's0')).toBeNull();
    expect(c.observe('fail', 60 * S, ['u'], undefined, 'f1')).toBeNull();
    expect(c.observe('success', 120 * S, ['u'], undefined, 's1')).toMatchObject({ count: 2, evidence: ['f1', 's1'] });
    const late = new Correlator<string>(corr(`  type: temporal_ordered\n  rules: [fail, success]\n  group-by: [user]\n  timespan: 10m\n`));
    expect(late.observe('success', 120 * S, ['u'], undefined, 's1')).toBeNull();
    // A fail that happened before the success, arriving late, completes the sequence.
    expect(late.observe('fail', 60 * S, ['u'], undefined, 'f1')).toMatchObject({ evidence: ['f1', 's1'] });
    const outside = new Correlator<string>(corr(`  type: temporal_ordered\n  rules: [fail, success]\n  group-by: [user]\n  timespan: 1m\n`));
    outside.observe('fail', 0, ['u'], undefined, 'f1');
    expect(outside.observe('success', 61 * S, ['u'], undefined, 's1')).toBeNull();
  });

  it('keeps memory bounded: evidence capped with exact counts; idle groups evicted', () => {
    const c = new Correlator<number>(corr(`  type: event_count\n  rules: [r]\n  group-by: [user]\n  timespan: 1h\n  condition: {gte: 1}\n`), { maxEvidence: 100 });
    let hit = null;
    for (let i = 0; i < 5000; i++) hit = c.observe('r', i, ['a'], undefined, i);
    expect(hit).toMatchObject({ count: 5000 });
    expect(hit!.evidence).toHaveLength(100);
    expect(hit!.evidence[99]).toBe(4999);
    for (let g = 0; g < 1000; g++) c.observe('r', 10_000 + g, [`g${g}`], undefined, g);
    expect(c.size).toBe(1001);
    c.advance(10_000 + 3_600_000 + 60_000 + 2000);
    expect(c.size).toBe(0);
    // Many groups over a long stream: the sweep keeps only recent ones.
    const d = new Correlator<number>(corr(`  type: event_count\n  rules: [r]\n  group-by: [user]\n  timespan: 10s\n  condition: {gte: 5}\n`), { graceMs: 0 });
    for (let i = 0; i < 20_000; i++) d.observe('r', i * 100, [`u${i}`], undefined, i);
    expect(d.size).toBeLessThan(200);
  });

  it('neq, and a hit on each event while the condition holds', () => {
    const c = new Correlator<number>(corr(`  type: event_count\n  rules: [r]\n  group-by: [user]\n  timespan: 1m\n  condition: {gte: 2, neq: 3}\n`));
    expect(c.observe('r', 0, ['a'], undefined, 1)).toBeNull();
    expect(c.observe('r', 1, ['a'], undefined, 2)).not.toBeNull();
    expect(c.observe('r', 2, ['a'], undefined, 3)).toBeNull();
    expect(c.observe('r', 3, ['a'], undefined, 4)).not.toBeNull();
  });
});
