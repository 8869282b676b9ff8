/**
 * Compiles a Sigma detection (search identifiers, value modifiers, condition) into a Predicate: a tree of closures
 * that reads a record's fields through a FieldResolver. Everything is checked here, once: a rule that compiles never
 * throws while matching, whatever the record holds.
 *
 * Semantics (those of the Sigma specification, and of pySigma where the specification leaves room):
 * - Strings match whole values, case-insensitively (`cased` and `re` are case-sensitive); `*` is any run of
 *   characters, `?` one character; `\*`, `\?` and `\\` are the plain characters, any other backslash is itself.
 * - A map is AND over its fields, a list of maps OR; a field's value list is OR (`|all`: AND); a list of plain
 *   values, or a single value, under an identifier is a keyword search (each value anywhere in
 *   `resolver.keywords`, case-insensitively).
 * - A record value may be a string, number, boolean, null or an array: an array matches when one of its elements
 *   does (with `|all`, each rule value by some element). Rule numbers match equal numbers and numeric strings
 *   (`4625` matches 4625 and "4625"); rule strings match numbers by their decimal text; rule booleans match booleans
 *   and "true"/"false".
 * - `null` matches a field that is absent, null or an empty array (not an empty string: that is `''`).
 *   `|exists: true` matches a present field whatever its value (null included), as the specification says.
 * - `neq` negates the field's test (an absent field is "not equal").
 * - Unsupported: `expand` (placeholders need values the SIEM does not have) and the time-part modifiers.
 *
 * Speed: rule strings are lower-cased once; a value list becomes a Set lookup, prefix/suffix/substring loops and,
 * only where wildcards need one, a regular expression. Each field is read (and lower-cased) at most once per record
 * (per compiler: rules compiled together share it): per-field slots stamped with a generation number that changes
 * with every record.
 */
import type { FieldGetter, FieldResolver, Predicate, SigmaRule } from '../types.js';
import { SigmaError, show } from './errors.js';

// ---------------------------------------------------------------------------------------------------------------
// Rule values

const STAR = 0;
const QMARK = 1;
/** A Sigma string: plain text between wildcards (STAR, QMARK). `bytes`: the text is bytes, one per char (utf16*). */
interface SStr {
  readonly parts: readonly (string | number)[];
  readonly bytes: boolean;
}

type RuleValue =
  | { readonly kind: 'str'; readonly s: SStr }
  | { readonly kind: 'num'; readonly n: number }
  | { readonly kind: 'bool'; readonly b: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 're'; readonly re: RegExp }
  | { readonly kind: 'cidr'; readonly net: IpNet }
  | { readonly kind: 'cmp'; readonly op: 'lt' | 'lte' | 'gt' | 'gte'; readonly n: number }
  /** The field's value equals (or, with prefix/suffix, starts/ends with, or both: contains) the other field's. */
  | { readonly kind: 'fieldref'; readonly field: string; readonly prefix: boolean; readonly suffix: boolean };

export const MODIFIERS = [
  'contains', 'startswith', 'endswith', 'all', 're', 'i', 'm', 's', 'ignorecase', 'multiline', 'dotall', 'cidr', 'windash',
  'base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide', 'exists', 'lt', 'lte', 'gt', 'gte', 'cased', 'neq', 'fieldref',
] as const;
type Modifier = (typeof MODIFIERS)[number];
const UNSUPPORTED_MODIFIERS: Readonly<Record<string, string>> = {
  expand: 'placeholders (expand) are not supported: the SIEM has no values for them; write the values in the rule',
  minute: 'time-part modifiers are not supported',
  hour: 'time-part modifiers are not supported',
  day: 'time-part modifiers are not supported',
  week: 'time-part modifiers are not supported',
  month: 'time-part modifiers are not supported',
  year: 'time-part modifiers are not supported',
};

/** Parses Sigma's wildcards and escapes. */
export function parseSigmaString(s: string): SStr {
  const parts: (string | number)[] = [];
  let acc = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const next = s[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        acc += next;
        i++;
      } else acc += c;
    } else if (c === '*' || c === '?') {
      if (acc !== '') parts.push(acc);
      acc = '';
      parts.push(c === '*' ? STAR : QMARK);
    } else acc += c;
  }
  if (acc !== '') parts.push(acc);
  return { parts, bytes: false };
}

function hasWildcard(s: SStr): boolean {
  return s.parts.some((p) => typeof p === 'number');
}

function plainText(s: SStr): string {
  return s.parts.join('');
}

function withStar(s: SStr, atStart: boolean, atEnd: boolean): SStr {
  const parts = [...s.parts];
  if (atStart && parts[0] !== STAR) parts.unshift(STAR);
  if (atEnd && parts[parts.length - 1] !== STAR) parts.push(STAR);
  return { parts, bytes: s.bytes };
}

