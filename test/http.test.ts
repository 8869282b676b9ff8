/**
 * The HTTP output. `_bulk` against a real OpenSearch node (Maven Central jars, started by
 * scripts/services/search.sh): date-templated indices, gzip bodies, fixed _ids, per-item errors that fail the run
 * with counts, and a server restart mid-run that loses and duplicates nothing. Splunk HEC has no server installable
 * here: it is tested against a small receiver that answers as Splunk documents it (token, gzip, 503 busy).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPopulationFile, configBesideFile, readAllRecords, runCli, tempDir } from './helpers.js';
import { hasJdk21 } from './service-scripts.js';
import { release, server, service } from './services.js';

let dir: string;
let population: string;
let searchUrl: string;
/** Indices and templates are per run: the node keeps data between runs, and templates apply to new indices only. */
const run = `t${Date.now().toString(36)}`;

beforeAll(async () => {
  dir = tempDir();
  let env: Record<string, string>;
  [population, env] = await Promise.all([
    buildPopulationFile(dir, 'seed = 17\n[population]\nactor_count = 200\nservice_ratio = 0.25\naccount_count = 2\n'),
    server('opensearch'),
  ]);
  searchUrl = env.SEARCH_URL;
}, 16 * 60_000);

afterAll(async () => {
  await release('opensearch');
}, 60_000);

function config(name: string, http: string, traffic?: string): { cfg: string; fileDir: string } {
  return configBesideFile({ dir, name, population, traffic, output: `type = "http"\n${http}` });
}

async function search<T>(path: string, init: RequestInit = {}): Promise<T> {
  const r = await fetch(`${searchUrl}${path}`, { headers: { 'content-type': 'application/json' }, ...init });
  return (await r.json()) as T;
}

/**
 * CloudTrail's request and response bodies differ per event, and the same key can hold an object in one event and
 * a string in another (responseElements.dBSubnetGroup: an object for RDS instances, a name for clusters), exactly
 * as in real CloudTrail. Dynamic mapping then rejects records; like Elastic's AWS integration, keep them unindexed.
 */
const FREE_FORM = { type: 'object', enabled: false };
const CLOUDTRAIL_MAPPINGS = { requestParameters: FREE_FORM, responseElements: FREE_FORM, additionalEventData: FREE_FORM, serviceEventDetails: FREE_FORM };

