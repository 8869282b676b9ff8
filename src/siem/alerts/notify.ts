/**
 * Alert notifications: each alert that reaches a channel's `min_severity` goes to every webhook (Slack-compatible
 * JSON) and to the e-mail recipients (SMTP), in the background, with retries. The `[notify]` table of the SIEM config
 * (docs/siem.md explains every key).
 *
 * Delivery is at least once per channel: a request that times out may have arrived all the same and is sent again.
 * Each channel has its own bounded queue (a dead webhook does not hold back the mail) and sends up to
 * CHANNEL_CONCURRENCY notices at once; a failed attempt waits for its retry in that queue without blocking the others.
 *
 * What is retried (with exponential backoff and jitter, `retry_base_ms` · 2^(attempt−1), capped at `retry_max_ms`,
 * each wait drawn between half and all of that; a webhook's `Retry-After` is honoured up to the cap):
 * - webhook: network errors, timeouts, HTTP 408, 429 and 5xx. Other 4xx (a bad URL or token, a payload the receiver
 *   refuses) and 3xx (redirects are not followed: a webhook that moved is a config error) fail at once, since the
 *   same request would get the same answer.
 * - e-mail: connection and TLS errors, timeouts, 4xx replies and 503. Other 5xx replies (an unknown recipient, bad
 *   credentials: nodemailer's `permanent`) and invalid envelopes fail at once.
 */
import nodemailer from 'nodemailer';
import type { NodemailerError, SendMailOptions, Transporter } from 'nodemailer';
import { Counter, type Registry } from 'prom-client';
import * as z from 'zod';
import { int } from '../../util/schema.js';
import { ALERT_SEVERITIES, type AlertSeverity } from '../rules/types.js';

const severity = () => z.enum(ALERT_SEVERITIES);
const timeoutMs = (dflt: number) => int().min(100).max(300_000).default(dflt);
const httpUrl = () =>
  z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });
/** `alerts@example.com` or `Seclog <alerts@example.com>`. */
const mailbox = (withName: boolean) =>
  z
    .string()
    .regex(withName ? /^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/ : /^[^\s@<>]+@[^\s@<>]+$/, {
      message: withName ? 'expected an e-mail address (alerts@example.com or "Seclog <alerts@example.com>")' : 'expected an e-mail address',
    });
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const notifyConfigSchema = z
  .strictObject({
    /** `[[notify.webhooks]]`: endpoints that get a Slack-compatible JSON POST per alert. */
    webhooks: z
      .array(
        z.strictObject({
          /** The endpoint (a Slack, Mattermost or Teams incoming-webhook URL, or your own). Kept out of the logs. */
          url: httpUrl(),
          /** Alerts below this severity are not sent here. */
          min_severity: severity().default('HIGH'),
          /** Extra request headers, e.g. `{ Authorization = "Bearer …" }`. */
          headers: z
            .record(
              z.string().regex(HEADER_NAME, { message: 'expected an HTTP header name' }),
              z.string().regex(/^[^\r\n\0]*$/, { message: 'expected a header value without line breaks' }),
            )
            .optional(),
          /** One attempt's limit, connection to response. */
          timeout_ms: timeoutMs(10_000),
        }),
      )
      .default([]),
    /** `[notify.smtp]`: e-mail per alert through an SMTP server. */
    smtp: z
      .strictObject({
        host: z.string().min(1),
        /** Default 25, or 465 with `secure = true`. */
        port: int().min(1).max(65_535).optional(),
        /** TLS from the first byte (SMTPS, usually port 465). */
        secure: z.boolean().default(false),
        /**
         * STARTTLS on a plain connection (ignored with `secure`): `opportunistic` upgrades when the server offers it,
         * `required` fails when it does not, `never` stays in plain text.
         */
        starttls: z.enum(['opportunistic', 'required', 'never']).default('opportunistic'),
        user: z.string().min(1).optional(),
        password: z.string().min(1).optional(),
        from: mailbox(true),
        to: z.array(mailbox(false)).min(1),
        min_severity: severity().default('HIGH'),
        /** The limit of each step (connection, greeting, each reply) and of one attempt as a whole. */
        timeout_ms: timeoutMs(30_000),
      })
      .refine((s) => (s.user === undefined) === (s.password === undefined), { message: 'expected both user and password, or neither' })
      .optional(),
    /** Attempts after the first, per channel and alert. */
    retries: int().min(0).max(20).default(5),
    /** The first retry's wait; each further one doubles, with jitter. */
    retry_base_ms: int().min(1).max(600_000).default(1_000),
    /** The longest wait between two attempts. */
    retry_max_ms: int().min(1).max(3_600_000).default(60_000),
    /** Notices waiting per channel (retries included); when full, the oldest is dropped (counted and logged). */
    max_queue: int().min(1).max(1_000_000).default(10_000),
    /** The console's URL: each notice links to `<base_url>/alerts/<id>`. */
    base_url: httpUrl().optional(),
  })
  .refine((c) => c.retry_max_ms >= c.retry_base_ms, { message: 'expected retry_max_ms >= retry_base_ms', path: ['retry_max_ms'] });

