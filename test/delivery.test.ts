import { describe, expect, it } from 'vitest';
import { Delivery, DeliveryError, PermanentError, onceUntilFailure, type PartialOutcome } from '../src/sinks/delivery.js';
import { KINDS, type Docs } from '../src/sinks/http/kinds.js';

const FAST = { initialBackoffMs: 1, maxBackoffMs: 4, deliveryTimeoutMs: 2000 };

describe('Delivery', () => {
  it('retries a failing batch until it is acknowledged, and counts the retries', async () => {
    let calls = 0;
    const d = new Delivery<string>(
      async () => {
        if (++calls < 4) throw new Error('broker not available');
      },
      { name: 't', maxInFlight: 2, retry: FAST },
    );
    await d.submit('a', 10, 100);
    await d.drain();
    expect(calls).toBe(4);
    expect(d.stats()).toMatchObject({ sent: 10, acked: 10, retried: 30, failed: 0, bytes: 100, inFlight: 0 });
  });

  it('never has more batches in flight than allowed: submit waits', async () => {
    let inFlight = 0;
    let most = 0;
    const d = new Delivery<number>(
      async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
      },
      { name: 't', maxInFlight: 3, retry: FAST },
    );
    for (let i = 0; i < 20; i++) await d.submit(i, 1, 1);
    await d.drain();
    expect(most).toBe(3);
    expect(d.stats().acked).toBe(20);
  });

  it('gives up after the delivery timeout and fails loudly with counts', async () => {
    const d = new Delivery<number>(async () => Promise.reject(new Error('connection refused')), { name: 'k', maxInFlight: 1, retry: { ...FAST, deliveryTimeoutMs: 50 } });
    await d.submit(1, 7, 70);
    await expect(d.drain()).rejects.toThrow(DeliveryError);
    await expect(d.drain()).rejects.toThrow(/output k: 7 records not delivered \(not acknowledged within 0.05s: connection refused\); 0 of 7 sent were acknowledged/);
    // A batch handed over after the failure is never sent, and is counted as not delivered.
    await expect(d.submit(2, 3, 30)).rejects.toThrow(/output k: 10 records not delivered/);
  });

  it('does not retry what the server rejects for good', async () => {
    let calls = 0;
    const d = new Delivery<number>(
      async () => {
        calls++;
        throw new PermanentError('HTTP 401: bad token');
      },
      { name: 'h', maxInFlight: 1, retry: FAST },
    );
    await d.submit(1, 3, 3);
    await expect(d.drain()).rejects.toThrow(/3 records not delivered \(rejected: HTTP 401: bad token\)/);
    expect(calls).toBe(1);
  });

  it('acknowledges, rejects and resends parts of a batch as the server answers per item', async () => {
    const outcomes: PartialOutcome[] = [{ acked: 6, ackedBytes: 60, rejected: 1, rejectReason: 'item 400 mapper_parsing_exception', remaining: 3, remainingBytes: 30 }];
    const d = new Delivery<number>(async () => outcomes.shift(), { name: 'b', maxInFlight: 1, retry: FAST });
    await d.submit(1, 10, 100);
    await expect(d.drain()).rejects.toThrow(/output b: 1 record not delivered \(rejected: item 400 mapper_parsing_exception\); 9 of 10 sent were acknowledged/);
    expect(d.stats()).toMatchObject({ sent: 10, acked: 9, failed: 1, retried: 3, bytes: 90 });
  });
});

describe('onceUntilFailure', () => {
  it('runs a setup step once for concurrent callers, and again only after it failed', async () => {
    let runs = 0;
    let fail = true;
    const ready = onceUntilFailure(async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('down');
    });
    await expect(Promise.all([ready(), ready()])).rejects.toThrow('down');
    expect(runs).toBe(1);
    fail = false;
    await Promise.all([ready(), ready()]);
    await ready();
    expect(runs).toBe(2);
  });
});

