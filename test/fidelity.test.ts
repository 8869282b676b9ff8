import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateAllEvents } from '../bench/dev/fidelity.js';
import { compareShapes, readJsonl, shapesReport } from '../src/cli/shapes.js';
import type { Slots } from '../src/encode/layout/index.js';
import { CATALOG } from '../src/sources/cloudtrail/catalog/index.js';
import type { EventContext } from '../src/sources/cloudtrail/context.js';
import { LIFECYCLE } from '../src/sources/cloudtrail/lifecycle.js';
import { Rng } from '../src/util/rng.js';
import { SERVICES } from '../src/sources/cloudtrail/data/services.js';
import { buildPopulationFile, genConfig, runCli, tempDir, writeFile } from './helpers.js';

const REFERENCE = join(import.meta.dirname, 'fixtures/reference/cloudtrail/records.jsonl');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

describe('CloudTrail catalog', () => {
  const reference = readJsonl(REFERENCE);
  let generated: Record<string, unknown>[];
  beforeAll(async () => {
    generated = await generateAllEvents(150_000);
  });

  it('has at least 120 event names over at least 20 services, including every event of the reference corpus', () => {
    expect(CATALOG.length).toBeGreaterThanOrEqual(120);
    expect(new Set(CATALOG.map((e) => SERVICES[e.service].eventSource)).size).toBeGreaterThanOrEqual(20);
    const names = new Set(CATALOG.map((e) => e.name));
    const missing = [...new Set(reference.map((r) => String(r.eventName)))].filter((n) => !names.has(n));
    expect(missing).toEqual([]);
  });

  it('generates records shaped like the real ones (≥ 95% of paths both ways, averaged over events)', () => {
    const shapes = compareShapes(reference, generated);
    // eslint-disable-next-line no-console
    console.log(shapesReport(shapes, 10));
    const mean = (f: (s: (typeof shapes)[number]) => number) => shapes.reduce((a, s) => a + f(s), 0) / shapes.length;
    expect(shapes.length).toBeGreaterThanOrEqual(110);
    expect(mean((s) => s.realCovered)).toBeGreaterThanOrEqual(0.95);
    expect(mean((s) => s.generatedCovered)).toBeGreaterThanOrEqual(0.95);
    expect(mean((s) => s.typesAgree)).toBeGreaterThanOrEqual(0.98);
  });

  it("carries the key AssumeRole, GetSessionToken and GetFederationToken returned into the session's next calls", () => {
    type Issued = { credentials?: { accessKeyId: string }; assumedRoleUser?: { arn: string }; federatedUser?: { arn: string } };
    const issued = new Map<string, { arn?: string; at: string }>();
    for (const r of generated) {
      const response = r.responseElements as Issued | null;
      const creds = response?.credentials;
      if (creds && ['AssumeRole', 'GetSessionToken', 'GetFederationToken'].includes(String(r.eventName))) {
        issued.set(creds.accessKeyId, { arn: response!.assumedRoleUser?.arn ?? response!.federatedUser?.arn, at: String(r.eventTime) });
      }
    }
    let used = 0;
    const sessions = new Set<string>();
    for (const r of generated) {
      const id = r.userIdentity as { accessKeyId?: string; arn?: string };
      const issue = id.accessKeyId ? issued.get(id.accessKeyId) : undefined;
      if (!issue) continue;
      used++;
      sessions.add(id.accessKeyId!);
      if (issue.arn) expect(id.arn).toBe(issue.arn);
      expect(String(r.eventTime) >= issue.at).toBe(true);
    }
    expect(sessions.size).toBeGreaterThan(100);
    expect(used).toBeGreaterThan(1000);
  });

  it('opens federated-user sessions with GetFederationToken, issued by the IAM user, with no IAM calls in them', () => {
    const federated = generated.filter((r) => (r.userIdentity as { type: string }).type === 'FederatedUser');
    expect(federated.length).toBeGreaterThan(50);
    const opened = new Map<string, string>();
    for (const r of generated) {
      const response = r.responseElements as { credentials?: { accessKeyId: string }; federatedUser?: { arn: string } } | null;
      if (r.eventName === 'GetFederationToken' && response?.federatedUser) opened.set(response.credentials!.accessKeyId, response.federatedUser.arn);
    }
    for (const r of federated) {
      const id = r.userIdentity as { principalId: string; arn: string; accountId: string; accessKeyId: string; sessionContext: { sessionIssuer: { type: string; arn: string } } };
      expect(id.arn).toMatch(/^arn:aws:sts::\d{12}:federated-user\/[\w+=,.@-]{2,32}$/);
      expect(id.principalId).toBe(`${id.accountId}:${id.arn.split('/')[1]}`);
      expect(id.sessionContext.sessionIssuer.type).toBe('IAMUser');
      expect(id.sessionContext.sessionIssuer.arn).toMatch(/^arn:aws:iam::\d{12}:user\//);
      expect(id.accessKeyId).toMatch(/^ASIA/);
      expect(opened.get(id.accessKeyId), 'session opened by GetFederationToken').toBe(id.arn);
      expect(r.eventSource).not.toBe('iam.amazonaws.com');
    }
  });

  it("logs Managed Grafana users as SAMLUser, acting from their browser, as the workspace's audit events do", () => {
    const actions = generated.filter((r) => r.eventName === 'action');
    expect(actions.length).toBeGreaterThan(20);
    for (const r of actions) {
      const id = r.userIdentity as Record<string, unknown>;
      expect(Object.keys(id)).toEqual(['type', 'userName']);
      expect(id.type).toBe('SAMLUser');
      expect(id.userName).toMatch(/^[^@\s]+@[^@\s]+$/);
      expect(r.userAgent).toMatch(/^Mozilla\/5\.0 /);
      const extra = r.additionalEventData as { user: { name: string }; userAgent: string };
      expect(extra.user.name).toBe(id.userName);
      expect(extra.userAgent).toBe(r.userAgent);
      expect(r).not.toHaveProperty('sessionCredentialFromConsole');
    }
  });

  it('issues a distinct, well-formed session token with every set of credentials', () => {
    const tokens = generated.flatMap((r) => {
      const token = (r.responseElements as { credentials?: { sessionToken: string } } | null)?.credentials?.sessionToken;
      return token ? [token] : [];
    });
    expect(tokens.length).toBeGreaterThan(1000);
    for (const t of tokens) expect(t).toMatch(/^IQoJb3JpZ2luX2VjE[A-Za-z0-9+/]{340}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('writes ids and formats the way AWS does', () => {
    for (const r of generated.slice(0, 20000)) {
      expect(r.eventTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const id = r.userIdentity as Record<string, string>;
      if (id.accessKeyId) expect(id.accessKeyId).toMatch(/^(AKIA|ASIA)[A-Z2-7]{16}$/);
      if (id.type === 'IAMUser') expect(id.principalId).toMatch(/^AIDA[A-Z2-7]{17}$/);
      if (id.type === 'AssumedRole') expect(id.principalId).toMatch(/^AROA[A-Z2-7]{17}:.+$/);
      if (id.arn) expect(id.arn).toMatch(/^arn:aws:(iam|sts)::\d{12}:(user|root|assumed-role|federated-user|role)/);
      const tls = r.tlsDetails as Record<string, string> | undefined;
      if (tls && r.awsRegion !== 'us-east-1' && !SERVICES_GLOBAL.has(String(r.eventSource))) {
        expect(tls.clientProvidedHostHeader, String(r.eventName)).toContain(String(r.awsRegion));
      }
    }
  });
});

describe('persistent world', () => {
  let records: Record<string, unknown>[];
  beforeAll(async () => {
    // Admins with IAM users, doing mostly resource lifecycles and using what they made.
    records = await generateAllEvents(60_000, {
      population: { actor_count: 120, service_ratio: 0, hot_actor_ratio: 0, role_distribution: [{ name: 'admin', weight: 1 }] },
      weights: { CreateBucket: 3, DeleteBucket: 1, PutObject: 6, GetObject: 6, RunInstances: 3, StopInstances: 2, StartInstances: 2, TerminateInstances: 1, DescribeInstances: 3, CreateAccessKey: 2, DeleteAccessKey: 1, ListBuckets: 2 },
    });
    records.sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)));
  });
  const ok = (r: Record<string, unknown>) => r.errorCode === undefined && r.errorMessage === undefined;
  // Admins sometimes work as the account root user: their calls then carry the root ARN, not their own. A user's
  // federated sessions act for the IAM user that issued them.
  const caller = (r: Record<string, unknown>) => {
    const id = r.userIdentity as { type: string; arn?: string; sessionContext?: { sessionIssuer?: { arn: string } } };
    return id.type === 'FederatedUser' ? id.sessionContext?.sessionIssuer?.arn : id.arn;
  };
  const sameActor = (a: string, b: string | undefined) => a === b || a.endsWith(':root') || Boolean(b?.endsWith(':root'));
  const params = (r: Record<string, unknown>) => (r.requestParameters ?? {}) as Record<string, unknown>;

  it('uses and deletes a created bucket under the same name, only after creating it', () => {
    const created = new Map<string, { by: string; at: string }>();
    let reused = 0;
    let deletedOwn = 0;
    for (const r of records) {
      const bucket = params(r).bucketName as string | undefined;
      if (r.eventName === 'CreateBucket' && ok(r)) {
        // Bucket names are global: a name in use is never created again.
        expect(created.has(bucket!), `${bucket} created twice`).toBe(false);
        created.set(bucket!, { by: caller(r)!, at: String(r.eventTime) });
      }
      else if (bucket && created.has(bucket)) {
        expect(sameActor(created.get(bucket)!.by, caller(r)), `${r.eventName} by ${caller(r)} of ${bucket} created by ${created.get(bucket)!.by} at ${created.get(bucket)!.at}, now ${String(r.eventTime)}`).toBe(true);
        if (r.eventName === 'DeleteBucket' && ok(r)) {
          deletedOwn++;
          created.delete(bucket);
        } else reused++;
      }
    }
    expect(reused).toBeGreaterThan(50);
    expect(deletedOwn).toBeGreaterThan(5);
  });

  it('describes, stops, starts and terminates a launched instance with its id, after launching it', () => {
    const launched = new Map<string, string>();
    const terminated = new Set<string>();
    let later = 0;
    for (const r of records) {
      if (r.eventName === 'RunInstances' && ok(r)) {
        const id = ((r.responseElements as { instancesSet: { items: { instanceId: string }[] } }).instancesSet.items[0]).instanceId;
        launched.set(id, caller(r)!);
        continue;
      }
      const items = (params(r).instancesSet as { items?: { instanceId: string }[] } | undefined)?.items ?? [];
      for (const { instanceId } of items) {
        if (!launched.has(instanceId)) continue;
        expect(terminated.has(instanceId), `${r.eventName} of terminated ${instanceId}`).toBe(false);
        expect(sameActor(launched.get(instanceId)!, caller(r)), `${r.eventName} by ${caller(r)}`).toBe(true);
        later++;
        if (r.eventName === 'TerminateInstances' && ok(r)) terminated.add(instanceId);
      }
    }
    expect(later).toBeGreaterThan(30);
    expect(terminated.size).toBeGreaterThan(3);
  });

  it('keeps track of the newest 16 instances and 8 buckets an actor made, so its state stays bounded in long runs', () => {
    const actor = { instances: [] as { id: Uint8Array }[], buckets: [] as { name: Uint8Array }[], bucketsCreated: 0, globalIndex: 7, account: { company: 'acme' } };
    const ctx = { actor, regionIndex: 0, rng: new Rng(1, 'test'), bucket: undefined as unknown } as unknown as EventContext;
    let launched = 0;
    const slots = { byName: () => ({ ref: new TextEncoder().encode(`i-${String(launched).padStart(17, '0')}`), length: 19 }) } as unknown as Slots<EventContext>;
    for (; launched < 40; launched++) {
      LIFECYCLE.RunInstances.after!(ctx, slots);
      LIFECYCLE.CreateBucket.before!(ctx, slots);
      LIFECYCLE.CreateBucket.after!(ctx, slots);
    }
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    expect(actor.instances.map((i) => text(i.id))).toEqual(Array.from({ length: 16 }, (_, k) => `i-${String(24 + k).padStart(17, '0')}`));
    expect(actor.buckets.length).toBe(8);
    expect(new Set(actor.buckets.map((b) => text(b.name))).size).toBe(8);
    expect(actor.bucketsCreated).toBe(40);
  });

  it("signs a user's later calls with the access key they created for themselves", () => {
    const created = new Map<string, string>();
    let used = 0;
    for (const r of records) {
      const id = r.userIdentity as { accessKeyId?: string; userName?: string };
      if (r.eventName === 'CreateAccessKey' && ok(r)) {
        const key = (r.responseElements as { accessKey: { accessKeyId: string; userName: string } }).accessKey;
        if (key.userName === id.userName) created.set(key.accessKeyId, key.userName);
      } else if (id.accessKeyId && created.has(id.accessKeyId)) {
        expect(id.userName).toBe(created.get(id.accessKeyId));
        used++;
      }
    }
    expect(created.size).toBeGreaterThan(3);
    expect(used).toBeGreaterThan(10);
  });
});

const SERVICES_GLOBAL = new Set(Object.values(SERVICES).filter((s) => s.globalHost).map((s) => s.eventSource));

describe('CloudTrail delivery files', () => {
  let dir: string;
  let outDir: string;
  let reported: number;
  beforeAll(async () => {
    dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 5\n[population]\nactor_count = 300\naccount_count = 2\n');
    outDir = join(dir, 'delivery');
    const cfg = writeFile(dir, 'delivery.toml', genConfig({ population, outDir, format: 'type = "delivery"', source: 'regions = ["us-east-1", "eu-west-1"]' }));
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T02:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    reported = Number(/events\s+([\d,]+)/.exec(r.stderr.split('seclog gen:')[1])![1].replace(/,/g, ''));
  });

  it("writes {\"Records\":[…]} gzip files in S3's AWSLogs layout, one per account, region and 5 minutes", () => {
    const files = walk(outDir).map((f) => relative(outDir, f));
    const layout = /^AWSLogs\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/\1_CloudTrail_\2_(\d{8}T\d{4}Z)_[A-Za-z0-9]{16}\.json\.gz$/;
    let total = 0;
    const groups = new Set<string>();
    for (const file of files) {
      const m = layout.exec(file);
      expect(m, file).not.toBeNull();
      const [, account, region, yyyy, mm, dd, stamp] = m!;
      expect(stamp.slice(0, 8)).toBe(`${yyyy}${mm}${dd}`);
      const delivered = Date.parse(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:00Z`);
      const body = JSON.parse(gunzipSync(readFileSync(join(outDir, file))).toString());
      expect(Object.keys(body)).toEqual(['Records']);
      for (const r of body.Records) {
        expect(r.recipientAccountId).toBe(account);
        expect(r.awsRegion).toBe(region);
        const t = Date.parse(r.eventTime);
        expect(t).toBeLessThan(delivered);
        expect(t).toBeGreaterThanOrEqual(delivered - 5 * 60_000);
      }
      total += body.Records.length;
      expect(groups.has(`${account}/${region}/${stamp}`)).toBe(false);
      groups.add(`${account}/${region}/${stamp}`);
    }
    expect(total).toBe(reported);
    // 2 hours × 12 deliveries an hour × 2 regions × 2 accounts (a quiet account-region may skip a slot).
    expect(files.length).toBeGreaterThan(60);
    expect(files.length).toBeLessThanOrEqual(96);
  });
});