async function putTemplate(name: string, patterns: string[], properties: Record<string, unknown>): Promise<void> {
  const r = await fetch(`${searchUrl}/_index_template/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ index_patterns: patterns, template: { mappings: { properties } } }),
  });
  expect(r.status, await r.text()).toBe(200);
}

const count = async (index: string) => {
  await search(`/${index}/_refresh`, { method: 'POST' });
  return (await search<{ count: number }>(`/${index}/_count`)).count;
};

describe('http output: OpenSearch _bulk', () => {
  it('indexes every record into per-day indices with eventID as _id', async () => {
    await putTemplate(`${run}-cloudtrail`, [`${run}-*`], CLOUDTRAIL_MAPPINGS);
    const { cfg, fileDir } = config('bulk', `kind = "opensearch"\nurl = "${searchUrl}"\nindex = "${run}-ct-{source}-{yyyy}.{MM}.{dd}"\nid_field = "eventID"\nbatch_bytes = 1048576`, 'start_time = "2025-12-01T21:00:00Z"\ntime_scale = 0');
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-02T03:00:00Z', '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    const generated = readAllRecords(fileDir);
    const days = [...new Set(generated.map((g) => (g.eventTime as string).slice(0, 10)))];
    expect(days).toEqual(['2025-12-01', '2025-12-02']);
    expect(await count(`${run}-ct-cloudtrail-2025.12.01`)).toBe(generated.filter((g) => (g.eventTime as string).startsWith('2025-12-01')).length);
    expect(await count(`${run}-ct-cloudtrail-2025.12.02`)).toBe(generated.filter((g) => (g.eventTime as string).startsWith('2025-12-02')).length);
    const sample = generated.find((g) => (g.eventTime as string).startsWith('2025-12-01'))!;
    const doc = await search<{ _source: Record<string, unknown> }>(`/${run}-ct-cloudtrail-2025.12.01/_doc/${sample.eventID as string}`);
    expect(doc._source).toEqual(sample);
    expect(r.stderr).toMatch(new RegExp(`output +http: opensearch at .*, ${generated.length.toLocaleString('en-US')} acknowledged of ${generated.length.toLocaleString('en-US')} sent, 0 retried, 0 failed`));
  });

  it('fails the run, with the count and the server reason, for items the server rejects', async () => {
    // errorCode mapped as an integer: records with a textual error code are rejected (400), the others indexed
    // (Grafana's "action" events carry HTTP statuses such as "200", which the server coerces).
    await putTemplate(`${run}bad-errorcode`, [`${run}bad-*`], { ...CLOUDTRAIL_MAPPINGS, errorCode: { type: 'integer' } });
    const { cfg, fileDir } = config('rejects', `kind = "opensearch"\nurl = "${searchUrl}"\nindex = "${run}bad-{source}"\nbatch_bytes = 33554432`); // one request: the counts below do not depend on timing
    const r = await runCli(['gen', '--config', cfg, '--max-events', '4000']);
    expect(r.code).not.toBe(0);
    const generated = readAllRecords(fileDir);
    const withError = generated.filter((g) => typeof g.errorCode === 'string' && !/^\d+$/.test(g.errorCode)).length;
    expect(withError).toBeGreaterThan(0);
    expect(r.stderr).toMatch(new RegExp(`output http: ${withError.toLocaleString('en-US')} records not delivered \\(rejected: item 400 mapper_parsing_exception`));
    expect(await count(`${run}bad-cloudtrail`)).toBe(generated.length - withError);
  });

  it('loses and duplicates nothing when the server restarts in the middle of a run', async () => {
    const traffic = 'start_time = "2025-12-01T00:00:00Z"\ntime_scale = 1\nmode = "constant"\nevents_per_second = 800';
    const { cfg, fileDir } = config('restart', `kind = "opensearch"\nurl = "${searchUrl}"\nindex = "${run}-restart-{source}"\nid_field = "eventID"\ndelivery_timeout_ms = 180000`, traffic);
    const generating = runCli(['gen', '--config', cfg, '--max-events', '16000']);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await service('search', 'restart');
    const r = await generating;
    expect(r.code, r.stderr).toBe(0);
    expect(readAllRecords(fileDir)).toHaveLength(16000);
    expect(await count(`${run}-restart-cloudtrail`)).toBe(16000);
    console.log(`opensearch restart: ${r.stderr.split('\n').filter((l) => l.includes('output')).join(' | ')}`);
  });
});

describe.skipIf(!hasJdk21())('http output: Elasticsearch _bulk', () => {
  let esUrl: string;
  beforeAll(async () => {
    esUrl = (await server('elasticsearch')).SEARCH_URL;
  }, 10 * 60_000);
  afterAll(async () => {
    await release('elasticsearch');
  }, 60_000);

  it('indexes every record once into a real Elasticsearch 9, and a resent run duplicates nothing', async () => {
    const put = await fetch(`${esUrl}/_index_template/${run}-es`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ index_patterns: [`${run}-es-*`], template: { mappings: { properties: CLOUDTRAIL_MAPPINGS } } }),
    });
    expect(put.status, await put.text()).toBe(200);
    const { cfg, fileDir } = config('es', `kind = "elasticsearch"\nurl = "${esUrl}"\nindex = "${run}-es-{source}"\nid_field = "eventID"`);
    for (let i = 0; i < 2; i++) {
      // The second run resends the same records; its file output replaces the first run's files.
      const r = await runCli(['gen', '--config', cfg, '--max-events', '3000', ...(i > 0 ? ['--overwrite'] : [])]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/output +http: elasticsearch at .*, 3,000 acknowledged of 3,000 sent, 0 retried, 0 failed/);
    }
    await fetch(`${esUrl}/${run}-es-cloudtrail/_refresh`, { method: 'POST' });
    const { count } = (await (await fetch(`${esUrl}/${run}-es-cloudtrail/_count`)).json()) as { count: number };
    expect(count).toBe(3000);
    const sample = readAllRecords(fileDir)[42];
    const doc = (await (await fetch(`${esUrl}/${run}-es-cloudtrail/_doc/${sample.eventID as string}`)).json()) as { _source: unknown };
    expect(doc._source).toEqual(sample);
  });
});

describe('http output: Splunk HEC', () => {
  it('sends gzip HEC events with the token, time and sourcetype, and waits out 503 busy', async () => {
    const events: Record<string, unknown>[] = [];
    let requests = 0;
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests++;
        const reply = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.url !== '/services/collector/event') return reply(404, { text: 'The requested URL was not found on this server.', code: 404 });
        if (req.headers.authorization !== 'Splunk 00000000-1111-2222-3333-444444444444') return reply(401, { text: 'Invalid token', code: 4 });
        if (requests % 3 === 1) return reply(503, { text: 'Server is busy', code: 9 });
        let raw = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
        // HEC takes concatenated JSON objects; here they are one per line.
        for (const line of raw.toString('utf8').split('\n').filter((l) => l)) events.push(JSON.parse(line) as Record<string, unknown>);
        reply(200, { text: 'Success', code: 0 });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      process.env.SECLOG_TEST_HEC_TOKEN = '00000000-1111-2222-3333-444444444444';
      const { cfg, fileDir } = config('hec', `kind = "splunk_hec"\nurl = "http://127.0.0.1:${port}"\ntoken = { env = "SECLOG_TEST_HEC_TOKEN" }\nbatch_bytes = 262144\nsplunk = { index = "aws" }`);
      const r = await runCli(['gen', '--config', cfg, '--max-events', '3000']);
      expect(r.code, r.stderr).toBe(0);
      const generated = new Map(readAllRecords(fileDir).map((g) => [g.eventID as string, g]));
      expect(events).toHaveLength(3000);
      for (const e of events) {
        const record = generated.get((e.event as { eventID: string }).eventID)!;
        expect(e.event).toEqual(record);
        expect(e.sourcetype).toBe('aws:cloudtrail');
        expect(e.source).toBe('seclog');
        expect(e.index).toBe('aws');
        expect(new Date((e.time as number) * 1000).toISOString().slice(0, 19)).toBe((record.eventTime as string).slice(0, 19));
      }
      expect(new Set(events.map((e) => (e.event as { eventID: string }).eventID)).size).toBe(3000);
      expect(r.stderr).toMatch(/3,000 acknowledged of 3,000 sent, [1-9][\d,]* retried, 0 failed/);
    } finally {
      server.close();
    }
  });
});