describe('_bulk answers', () => {
  const bulk = KINDS.opensearch;
  const docs = (): Docs => ({ docs: ['a', 'b', 'c', 'd'].map((x) => Buffer.from(`{"create":{}}\n{"x":"${x}"}\n`)), sizes: [9, 9, 9, 9], records: 4, bytes: 36 });
  const item = (status: number, type?: string) => ({ create: { status, ...(type ? { error: { type, reason: `${type} reason` } } : {}) } });

  it('acknowledges everything when errors is false', () => {
    const d = docs();
    expect(bulk.interpret(200, JSON.stringify({ errors: false, items: [item(201), item(201), item(201), item(201)] }), d)).toBeUndefined();
  });

  it('keeps only the items to resend (429, 5xx), counts 409 on create as delivered, rejects 400s', () => {
    const d = docs();
    const outcome = bulk.interpret(200, JSON.stringify({ errors: true, items: [item(201), item(429, 'es_rejected_execution_exception'), item(409, 'version_conflict_engine_exception'), item(400, 'mapper_parsing_exception')] }), d)!;
    expect(outcome).toMatchObject({ acked: 2, ackedBytes: 18, rejected: 1, remaining: 1, remainingBytes: 9 });
    expect(outcome.rejectReason).toMatch(/^item 400 mapper_parsing_exception: mapper_parsing_exception reason/);
    expect(d.docs.map((b) => b.toString())).toEqual(['{"create":{}}\n{"x":"b"}\n']);
    expect(d.records).toBe(1);
    expect(d.sizes).toEqual([9]);
  });

  it('stops rather than resend when the answer is not a _bulk answer or misses items', () => {
    expect(() => bulk.interpret(200, '<html>login</html>', docs())).toThrow(PermanentError);
    expect(() => bulk.interpret(200, JSON.stringify({ errors: true, items: [item(201)] }), docs())).toThrow(/answered 1 items for 4 documents/);
  });

  it('retries a whole request on 429 and 5xx, and fails it for good on other statuses', () => {
    expect(() => bulk.interpret(429, 'busy', docs())).toThrow(/HTTP 429/);
    expect(() => bulk.interpret(429, 'busy', docs())).not.toThrow(PermanentError);
    expect(() => bulk.interpret(503, 'down', docs())).not.toThrow(PermanentError);
    expect(() => bulk.interpret(413, 'too large', docs())).toThrow(PermanentError);
    expect(() => bulk.interpret(401, 'who', docs())).toThrow(PermanentError);
  });
});

describe('_bulk documents', () => {
  it('name the index by each record\'s event day and carry the id field as _id', () => {
    const encode = KINDS.opensearch.encoder({ config: { kind: 'opensearch', action: 'create', id_field: 'eventID' } as never, sourceType: 'cloudtrail', hostname: 'h' });
    const doc = (id: string, iso: string) => encode({ record: Buffer.from(`{"eventID":"${id}","x":1}`), timeMs: Date.parse(iso) }).toString();
    expect(doc('a-1', '2025-12-01T23:59:59.900Z')).toBe('{"create":{"_index":"seclog-cloudtrail-2025.12.01","_id":"a-1"}}\n{"eventID":"a-1","x":1}\n');
    expect(doc('b-2', '2025-12-02T00:00:00.100Z')).toBe('{"create":{"_index":"seclog-cloudtrail-2025.12.02","_id":"b-2"}}\n{"eventID":"b-2","x":1}\n');
    const plain = KINDS.elasticsearch.encoder({ config: { kind: 'elasticsearch', action: 'index', index: 'logs-{source}' } as never, sourceType: 'cloudtrail', hostname: 'h' });
    expect(plain({ record: Buffer.from('{"y":2}'), timeMs: 0 }).toString()).toBe('{"index":{"_index":"logs-cloudtrail"}}\n{"y":2}\n');
  });
});

describe('json kind', () => {
  it('posts one JSON array of the records', () => {
    const kind = KINDS.json;
    const encode = kind.encoder({ config: { kind: 'json' } as never, sourceType: 'cloudtrail', hostname: 'h' });
    const docs = ['{"a":1}', '{"b":2}'].map((r) => encode({ record: Buffer.from(r), timeMs: 0 }));
    expect(JSON.parse(kind.body!(docs).toString())).toEqual([{ a: 1 }, { b: 2 }]);
  });
});