function utf8Bytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function encodeUtf16(s: SStr, order: 'le' | 'be', bom: boolean): SStr {
  const enc = (text: string) => {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const u = text.charCodeAt(i);
      out += order === 'le' ? String.fromCharCode(u & 0xff, u >> 8) : String.fromCharCode(u >> 8, u & 0xff);
    }
    return out;
  };
  const parts = s.parts.map((p) => (typeof p === 'string' ? enc(s.bytes ? utf8Bytes(p) : p) : p));
  if (bom) parts.unshift(order === 'le' ? '\xff\xfe' : '\xfe\xff');
  return { parts, bytes: true };
}

function bytesOf(s: SStr): Buffer {
  const text = plainText(s);
  return s.bytes ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
}

/** The three base64 forms of a value at byte offsets 0, 1 and 2 of the encoded stream, cut to their stable part. */
function base64Offsets(bytes: Buffer): string[] {
  const starts = [0, 2, 3];
  const ends = [undefined, -3, -2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), bytes]).toString('base64');
    out.push(enc.slice(starts[i], ends[(bytes.length + i) % 3]));
  }
  return out;
}

const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'];
const WINDASH_MAX = 4;

/** pySigma's windash: a `-` or `/` that starts a word (after a non-word character) becomes each dash form. */
function windash(s: SStr): SStr[] {
  const segments: (string | number)[][] = [];
  let count = 0;
  for (const p of s.parts) {
    if (typeof p === 'number') {
      segments.push([p]);
      continue;
    }
    const pieces: (string | number)[] = [];
    let last = 0;
    for (const m of p.matchAll(/\B[-/]\b/g)) {
      pieces.push(p.slice(last, m.index), -1);
      last = m.index + 1;
      count++;
    }
    pieces.push(p.slice(last));
    segments.push(pieces);
  }
  if (count > WINDASH_MAX) throw new Error(`${count} dashes give ${5 ** count} variants (allowed: at most ${WINDASH_MAX} dashes)`);
  let variants: string[][] = [[]];
  const flat = segments.flat();
  const out: SStr[] = [];
  // Each variant is a list of tokens: strings, or '\0*' / '\0?' for the wildcards.
  for (const tok of flat) {
    if (tok === -1) variants = variants.flatMap((v) => WINDASH_CHARS.map((d) => [...v, d]));
    else if (typeof tok === 'number') variants = variants.map((v) => [...v, tok === STAR ? '\0*' : '\0?']);
    else if (tok !== '') variants = variants.map((v) => [...v, tok]);
  }
  for (const v of variants) {
    const parts: (string | number)[] = [];
    for (const t of v) {
      if (t === '\0*') parts.push(STAR);
      else if (t === '\0?') parts.push(QMARK);
      else if (typeof parts[parts.length - 1] === 'string') parts[parts.length - 1] = (parts[parts.length - 1] as string) + t;
      else parts.push(t);
    }
    out.push({ parts, bytes: s.bytes });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// IP networks

interface IpNet {
  readonly v6: boolean;
  /** 4 (IPv4: one 32-bit word) or 8 (IPv6: 16-bit groups) numbers. */
  readonly addr: readonly number[];
  readonly prefix: number;
}

function parseIpv4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return null;
    let n = 0;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return null;
      n = n * 10 + c;
    }
    if (n > 255) return null;
    v = v * 256 + n;
  }
  return [v];
}

