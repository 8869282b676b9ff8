/**
 * The syslog output against a real rsyslogd (Debian's package, a private instance started by
 * scripts/services/syslog.sh): RFC 5424 and RFC 3164 over TCP (octet counting and newline framing), TLS and UDP,
 * parsed by rsyslog itself; a receiver restart in the middle of a run; and the linux-auth pack's auth.log lines, which
 * rsyslog must parse as RFC 3164.
 */
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPopulationFile, configBesideFile, readAllRecords, runCli, tempDir } from './helpers.js';
import { release, server, service } from './services.js';

let dir: string;
let population: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = tempDir();
  [population, env] = await Promise.all([
    buildPopulationFile(dir, 'seed = 13\n[population]\nactor_count = 200\nservice_ratio = 0.25\naccount_count = 2\n'),
    server('syslog'),
  ]);
}, 10 * 60_000);

afterAll(async () => {
  await release('syslog');
}, 60_000);

interface Received {
  facility: string | number;
  severity: string | number;
  timestamp: string;
  hostname: string;
  app_name: string;
  msg: string;
  input: string;
  raw: string;
}

function config(name: string, syslog: string, traffic?: string): { cfg: string; fileDir: string } {
  return configBesideFile({ dir, name, population, traffic, output: `type = "syslog"\n${syslog}` });
}

/** What rsyslog wrote, once `count` messages are there (it writes asynchronously). */
async function received(count: number, timeoutMs = 30_000): Promise<Received[]> {
  const path = env.SYSLOG_RECEIVED_JSON;
  const deadline = Date.now() + timeoutMs;
  let lines: string[] = [];
  for (;;) {
    lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l) : [];
    if (lines.length >= count || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  return readFileSync(path, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l) as Received);
}

async function runAndReceive(name: string, syslog: string, events: number): Promise<{ generated: Record<string, unknown>[]; got: Received[]; stderr: string }> {
  await service('syslog', 'reset');
  const { cfg, fileDir } = config(name, syslog);
  const r = await runCli(['gen', '--config', cfg, '--max-events', String(events)]);
  expect(r.code, r.stderr).toBe(0);
  const generated = readAllRecords(fileDir);
  return { generated, got: await received(events), stderr: r.stderr };
}

