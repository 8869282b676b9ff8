import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareShapes, fieldPaths, readJsonl, type ShapeKeys } from '../src/cli/shapes.js';
import { buildPopulationFile, fileOutput, readAllRecords, runCli, sourcesConfig, tempDir, writeFile } from './helpers.js';

const REFERENCE = join(import.meta.dirname, 'fixtures/reference/entra/signinlogs.jsonl');
const AUDIT_REFERENCE = join(import.meta.dirname, 'fixtures/reference/entra/auditlogs.jsonl');
/** The paths Microsoft Graph documents for signIn and directoryAudit (beta), relative to `properties` (GRAPH-PATHS.md). */
const documented = (name: string) => new Set(readFileSync(join(import.meta.dirname, `fixtures/reference/entra/${name}`), 'utf8').split('\n').filter(Boolean).map((p) => `properties.${p}`));

/**
 * Precision of the generated records' paths, per group: the share of the paths they write that real records (any
 * category of the corpus) or Graph's documentation also have. Returns the groups below `min`, with their extra paths.
 */
function precisionBelow(generated: readonly Rec[], real: readonly Rec[], docs: ReadonlySet<string>, group: (r: Rec) => string, min: number): string[] {
  const known = new Set(docs);
  for (const r of real) for (const p of fieldPaths(r).keys()) known.add(p);
  const groups = new Map<string, Set<string>>();
  for (const r of generated) {
    const g = group(r);
    let paths = groups.get(g);
    if (!paths) groups.set(g, (paths = new Set()));
    for (const p of fieldPaths(r).keys()) paths.add(p);
  }
  const low: string[] = [];
  for (const [g, paths] of groups) {
    const extra = [...paths].filter((p) => !known.has(p));
    if (1 - extra.length / paths.size < min) low.push(`${g}: ${(1 - extra.length / paths.size).toFixed(3)} (${extra.join(', ')})`);
  }
  expect(groups.size).toBeGreaterThan(0);
  return low;
}
type Rec = Record<string, unknown>;
type Props = { userPrincipalName?: string; appDisplayName?: string; status: { errorCode: number } };
const KEYS: ShapeKeys = { event: (r) => `${String(r.category)}/${String(r.resultType) === '0' ? 'ok' : 'fail'}`, kind: () => '' };

async function run(dir: string, workers: number, until: string): Promise<string> {
  const out = join(dir, `out-${workers}-${until.slice(0, 13)}`);
  const cfg = writeFile(
    dir,
    `entra-${workers}.toml`,
    sourcesConfig({ seed: 6, population: join(dir, 'actors.parquet'), sources: ['cloudtrail', { type: 'entra_signin', keys: 'adfs = true' }, 'entra_audit'], outputs: fileOutput(out) }),
  );
  const r = await runCli(['gen', '--config', cfg, '--until-time', until, '--workers', String(workers)]);
  if (r.code !== 0) throw new Error(r.stderr);
  return out;
}