export type NotifyConfig = z.output<typeof notifyConfigSchema>;

/** What a notification says about an alert (its state when it opened or reopened). */
export interface AlertNotice {
  id: string;
  rule_id: string;
  rule_title: string;
  severity: AlertSeverity;
  status: 'open' | 'reopened';
  count: number;
  /** ISO 8601 times. */
  first_seen: string;
  last_seen: string;
  /** The rule's group-by fields and their values (user, host, source address, …). */
  group: Readonly<Record<string, string>>;
  tags: readonly string[];
  /** One line saying what happened. */
  summary: string;
}

export type ChannelKind = 'webhook' | 'email';

/** A prom-client Counter with a `channel` label fits. */
export interface CounterLike {
  inc(labels: { channel: string }): void;
}

export interface NotifyMetrics {
  /** Notices delivered. */
  sent: CounterLike;
  /** Notices given up: refused, out of retries, or still pending at close's deadline. */
  failed: CounterLike;
  /** Attempts that failed and are retried. */
  retried?: CounterLike;
  /** Notices dropped unsent because their channel's queue was full. */
  dropped?: CounterLike;
}

/** The notifier's counters on `registry` (label `channel`: webhook or email). */
export function notifyMetrics(registry: Registry): NotifyMetrics {
  const counter = (name: string, help: string) => new Counter({ name, help, labelNames: ['channel'] as const, registers: [registry] });
  return {
    sent: counter('seclog_siem_notifications_sent_total', 'Alert notifications delivered, by channel'),
    failed: counter('seclog_siem_notifications_failed_total', 'Alert notifications given up (refused, out of retries or pending at shutdown), by channel'),
    retried: counter('seclog_siem_notification_retries_total', 'Failed notification attempts that are retried, by channel'),
    dropped: counter('seclog_siem_notifications_dropped_total', 'Alert notifications dropped unsent from a full queue, by channel'),
  };
}

/** Deliveries in flight per channel at most. */
export const CHANNEL_CONCURRENCY = 4;
const DROP_LOG_INTERVAL_MS = 10_000;

type Outcome = { ok: true; note?: string } | { ok: false; retry: boolean; reason: string; retryAfterMs?: number };

interface Delivery {
  readonly seq: number;
  readonly alert: AlertNotice;
  /** Attempts made. */
  attempts: number;
  notBefore: number;
}

interface Channel {
  readonly kind: ChannelKind;
  /** For log lines: never the webhook's URL (Slack's holds its secret) nor any credentials. */
  readonly name: string;
  readonly minRank: number;
  readonly send: (alert: AlertNotice, signal: AbortSignal) => Promise<Outcome>;
  readonly close?: () => void;
  /** Waiting notices, oldest first (by seq), retries included. */
  readonly queue: Delivery[];
  inFlight: number;
  /** Drops not yet logged, and when the last log line said so. */
  drops: { unlogged: number; lastLog: number };
  timer?: NodeJS.Timeout;
  timerAt?: number;
}

const rank = (s: AlertSeverity) => ALERT_SEVERITIES.indexOf(s);

