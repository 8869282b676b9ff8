/**
 * Alert notifications against real receivers: an HTTP server (node:http) for the webhooks and an SMTP server
 * (smtp-server) for the e-mail, both on random local ports.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry, type Counter } from 'prom-client';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL_CONCURRENCY, type AlertNotice, type ChannelKind, type CounterLike, Notifier, notifyConfigSchema, notifyMetrics } from '../src/siem/alerts/notify.js';
import { until } from './helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function notice(over: Partial<AlertNotice> = {}): AlertNotice {
  return {
    id: '42',
    rule_id: 'b1f0c0de-0000-4000-8000-000000000001',
    rule_title: 'Brute force against admin',
    severity: 'HIGH',
    status: 'open',
    count: 7,
    first_seen: '2025-12-01T10:00:00.000Z',
    last_seen: '2025-12-01T10:04:59.000Z',
    group: { user: 'admin', src_ip: '203.0.113.9' },
    tags: ['attack.credential-access', 'attack.t1110'],
    summary: '7 failed sign-ins for admin from 203.0.113.9 in 5 minutes',
    ...over,
  };
}

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  status?: number;
}

/** An HTTP receiver; `answer` gets each request's number (0-based) and answers it, or leaves it hanging. */
async function receiver(answer: (n: number, req: IncomingMessage, res: ServerResponse) => void) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const r: Received = { path: req.url ?? '', headers: req.headers, body };
      received.push(r);
      const end = res.end.bind(res);
      res.end = ((...args: Parameters<typeof res.end>) => {
        r.status = res.statusCode;
        return end(...args);
      }) as typeof res.end;
      answer(received.length - 1, req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

function harness(config: unknown) {
  const registry = new Registry();
  const metrics = notifyMetrics(registry);
  const logs: string[] = [];
  const notifier = new Notifier(notifyConfigSchema.parse(config), (line) => logs.push(line), metrics);
  cleanups.push(async () => void (await notifier.close(0)));
  const count = async (which: keyof typeof metrics, channel: ChannelKind): Promise<number> => {
    const values = (await (metrics[which] as CounterLike as Counter<'channel'>).get()).values;
    return values.find((v) => v.labels.channel === channel)?.value ?? 0;
  };
  return { notifier, logs, count };
}

const fast = { retries: 5, retry_base_ms: 20, retry_max_ms: 100 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('notify config', () => {
  it('fills in the defaults and refuses what it cannot use', () => {
    const c = notifyConfigSchema.parse({ webhooks: [{ url: 'https://hooks.example.com/x' }] });
    expect(c).toMatchObject({ retries: 5, retry_base_ms: 1000, retry_max_ms: 60_000, max_queue: 10_000, webhooks: [{ min_severity: 'HIGH', timeout_ms: 10_000 }] });
    expect(c.smtp).toBeUndefined();
    const smtp = notifyConfigSchema.parse({ smtp: { host: 'mail', from: 'Seclog <a@example.com>', to: ['b@example.com'] } }).smtp;
    expect(smtp).toMatchObject({ secure: false, starttls: 'opportunistic', min_severity: 'HIGH' });
    expect(notifyConfigSchema.parse({}).webhooks).toEqual([]);
    const bad = [
      { webhooks: [{ url: 'ftp://example.com/x' }] },
      { webhooks: [{ url: 'https://example.com', min_severity: 'high' }] },
      { webhooks: [{ url: 'https://example.com', headers: { Authorization: 'a\r\nX-Injected: 1' } }] },
      { webhooks: [{ url: 'https://example.com', secret: 'x' }] },
      { smtp: { host: 'mail', from: 'a@example.com', to: ['b@example.com'], user: 'u' } },
      { smtp: { host: 'mail', from: 'a@example.com', to: [] } },
      { smtp: { host: 'mail', from: 'not an address', to: ['b@example.com'] } },
      { retry_base_ms: 5000, retry_max_ms: 1000 },
    ];
    for (const config of bad) expect(notifyConfigSchema.safeParse(config).success, JSON.stringify(config)).toBe(false);
  });
});

describe('webhook', () => {
  it('retries a 500 and a dropped connection, then delivers once, in Slack shape with the alert', async () => {
    const hook = await receiver((n, req, res) => {
      if (n === 0) res.writeHead(500).end('upstream down');
      else if (n === 1) req.socket.destroy();
      else res.writeHead(200).end('ok');
    });
    const { notifier, logs, count } = harness({
      ...fast,
      base_url: 'https://siem.example.com/',
      webhooks: [{ url: `${hook.url}/services/T0/SECRETPATH`, headers: { Authorization: 'Bearer t0ken' } }],
    });
    const alert = notice();
    notifier.notify(alert);
    await until('the webhook delivery', async () => (await count('sent', 'webhook')) === 1, 10_000);
    await sleep(150); // a duplicate would arrive within the backoff
    expect(hook.received.map((r) => r.status)).toEqual([500, undefined, 200]);
    expect(await count('retried', 'webhook')).toBe(2);
    expect(await count('failed', 'webhook')).toBe(0);

    const got = hook.received[2];
    expect(got.path).toBe('/services/T0/SECRETPATH');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers.authorization).toBe('Bearer t0ken');
    const body = JSON.parse(got.body);
    expect(body.alert).toEqual({ ...alert, url: 'https://siem.example.com/alerts/42' });
    expect(body.text).toContain('[HIGH] Brute force against admin (7, open)');
    expect(body.text).toContain('user=admin, src_ip=203.0.113.9');
    expect(body.text).toContain('https://siem.example.com/alerts/42');
    expect(body.blocks[0].type).toBe('section');
    expect(body.blocks[0].text).toEqual({ type: 'mrkdwn', text: `*<https://siem.example.com/alerts/42|Brute force against admin>*\n${alert.summary}` });
    expect(body.blocks[0].fields.map((f: { text: string }) => f.text)).toEqual([
      '*Severity*\nHIGH',
      '*Status*\nopen',
      '*Count*\n7',
      '*First seen*\n2025-12-01T10:00:00.000Z',
      '*Last seen*\n2025-12-01T10:04:59.000Z',
      '*user*\nadmin',
      '*src_ip*\n203.0.113.9',
    ]);
    expect(body.blocks[1].type).toBe('context');

    expect(logs.join('\n')).toMatch(/attempt 1 failed: HTTP 500: upstream down; retrying in \d+ ms/);
    expect(logs.join('\n')).toMatch(/attempt 2 failed: .*; retrying/);
    expect(logs.join('\n')).toContain('delivered at attempt 3');
    // Slack's webhook URL is its secret: never in the log.
    expect(logs.join('\n')).not.toContain('SECRETPATH');
    expect(logs.join('\n')).toContain(`webhook ${new URL(hook.url).host}`);
    const t0 = Date.now();
    expect(await notifier.close(5_000)).toEqual({ abandoned: 0 });
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('sends an alert only where it reaches min_severity', async () => {
    const hook = await receiver((_n, _req, res) => res.writeHead(204).end());
    const { notifier, count } = harness({
      ...fast,
      webhooks: [
        { url: `${hook.url}/low`, min_severity: 'LOW' },
        { url: `${hook.url}/default` },
        { url: `${hook.url}/critical`, min_severity: 'CRITICAL' },
      ],
    });
    notifier.notify(notice({ id: 'm', severity: 'MEDIUM' }));
    notifier.notify(notice({ id: 'h', severity: 'HIGH' }));
    notifier.notify(notice({ id: 'c', severity: 'CRITICAL' }));
    await until('6 deliveries', async () => (await count('sent', 'webhook')) === 6, 10_000);
    await sleep(100);
    const ids = (path: string) =>
      hook.received
        .filter((r) => r.path === path)
        .map((r) => JSON.parse(r.body).alert.id)
        .sort();
    expect(ids('/low')).toEqual(['c', 'h', 'm']);
    expect(ids('/default')).toEqual(['c', 'h']);
    expect(ids('/critical')).toEqual(['c']);
    expect(hook.received).toHaveLength(6);
  });

  it('does not retry a 400, retries a 429 after Retry-After', async () => {
    let tooMany = 0;
    const hook = await receiver((_n, req, res) => {
      if (req.url === '/bad') res.writeHead(400).end('invalid_payload');
      else if (tooMany++ === 0) res.writeHead(429, { 'retry-after': '0' }).end('rate_limited');
      else res.writeHead(200).end('ok');
    });
    const { notifier, logs, count } = harness({ ...fast, webhooks: [{ url: `${hook.url}/bad` }, { url: `${hook.url}/busy` }] });
    notifier.notify(notice());
    await until('the 400 given up and the 429 delivered', async () => (await count('failed', 'webhook')) === 1 && (await count('sent', 'webhook')) === 1, 10_000);
    await sleep(200);
    expect(hook.received.filter((r) => r.path === '/bad')).toHaveLength(1);
    expect(hook.received.filter((r) => r.path === '/busy').map((r) => r.status)).toEqual([429, 200]);
    expect(await count('retried', 'webhook')).toBe(1);
    expect(logs.join('\n')).toMatch(/alert 42 not delivered: HTTP 400: invalid_payload \(not retried\)/);
  });

  it('gives up after `retries` attempts', async () => {
    const hook = await receiver((_n, _req, res) => res.writeHead(503).end());
    const { notifier, logs, count } = harness({ ...fast, retries: 2, webhooks: [{ url: hook.url }] });
    notifier.notify(notice());
    await until('the delivery given up', async () => (await count('failed', 'webhook')) === 1, 10_000);
    await sleep(150);
    expect(hook.received).toHaveLength(3);
    expect(await count('sent', 'webhook')).toBe(0);
    expect(logs.join('\n')).toContain('not delivered: HTTP 503 (3 attempts)');
  });

  it('close() gives up at its deadline on a receiver that never answers', async () => {
    const hook = await receiver(() => undefined);
    const { notifier, logs, count } = harness({ ...fast, webhooks: [{ url: hook.url, timeout_ms: 60_000 }] });
    notifier.notify(notice());
    await until('the request', async () => hook.received.length === 1, 5_000);
    const t0 = Date.now();
    expect(await notifier.close(300)).toEqual({ abandoned: 1 });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1_500);
    await until('the aborted attempt counted', async () => (await count('failed', 'webhook')) === 1, 2_000);
    expect(await count('retried', 'webhook')).toBe(0);
    notifier.notify(notice({ id: 'late' }));
    expect(notifier.pending).toBe(0);
    expect(logs.join('\n')).toContain('alert late not sent: shutting down');
  });

  it('drops the oldest waiting notices when the queue is full, and counts them', async () => {
    const hook = await receiver(() => undefined);
    const { notifier, logs, count } = harness({ ...fast, max_queue: 3, webhooks: [{ url: hook.url, timeout_ms: 60_000 }] });
    for (let i = 0; i < 10; i++) notifier.notify(notice({ id: `a${i}` }));
    // a0..a3 in flight, a4..a6 dropped for a7..a9.
    expect(await count('dropped', 'webhook')).toBe(10 - CHANNEL_CONCURRENCY - 3);
    expect(notifier.pending).toBe(CHANNEL_CONCURRENCY + 3);
    const drops = logs.filter((l) => l.includes('queue full'));
    expect(drops).toHaveLength(1); // one line per 10 s, not one per drop
    expect(drops[0]).toContain('alert a4');
    await until('the requests in flight', async () => hook.received.length === CHANNEL_CONCURRENCY, 5_000);
    expect(hook.received.map((r) => JSON.parse(r.body).alert.id)).toEqual(['a0', 'a1', 'a2', 'a3']);
    expect(await notifier.close(100)).toEqual({ abandoned: CHANNEL_CONCURRENCY + 3 });
    await until('all given up', async () => (await count('failed', 'webhook')) === CHANNEL_CONCURRENCY + 3, 2_000);
  });
});

describe('e-mail', () => {
  interface Mail {
    from: string;
    to: string[];
    raw: string;
  }

  /** An SMTP server without TLS or AUTH; `onMailFrom` may refuse a transaction (by its number, 0-based). */
  async function smtpServer(refuse: (n: number) => { code: number; text: string } | undefined) {
    const mails: Mail[] = [];
    let transactions = 0;
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onMailFrom(_address, _session, callback) {
        const no = refuse(transactions++);
        if (!no) return callback();
        const err = new Error(no.text) as Error & { responseCode: number };
        err.responseCode = no.code;
        callback(err);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const env = session.envelope;
          mails.push({ from: env.mailFrom ? env.mailFrom.address : '', to: env.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    const port = await new Promise<number>((resolve) => {
      const s = server.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
    });
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { port, mails, transactions: () => transactions };
  }

  const smtpConfig = (port: number) => ({
    host: '127.0.0.1',
    port,
    starttls: 'never',
    from: 'Seclog <alerts@example.com>',
    to: ['soc@example.com', 'oncall@example.com'],
    min_severity: 'MEDIUM',
    timeout_ms: 5_000,
  });

  /** Headers unfolded; quoted-printable parts decoded (enough to read them). */
  function readable(raw: string): { headers: string; body: string } {
    const split = raw.indexOf('\r\n\r\n');
    const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
    const body = raw
      .slice(split + 4)
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return { headers, body };
  }

  it('arrives after the server first answers 451, with subject, from, to and both bodies', async () => {
    const smtp = await smtpServer((n) => (n === 0 ? { code: 451, text: 'Try again later' } : undefined));
    const { notifier, logs, count } = harness({ ...fast, base_url: 'https://siem.example.com', smtp: smtpConfig(smtp.port) });
    notifier.notify(notice({ severity: 'LOW', id: 'too-low' }));
    notifier.notify(notice());
    await until('the mail', async () => (await count('sent', 'email')) === 1, 8_000);
    await sleep(100);
    expect(smtp.transactions()).toBe(2);
    expect(smtp.mails).toHaveLength(1);
    expect(await count('retried', 'email')).toBe(1);
    expect(logs.join('\n')).toMatch(/e-mail via 127\.0\.0\.1: alert 42 attempt 1 failed: .*451 Try again later; retrying/);

    const mail = smtp.mails[0];
    expect(mail.from).toBe('alerts@example.com');
    expect(mail.to).toEqual(['soc@example.com', 'oncall@example.com']);
    const { headers, body } = readable(mail.raw);
    expect(headers).toMatch(/^Subject: \[seclog\] HIGH Brute force against admin \(7\)$/m);
    expect(headers).toMatch(/^From: Seclog <alerts@example\.com>$/m);
    expect(headers).toMatch(/^To: soc@example\.com, oncall@example\.com$/m);
    expect(headers).toMatch(/^X-Seclog-Alert-Id: 42$/im);
    expect(headers).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(body).toContain('Content-Type: text/plain');
    expect(body).toContain('7 failed sign-ins for admin from 203.0.113.9 in 5 minutes');
    expect(body).toContain('Severity: HIGH');
    expect(body).toContain('First seen: 2025-12-01T10:00:00.000Z');
    expect(body).toContain('src_ip: 203.0.113.9');
    expect(body).toContain('https://siem.example.com/alerts/42');
    expect(body).toContain('Content-Type: text/html');
    expect(body).toContain('<h2>HIGH: Brute force against admin</h2>');
    expect(body).toContain('<a href="https://siem.example.com/alerts/42">');
    expect(body).not.toContain('too-low');
  });

  it('does not retry a 550', async () => {
    const smtp = await smtpServer(() => ({ code: 550, text: 'Sender rejected' }));
    const { notifier, logs, count } = harness({ ...fast, smtp: smtpConfig(smtp.port) });
    notifier.notify(notice());
    await until('the mail given up', async () => (await count('failed', 'email')) === 1, 8_000);
    await sleep(150);
    expect(smtp.transactions()).toBe(1);
    expect(await count('retried', 'email')).toBe(0);
    expect(logs.join('\n')).toMatch(/not delivered: .*550 Sender rejected \(not retried\)/);
  });
});
