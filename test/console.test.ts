/**
 * The web console in a real browser (Debian's chromium driven by playwright-core): the service on its embedded
 * PostgreSQL over a small generated folder, alerts in the queue (raised through the alert store on stored records, so
 * that the test does not hang on what the rule set detects), sign-in and sign-out, an alert's evidence and timeline,
 * acknowledging one and a selection, log search with paging, a record's `<script>` shown as text, the trends
 * page's SVG, rules enabled and disabled by an admin and read-only for a viewer, 401 → sign-in, 403 pages, the
 * Origin check.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { raiseAlerts, type AlertHit } from '../src/siem/alerts/store.js';
import { siemConfigSchema } from '../src/siem/config.js';
import type { Queryable } from '../src/siem/store/database.js';
import type { DirectoryPerson } from '../src/schema/record.js';
import { startSiem, type SiemService } from '../src/siem/service.js';
import { fileOutput, runCli, sourcesConfig, tempDir, until, writeFile } from './helpers.js';
import { debianToolSync } from './service-scripts.js';

const PASSWORD = 'admin-password-for-console';
const VIEWER_PASSWORD = 'viewer-password-1';
const RULE_ID = '5e1c0a11-0000-4000-8000-00000000c0de';
const XSS = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">';

let service: SiemService;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
let alertIds: string[] = [];
/** The identity directory the service reads (`seclog actors --directory`). */
let people: DirectoryPerson[] = [];
/** An alert on one person's Okta sign-in, whose other sources name them otherwise; and that person. */
let personAlert: { id: string; person: DirectoryPerson };

function chromiumPath(): string {
  const prepared = inject('seclogServices')?.chromium;
  if (prepared?.error !== undefined) throw new Error(prepared.error);
  return prepared?.env?.COMMAND_PATH ?? debianToolSync('chromium');
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [r] = await service.db.query<{ n: string | number }>(sql, params);
  return Number(r.n);
}

/** Alerts on stored records: failed logins of one host and user, and one of another source. */
async function raiseTestAlerts(): Promise<string[]> {
  type Rec = { source: string; record_id: string; time: Date; host: string | null; user_name: string | null };
  const [first] = await service.db.query<Rec>("SELECT source, record_id, time, host, user_name FROM logs WHERE source = 'linux-auth' AND outcome = 'failure' AND host IS NOT NULL AND user_name IS NOT NULL ORDER BY time LIMIT 1");
  expect(first, 'a failed login in linux-auth').toBeDefined();
  const same = await service.db.query<Rec>("SELECT source, record_id, time, host, user_name FROM logs WHERE source = 'linux-auth' AND host = $1 AND user_name = $2 AND outcome = 'failure' ORDER BY time LIMIT 20", [first.host, first.user_name]);
  const others = await service.db.query<Rec>("SELECT source, record_id, time, host, user_name FROM logs WHERE source = 'okta' AND user_name IS NOT NULL ORDER BY time LIMIT 3");
  const hit = (severity: AlertHit['severity'], recs: Rec[], title: string): AlertHit => ({
    rule_id: RULE_ID,
    rule_title: title,
    severity,
    tags: ['attack.credential-access'],
    group: { host: recs[0].host ?? '', user: recs[0].user_name ?? '' },
    host: recs[0].host,
    user: recs[0].user_name,
    count: recs.length,
    first: Math.min(...recs.map((r) => new Date(r.time).getTime())),
    last: Math.max(...recs.map((r) => new Date(r.time).getTime())),
    evidence: recs.map((r) => ({ source: r.source, record_id: r.record_id, time: new Date(r.time).getTime() })),
    received: Date.now(),
  });
  // raiseAlerts' advisory-lock key joins rule and group with U+0000, which PostgreSQL refuses in text: until the
  // store changes that, the key's NUL is swapped for U+0001 on its way (the lock is all it is used for).
  const noNul = (tx: Queryable): Queryable => ({ ...tx, query: (sql, params) => tx.query(sql, params?.map((v) => (typeof v === 'string' ? v.replaceAll('\u0000', '\u0001') : v))) });
  // A person with an Okta sign-in and records of another source under another name (few enough to fit the timeline).
  let personal: { rec: Rec; person: DirectoryPerson } | undefined;
  for (const person of people) {
    const [okta] = await service.db.query<Rec>("SELECT source, record_id, time, host, user_name FROM logs WHERE source = 'okta' AND user_name = $1 ORDER BY time LIMIT 1", [person.person]);
    if (okta === undefined) continue;
    const elsewhere = person.accounts.filter((n) => n !== person.person);
    const rows = await service.db.query<{ source: string; n: string | number }>(
      'SELECT source, count(*) AS n FROM (SELECT source FROM logs WHERE user_name = ANY($1::text[]) OR host = $2 UNION ALL SELECT source FROM process_logs WHERE user_name = ANY($1::text[]) OR host = $2) t GROUP BY source',
      [[person.person, ...elsewhere], person.workstation ?? ''],
    );
    const total = rows.reduce((sum, r) => sum + Number(r.n), 0);
    if (rows.some((r) => r.source !== 'okta') && total <= 150) {
      personal = { rec: okta, person };
      break;
    }
  }
  expect(personal, 'a person in Okta and another source').toBeDefined();
  const raised = await service.db.transaction((tx) =>
    raiseAlerts(
      noNul(tx),
      [hit('HIGH', same, 'Failed logins on one host'), hit('MEDIUM', [others[0]], 'Okta sign-in of note'), hit('LOW', [others[1]], 'Okta sign-in, low'), hit('LOW', [personal!.rec], 'Okta sign-in of a person')],
      60 * 60_000,
    ),
  );
  personAlert = { id: raised.find((r) => r.alert.rule_title === 'Okta sign-in of a person')!.alert.id, person: personal!.person };
  // In the order given (the store raises them sorted by rule and group).
  return ['Failed logins on one host', 'Okta sign-in of note', 'Okta sign-in, low'].map((t) => raised.find((r) => r.alert.rule_title === t)!.alert.id);
}

