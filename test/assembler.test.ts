import { execFileSync } from 'node:child_process';
import { shardContext } from '../src/engine/plan.js';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { actorsConfigSchema } from '../src/population/config.js';
import { validate } from '../src/util/validate.js';
import { threadArena, type Arena } from '../src/encode/assemble/arena.js';
import { ByteWriter } from '../src/encode/byte-writer.js';
import { compile, CompiledTemplate, fmt, gen, opt, raw, ref, SlotRegistry, Slots, when, type Layout } from '../src/encode/layout/index.js';
import { allocatePart, PartWriter } from '../src/engine/part.js';
import { buildPopulation } from '../src/population/build.js';
import { cloudTrailSource } from '../src/sources/cloudtrail/index.js';
import { CATALOG } from '../src/sources/cloudtrail/catalog/index.js';
import { BASELINE_BY_EVENT } from '../src/sources/cloudtrail/catalog/baseline.js';
import { cloudTrailConfigSchema } from '../src/sources/cloudtrail/config.js';
import { RealisticScheduler } from '../src/traffic/scheduler.js';
import { Rng } from '../src/util/rng.js';

const arena = threadArena() as Arena;

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
      values[name] = rng.chance(0.5) ? arena.copy(bytes) : bytes;
    }
    return values;
  };
  const writeWith = (t: CompiledTemplate, w: ByteWriter, values: Record<string, Uint8Array>, counter: number) => {
    slots.bind({ values, counter });
    slots.nextRecord();
    t.write(w, slots);
  };

  it('writes what the JavaScript writer writes, in place in the arena and (through the JavaScript path) outside it', () => {
    const rng = new Rng('test', 'assembler');
    const inArena = ByteWriter.over(arena.tryBytes(1 << 20)!);
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
    const small = ByteWriter.over(arena.tryBytes(32)!);
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

describe('CloudTrail through the assembler', () => {
  /** sha256 of the first `count` records of a fresh CloudTrail run (errors on, every catalog event in the mix). */
  const digest = (count: number) => {
    const actors = buildPopulation(validate(actorsConfigSchema, { seed: 3, population: { actor_count: 600, service_ratio: 0.25, account_count: 3 } }, 't'), 3).actors;
    // Events with a benign base rate are put back in the mix by weight, so that every template goes through both writers.
    const custom_events = CATALOG.filter((e) => BASELINE_BY_EVENT.has(e.name)).map((e) => ({ name: e.name, weight: e.weight * 20 }));
    const config = validate(cloudTrailConfigSchema, { type: 'cloudtrail', curated: true, actor_population_path: 'x', custom_events, error_rates: [{ name: 'GetObject', rate: 0.2, code: 'AccessDenied', message: 'Access {denied} "here"' }] }, 't');
    const runtime = cloudTrailSource.createRuntime(config, '3', actors);
    const shards = Array.from({ length: 8 }, (_, s) => {
      const ctx = shardContext('3', s, actors, 8);
      return { scheduler: new RealisticScheduler(ctx, { time_scale: 0, mode: 'realistic' } as never, Date.UTC(2025, 11, 1)), source: cloudTrailSource.createShard(runtime, ctx) };
    });
    const parts = [allocatePart(8 << 20, 1 << 16, 0), allocatePart(8 << 20, 1 << 16, 1)];
    const part = new PartWriter(parts[0], 1 << 20);
    const hash = createHash('sha256');
    let records = 0;
    for (let window = 1; records < count; window++) {
      for (const shard of shards) while (!shard.scheduler.run(Date.UTC(2025, 11, 1) + window * 60_000, part, shard.source));
      records += part.count;
      hash.update(part.w.buf.subarray(0, part.w.pos));
      part.attach(parts[window % 2]);
    }
    return { hash: hash.digest('hex'), records };
  };

  it('writes every catalog event exactly as the JavaScript writer does', () => {
    const assembled = digest(60_000);
    // The same run with every record written by the JavaScript op loop (the template without its program).
    const write = CompiledTemplate.prototype.write;
    CompiledTemplate.prototype.write = function (this: CompiledTemplate, w: ByteWriter, slots: Slots<unknown>) {
      write.call(new CompiledTemplate(this.ops), w, slots);
    } as typeof write;
    try {
      expect(digest(60_000)).toEqual(assembled);
    } finally {
      CompiledTemplate.prototype.write = write;
    }
    expect(assembled.records).toBeGreaterThan(60_000);
  });
});

describe('arena', () => {
  it('grows to its maximum, and says so rather than throwing when a value does not fit', () => {
    const before = arena.used;
    expect(arena.tryAlloc(600 << 20)).toBeGreaterThanOrEqual(before);
    expect(arena.tryAlloc(16 << 20)).toBeGreaterThan(0);
    expect(arena.tryAlloc(2 * 1024 ** 3)).toBe(-1);
    const plain = new TextEncoder().encode('outside');
    expect(arena.offsetOf(plain)).toBe(-1);
    const inside = arena.copy(plain);
    expect(arena.offsetOf(inside)).toBeGreaterThan(0);
    expect(arena.offsetOf(inside.subarray(2))).toBe(arena.offsetOf(inside) + 2);
    // Long-lived values stop short of the end: what is left is kept for programs, tables and per-record overflow.
    expect(arena.tryAlloc(2 * 1024 ** 3 - arena.used - (32 << 20))).toBeGreaterThan(0);
    expect(arena.copy(plain)).toBe(plain);
    expect(arena.tryAlloc(1 << 20)).toBeGreaterThan(0);
  });
});