describe('syslog output', () => {
  it('RFC 5424 over TCP with octet counting: rsyslog parses every header field and the whole record', async () => {
    const { generated, got, stderr } = await runAndReceive('tcp5424', `address = "${env.SYSLOG_TCP}"\nprotocol = "tcp"\nhostname = "seclog-test"\nmsgid = "cloudtrail"`, 3000);
    expect(got).toHaveLength(3000);
    got.forEach((m, i) => {
      expect(m.input).toBe('tcp');
      expect(String(m.facility)).toBe('16'); // local0
      expect(String(m.severity)).toBe('6'); // info
      expect(m.hostname).toBe('seclog-test');
      expect(m.app_name).toBe('cloudtrail');
      // The stream keeps order; the message is the record exactly, its header time the event time.
      expect(JSON.parse(m.msg)).toEqual(generated[i]);
      expect(`${m.timestamp.slice(0, 19)}Z`).toBe(generated[i].eventTime);
    });
    expect(stderr).toMatch(/output +syslog: syslog rfc5424 over tcp to .*3,000 acknowledged of 3,000 sent/);
  });

  it('RFC 3164 over TCP with newline framing', async () => {
    const { generated, got } = await runAndReceive('tcp3164', `address = "${env.SYSLOG_TCP}"\nformat = "rfc3164"\nframing = "newline"\nfacility = "auth"\nseverity = "notice"`, 1000);
    expect(got).toHaveLength(1000);
    expect(got[0].raw).toMatch(/^<37>Dec {2}1 00:0\d:\d\d \S+ cloudtrail: \{"eventVersion"/);
    got.forEach((m, i) => {
      expect(String(m.facility)).toBe('4'); // auth
      expect(String(m.severity)).toBe('5'); // notice
      expect(m.app_name).toBe('cloudtrail');
      expect(JSON.parse(m.msg)).toEqual(generated[i]);
    });
  });

  it('RFC 5424 over TLS, verifying the server certificate', async () => {
    const { generated, got } = await runAndReceive('tls', `address = "${env.SYSLOG_TLS}"\nprotocol = "tls"\ntls = { ca_file = ${JSON.stringify(env.SYSLOG_CA)} }`, 1000);
    expect(got).toHaveLength(1000);
    expect(got.every((m) => m.input === 'tls')).toBe(true);
    expect(got.map((m) => JSON.parse(m.msg))).toEqual(generated);
  });

  it('refuses a server whose certificate it cannot verify', async () => {
    await service('syslog', 'reset');
    // No CA given: the system's CAs do not know the server's. Fails at once (no retrying for minutes).
    const { cfg } = config('tls-bad', `address = "${env.SYSLOG_TLS}"\nprotocol = "tls"`);
    const started = Date.now();
    const r = await runCli(['gen', '--config', cfg, '--max-events', '100']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/output syslog: 100 records not delivered \(rejected: .*(self.signed|unable to verify|certificate)/i);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('RFC 5424 over UDP, one datagram per record', async () => {
    const { generated, got } = await runAndReceive('udp', `address = "${env.SYSLOG_UDP}"\nprotocol = "udp"\nmax_message_bytes = 65000`, 1000);
    // UDP has no acknowledgement; on loopback at this rate nothing is lost.
    expect(got).toHaveLength(1000);
    expect(got.every((m) => m.input === 'udp')).toBe(true);
    expect(new Set(got.map((m) => m.msg))).toEqual(new Set(generated.map((g) => JSON.stringify(g))));
  });

  it('resends after the receiver restarts in the middle of a run', async () => {
    await service('syslog', 'reset');
    const traffic = 'start_time = "2025-12-01T00:00:00Z"\ntime_scale = 1\nmode = "constant"\nevents_per_second = 1500';
    const { cfg, fileDir } = config('restart', `address = "${env.SYSLOG_TCP}"\nprotocol = "tcp"\nbatch_bytes = 16384`, traffic);
    const run = runCli(['gen', '--config', cfg, '--max-events', '15000']);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    await service('syslog', 'restart');
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    const generated = readAllRecords(fileDir);
    const got = await received(15000);
    const ids = new Set(got.map((m) => (JSON.parse(m.msg) as { eventID: string }).eventID));
    const missing = generated.filter((g) => !ids.has(g.eventID as string)).length;
    console.log(`syslog restart: ${got.length} received, ${missing} missing; ${r.stderr.split('\n').filter((l) => l.includes('output')).join(' | ')}`);
    expect(missing).toBe(0);
  });
});

describe('the linux-auth pack, read by rsyslog', () => {
  it('is RFC 3164 as rsyslog parses it: every line\'s host, program, pid and message where they belong', async () => {
    await service('syslog', 'reset');
    const preview = await runCli(['pack', 'preview', 'linux-auth', '-n', '80', '--population', population]);
    expect(preview.code, preview.stderr).toBe(0);
    const lines = preview.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(150);
    // A file's lines carry no priority; a forwarder adds it (auth.info = 38) and sends them over TCP, one a line.
    const [host, port] = env.SYSLOG_TCP.split(':');
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), host, () => socket.end(lines.map((l) => `<38>${l}\n`).join(''), () => resolve()));
      socket.on('error', reject);
    });
    const got = await received(lines.length);
    expect(got.length).toBe(lines.length);
    const byRaw = new Map(got.map((g) => [g.raw.replace(/^<38>/, ''), g]));
    for (const line of lines) {
      const m = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (\S+) ([\w-]+)(?:\[(\d+)\])?: (.*)$/.exec(line)!;
      const g = byRaw.get(line) as (Received & { procid: string }) | undefined;
      expect(g, line).toBeDefined();
      expect([g!.hostname, g!.app_name, g!.msg.trim()], line).toEqual([m[1], m[2], m[4]]);
      if (m[3] !== undefined) expect(g!.procid, line).toBe(m[3]);
      expect(String(g!.facility)).toMatch(/^(auth|4)$/);
    }
  }, 120_000);
});