describe('Entra ID sign-ins, with CloudTrail on one organisation', () => {
  let dir: string;
  let entra: Rec[];
  let audit: Rec[];
  let cloudtrail: Rec[];
  let out: string;
  beforeAll(async () => {
    dir = tempDir();
    await buildPopulationFile(dir, 'seed = 6\n[population]\nactor_count = 400\nservice_ratio = 0.2\n');
    out = await run(dir, 2, '2025-12-02T00:00:00Z');
    entra = readAllRecords(join(out, 'entra_signin'));
    audit = readAllRecords(join(out, 'entra_audit'));
    cloudtrail = readAllRecords(join(out, 'cloudtrail'));
  }, 240_000);

  it('writes every sign-in category, Entra\'s time format, result types as strings, and real AADSTS failures', () => {
    expect(new Set(entra.map((r) => r.category))).toEqual(new Set(['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs', 'MicrosoftServicePrincipalSignInLogs', 'ADFSSignInLogs']));
    const entraOwn = entra.filter((r) => r.category !== 'ADFSSignInLogs');
    expect(entraOwn.every((r) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/.test(String(r.time)) && typeof r.resultType === 'string')).toBe(true);
    // AD FS Connect Health uploads carry their own time format, minutes after the sign-in on the federation server.
    const adfs = entra.filter((r) => r.category === 'ADFSSignInLogs');
    for (const r of adfs.slice(0, 200)) {
      const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d\d):(\d\d) (AM|PM)$/.exec(String(r.time));
      expect(m, String(r.time)).not.toBeNull();
      const uploaded = Date.UTC(Number(m![3]), Number(m![1]) - 1, Number(m![2]), (Number(m![4]) % 12) + (m![7] === 'PM' ? 12 : 0), Number(m![5]), Number(m![6]));
      const created = Date.parse(String((r.properties as { createdDateTime: string }).createdDateTime));
      expect(uploaded - created).toBeGreaterThanOrEqual(60_000);
      expect(uploaded - created).toBeLessThanOrEqual(11 * 60_000);
      expect((r.properties as { tokenIssuerType: string }).tokenIssuerType).toBe('ADFederationServices');
    }
    // ID Protection flags a few benign interactive sign-ins (new places and browsers), and MFA remediates some of them.
    const risky = entra.filter((r) => r.category === 'SignInLogs' && (r.properties as { riskLevelDuringSignIn: string }).riskLevelDuringSignIn !== 'none');
    const interactiveCount = entra.filter((r) => r.category === 'SignInLogs').length;
    expect(risky.length).toBeGreaterThan(0);
    expect(risky.length / interactiveCount).toBeLessThan(0.02);
    for (const r of risky) expect(['unfamiliarFeatures', 'unlikelyTravel']).toContain((r.properties as { riskEventTypes_v2: string[] }).riskEventTypes_v2[0]);
    const codes = new Set(entra.filter((r) => r.category === 'SignInLogs').map((r) => (r.properties as Props).status.errorCode));
    for (const code of [0, 50126, 50140, 50074]) expect(codes.has(code), String(code)).toBe(true);
    const interactive = entra.filter((r) => r.category === 'SignInLogs');
    const failed = interactive.filter((r) => r.resultType !== '0').length / interactive.length;
    expect(failed).toBeGreaterThan(0.01);
    expect(failed).toBeLessThan(0.15);
  });

  it('matches the real records path by path in every category it writes', () => {
    const real = readJsonl(REFERENCE);
    const shapes = compareShapes(real, entra, KEYS).filter((s) => s.event.endsWith('/ok'));
    expect(shapes.map((s) => s.event).sort()).toEqual(['ADFSSignInLogs/ok', 'ManagedIdentitySignInLogs/ok', 'NonInteractiveUserSignInLogs/ok', 'ServicePrincipalSignInLogs/ok', 'SignInLogs/ok']);
    for (const s of shapes) expect(s.realCovered, `${s.event}: ${s.missing.join(', ')}`).toBeGreaterThanOrEqual(0.95);
    // Microsoft's own service principals sign in with the servicePrincipal shape (the corpus's one record of that
    // category is a relabelled user sign-in from a parser's tests, so the real service principal records are the yardstick).
    const servicePrincipals = real.filter((r) => r.category === 'ServicePrincipalSignInLogs' && String(r.resultType) === '0');
    const microsoft = entra.filter((r) => r.category === 'MicrosoftServicePrincipalSignInLogs');
    const [ms] = compareShapes(servicePrincipals, microsoft, { event: () => 'sp', kind: () => '' });
    expect(ms.realCovered, ms.missing.join(', ')).toBeGreaterThanOrEqual(0.9);
    expect(ms.generatedCovered, ms.extra.join(', ')).toBeGreaterThanOrEqual(0.9);
    // Precision: every path it writes, real records or Graph's documentation have (per category and outcome, per activity).
    expect(precisionBelow(entra, real, documented('graph-signin-paths.txt'), KEYS.event, 1)).toEqual([]);
    expect(precisionBelow(audit, readJsonl(AUDIT_REFERENCE), documented('graph-audit-paths.txt'), (r) => String(r.operationName), 1)).toEqual([]);
  });

  it('signs people in to AWS through Entra: every AssumeRoleWithSAML (saml-provider/AzureAD) follows the person\'s Entra sign-in to the AWS app, same address, within 5 minutes', () => {
    const signIns = new Map<string, { at: number; ip: string }[]>();
    for (const r of entra) {
      const p = r.properties as Props;
      if (r.category !== 'SignInLogs' || r.resultType !== '0' || p.appDisplayName !== 'Amazon Web Services (AWS)') continue;
      const list = signIns.get(p.userPrincipalName!) ?? [];
      list.push({ at: Date.parse(String(r.time).slice(0, 23) + 'Z'), ip: String(r.callerIpAddress) });
      signIns.set(p.userPrincipalName!, list);
    }
    const federations = cloudtrail.filter((r) => r.eventName === 'AssumeRoleWithSAML');
    expect(federations.length).toBeGreaterThan(50);
    expect(federations.every((r) => String((r.requestParameters as { principalArn: string }).principalArn).endsWith(':saml-provider/AzureAD'))).toBe(true);
    const unmatched = federations.filter((r) => {
      const at = Date.parse(String(r.eventTime)) + 999;
      return !(signIns.get((r.userIdentity as { userName: string }).userName) ?? []).some((s) => s.at <= at && at - s.at <= 300_000 && s.ip === r.sourceIPAddress);
    });
    expect(unmatched.length).toBe(0);
  });

  it('keeps an audit trail of the directory: admins\' changes to users, groups, roles and apps, with modified properties as Graph writes them', () => {
    type Audit = { category: string; initiatedBy: { user?: { userPrincipalName: string }; app?: { displayName: string } }; targetResources: { type: string; modifiedProperties: { displayName: string; oldValue: string | null; newValue: string | null }[] }[] };
    const ops = new Set(audit.map((r) => r.operationName));
    for (const op of ['Add member to group', 'Update user', 'Change user password', 'Reset user password', 'Update device']) expect(ops.has(op), op).toBe(true);
    expect(audit.every((r) => r.category === 'AuditLogs' && /\.\d{7}Z$/.test(String(r.time)))).toBe(true);
    const props = audit.map((r) => r.properties as Audit);
    expect(props.every((p) => (p.initiatedBy.user !== undefined) !== (p.initiatedBy.app !== undefined))).toBe(true);
    // Old and new values are JSON text, as Graph writes them.
    const values = props.flatMap((p) => p.targetResources.flatMap((t) => t.modifiedProperties.flatMap((m) => [m.oldValue, m.newValue]))).filter((v): v is string => v !== null && v !== '');
    expect(values.length).toBeGreaterThan(100);
    for (const v of values) expect(() => JSON.parse(v), v).not.toThrow();
    // The people who make directory changes are mostly administrators.
    const admins = new Set(audit.filter((r) => (r.properties as Audit).initiatedBy.user && ['Add member to group', 'Update user', 'Reset user password'].includes(String(r.operationName))).map((r) => r.identity));
    expect(admins.size).toBeGreaterThan(0);
    const shapes = compareShapes(readJsonl(AUDIT_REFERENCE), audit, { event: (r) => String(r.operationName), kind: () => '' });
    expect(shapes.length).toBeGreaterThanOrEqual(2);
    for (const s of shapes) expect(s.realCovered, `${s.event}: ${s.missing.join(', ')}`).toBeGreaterThanOrEqual(0.8);
  });

  it('writes the storage-account layout of a diagnostic-settings export (format.type = "delivery"): a PT1H.json of JSON lines per category, tenant and hour', async () => {
    const out = join(dir, 'delivery');
    const cfg = writeFile(dir, 'delivery.toml', sourcesConfig({ seed: 6, population: join(dir, 'actors.parquet'), sources: ['entra_signin', 'entra_audit'], outputs: fileOutput(out, 'delivery', 64) }));
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T03:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    const layout = /\/insights-logs-([a-z]+)\/resourceId=\/tenants\/([0-9a-f-]{36})\/providers\/microsoft\.aadiam\/y=2025\/m=12\/d=01\/h=(0[0-2])\/m=00\/PT1H\.json$/;
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const f of files) {
      const m = layout.exec(f);
      expect(m, f).not.toBeNull();
      const lines = readFileSync(f, 'utf8').split('\n');
      expect(lines.pop()).toBe('');
      const records = lines.map((l) => JSON.parse(l) as Rec);
      // A blob holds the hour in which records arrived: a sign-in's earlier steps can carry the last seconds of the hour before.
      const hourStart = Date.UTC(2025, 11, 1, Number(m![3]));
      const bad = records.filter((x) => String(x.category).toLowerCase() !== m![1] || x.tenantId !== m![2] || Date.parse(String(x.time).slice(0, 23) + 'Z') < hourStart - 60_000 || Date.parse(String(x.time).slice(0, 23) + 'Z') >= hourStart + 3_600_000);
      expect(bad.map((x) => `${String(x.category)} ${String(x.time)}`), f).toEqual([]);
    }
    expect(files.some((f) => f.includes('insights-logs-auditlogs'))).toBe(true);
  });

  it('opens no AWS session after a failed Entra sign-in to the AWS app (wrong password, MFA, conditional access)', () => {
    const attempts = entra
      .filter((r) => r.category === 'SignInLogs' && (r.properties as Props).appDisplayName === 'Amazon Web Services (AWS)')
      .map((r) => ({ login: (r.properties as Props).userPrincipalName!, at: Date.parse(String(r.time).slice(0, 23) + 'Z'), ok: r.resultType === '0', code: String(r.resultType) }))
      .sort((a, b) => a.at - b.at);
    // Interrupts (50140, 50074) are steps of a sign-in that goes on; the others end it.
    const failures = attempts.filter((a) => !a.ok && a.code !== '50140' && a.code !== '50074');
    expect(failures.length).toBeGreaterThan(0);
    const federations = cloudtrail.filter((r) => r.eventName === 'AssumeRoleWithSAML').map((r) => ({ login: (r.userIdentity as { userName: string }).userName, at: Date.parse(String(r.eventTime)) }));
    for (const f of failures) {
      // The next federation of that person, if any, comes after a later successful sign-in.
      const next = federations.filter((x) => x.login === f.login && x.at + 999 >= f.at).sort((a, b) => a.at - b.at)[0];
      if (!next) continue;
      const success = attempts.some((a) => a.login === f.login && a.ok && a.at > f.at && a.at <= next.at + 999);
      expect(success, `${f.login} failed ${f.code} at ${new Date(f.at).toISOString()}, federated at ${new Date(next.at).toISOString()}`).toBe(true);
    }
  });

  it('passes seclog validate, with its check across sources (every AzureAD federation has its Entra sign-in)', async () => {
    const r = await runCli(['validate', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('# entra_signin: 02_federation.sql');
    expect(r.stdout).toMatch(/every AssumeRoleWithSAML through AzureAD has its Entra sign.*\s0\s+PASS/);
  }, 120_000);

  it('writes the same bytes at any worker count', async () => {
    const one = await run(dir, 1, '2025-12-01T06:00:00Z');
    const three = await run(dir, 3, '2025-12-01T06:00:00Z');
    const a = readAllRecords(join(one, 'entra_signin'));
    expect(a.length).toBeGreaterThan(0);
    expect(JSON.stringify(readAllRecords(join(three, 'entra_signin')))).toBe(JSON.stringify(a));
  }, 120_000);
});
