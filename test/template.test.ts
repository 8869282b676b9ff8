import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../src/encode/byte-writer.js';
import { compile, fmt, literalText, opt, raw, ref, SlotRegistry, Slots, when } from '../src/encode/layout/index.js';
import { civilFromDays, IsoSecondClock, javaMediumDate, writeJavaMediumDate } from '../src/encode/time-format.js';

describe('template compiler', () => {
  const values: Record<string, string> = { name: 'a "quoted" \\ name', empty: '', n: '42', obj: '{"x":1}' };
  const registry = new SlotRegistry<Record<string, string>>();
  let resolutions = 0;
  for (const key of Object.keys(values)) {
    registry.define(key, (ctx, out) => {
      resolutions++;
      const text = key === 'name' ? JSON.stringify(ctx[key]).slice(1, -1) : ctx[key];
      out.compose().ascii(text);
    });
  }
  const write = (layout: Parameters<typeof compile>[0]) => {
    const t = compile(layout, registry);
    const slots = new Slots(registry, values);
    slots.nextRecord();
    const w = new ByteWriter(16);
    t.write(w, slots);
    return new TextDecoder().decode(w.buf.subarray(0, w.pos));
  };

  it('writes the same JSON as JSON.stringify, keys in declared order', () => {
    const out = write({ b: 1, a: [true, null, 'x\n'], s: ref('name'), f: fmt('<{n}>'), r: raw('obj'), k: 2.5 });
    expect(JSON.parse(out)).toEqual({ b: 1, a: [true, null, 'x\n'], s: values.name, f: '<42>', r: { x: 1 }, k: 2.5 });
    expect(Object.keys(JSON.parse(out))).toEqual(['b', 'a', 's', 'f', 'r', 'k']);
  });

  it('drops optional keys whose slot is empty and keeps the others', () => {
    expect(JSON.parse(write({ a: 1, gone: opt(ref('empty')), here: opt(raw('n')), tls: when('empty', { x: 1 }), tls2: when('n', { y: ref('n') }) }))).toEqual({ a: 1, here: 42, tls2: { y: '42' } });
  });

  it('resolves a slot once per record however often it is used', () => {
    resolutions = 0;
    write({ a: ref('n'), b: ref('n'), c: fmt('{n}{n}') });
    expect(resolutions).toBe(1);
  });

  it('rejects unknown slots at compile time', () => {
    expect(() => compile({ a: ref('nope') }, registry)).toThrow(/unknown slot \{nope\}/);
  });

  it('writes user text literally, braces included', () => {
    const w = new ByteWriter(4);
    literalText('Failed {authentication} "x"').write(w, new Slots(registry, values));
    expect(new TextDecoder().decode(w.buf.subarray(0, w.pos))).toBe('Failed {authentication} \\"x\\"');
  });
});

describe('time formatting', () => {
  it('matches Date for civil dates and ISO seconds', () => {
    const clock = new IsoSecondClock();
    for (const ms of [0, Date.UTC(2000, 1, 29, 23, 59, 59), Date.UTC(2025, 11, 1, 0, 0, 5, 999), Date.UTC(2100, 2, 1, 12)]) {
      const d = new Date(ms);
      const c = civilFromDays(Math.floor(ms / 86400000), { year: 0, month: 0, day: 0 });
      expect([c.year, c.month, c.day]).toEqual([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]);
      expect(new TextDecoder().decode(clock.set(ms))).toBe(d.toISOString().slice(0, 19) + 'Z');
    }
    expect(javaMediumDate(Date.UTC(2024, 9, 8, 16, 15, 32))).toBe('Oct 8, 2024, 4:15:32 PM');
    expect(javaMediumDate(Date.UTC(2024, 9, 8, 0, 5, 0))).toBe('Oct 8, 2024, 12:05:00 AM');
    // The byte writer used on the hot path agrees with the Date-based formatter, across years, months and hours.
    const w = new ByteWriter(64);
    for (let ms = Date.UTC(1999, 11, 31, 23, 59, 59); ms < Date.UTC(2031, 0, 1); ms += 7_654_321_987) {
      w.reset();
      writeJavaMediumDate(w, ms);
      expect(new TextDecoder().decode(w.buf.subarray(0, w.pos))).toBe(javaMediumDate(ms));
    }
  });
});

describe('metrics display', async () => {
  const { metricsLine, progressBar } = await import('../src/cli/display.js');
  const m = { events: 5000, bytes: 8e6, bytesOut: 1e6, files: 2, elapsedMs: 2000, simulatedMs: Date.UTC(2025, 11, 1, 6), startMs: Date.UTC(2025, 11, 1), untilMs: Date.UTC(2025, 11, 1, 12), done: false, outputs: [] };
  it('shows rates, simulated time and files', () => {
    expect(metricsLine(m, { ...m, events: 1000, bytes: 2e6, elapsedMs: 1000 })).toBe('[seclog] 2.0s  events 5,000 (4,000/s)  8.0 MB (6.0 MB/s)  written 1.0 MB  sim 2025-12-01T06:00:00Z  files 2');
  });
  it('shows what each network output has acknowledged, and retries when there were any', () => {
    const delivery = { sent: 5000, acked: 4000, retried: 0, failed: 0, bytes: 1, inFlight: 1, latencyMsAvg: 2, latencyMsMax: 3 };
    const outputs = [
      { name: 'file', description: '', bytesOut: 1, files: 1 },
      { name: 'kafka', description: '', bytesOut: 1, files: 0, delivery },
      { name: 'search', description: '', bytesOut: 1, files: 0, delivery: { ...delivery, acked: 1200, retried: 300 } },
    ];
    expect(metricsLine({ ...m, outputs }, null)).toMatch(/files 2  kafka acked 4,000  search acked 1,200 retried 300$/);
  });
  it('draws progress against --until-time or --max-events, and none without a bound', () => {
    expect(progressBar(m, 10)).toBe('[#####-----]  50.0%');
    expect(progressBar({ ...m, maxEvents: 20000 }, 10)).toBe('[###-------]  25.0%');
    expect(progressBar({ ...m, untilMs: Infinity })).toBeNull();
  });
});
