import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MessagePacker, type PackedMessage } from '../src/sinks/kafka/pack.js';
import { buildPopulationFile, genConfig, outputFiles, readAllRecords, runCli, sourcesConfig, tempDir, writeFile, fileOutputEntry } from './helpers.js';

let dir: string;
let population: string;

beforeAll(async () => {
  dir = tempDir();
  population = await buildPopulationFile(dir, 'seed = 5\n[population]\nactor_count = 200\nservice_ratio = 0.25\naccount_count = 2\n');
});

/** The test config with its [output] table replaced by `outputs` (TOML text of [[outputs]] entries). */
function withOutputs(outputs: string): string {
  return genConfig({ population, outDir: 'unused', outputs });
}

describe('outputs', () => {
  it('--stdout writes the same bytes the file output writes, and nothing else on stdout', async () => {
    const outDir = join(dir, 'file');
    const cfg = writeFile(dir, 'stdout.toml', genConfig({ population, outDir }));
    const file = await runCli(['gen', '--config', cfg, '--max-events', '3000']);
    expect(file.code).toBe(0);
    const piped = await runCli(['gen', '--config', cfg, '--max-events', '3000', '--stdout']);
    expect(piped.code, piped.stderr).toBe(0);
    const written = outputFiles(outDir).map((f) => readFileSync(f, 'utf8')).join('');
    expect(piped.stdout.length).toBeGreaterThan(1000);
    expect(piped.stdout).toBe(written);
    expect(piped.stderr).toMatch(/output +stdout: JSONL on standard output/);
  });

  it('[[outputs]] feeds every output the same records (plain and gzip files at once)', async () => {
    const a = join(dir, 'multi-a');
    const b = join(dir, 'multi-b');
    const cfg = writeFile(
      dir,
      'multi.toml',
      withOutputs(`[[outputs]]
type = "file"
name = "plain"
dir = ${JSON.stringify(a)}
rotation = { target_size_mb = 1 }
format = { type = "jsonl" }

[[outputs]]
type = "file"
name = "zipped"
sources = ["cloudtrail"]
dir = ${JSON.stringify(b)}
rotation = { target_size_mb = 64 }
format = { type = "jsonl", compression = "gzip" }
`),
    );
    const r = await runCli(['gen', '--config', cfg, '--max-events', '5000', '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(outputFiles(a).length).toBeGreaterThan(3);
    expect(outputFiles(b).every((f) => f.endsWith('.json.gz'))).toBe(true);
    const plain = readAllRecords(a);
    expect(plain).toHaveLength(5000);
    expect(readAllRecords(b)).toEqual(plain);
    expect(r.stderr).toMatch(/output +plain: jsonl files in/);
    expect(r.stderr).toMatch(/output +zipped: jsonl \(gzip\) files in/);
  });

  it('type = "blackhole" counts the records and bytes it discards', async () => {
    const fileDir = join(dir, 'beside-blackhole');
    const summaryPath = join(dir, 'blackhole-summary.json');
    const cfg = writeFile(
      dir,
      'blackhole.toml',
      withOutputs(`[[outputs]]
type = "blackhole"

[[outputs]]
type = "file"
dir = ${JSON.stringify(fileDir)}
rotation = { target_size_mb = 64 }
format = { type = "jsonl" }
`),
    );
    const r = await runCli(['gen', '--config', cfg, '--max-events', '3000', '--summary-json', summaryPath]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/output +blackhole: records counted and discarded, 0 files/);
    const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as { events: number; bytes: number; outputs: { name: string; records?: number; bytesOut: number; files: number }[] };
    const blackhole = summary.outputs.find((o) => o.name === 'blackhole');
    const written = outputFiles(fileDir).reduce((sum, f) => sum + statSync(f).size, 0);
    expect(summary.events).toBe(3000);
    expect(readAllRecords(fileDir)).toHaveLength(3000);
    expect(blackhole).toEqual({ name: 'blackhole', description: 'records counted and discarded', records: 3000, bytesOut: written, files: 0 });
    expect(summary.bytes).toBe(written);
  });

  it('rejects bad outputs with one message naming the key, and leaves nothing behind', async () => {
    const cases: [string, RegExp][] = [
      ['[[outputs]]\ntype = "carrier-pigeon"\n', /outputs\[0\]\.type = "carrier-pigeon": expected type to be one of "file", "stdout", "kafka"/],
      ['[[outputs]]\ntype = "kafka"\nbrokers = ["localhost:9092"]\ntopic = "t"\nacks = 1\n', /outputs\[0\]\.acks = 1: an idempotent producer needs acks = "all"/],
      ['[[outputs]]\ntype = "kafka"\nbrokers = ["localhost"]\ntopic = "t"\n', /outputs\[0\]\.brokers\[0\] = "localhost": expected "host:port"/],
      ['[[outputs]]\ntype = "kafka"\nbrokers = ["localhost:9092"]\ntopic = "a b"\n', /outputs\[0\]\.topic = "a b": expected a topic name/],
      ['[[outputs]]\ntype = "syslog"\naddress = "localhost:70000"\n', /outputs\[0\]\.address = "localhost:70000": expected a port from 1 to 65535/],
      ['[[outputs]]\ntype = "http"\nkind = "ndjson"\nurl = "https://u:p@example.com/in"\n', /outputs\[0\]\.url = "https:\/\/u:p@example.com\/in": credentials do not belong in the URL/],
      ['[[outputs]]\ntype = "http"\nkind = "splunk_hec"\nurl = "http://127.0.0.1:1"\ntoken = { env = "SECLOG_SURELY_UNSET" }\n', /outputs\[0\]\.token\.env = "SECLOG_SURELY_UNSET": that environment variable is not set/],
      ['[[outputs]]\ntype = "http"\nkind = "splunk_hec"\nurl = "http://127.0.0.1:1"\ntoken = { value = "x" }\n', /outputs\[0\]\.token = \{"value":"x"\}: expected the secret as a string, or \{ env = "NAME" \}/],
      ['[[outputs]]\ntype = "stdout"\ncolour = "red"\n', /outputs\[0\]\.colour: unknown key; allowed here: type, name, sources/],
      ['[[outputs]]\ntype = "stdout"\nname = "x"\n[[outputs]]\ntype = "stdout"\nname = "x"\n', /outputs\[1\]\.name = "x": output names must be unique/],
      ['', /output: required: an \[output\] table or at least one \[\[outputs\]\] entry/],
    ];
    for (const [outputs, message] of cases) {
      const cfg = writeFile(dir, 'bad.toml', withOutputs(outputs));
      const r = await runCli(['gen', '--config', cfg, '--max-events', '10']);
      expect(r.code, outputs).toBe(2);
      expect(r.stderr, outputs).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  it('--output redirects the first [[outputs]] file output, and is refused when there is none', async () => {
    const redirected = join(dir, 'redirected');
    const cfg = writeFile(dir, 'redirect.toml', withOutputs(`[[outputs]]\ntype = "file"\ndir = "/nonexistent/never-written"\nrotation = { target_size_mb = 64 }\nformat = { type = "jsonl" }\n`));
    const r = await runCli(['gen', '--config', cfg, '--max-events', '100', '--output', redirected]);
    expect(r.code, r.stderr).toBe(0);
    expect(readAllRecords(redirected)).toHaveLength(100);
    const none = writeFile(dir, 'no-file.toml', withOutputs('[[outputs]]\ntype = "stdout"\n'));
    const refused = await runCli(['gen', '--config', none, '--max-events', '10', '--output', redirected]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--output: the config has no file output/);
  });

  it('refuses records_per_message > 1 for a source without a batch form, in one line, before anything is written', async () => {
    const fileDir = join(dir, 'batch-refused');
    const kafka = (extra: string) => `${fileOutputEntry(fileDir, 64)}[[outputs]]
type = "kafka"
brokers = ["127.0.0.1:1"]
topic = "t-{source}"
${extra}`;
    const single = writeFile(dir, 'batch-ct.toml', withOutputs(kafka('records_per_message = 100\n')));
    const r = await runCli(['gen', '--config', single, '--max-events', '10']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'seclog: outputs[1].records_per_message = 100: source "cloudtrail" has no form for several records per message; only entra_signin, entra_audit have one (use 1 for the others, or route only those here with sources = [...])',
    );
    expect(existsSync(fileDir)).toBe(false);
    // In a run of several sources, every source the output takes must have the form.
    const both = writeFile(dir, 'batch-both.toml', sourcesConfig({ seed: 1, population, sources: ['entra_signin', 'cloudtrail'], outputs: kafka('records_per_message = 50\n') }));
    const r2 = await runCli(['gen', '--config', both, '--max-events', '10']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/^seclog: outputs\[1\]\.records_per_message = 50: source "cloudtrail" has no form/);
    expect(existsSync(fileDir)).toBe(false);
    const zero = writeFile(dir, 'batch-zero.toml', withOutputs(kafka('records_per_message = 0\n')));
    const r3 = await runCli(['gen', '--config', zero, '--max-events', '10']);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/outputs\[1\]\.records_per_message = 0: expected a number >= 1/);
  });

  it('refuses a run when no output takes its source', async () => {
    const cfg = writeFile(dir, 'routing.toml', withOutputs('[[outputs]]\ntype = "stdout"\nsources = ["okta"]\n'));
    const r = await runCli(['gen', '--config', cfg, '--max-events', '10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no output takes records of source "cloudtrail": check the outputs. sources lists/);
  });
});

describe('output examples', () => {
  it('every examples/outputs/*.toml is a valid config', async () => {
    const { readdirSync } = await import('node:fs');
    const dirPath = join(import.meta.dirname, '..', 'examples', 'outputs');
    const files = readdirSync(dirPath).filter((f) => f.endsWith('.toml'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const r = await runCli(['gen', '--config', join(dirPath, f), '--dry-run']);
      expect(r.code, `${f}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout).outputs.length, f).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('several records per message (MessagePacker)', () => {
  const form = { open: '{"records":[', separator: ',', close: ']}', groupBy: ['category'], description: 'test form' };
  const encoder = new TextEncoder();
  /** Adds records (JSON text) as the Kafka sink does, in one buffer, and collects what closes. */
  const feed = (packer: MessagePacker, records: string[], out: PackedMessage[]) => {
    const bytes = encoder.encode(records.join(''));
    let at = 0;
    records.forEach((r, i) => {
      const closed = packer.add(bytes, at, at + r.length, i, 1000 + i);
      if (closed) out.push(closed);
      at += r.length;
    });
  };
  const rec = (category: string, n: number) => `{"category":"${category}","n":${n}}`;

  it('fills one message per category up to the record limit, keyed by its first record; closeAll closes the rest in opening order', () => {
    const packer = new MessagePacker(form, 3, 1 << 20);
    const out: PackedMessage[] = [];
    feed(packer, [rec('A', 0), rec('B', 1), rec('A', 2), rec('A', 3), rec('B', 4), rec('A', 5), rec('C', 6)], out);
    expect(out.map((m) => m.value.toString())).toEqual([`{"records":[${rec('A', 0)},${rec('A', 2)},${rec('A', 3)}]}`]);
    expect(out[0]).toMatchObject({ records: 3, actor: 0, time: 1000 });
    expect(packer.openMessages).toBe(3);
    const rest = packer.closeAll();
    expect(rest.map((m) => m.value.toString())).toEqual([`{"records":[${rec('B', 1)},${rec('B', 4)}]}`, `{"records":[${rec('A', 5)}]}`, `{"records":[${rec('C', 6)}]}`]);
    expect(rest.map((m) => [m.records, m.actor])).toEqual([[2, 1], [1, 5], [1, 6]]);
    for (const m of [...out, ...rest]) expect(JSON.parse(m.value.toString())).toHaveProperty('records');
    expect(packer.openMessages).toBe(0);
    expect(packer.closeAll()).toEqual([]);
  });

  it('closes a message before the record that would take it past the byte limit; a larger record travels alone', () => {
    const limit = 200;
    const packer = new MessagePacker({ ...form, groupBy: undefined }, 1000, limit);
    const records = Array.from({ length: 40 }, (_, i) => (i === 17 ? `{"big":"${'x'.repeat(400)}"}` : rec('A', i)));
    const out: PackedMessage[] = [];
    feed(packer, records, out);
    out.push(...packer.closeAll());
    expect(out.reduce((n, m) => n + m.records, 0)).toBe(40);
    const recordsOf = (m: PackedMessage) => (JSON.parse(m.value.toString()) as { records: unknown[] }).records;
    for (const [i, m] of out.entries()) {
      if (m.records > 1) expect(m.value.length).toBeLessThanOrEqual(limit);
      // Each message closed only because the next record (the next message's first) would not fit.
      if (i + 1 < out.length) expect(m.value.length + 1 + JSON.stringify(recordsOf(out[i + 1])[0]).length).toBeGreaterThan(limit);
    }
    expect(out.filter((m) => m.value.length > limit).map((m) => m.records)).toEqual([1]);
    // Records stay in order across messages, unchanged.
    expect(out.flatMap(recordsOf)).toEqual(records.map((r) => JSON.parse(r)));
  });
});