/**
 * Sends alert notices in the background. `notify` never blocks or throws; `close` lets pending deliveries finish
 * up to a deadline.
 */
export class Notifier {
  private readonly channels: Channel[] = [];
  private readonly abort = new AbortController();
  private seq = 0;
  private closing: { deadline: number; wake: () => void } | undefined;
  private closed: Promise<{ abandoned: number }> | undefined;

  constructor(
    private readonly config: NotifyConfig,
    private readonly log: (line: string) => void,
    private readonly metrics?: NotifyMetrics,
  ) {
    const hosts = config.webhooks.map((w) => new URL(w.url).host);
    config.webhooks.forEach((w, i) => {
      const name = hosts.filter((h) => h === hosts[i]).length > 1 ? `webhook ${i + 1} (${hosts[i]})` : `webhook ${hosts[i]}`;
      this.channels.push(this.channel('webhook', name, w.min_severity, (alert, signal) => this.sendWebhook(w, alert, signal)));
    });
    const smtp = config.smtp;
    if (smtp) {
      const transport: Transporter = nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port ?? (smtp.secure ? 465 : 25),
        secure: smtp.secure,
        requireTLS: smtp.starttls === 'required',
        ignoreTLS: smtp.starttls === 'never',
        auth: smtp.user === undefined ? undefined : { user: smtp.user, pass: smtp.password ?? '' },
        connectionTimeout: smtp.timeout_ms,
        greetingTimeout: smtp.timeout_ms,
        socketTimeout: smtp.timeout_ms,
        dnsTimeout: smtp.timeout_ms,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      this.channels.push({
        ...this.channel('email', `e-mail via ${smtp.host}`, smtp.min_severity, (alert, signal) => this.sendMail(transport, smtp, alert, signal)),
        close: () => transport.close(),
      });
    }
  }

  /** Notices waiting or in flight, over all channels. */
  get pending(): number {
    return this.channels.reduce((n, ch) => n + ch.queue.length + ch.inFlight, 0);
  }

  /** Queues `alert` for every channel whose `min_severity` it reaches, and returns at once. */
  notify(alert: AlertNotice): void {
    try {
      if (this.closing) {
        this.log(`notify: alert ${alert.id} not sent: shutting down`);
        return;
      }
      const r = rank(alert.severity);
      for (const ch of this.channels) {
        if (r < ch.minRank) continue;
        if (ch.queue.length >= this.config.max_queue) this.drop(ch);
        ch.queue.push({ seq: this.seq++, alert, attempts: 0, notBefore: 0 });
        this.pump(ch);
      }
    } catch (err) {
      this.log(`notify: alert ${alert?.id} not queued: ${errorText(err)}`);
    }
  }