function parseIpv6(s: string): number[] | null {
  let text = s;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (lastColon < 0) return null;
  if (text.indexOf('.', lastColon) >= 0) {
    // An embedded IPv4 address (::ffff:10.0.0.1) is the last two groups.
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = [Math.floor(v4[0] / 65536), v4[0] % 65536];
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const group = (h: string) => (h === '' ? [] : h.split(':'));
  const head = group(halves[0]);
  const rest = halves.length === 2 ? group(halves[1]) : [];
  const nums = (gs: string[]) => gs.map((g) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
  const a = nums(head);
  const b = [...nums(rest), ...tail];
  const missing = 8 - a.length - b.length;
  if (a.some(Number.isNaN) || b.some(Number.isNaN)) return null;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [...a, ...new Array<number>(missing).fill(0), ...b];
}

export function parseCidr(text: string): IpNet | null {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  const v6 = addrText.includes(':');
  const addr = v6 ? parseIpv6(addrText) : parseIpv4(addrText);
  if (addr === null) return null;
  const max = v6 ? 128 : 32;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { v6, addr, prefix };
}

function inNet(net: IpNet, value: string): boolean {
  if (net.v6) {
    const a = value.includes(':') ? parseIpv6(value) : null;
    if (a === null) return false;
    let bits = net.prefix;
    for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
      const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
      if ((a[i] & mask) !== (net.addr[i] & mask)) return false;
    }
    return true;
  }
  const a = parseIpv4(value);
  if (a === null) return false;
  if (net.prefix === 0) return true;
  const div = 2 ** (32 - net.prefix);
  return Math.floor(a[0] / div) === Math.floor(net.addr[0] / div);
}

// ---------------------------------------------------------------------------------------------------------------
// String matchers

/** Tests one string (already lower-cased when case-insensitive). */
type StrTest = (s: string) => boolean;

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** One matcher for a list of alternatives (OR): a Set for whole values, loops for prefixes and the like. */
function stringMatcher(values: readonly SStr[], lower: boolean): StrTest | null {
  if (values.length === 0) return null;
  const fold = (t: string) => (lower ? t.toLowerCase() : t);
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const suffixes: string[] = [];
  const infixes: string[] = [];
  const regexes: string[] = [];
  let any = false;
  for (const v of values) {
    const p = v.parts.map((x) => (typeof x === 'string' ? fold(x) : x));
    const n = p.length;
    const lit = (i: number) => typeof p[i] === 'string';
    if (n === 0) exact.add('');
    else if (n === 1 && lit(0)) exact.add(p[0] as string);
    else if (n === 1 && p[0] === STAR) any = true;
    else if (n === 2 && lit(0) && p[1] === STAR) prefixes.push(p[0] as string);
    else if (n === 2 && p[0] === STAR && lit(1)) suffixes.push(p[1] as string);
    else if (n === 3 && p[0] === STAR && lit(1) && p[2] === STAR) infixes.push(p[1] as string);
    else regexes.push(p.map((x) => (x === STAR ? '.*' : x === QMARK ? '.' : escapeRegex(x as string))).join(''));
  }
  if (any) return (s) => s !== undefined;
  const re = regexes.length > 0 ? new RegExp(`^(?:${regexes.join('|')})$`, 's') : null;
  const tests: StrTest[] = [];
  if (exact.size === 1) {
    const [only] = exact;
    tests.push((s) => s === only);
  } else if (exact.size > 1) tests.push((s) => exact.has(s));
  if (prefixes.length === 1) {
    const [x] = prefixes;
    tests.push((s) => s.startsWith(x));
  } else if (prefixes.length > 1) tests.push((s) => {
      for (let i = 0; i < prefixes.length; i++) if (s.startsWith(prefixes[i])) return true;
      return false;
    });
  if (suffixes.length === 1) {
    const [x] = suffixes;
    tests.push((s) => s.endsWith(x));
  } else if (suffixes.length > 1) tests.push((s) => {
      for (let i = 0; i < suffixes.length; i++) if (s.endsWith(suffixes[i])) return true;
      return false;
    });
  if (infixes.length === 1) {
    const [x] = infixes;
    tests.push((s) => s.includes(x));
  } else if (infixes.length > 1) tests.push((s) => {
      for (let i = 0; i < infixes.length; i++) if (s.includes(infixes[i])) return true;
      return false;
    });
  if (re !== null) tests.push((s) => re.test(s));
  return orStr(tests);
}

function orStr(tests: readonly StrTest[]): StrTest | null {
  if (tests.length === 0) return null;
  if (tests.length === 1) return tests[0];
  if (tests.length === 2) {
    const [a, b] = tests;
    return (s) => a(s) || b(s);
  }
  return (s) => {
    for (const t of tests) if (t(s)) return true;
    return false;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Value tests: one rule value list (OR of alternatives) against one scalar record value

/**
 * Tests a scalar record value; `low` is its lower-cased text when it is a string (computed once by the caller).
 */
type ScalarTest = (v: unknown, low: string | undefined) => boolean;

const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && NUMERIC.test(v)) return Number(v);
  return undefined;
}

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Builds the test for a list of alternatives (OR); null values are handled by the caller. */
function scalarTest(alts: readonly RuleValue[], cased: boolean): ScalarTest {
  const strs = alts.filter((a): a is Extract<RuleValue, { kind: 'str' }> => a.kind === 'str').map((a) => a.s);
  const str = stringMatcher(strs, !cased);
  const nums = new Set(alts.filter((a): a is Extract<RuleValue, { kind: 'num' }> => a.kind === 'num').map((a) => a.n));
  const bools = alts.filter((a): a is Extract<RuleValue, { kind: 'bool' }> => a.kind === 'bool').map((a) => a.b);
  const res = alts.filter((a): a is Extract<RuleValue, { kind: 're' }> => a.kind === 're').map((a) => a.re);
  const nets = alts.filter((a): a is Extract<RuleValue, { kind: 'cidr' }> => a.kind === 'cidr').map((a) => a.net);
  const cmps = alts.filter((a): a is Extract<RuleValue, { kind: 'cmp' }> => a.kind === 'cmp');
  const tests: ScalarTest[] = [];
  if (str !== null) {
    if (cased) tests.push((v) => {
      const t = textOf(v);
      return t !== undefined && str(t);
    });
    else tests.push((v, low) => {
      if (low !== undefined) return str(low);
      const t = textOf(v);
      return t !== undefined && str(t.toLowerCase());
    });
  }
  if (nums.size > 0) tests.push((v) => {
    const n = asNumber(v);
    return n !== undefined && nums.has(n);
  });
  if (bools.length > 0) tests.push((v, low) => (typeof v === 'boolean' ? bools.includes(v) : low !== undefined && ((low === 'true' && bools.includes(true)) || (low === 'false' && bools.includes(false)))));
  for (const re of res) {
    // A text the expression needs verbatim is looked for first: most records lack it, and `includes` is far cheaper
    // than a backtracking `.+…` (SigmaHQ's `.+:assumed-role/aws:.+` ran on every CloudTrail record).
    const needed = requiredLiteral(re);
    tests.push(
      needed === null
        ? (v) => {
            const t = textOf(v);
            return t !== undefined && re.test(t);
          }
        : (v) => {
            const t = textOf(v);
            return t !== undefined && t.includes(needed) && re.test(t);
          },
    );
  }
  if (nets.length > 0) tests.push((v) => typeof v === 'string' && nets.some((net) => inNet(net, v.trim())));
  for (const c of cmps) {
    const n = c.n;
    const cmp: (x: number) => boolean = c.op === 'lt' ? (x) => x < n : c.op === 'lte' ? (x) => x <= n : c.op === 'gt' ? (x) => x > n : (x) => x >= n;
    tests.push((v) => {
      const x = asNumber(v);
      return x !== undefined && cmp(x);
    });
  }
  if (tests.length === 1) return tests[0];
  if (tests.length === 2) {
    const [a, b] = tests;
    return (v, low) => a(v, low) || b(v, low);
  }
  return (v, low) => {
    for (const t of tests) if (t(v, low)) return true;
    return false;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation context: per-record field slots

/** What a compiled node reads: the record, and per-field caches valid while `gen` is unchanged. */
interface Ctx {
  record: unknown;
  text: string;
  gen: number;
  readonly getters: FieldGetter[];
  readonly rawGen: number[];
  readonly raw: unknown[];
  readonly lowGen: number[];
  readonly low: (string | undefined)[];
  keywordsGen: number;
  keywords: string;
  keywordsLow: string;
}

type Node = (c: Ctx) => boolean;

function raw(c: Ctx, slot: number): unknown {
  if (c.rawGen[slot] === c.gen) return c.raw[slot];
  c.rawGen[slot] = c.gen;
  let v: unknown;
  try {
    v = c.getters[slot](c.record);
  } catch {
    v = undefined;
  }
  c.raw[slot] = v;
  return v;
}

/** The lower-cased string value of a slot (undefined when the value is not a string). */
function low(c: Ctx, slot: number, v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (c.lowGen[slot] === c.gen) return c.low[slot];
  c.lowGen[slot] = c.gen;
  const l = v.toLowerCase();
  c.low[slot] = l;
  return l;
}

// ---------------------------------------------------------------------------------------------------------------
// Detection items

interface Compiler {
  readonly resolver: FieldResolver;
  readonly slots: Map<string, number>;
  readonly getters: FieldGetter[];
}

function slotOf(comp: Compiler, field: string): number {
  let s = comp.slots.get(field);
  if (s === undefined) {
    s = comp.getters.length;
    comp.getters.push(comp.resolver.field(field));
    comp.slots.set(field, s);
  }
  return s;
}

function isNullish(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}

function err(key: string, detail: string): SigmaError {
  return new SigmaError(detail, { key });
}

interface ItemSpec {
  readonly field: string;
  readonly modifiers: readonly Modifier[];
}

function parseKey(key: string, path: string): ItemSpec {
  const [field, ...mods] = key.split('|');
  const modifiers: Modifier[] = [];
  for (const m of mods) {
    if (m in UNSUPPORTED_MODIFIERS) throw err(path, `${UNSUPPORTED_MODIFIERS[m]} (modifier ${show(m)})`);
    if (!(MODIFIERS as readonly string[]).includes(m)) throw err(path, `unknown modifier ${show(m)} (allowed: ${MODIFIERS.join(', ')})`);
    modifiers.push(m as Modifier);
  }
  return { field, modifiers };
}

/**
 * The longest run of plain characters (3 or more) every match of a case-sensitive expression contains, or null. Only
 * for expressions without alternation or groups (they could make any run optional); a character followed by a
 * quantifier that allows none (`?`, `*`, `{0`) is not required.
 */
export function requiredLiteral(re: RegExp): string | null {
  if (re.flags.includes('i')) return null;
  const src = re.source;
  if (/[|()]/.test(src.replace(/\\./g, ''))) return null;
  let best = '';
  let run = '';
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    let literal: string | null = null;
    let width = 1;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      width = 2;
      // An escaped punctuation character is itself; \d, \w, \s, \b, \n… are classes or anchors.
      literal = /[^A-Za-z0-9]/.test(n) ? n : null;
    } else if (c === '[' || c === '{') {
      // A class, or a quantifier's bounds: nothing literal inside.
      const close = src.indexOf(c === '[' ? ']' : '}', i + 1);
      width = close < 0 ? src.length - i : close - i + 1;
    } else if (!'.^$*+?}'.includes(c)) literal = c;
    const next = src[i + width];
    const optional = next === '?' || next === '*' || (next === '{' && src[i + width + 1] === '0');
    if (literal === null || optional) end();
    else run += literal;
    i += width - 1;
  }
  end();
  return best.length >= 3 ? best : null;
}

const TYPE_MODIFIERS = new Set<Modifier>(['re', 'cidr', 'exists', 'lt', 'lte', 'gt', 'gte', 'fieldref']);
const RE_FLAGS: Partial<Record<Modifier, string>> = { i: 'i', ignorecase: 'i', m: 'm', multiline: 'm', s: 's', dotall: 's' };

/** A regular expression's source and flags; a leading PCRE `(?ims)` group becomes flags (JavaScript has none). */
function compileRegex(source: string, flags: Set<string>, path: string): RegExp {
  let src = source;
  const inline = /^\(\?([imsx]+)\)/.exec(src);
  if (inline !== null && !inline[1].includes('x')) {
    for (const f of inline[1]) flags.add(f);
    src = src.slice(inline[0].length);
  }
  try {
    return new RegExp(src, [...flags].sort().join(''));
  } catch (e) {
    throw err(path, `invalid regular expression ${show(source)}: ${(e as Error).message.replace(/^Invalid regular expression: /, '')} (allowed: PCRE-style syntax that JavaScript also reads)`);
  }
}

/** The alternatives (OR) one YAML value of an item stands for, after the item's modifiers. */
function ruleValues(value: unknown, spec: ItemSpec, path: string): RuleValue[] {
  const mods = spec.modifiers;
  const typeMods = mods.filter((m) => TYPE_MODIFIERS.has(m));
  if (typeMods.length > 1) throw err(path, `modifiers ${typeMods.join(' and ')} cannot be combined (allowed: one of ${[...TYPE_MODIFIERS].join(', ')})`);
  const typeMod = typeMods[0];
  const flagMods = mods.filter((m) => m in RE_FLAGS);
  if (flagMods.length > 0 && typeMod !== 're') throw err(path, `modifier ${show(flagMods[0])} only applies after re`);
  const transforms = mods.filter((m) => !TYPE_MODIFIERS.has(m) && !(m in RE_FLAGS) && m !== 'all' && m !== 'cased' && m !== 'neq');

  if (value === null) {
    if (mods.some((m) => m !== 'neq')) throw err(path, `null with modifiers ${show(mods.join('|'))} (allowed: null on a plain field)`);
    return [{ kind: 'null' }];
  }
  if (typeof value === 'object') throw err(path, `${show(value)} is not a value (allowed: a string, number, boolean or null, or a list of them)`);

  switch (typeMod) {
    case 're': {
      if (typeof value !== 'string') throw err(path, `${show(value)} is not a regular expression (allowed: a string)`);
      const bad = transforms.filter((m) => m !== 'contains' && m !== 'startswith' && m !== 'endswith');
      if (bad.length > 0) throw err(path, `modifier ${show(bad[0])} cannot be combined with re (allowed with re: i, m, s, all, neq)`);
      if (mods.indexOf('re') > 0 && mods.slice(0, mods.indexOf('re')).some((m) => m !== 'all' && m !== 'neq')) throw err(path, 're only applies to unmodified values (put it first)');
      const flags = new Set(flagMods.map((m) => RE_FLAGS[m] as string));
      return [{ kind: 're', re: compileRegex(value, flags, path) }];
    }
    case 'cidr': {
      if (transforms.length > 0) throw err(path, `modifier ${show(transforms[0])} cannot be combined with cidr`);
      const net = typeof value === 'string' ? parseCidr(value.trim()) : null;
      if (net === null) throw err(path, `invalid network ${show(value)} (allowed: IPv4 or IPv6 CIDR, e.g. 10.0.0.0/8, fe80::/10)`);
      return [{ kind: 'cidr', net }];
    }
    case 'exists':
      throw err(path, 'exists is handled by its item'); // unreachable: compileItem handles exists
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      if (transforms.length > 0) throw err(path, `modifier ${show(transforms[0])} cannot be combined with ${typeMod}`);
      const n = typeof value === 'number' ? value : typeof value === 'string' && NUMERIC.test(value) ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw err(path, `${show(value)} is not a number (allowed: a number for ${typeMod})`);
      return [{ kind: 'cmp', op: typeMod, n }];
    }
    case 'fieldref': {
      if (typeof value !== 'string' || value === '') throw err(path, `${show(value)} is not a field name (allowed: a field name for fieldref)`);
      const bad = transforms.filter((m) => m !== 'contains' && m !== 'startswith' && m !== 'endswith');
      if (bad.length > 0) throw err(path, `modifier ${show(bad[0])} cannot be combined with fieldref (allowed: contains, startswith, endswith)`);
      const c = transforms.includes('contains');
      return [{ kind: 'fieldref', field: value, prefix: c || transforms.includes('startswith'), suffix: c || transforms.includes('endswith') }];
    }
    default:
      break;
  }

  if (typeof value === 'boolean') {
    if (transforms.length > 0) throw err(path, `${show(value)} is a boolean; modifier ${show(transforms[0])} needs a string`);
    return [{ kind: 'bool', b: value }];
  }
  if (typeof value === 'number' && transforms.length === 0) return [{ kind: 'num', n: value }];
  if (typeof value !== 'string' && typeof value !== 'number') throw err(path, `${show(value)} is not a value`);

  let alts: SStr[] = [parseSigmaString(String(value))];
  for (const m of transforms) {
    switch (m) {
      case 'contains':
        alts = alts.map((s) => withStar(s, true, true));
        break;
      case 'startswith':
        alts = alts.map((s) => withStar(s, false, true));
        break;
      case 'endswith':
        alts = alts.map((s) => withStar(s, true, false));
        break;
      case 'windash':
        try {
          alts = alts.flatMap(windash);
        } catch (e) {
          throw err(path, `windash on ${show(value)}: ${(e as Error).message}`);
        }
        break;
      case 'wide':
      case 'utf16le':
        alts = alts.map((s) => encodeUtf16(s, 'le', false));
        break;
      case 'utf16be':
        alts = alts.map((s) => encodeUtf16(s, 'be', false));
        break;
      case 'utf16':
        alts = alts.map((s) => encodeUtf16(s, 'le', true));
        break;
      case 'base64':
      case 'base64offset':
        if (alts.some(hasWildcard)) throw err(path, `${m} of ${show(value)}: wildcards cannot be encoded (apply contains, startswith or endswith after ${m})`);
        alts = alts.flatMap((s) => {
          const forms = m === 'base64' ? [bytesOf(s).toString('base64')] : base64Offsets(bytesOf(s));
          return forms.map((f) => ({ parts: f === '' ? [] : [f], bytes: false }));
        });
        break;
      default:
        throw err(path, `modifier ${show(m)} is not a string transformation`);
    }
  }
  return alts.map((s) => ({ kind: 'str', s }));
}

