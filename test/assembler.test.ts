import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { threadArena } from '../src/encode/assemble/arena.js';
import { ByteWriter } from '../src/encode/byte-writer.js';
import { compile, CompiledTemplate, fmt, gen, opt, raw, ref, SlotRegistry, Slots, when, type Layout } from '../src/encode/template.js';
import { Rng } from '../src/util/rng.js';

/**
 * The record assembler (WebAssembly, over the thread's arena) must write exactly what the JavaScript writer writes,
 * wherever the values live and whatever their lengths.
 */
describe('record assembler', () => {
  interface Ctx {
    values: Record<string, Uint8Array>;
    counter: number;
  }
  const names = ['a', 'b', 'c', 'maybe', 'cond'];
  const registry = new SlotRegistry<Ctx>();
  for (const name of names) registry.define(name, (ctx, out) => out.set(ctx.values[name]));
  registry.define('composed', (ctx, out) => {
    const w = out.compose();
    w.ascii('id-');
    w.uint(ctx.counter);
  });
  registry.generator('serial', (ctx, w) => {
    w.ascii('g');
    w.uint(ctx.counter++);
  });
  const layout: Layout = {
    version: '1.11',
    a: ref('a'),
    b: raw('b'),
    text: fmt('{a}/{c}.example.com'),
    id: gen('serial'),
    maybe: opt(ref('maybe')),
    nested: { composed: ref('composed'), c: ref('c'), list: [ref('a'), 1, null] },
    when: when('cond', { inner: ref('b'), id: gen('serial') }),
    last: true,
  };
  const template = compile(layout, registry);
  const plain = new CompiledTemplate(template.ops);
  const slots = new Slots(registry, { values: {}, counter: 0 });
  const decode = (w: ByteWriter) => new TextDecoder().decode(w.buf.subarray(0, w.pos));

  const text = (rng: Rng, length: number) => {
    let s = '';
    for (let i = 0; i < length; i++) s += String.fromCharCode(97 + rng.int(26));
    return s;
  };
  /** Values of every length from 0 to 300, in the arena or not (then the assembler copies them in first). */
  const valuesFor = (rng: Rng, round: number): Record<string, Uint8Array> => {
    const values: Record<string, Uint8Array> = {};
    for (const name of names) {
      const length = name === 'cond' || name === 'maybe' ? (rng.chance(0.5) ? 0 : 1 + rng.int(20)) : (round * 7 + rng.int(40)) % 301;
      const bytes = new TextEncoder().encode(name === 'b' ? JSON.stringify(text(rng, length)) : text(rng, length));
      values[name] = rng.chance(0.5) ? threadArena().copy(bytes) : bytes;
    }
    return values;
  };
  const writeWith = (t: CompiledTemplate, w: ByteWriter, values: Record<string, Uint8Array>, counter: number) => {
    slots.bind({ values, counter });
    slots.nextRecord();
    t.write(w, slots);
  };

  it('writes what the JavaScript writer writes, in place in the arena and staged from outside it', () => {
    const rng = new Rng('test', 'assembler');
    const inArena = ByteWriter.over(threadArena().bytes(1 << 20));
    const outside = new ByteWriter(1 << 20);
    const expected = new ByteWriter(1 << 20);
    for (let round = 0; round < 400; round++) {
      const values = valuesFor(rng, round);
      writeWith(plain, expected, values, round);
      writeWith(template, inArena, values, round);
      writeWith(template, outside, values, round);
    }
    const want = decode(expected);
    expect(decode(inArena)).toBe(want);
    expect(decode(outside)).toBe(want);
    // The records are JSON, with the optional key and group present in some records and absent in others.
    const records = want.split('}{').length;
    expect(records).toBe(400);
    expect(want).toContain('"maybe":');
    expect(want).toMatch(/"last":true\}\{"version"[^]*?"nested"[^]*?"last":true/);
  });

  it('writes a record too big for the rest of an arena buffer through the JavaScript path, unchanged', () => {
    const rng = new Rng('test', 'assembler-overflow');
    const values = valuesFor(rng, 40);
    const expected = new ByteWriter(64);
    writeWith(plain, expected, values, 7);
    const small = ByteWriter.over(threadArena().bytes(32));
    writeWith(template, small, values, 7);
    expect(small.pos).toBe(expected.pos);
    expect(decode(small)).toBe(decode(expected));
  });

  it('runs the generators and resolvers in the order the JavaScript writer does', () => {
    const values = valuesFor(new Rng('test', 'order'), 3);
    values.cond = new TextEncoder().encode('x');
    const a = new ByteWriter(4096);
    const b = new ByteWriter(4096);
    writeWith(plain, a, values, 100);
    writeWith(template, b, values, 100);
    expect(decode(b)).toBe(decode(a));
    expect(decode(b)).toContain('"id":"g100"');
    expect(decode(b)).toContain('"id":"g101"');
  });

  it('ships the WebAssembly that assemble.wat compiles to', () => {
    expect(() => execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