  /**
   * Stops taking notices and waits for the pending ones (queued, in flight, waiting for a retry) for at most
   * `deadlineMs`; then aborts what is in flight and gives up the rest. Resolves with the notices given up.
   */
  close(deadlineMs: number): Promise<{ abandoned: number }> {
    if (this.closed) return this.closed;
    this.closed = new Promise<{ abandoned: number }>((resolve) => {
      const deadline = Date.now() + Math.max(0, deadlineMs);
      let done = false;
      const finish = (abandoned: number) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        for (const ch of this.channels) {
          clearTimeout(ch.timer);
          ch.timer = undefined;
          ch.close?.();
        }
        if (abandoned > 0) this.log(`notify: closed with ${abandoned} notification(s) unsent after ${deadlineMs} ms`);
        resolve({ abandoned });
      };
      const timer = setTimeout(() => {
        let abandoned = 0;
        for (const ch of this.channels) {
          abandoned += ch.inFlight + ch.queue.length;
          for (const d of ch.queue.splice(0)) this.giveUp(ch, d, 'still pending at shutdown');
        }
        // In-flight attempts end with an abort error and count as failed when they do.
        this.abort.abort(new Error('shutting down'));
        finish(abandoned);
      }, Math.max(0, deadlineMs));
      this.closing = {
        deadline,
        wake: () => {
          if (this.pending === 0) finish(0);
        },
      };
      // Retries due after the deadline would only be abandoned there.
      for (const ch of this.channels) {
        for (let i = ch.queue.length - 1; i >= 0; i--) {
          const d = ch.queue[i];
          if (d.notBefore > deadline) {
            ch.queue.splice(i, 1);
            this.giveUp(ch, d, 'its next attempt falls after the shutdown deadline');
          }
        }
      }
      this.closing.wake();
    });
    return this.closed;
  }

  private channel(kind: ChannelKind, name: string, min: AlertSeverity, send: Channel['send']): Channel {
    return { kind, name, minRank: rank(min), send, queue: [], inFlight: 0, drops: { unlogged: 0, lastLog: -Infinity } };
  }

  private drop(ch: Channel): void {
    const d = ch.queue.shift();
    if (!d) return;
    this.metrics?.dropped?.inc({ channel: ch.kind });
    ch.drops.unlogged++;
    const now = Date.now();
    if (now - ch.drops.lastLog >= DROP_LOG_INTERVAL_MS) {
      this.log(`notify: ${ch.name}: queue full (${this.config.max_queue}): dropped ${ch.drops.unlogged} oldest notification(s) unsent, the last for alert ${d.alert.id}`);
      ch.drops = { unlogged: 0, lastLog: now };
    }
  }

  private giveUp(ch: Channel, d: Delivery, why: string): void {
    this.metrics?.failed?.inc({ channel: ch.kind });
    this.log(`notify: ${ch.name}: alert ${d.alert.id} not delivered: ${why}`);
  }

  /** Starts what may start now; otherwise sets the timer for the next retry due. */
  private pump(ch: Channel): void {
    const now = Date.now();
    while (ch.inFlight < CHANNEL_CONCURRENCY && !this.abort.signal.aborted) {
      const i = ch.queue.findIndex((d) => d.notBefore <= now);
      if (i < 0) break;
      const [d] = ch.queue.splice(i, 1);
      ch.inFlight++;
      void this.attempt(ch, d);
    }
    if (ch.inFlight >= CHANNEL_CONCURRENCY || ch.queue.length === 0 || this.abort.signal.aborted) return;
    const next = ch.queue.reduce((m, d) => Math.min(m, d.notBefore), Infinity);
    if (ch.timer && ch.timerAt !== undefined && ch.timerAt <= next) return;
    clearTimeout(ch.timer);
    ch.timerAt = next;
    ch.timer = setTimeout(() => {
      ch.timer = undefined;
      ch.timerAt = undefined;
      this.pump(ch);
    }, Math.max(0, next - now));
    ch.timer.unref();
  }

  private async attempt(ch: Channel, d: Delivery): Promise<void> {
    d.attempts++;
    let outcome: Outcome;
    try {
      outcome = await ch.send(d.alert, this.abort.signal);
    } catch (err) {
      outcome = { ok: false, retry: true, reason: errorText(err) };
    }
    try {
      this.settle(ch, d, outcome);
    } catch (err) {
      this.log(`notify: ${ch.name}: ${errorText(err)}`);
    } finally {
      ch.inFlight--;
      this.pump(ch);
      this.closing?.wake();
    }
  }

  private settle(ch: Channel, d: Delivery, outcome: Outcome): void {
    if (outcome.ok) {
      this.metrics?.sent.inc({ channel: ch.kind });
      if (d.attempts > 1 || outcome.note) {
        this.log(`notify: ${ch.name}: alert ${d.alert.id} delivered${d.attempts > 1 ? ` at attempt ${d.attempts}` : ''}${outcome.note ? `; ${outcome.note}` : ''}`);
      }
      return;
    }
    if (this.abort.signal.aborted) return this.giveUp(ch, d, `${outcome.reason} (aborted at shutdown)`);
    if (!outcome.retry) return this.giveUp(ch, d, `${outcome.reason} (not retried)`);
    if (d.attempts > this.config.retries) return this.giveUp(ch, d, `${outcome.reason} (${d.attempts} attempts)`);
    const wait = this.backoff(d.attempts, outcome.retryAfterMs);
    d.notBefore = Date.now() + wait;
    if (this.closing && d.notBefore > this.closing.deadline) return this.giveUp(ch, d, `${outcome.reason} (its retry falls after the shutdown deadline)`);
    this.metrics?.retried?.inc({ channel: ch.kind });
    this.log(`notify: ${ch.name}: alert ${d.alert.id} attempt ${d.attempts} failed: ${outcome.reason}; retrying in ${wait} ms`);
    // Back in its place by age, so a full queue still drops the oldest.
    const at = ch.queue.findIndex((q) => q.seq > d.seq);
    ch.queue.splice(at < 0 ? ch.queue.length : at, 0, d);
  }

  /** `retry_base_ms` · 2^(failures−1), capped, drawn between half and all of it; at least a `Retry-After` (capped). */
  private backoff(failures: number, retryAfterMs?: number): number {
    const { retry_base_ms: base, retry_max_ms: cap } = this.config;
    const full = Math.min(cap, base * 2 ** Math.min(failures - 1, 30));
    const jittered = Math.round(full / 2 + Math.random() * (full / 2));
    return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, cap));
  }

  private async sendWebhook(hook: NotifyConfig['webhooks'][number], alert: AlertNotice, stop: AbortSignal): Promise<Outcome> {
    const signal = AbortSignal.any([stop, AbortSignal.timeout(hook.timeout_ms)]);
    let res: Response;
    try {
      res = await fetch(hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'seclog-siem', ...hook.headers },
        body: JSON.stringify(webhookPayload(alert, this.config.base_url)),
        redirect: 'manual',
        signal,
      });
    } catch (err) {
      return { ok: false, retry: true, reason: signal.aborted && !stop.aborted ? `no response within ${hook.timeout_ms} ms` : networkError(err) };
    }
    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: true };
    }
    const body = await snippet(res);
    const retry = res.status === 408 || res.status === 429 || res.status >= 500;
    const retryAfterMs = retry ? parseRetryAfter(res.headers.get('retry-after')) : undefined;
    return { ok: false, retry, reason: `HTTP ${res.status}${body ? `: ${body}` : ''}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }

  private async sendMail(transport: Transporter, smtp: NonNullable<NotifyConfig['smtp']>, alert: AlertNotice, stop: AbortSignal): Promise<Outcome> {
    const timeout = AbortSignal.timeout(smtp.timeout_ms);
    const mail: SendMailOptions = {
      ...emailMessage(alert, this.config.base_url),
      from: smtp.from,
      to: [...smtp.to],
      signal: AbortSignal.any([stop, timeout]),
    };
    try {
      const info = (await transport.sendMail(mail)) as { rejected?: unknown[] };
      const rejected = (info.rejected ?? []).map(String);
      return rejected.length > 0 ? { ok: true, note: `refused by the server for ${rejected.join(', ')}` } : { ok: true };
    } catch (err) {
      const e = err as NodemailerError;
      if (timeout.aborted && !stop.aborted) return { ok: false, retry: true, reason: `no answer within ${smtp.timeout_ms} ms` };
      const reason = [e.code, e.response ?? e.message].filter(Boolean).join(': ');
      // A server's reply decides (nodemailer's `permanent`: 5xx but 503); without one, a bad envelope or config
      // (caught before sending) would fail again, while a connection or TLS error may not.
      const permanent = e.responseCode === undefined ? e.code === 'EENVELOPE' || e.code === 'ECONFIG' : e.permanent === true;
      return { ok: false, retry: !permanent, reason };
    }
  }
}

/** The link to the alert in the console, when `base_url` is set. */
function alertUrl(alert: AlertNotice, baseUrl: string | undefined): string | undefined {
  return baseUrl === undefined ? undefined : `${baseUrl.replace(/\/+$/, '')}/alerts/${encodeURIComponent(alert.id)}`;
}

/** The webhook's JSON: Slack's `text` and `blocks` (Mattermost and Teams read `text`), and the notice as `alert`. */
function webhookPayload(alert: AlertNotice, baseUrl?: string) {
  const url = alertUrl(alert, baseUrl);
  const group = Object.entries(alert.group);
  const fixed = [
    ['Severity', alert.severity],
    ['Status', alert.status],
    ['Count', String(alert.count)],
    ['First seen', alert.first_seen],
    ['Last seen', alert.last_seen],
  ];
  // A section holds 10 fields: the group's values beyond take a line of the text.
  const room = 10 - fixed.length;
  const fields = [...fixed, ...group.slice(0, room)].map(([k, v]) => ({ type: 'mrkdwn', text: clip(`*${slackEscape(k)}*\n${slackEscape(v)}`, 2000) }));
  const rest = group.slice(room).map(([k, v]) => `${k}=${v}`);
  const title = url ? `*<${url}|${slackEscape(alert.rule_title).replace(/\|/g, '¦')}>*` : `*${slackEscape(alert.rule_title)}*`;
  const lines = [title, slackEscape(alert.summary)];
  if (rest.length > 0) lines.push(slackEscape(rest.join(', ')));
  const context = [`rule ${alert.rule_id}`, `alert ${alert.id}`, ...(alert.tags.length > 0 ? [alert.tags.join(' ')] : [])];
  return {
    text: plainText(alert, url),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n'), 3000) }, fields },
      { type: 'context', elements: [{ type: 'mrkdwn', text: clip(slackEscape(context.join(' · ')), 3000) }] },
    ],
    alert: { ...alert, group: { ...alert.group }, tags: [...alert.tags], ...(url ? { url } : {}) },
  };
}

/** The e-mail's subject and bodies (without from/to). */
function emailMessage(alert: AlertNotice, baseUrl?: string): { subject: string; text: string; html: string; headers: Record<string, string> } {
  const url = alertUrl(alert, baseUrl);
  const rows: [string, string][] = [
    ['Severity', alert.severity],
    ['Status', alert.status],
    ['Count', String(alert.count)],
    ['First seen', alert.first_seen],
    ['Last seen', alert.last_seen],
    ...Object.entries(alert.group),
    ['Rule', alert.rule_id],
    ['Alert', alert.id],
    ...(alert.tags.length > 0 ? [['Tags', alert.tags.join(', ')] as [string, string]] : []),
  ];
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2>${htmlEscape(`${alert.severity}: ${alert.rule_title}`)}</h2>`,
    `<p>${htmlEscape(alert.summary)}</p>`,
    '<table cellpadding="4" style="border-collapse:collapse">',
    ...rows.map(([k, v]) => `<tr><th align="left">${htmlEscape(k)}</th><td>${htmlEscape(v)}</td></tr>`),
    '</table>',
    ...(url ? [`<p><a href="${htmlEscape(url)}">Open the alert in seclog</a></p>`] : []),
    '</body></html>',
  ].join('\n');
  return {
    subject: oneLine(`[seclog] ${alert.severity} ${alert.rule_title} (${alert.count})`),
    text: `${alert.summary}\n\n${rows.map(([k, v]) => `${k}: ${oneLine(v)}`).join('\n')}\n${url ? `\n${url}\n` : ''}`,
    html,
    headers: { 'X-Seclog-Alert-Id': oneLine(alert.id), 'X-Seclog-Severity': alert.severity },
  };
}

/** The notification in plain text, for receivers that show `text` only. */
function plainText(alert: AlertNotice, url: string | undefined): string {
  const group = Object.entries(alert.group).map(([k, v]) => `${k}=${v}`);
  return [
    `[${alert.severity}] ${alert.rule_title} (${alert.count}, ${alert.status})`,
    alert.summary,
    `first seen ${alert.first_seen}, last seen ${alert.last_seen}`,
    ...(group.length > 0 ? [group.join(', ')] : []),
    ...(url ? [url] : []),
  ].join('\n');
}

const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const htmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');
const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** fetch says "fetch failed"; the cause says what: ECONNREFUSED, "other side closed", … */
function networkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code || cause?.message) return [cause.code, cause.message].filter(Boolean).join(': ');
  return errorText(err);
}

/** The start of an error response's body, for the log (Slack says `invalid_token`, `no_text`, …). */
async function snippet(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < 200) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // What arrived is enough.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return clip(text.replace(/\s+/g, ' ').trim(), 200);
}

/** `Retry-After`: seconds or an HTTP date. */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