/** Lifts a scalar test to a record value: scalars, or arrays (some element). */
function valueNode(comp: Compiler, slot: number | 'keywords', test: ScalarTest, matchNull: boolean): Node {
  if (slot === 'keywords') {
    return (c) => {
      if (c.keywordsGen !== c.gen) {
        c.keywordsGen = c.gen;
        let k: string;
        try {
          k = comp.resolver.keywords(c.record, c.text);
        } catch {
          k = '';
        }
        c.keywords = typeof k === 'string' ? k : '';
        c.keywordsLow = c.keywords.toLowerCase();
      }
      return test(c.keywords, c.keywordsLow);
    };
  }
  return (c) => {
    const v = raw(c, slot);
    if (v === undefined || v === null) return matchNull;
    if (Array.isArray(v)) {
      if (v.length === 0) return matchNull;
      for (const e of v) if (e !== null && e !== undefined && !Array.isArray(e) && test(e, typeof e === 'string' ? e.toLowerCase() : undefined)) return true;
      return false;
    }
    return test(v, low(c, slot, v));
  };
}

/** `field|mods: value(s)` (field '' is a keyword item). */
function compileItem(comp: Compiler, key: string, value: unknown, path: string): Node {
  const spec = parseKey(key, path);
  const mods = spec.modifiers;
  const keyword = spec.field === '';
  const negate = mods.includes('neq');
  const node = compileItemPositive(comp, spec, value, path, keyword);
  return negate ? (c) => !node(c) : node;
}