async function signIn(context: BrowserContext, username: string, password: string): Promise<Page> {
  const p = await context.newPage();
  await p.goto(`${service.url}/sign-in`);
  await p.fill('input[name=username]', username);
  await p.fill('input[name=password]', password);
  await Promise.all([p.waitForURL(/\/alerts/), p.click('button[type=submit]')]);
  return p;
}

/** A POST from inside the page (the browser's cookie and Origin), answering its status. */
function postFromPage(p: Page, path: string, form: Record<string, string>): Promise<number> {
  return p.evaluate(async ([path, form]) => (await fetch(path, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' })).status, [path, form] as const);
}

beforeAll(async () => {
  const dir = tempDir('seclog-console-');
  const executablePath = chromiumPath();
  const launched = chromium.launch({ executablePath, args: ['--no-sandbox', '--headless=new'] });
  const actors = writeFile(dir, 'actors.toml', 'seed = 7\n[population]\nactor_count = 40\nservice_ratio = 0.2\n');
  const population = join(dir, 'actors.parquet');
  const directory = join(dir, 'people.jsonl');
  const a = await runCli(['actors', '--config', actors, '--output', population, '--directory', directory]);
  expect(a.code, a.stderr).toBe(0);
  people = readFileSync(directory, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as DirectoryPerson);
  const out = join(dir, 'out');
  const sources = ['okta', ...['linux-auth', 'host-metrics', 'sysmon'].map((p) => ({ type: 'pack', keys: `pack = "${p}"` }))];
  const cfg = writeFile(dir, 'gen.toml', sourcesConfig({ seed: 11, population, sources, outputs: fileOutput(out) }) + '[scenarios]\nenabled = true\nper_day = 96\n');
  const g = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T00:30:00Z']);
  expect(g.code, g.stderr).toBe(0);
  // A record whose text is markup: shown as text by every page.
  mkdirSync(join(out, 'acme-firewall'), { recursive: true });
  appendFileSync(join(out, 'acme-firewall', 'fw-20251201T002000Z-20251201T002100Z-000001.log'), `<134>Dec  1 00:20:01 fw1 deny ${XSS}\n`);
  const rules = join(dir, 'rules');
  mkdirSync(rules);
  writeFile(
    rules,
    'console-test.yml',
    `title: Console test rule\nid: ${RULE_ID}\nstatus: test\ndescription: A rule the console test disables and enables.\nlogsource:\n  product: linux\n  service: auth\ndetection:\n  selection:\n    message|contains: console-test-matches-nothing\n  condition: selection\nlevel: medium\ntags:\n  - attack.credential-access\n`,
  );
  const config = siemConfigSchema.parse({ data_dir: join(dir, 'siem-data'), auth: { mode: 'both', sign_in_per_minute: 100 }, rules: { paths: [rules] }, enrich: { directory } });
  service = await startSiem(config, { input: out, listen: '127.0.0.1:0', adminPassword: PASSWORD, log: () => {} });
  await until('the firewall record', async () => (await count("SELECT count(*) AS n FROM logs WHERE source = 'acme-firewall'")) === 1, 60_000);
  await until('every file', async () => (service.files?.scans ?? 0) > 1, 60_000);
  alertIds = await raiseTestAlerts();
  browser = await launched;
  admin = await browser.newContext();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.close();
});

describe('the console', () => {
  it('sends a visitor without a session to sign-in, and keeps the API answering JSON', async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    await p.goto(`${service.url}/alerts?status=open`);
    expect(new URL(p.url()).pathname).toBe('/sign-in');
    expect(new URL(p.url()).searchParams.get('next')).toBe('/alerts?status=open');
    expect(await p.locator('input[name=password]').count()).toBe(1);
    const api = await fetch(`${service.url}/api/v1/logs`);
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: string }).error).toBe('unauthorized');
    await context.close();
  });

  it('refuses a wrong password with a message and no cookie', async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    await p.goto(`${service.url}/sign-in`);
    await p.fill('input[name=username]', 'admin');
    await p.fill('input[name=password]', 'not-the-password');
    await p.click('button[type=submit]');
    await expect.poll(() => p.locator('#sign-in-error').textContent()).toContain('wrong password');
    expect(await context.cookies()).toEqual([]);
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'auth.sign_in_failed' AND actor = 'admin'")).toBe(1);
    await context.close();
  });

  it('signs an admin in with an HttpOnly, SameSite=Strict cookie and shows the alert queue', async () => {
    page = await signIn(admin, 'admin', PASSWORD);
    const [cookie] = await admin.cookies();
    expect(cookie).toMatchObject({ name: 'seclog_session', httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.locator('#who').textContent()).toBe('admin (admin)');
    for (const id of alertIds) await expect.poll(() => page.locator(`#alert-${id}`).count()).toBe(1);
    // Filtering swaps the table (htmx) and pushes the URL.
    await page.selectOption('select[name=severity]', 'HIGH');
    await page.click('form.filters button[type=submit]');
    await expect.poll(() => page.locator('table.alerts tbody tr').count()).toBe(1);
    expect(page.url()).toContain('severity=HIGH');
  });

  it('shows an alert with its evidence, history and the timeline of its host and user', async () => {
    await page.goto(`${service.url}/alerts/${alertIds[0]}`);
    expect(await page.locator('h1').textContent()).toContain('Failed logins on one host');
    expect(await page.locator('#alert-evidence tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#alert-history tbody tr').count()).toBeGreaterThan(0);
    const timeline = page.locator('#alert-timeline tbody tr');
    expect(await timeline.count()).toBeGreaterThanOrEqual(await page.locator('#alert-evidence tbody tr').count());
    expect(await page.locator('#alert-timeline tbody tr.evidence').count()).toBeGreaterThan(0);
    // Newest first, each with its source.
    const times = await page.locator('#alert-timeline tbody tr td:first-child').allTextContents();
    expect([...times].sort().reverse()).toEqual(times);
    expect((await page.locator('#alert-timeline tbody tr td:nth-child(2)').allTextContents()).every((s) => s !== '')).toBe(true);
  });

  it('acknowledges an alert from its page, and a selection in the queue; both audited', async () => {
    await Promise.all([page.waitForURL(`${service.url}/alerts/${alertIds[0]}`), page.click('#do-acknowledge')]);
    expect(await page.locator('#alert-status').textContent()).toContain('acknowledged');
    expect(await count('SELECT count(*) AS n FROM alerts WHERE id = $1 AND status = $2', [alertIds[0], 'acknowledged'])).toBe(1);
    await page.goto(`${service.url}/alerts?status=open`);
    await page.check(`#alert-${alertIds[1]} input[type=checkbox]`);
    await page.click('#bulk-acknowledge');
    await expect.poll(() => page.locator('#flash').textContent()).toContain('Acknowledged 1 of 1');
    expect(await page.locator(`#alert-${alertIds[1]}`).count()).toBe(0);
    expect(await count('SELECT count(*) AS n FROM alerts WHERE id = $1 AND status = $2', [alertIds[1], 'acknowledged'])).toBe(1);
    // Closing from a row asks for the reason (hx-prompt) and swaps the row.
    page.once('dialog', (d) => void d.accept('false positive: test'));
    await page.click(`#alert-${alertIds[2]} button.act-close`);
    await expect.poll(() => page.locator(`#alert-${alertIds[2]}`).getAttribute('data-status')).toBe('closed');
    const [closed] = await service.db.query<{ status: string; close_reason: string }>('SELECT status, close_reason FROM alerts WHERE id = $1', [alertIds[2]]);
    expect(closed).toEqual({ status: 'closed', close_reason: 'false positive: test' });
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'alert.update' AND actor = 'admin'")).toBe(3);
  });

  it('follows the person behind an alert’s user across sources, under each name the directory knows', async () => {
    const { id, person } = personAlert;
    await page.goto(`${service.url}/alerts/${id}`);
    expect(await page.locator('#alert-person').textContent()).toContain(person.display_name);
    const rows = page.locator('#alert-timeline tbody tr');
    const sources = await rows.locator('td:nth-child(2)').allTextContents();
    const users = await rows.locator('td:nth-child(6)').allTextContents();
    const hosts = await rows.locator('td:nth-child(5)').allTextContents();
    expect(sources).toContain('okta');
    expect(new Set(sources).size, sources.join(' ')).toBeGreaterThanOrEqual(2);
    // Each row is the person's (by one of their names) or their workstation's; more than one name among them.
    const names = new Set(person.accounts.map((n) => n.toLowerCase()));
    users.forEach((u, i) => expect(names.has(u.toLowerCase()) || hosts[i] === person.workstation, `${sources[i]} ${hosts[i]} ${u}`).toBe(true));
    expect(new Set(users.filter((u) => u !== '').map((u) => u.toLowerCase())).size, users.join(' ')).toBeGreaterThanOrEqual(2);
    const times = await rows.locator('td:first-child').allTextContents();
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('searches logs with the API’s filters, pages with its cursor, and shows a record’s markup as text', async () => {
    await page.goto(`${service.url}/logs`);
    await page.fill('input[name=source]', 'okta');
    await page.selectOption('select[name=limit]', '10');
    await page.click('#log-search button[type=submit]');
    await expect.poll(() => page.url()).toContain('source=okta');
    const firstPage = await page.locator('#log-results tbody tr td:first-child').allTextContents();
    expect(firstPage.length).toBe(10);
    expect(new Set(await page.locator('#log-results tbody tr td:nth-child(2)').allTextContents())).toEqual(new Set(['okta']));
    await page.click('#next-page');
    await expect.poll(() => page.url()).toContain('cursor=');
    const second = await page.locator('#log-results tbody tr td:first-child').allTextContents();
    expect(second.length).toBe(9);
    expect(second[0] <= firstPage[firstPage.length - 1]).toBe(true);
    expect(await page.locator('#next-page').count()).toBe(0);
    await page.goto(`${service.url}/logs?q=${encodeURIComponent('window.__xss')}`);
    expect(await page.locator('#log-results tbody tr').count()).toBe(1);
    expect(await page.locator('#log-results pre.raw').textContent()).toContain(XSS);
    expect(await page.locator('#log-results script, #log-results img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('draws the trends as inline SVG', async () => {
    await page.goto(`${service.url}/trends?hours=6`);
    for (const id of ['chart-events', 'chart-alerts', 'chart-cpu', 'chart-memory']) expect(await page.locator(`#${id} svg`).count(), id).toBe(1);
    expect(await page.locator('#chart-events svg g.series').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('#chart-events svg polyline').count()).toBeGreaterThan(0);
    expect(await page.locator('#chart-alerts svg rect[fill]').count()).toBeGreaterThan(0);
    expect(await page.locator('#chart-cpu svg circle').count()).toBeGreaterThan(0);
  });

  it('lets an admin disable and enable a rule, audited', async () => {
    await page.goto(`${service.url}/rules`);
    const row = page.locator(`#rule-${RULE_ID}`);
    expect(await row.getAttribute('data-enabled')).toBe('true');
    await row.locator('button.toggle-rule').click();
    await expect.poll(() => page.locator(`#rule-${RULE_ID}`).getAttribute('data-enabled')).toBe('false');
    expect(await count('SELECT count(*) AS n FROM rules WHERE id = $1 AND NOT enabled', [RULE_ID])).toBe(1);
    await page.locator(`#rule-${RULE_ID} button.toggle-rule`).click();
    await expect.poll(() => page.locator(`#rule-${RULE_ID}`).getAttribute('data-enabled')).toBe('true');
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action IN ('rule.disable', 'rule.enable') AND target = $1", [RULE_ID])).toBe(2);
  });

  it('refuses a form posted from another origin', async () => {
    const [cookie] = await admin.cookies();
    const r = await fetch(`${service.url}/alerts/${alertIds[0]}/action`, {
      method: 'POST',
      headers: { cookie: `${cookie.name}=${cookie.value}`, origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=open',
      redirect: 'manual',
    });
    expect(r.status).toBe(403);
    expect(await r.text()).toContain('Origin check');
    expect(await count('SELECT count(*) AS n FROM alerts WHERE id = $1 AND status = $2', [alertIds[0], 'acknowledged'])).toBe(1);
  });

  it('shows a viewer rules read-only and alerts without actions; their posts answer 403', async () => {
    const basic = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
    const created = await fetch(`${service.url}/api/v1/users`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'vera', password: VIEWER_PASSWORD, role: 'viewer' }) });
    expect(created.status).toBe(201);
    const context = await browser.newContext();
    const viewer = await signIn(context, 'vera', VIEWER_PASSWORD);
    expect(await viewer.locator(`#alert-${alertIds[2]}`).count()).toBe(1);
    expect(await viewer.locator('#bulk-acknowledge, table.alerts input[type=checkbox], button.act-acknowledge, button.act-reopen').count()).toBe(0);
    await viewer.goto(`${service.url}/alerts/${alertIds[2]}`);
    expect(await viewer.locator('#alert-actions').count()).toBe(0);
    expect(await postFromPage(viewer, `/alerts/${alertIds[2]}/action`, { action: 'reopen' })).toBe(403);
    await viewer.goto(`${service.url}/rules`);
    expect(await viewer.locator(`#rule-${RULE_ID}`).count()).toBe(1);
    expect(await viewer.locator('button.toggle-rule').count()).toBe(0);
    expect(await viewer.locator('#read-only').count()).toBe(1);
    expect(await postFromPage(viewer, `/rules/${RULE_ID}/enabled`, { enabled: 'false' })).toBe(403);
    const forbidden = await viewer.goto(`${service.url}/alerts/${alertIds[2]}`).then(() => viewer.evaluate(async (id) => (await fetch(`/rules/${id}/enabled`, { method: 'POST', body: new URLSearchParams({ enabled: 'false' }) })).text(), RULE_ID));
    expect(forbidden).toContain('may not do this');
    expect(await count('SELECT count(*) AS n FROM rules WHERE id = $1 AND enabled', [RULE_ID])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM alerts WHERE id = $1 AND status = $2', [alertIds[2], 'closed'])).toBe(1);
    // Signing out clears the cookie; the queue is then behind sign-in again.
    await Promise.all([viewer.waitForURL(/\/sign-in/), viewer.click('#sign-out')]);
    expect((await context.cookies()).filter((c) => c.name === 'seclog_session')).toEqual([]);
    await viewer.goto(`${service.url}/alerts`);
    expect(new URL(viewer.url()).pathname).toBe('/sign-in');
    await context.close();
  });
});