function compileItemPositive(comp: Compiler, spec: ItemSpec, value: unknown, path: string, keyword: boolean): Node {
  const mods = spec.modifiers;
  if (mods.includes('exists')) {
    if (keyword) throw err(path, 'exists needs a field');
    if (typeof value !== 'boolean') throw err(path, `${show(value)} is not a boolean (allowed: exists: true or exists: false)`);
    if (mods.length > 1) throw err(path, `exists cannot be combined with ${show(mods.filter((m) => m !== 'exists').join('|'))}`);
    const slot = slotOf(comp, spec.field);
    return value ? (c) => raw(c, slot) !== undefined : (c) => raw(c, slot) === undefined;
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw err(path, 'empty value list (allowed: one or more values)');
  const all = mods.includes('all');
  const cased = mods.includes('cased');
  const perValue = list.map((v, i) => ruleValues(v, spec, Array.isArray(value) ? `${path}[${i}]` : path));
  if (keyword) {
    // Keywords are searched anywhere in the text: contains, unless a regular expression.
    for (const alts of perValue) {
      for (let i = 0; i < alts.length; i++) {
        const a = alts[i];
        if (a.kind === 'num') alts[i] = { kind: 'str', s: withStar({ parts: [String(a.n)], bytes: false }, true, true) };
        else if (a.kind === 'str') alts[i] = { kind: 'str', s: withStar(a.s, true, true) };
        else if (a.kind !== 're') throw err(path, `${show(list)}: a keyword must be a string or number`);
      }
    }
  }
  const target: number | 'keywords' = keyword ? 'keywords' : slotOf(comp, spec.field);
  const refs = perValue.flat().filter((a): a is Extract<RuleValue, { kind: 'fieldref' }> => a.kind === 'fieldref');
  if (refs.length > 0) {
    if (keyword) throw err(path, 'fieldref needs a field');
    const nodes = refs.map((r) => fieldRefNode(comp, target as number, r));
    return all ? andNodes(nodes) : orNodes(nodes);
  }
  const build = (alts: RuleValue[]): Node => {
    const matchNull = alts.some((a) => a.kind === 'null');
    const rest = alts.filter((a) => a.kind !== 'null');
    if (rest.length === 0) return typeof target === 'number' ? (c) => isNullish(raw(c, target)) : () => false;
    return valueNode(comp, target, scalarTest(rest, cased), matchNull);
  };
  if (all && perValue.length > 1) return andNodes(perValue.map(build));
  return build(perValue.flat());
}

function fieldRefNode(comp: Compiler, slot: number, ref: Extract<RuleValue, { kind: 'fieldref' }>): Node {
  const other = slotOf(comp, ref.field);
  return (c) => {
    const a = textOf(raw(c, slot));
    const b = textOf(raw(c, other));
    if (a === undefined || b === undefined) return false;
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    if (ref.prefix && ref.suffix) return x.includes(y);
    if (ref.prefix) return x.startsWith(y);
    if (ref.suffix) return x.endsWith(y);
    return x === y;
  };
}

function andNodes(nodes: readonly Node[]): Node {
  if (nodes.length === 1) return nodes[0];
  if (nodes.length === 2) {
    const [a, b] = nodes;
    return (c) => a(c) && b(c);
  }
  if (nodes.length === 3) {
    const [a, b, d] = nodes;
    return (c) => a(c) && b(c) && d(c);
  }
  return (c) => {
    for (const n of nodes) if (!n(c)) return false;
    return true;
  };
}

function orNodes(nodes: readonly Node[]): Node {
  if (nodes.length === 1) return nodes[0];
  if (nodes.length === 2) {
    const [a, b] = nodes;
    return (c) => a(c) || b(c);
  }
  return (c) => {
    for (const n of nodes) if (n(c)) return true;
    return false;
  };
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function compileMap(comp: Compiler, map: Record<string, unknown>, path: string): Node {
  const entries = Object.entries(map);
  if (entries.length === 0) throw err(path, 'empty mapping (allowed: field: value pairs)');
  return andNodes(entries.map(([k, v]) => compileItem(comp, k, v, `${path}.${k}`)));
}

/** One search identifier: a map, a list (of maps and/or keywords) or a keyword. */
function compileIdentifier(comp: Compiler, value: unknown, path: string): Node {
  if (isPlainMap(value)) return compileMap(comp, value, path);
  if (Array.isArray(value)) {
    if (value.length === 0) throw err(path, 'empty list (allowed: maps or keywords)');
    const maps = value.filter(isPlainMap);
    const keywords = value.filter((v) => !isPlainMap(v));
    const nodes = maps.map((m) => compileMap(comp, m, `${path}[${value.indexOf(m)}]`));
    if (keywords.length > 0) {
      if (keywords.some((k) => Array.isArray(k))) throw err(path, `${show(value)}: nested lists (allowed: maps or keywords)`);
      nodes.push(compileItem(comp, '', keywords, path));
    }
    return orNodes(nodes);
  }
  if (typeof value === 'string' || typeof value === 'number') return compileItem(comp, '', value, path);
  throw err(path, `${show(value)} is not a search identifier (allowed: a map, a list or a keyword)`);
}

// ---------------------------------------------------------------------------------------------------------------
// Condition

type Token = { readonly t: string; readonly pos: number };

function tokenize(cond: string, path: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:([()])|([A-Za-z0-9_*\-.]+)|(\S))/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < cond.length && (m = re.exec(cond)) !== null) {
    if (m[3] !== undefined) {
      if (m[3] === '|') throw err(path, `${show(cond)}: aggregations (| count() …) are not supported (allowed: and, or, not, parentheses, 1/any/all of; use a correlation rule to count)`);
      throw err(path, `${show(cond)}: unexpected ${show(m[3])} (allowed: identifiers, and, or, not, parentheses, 1/any/all of)`);
    }
    if (m[1] !== undefined || m[2] !== undefined) out.push({ t: m[1] ?? m[2], pos: m.index });
  }
  return out;
}

function globToRegex(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`);
}

const OPERATORS = new Set(['and', 'or', 'not', 'of']);

function compileCondition(cond: string, identifiers: ReadonlyMap<string, Node>, path: string): Node {
  const tokens = tokenize(cond, path);
  let i = 0;
  const fail = (why: string): never => {
    throw err(path, `${show(cond)}: ${why} (allowed: identifiers, and, or, not, parentheses, 1/any/all of <pattern>|them)`);
  };
  const peek = () => tokens[i]?.t.toLowerCase();
  const names = [...identifiers.keys()];
  const selectIds = (pattern: string): Node[] => {
    const chosen = pattern === 'them' ? names.filter((n) => !n.startsWith('_')) : names.filter((n) => globToRegex(pattern).test(n) && (pattern.startsWith('_') || !n.startsWith('_')));
    if (chosen.length === 0) fail(`${show(pattern)} names no search identifier (defined: ${names.join(', ')})`);
    return chosen.map((n) => identifiers.get(n) as Node);
  };
  const primary = (): Node => {
    const tok = tokens[i];
    if (tok === undefined) return fail('ends too early');
    const t = tok.t;
    const lower = t.toLowerCase();
    if (t === '(') {
      i++;
      const inner = orExpr();
      if (tokens[i]?.t !== ')') fail('missing )');
      i++;
      return inner;
    }
    if ((lower === '1' || lower === 'any' || lower === 'all') && tokens[i + 1]?.t.toLowerCase() === 'of') {
      const pattern = tokens[i + 2]?.t;
      if (pattern === undefined || pattern === '(' || pattern === ')') return fail(`${t} of what`);
      i += 3;
      const nodes = selectIds(pattern);
      return lower === 'all' ? andNodes(nodes) : orNodes(nodes);
    }
    if (t === ')' || OPERATORS.has(lower)) return fail(`unexpected ${show(t)}`);
    if (t.includes('*')) return fail(`wildcard ${show(t)} outside "1 of"/"all of"`);
    const node = identifiers.get(t);
    if (node === undefined) return fail(`unknown search identifier ${show(t)} (defined: ${names.join(', ')})`);
    i++;
    return node;
  };
  const notExpr = (): Node => {
    if (peek() === 'not') {
      i++;
      const inner = notExpr();
      return (c) => !inner(c);
    }
    return primary();
  };
  const andExpr = (): Node => {
    const nodes = [notExpr()];
    while (peek() === 'and') {
      i++;
      nodes.push(notExpr());
    }
    return andNodes(nodes);
  };
  const orExpr = (): Node => {
    const nodes = [andExpr()];
    while (peek() === 'or') {
      i++;
      nodes.push(andExpr());
    }
    return orNodes(nodes);
  };
  if (tokens.length === 0) fail('empty condition');
  const root = orExpr();
  if (i < tokens.length) fail(`unexpected ${show(tokens[i].t)}`);
  return root;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Compiles detections for one source's records. Rules compiled by the same compiler share a per-record cache of
 * field values (each field read and lower-cased once per record, whatever the number of rules): a record is
 * recognised by identity (and its text), so records must not be mutated between the predicates' calls.
 */
export interface DetectionCompiler {
  /** Throws SigmaError (naming the rule and the key) for anything the rule gets wrong. */
  compile(rule: SigmaRule): Predicate;
}

export function detectionCompiler(resolver: FieldResolver): DetectionCompiler {
  const comp: Compiler = { resolver, slots: new Map(), getters: [] };
  const ctx: Ctx = {
    record: undefined,
    text: '',
    gen: 0,
    getters: comp.getters,
    rawGen: [],
    raw: [],
    lowGen: [],
    low: [],
    keywordsGen: -1,
    keywords: '',
    keywordsLow: '',
  };
  const compile = (rule: SigmaRule): Predicate => {
    const before = comp.getters.length;
    const root = compileRoot(comp, rule);
    for (let i = before; i < comp.getters.length; i++) {
      ctx.rawGen.push(-1);
      ctx.raw.push(undefined);
      ctx.lowGen.push(-1);
      ctx.low.push(undefined);
    }
    return (record, text) => {
      if (record !== ctx.record || text !== ctx.text) {
        ctx.record = record;
        ctx.text = text;
        ctx.gen = (ctx.gen + 1) & 0x3fffffff;
      }
      try {
        return root(ctx);
      } catch {
        return false;
      }
    };
  };
  return { compile };
}

/**
 * Compiles one rule's detection for one source's records (see detectionCompiler to share field reads between the
 * rules of a source). Throws SigmaError (naming the rule and the key) for anything the rule gets wrong; the predicate
 * it returns never throws.
 */
export function compileDetection(rule: SigmaRule, resolver: FieldResolver): Predicate {
  return detectionCompiler(resolver).compile(rule);
}

function compileRoot(comp: Compiler, rule: SigmaRule): Node {
  try {
    const detection = rule.detection;
    if (typeof detection !== 'object' || detection === null || Array.isArray(detection)) throw err('detection', `${show(detection)} is not a mapping`);
    const identifiers = new Map<string, Node>();
    for (const [name, value] of Object.entries(detection)) {
      if (name === 'condition' || name === 'timeframe') continue;
      if (!/^[A-Za-z0-9_-]+$/.test(name)) throw err(`detection.${name}`, `invalid search identifier name ${show(name)} (allowed: letters, digits, _ and -)`);
      if (OPERATORS.has(name.toLowerCase()) || name === 'them') throw err(`detection.${name}`, `${show(name)} is a condition keyword (allowed: any other name)`);
      identifiers.set(name, compileIdentifier(comp, value, `detection.${name}`));
    }
    const cond = detection.condition;
    const conds = Array.isArray(cond) ? cond : [cond];
    if (cond === undefined || cond === null || conds.length === 0 || conds.some((c) => typeof c !== 'string')) {
      throw err('detection.condition', `${show(cond)} is not a condition (allowed: a string, or a list of strings)`);
    }
    return orNodes((conds as string[]).map((c) => compileCondition(c, identifiers, 'detection.condition')));
  } catch (e) {
    if (e instanceof SigmaError) throw e.withRule(rule.title);
    throw e;
  }
}
