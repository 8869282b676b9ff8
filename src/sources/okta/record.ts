/**
 * Writes Okta LogEvent records (the System Log API's JSON, in its key order). A record is built as one string from
 * pieces cached per actor (actor and target blocks) and per session (client, security context, IP chain), then
 * encoded into the part in one call.
 */
import type { ByteWriter } from '../../encode/byte-writer.js';
import type { Rng } from '../../util/rng.js';
import type { DebugKey, OktaEventSpec } from './catalog.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const REQUEST_ID_CHARS = ALNUM + '-@';
const HEX = '0123456789abcdef';

export function randomChars(rng: Rng, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

export function randomHex(rng: Rng, n: number): string {
  return randomChars(rng, HEX, n);
}

/** Okta's request ids (`transaction.id`, `debugData.requestId`): 27 characters, the tail fixed-looking. */
export function requestId(rng: Rng): string {
  return randomChars(rng, REQUEST_ID_CHARS, 20) + 'AAAB' + randomChars(rng, ALNUM, 3);
}

const GREGORIAN_OFFSET_MS = 12_219_292_800_000;

/** A version-1 UUID for `timeMs` (Okta's event uuids are time-based), with the shard's clock sequence and node. */
export function uuidV1(rng: Rng, timeMs: number, node: string): string {
  const b = (timeMs + GREGORIAN_OFFSET_MS) * 625; // × 10,000 / 16: exact in a double
  const bl = b % 268_435_456;
  let bh = (b - bl) / 268_435_456;
  let low = bl * 16 + rng.int(10_000);
  if (low >= 4_294_967_296) {
    low -= 4_294_967_296;
    bh += 1;
  }
  const mid = bh & 0xffff;
  const hi = ((bh / 65_536) & 0x0fff) | 0x1000;
  return `${low.toString(16).padStart(8, '0')}-${mid.toString(16).padStart(4, '0')}-${hi.toString(16)}-${node}`;
}

/** What a record needs from its session and actor, as JSON text. */
export interface RecordParts {
  actor: string;
  client: string;
  securityContext: string;
  ipChain: string;
  externalSessionId: string;
  deviceFingerprint: string;
  dtHash: string;
}

export interface RecordValues {
  spec: OktaEventSpec;
  timeMs: number;
  failed: boolean;
  result: string;
  reason: string | null;
  legacy: string | null;
  target: string;
  /** debugData values by key (already JSON-escaped strings without quotes). */
  debug: (key: DebugKey) => string;
  authProvider: string | null;
  credentialProvider: string | null;
  credentialType: string | null;
  transactionId: string;
  uuid: string;
}

const q = (v: string | null) => (v === null ? 'null' : `"${v}"`);

/** The published time: RFC 3339 in UTC with milliseconds. */
export function published(ms: number): string {
  return new Date(ms).toISOString();
}

export function writeRecord(w: ByteWriter, p: RecordParts, v: RecordValues, device: string): void {
  const spec = v.spec;
  let debug = '';
  for (const key of spec.debug) debug += `${debug === '' ? '' : ','}"${key}":"${v.debug(key)}"`;
  w.text(
    `{"actor":${p.actor},"client":${p.client},"device":${device},"authenticationContext":{"authenticationProvider":${q(v.authProvider)},"credentialProvider":${q(v.credentialProvider)},"credentialType":${q(v.credentialType)},"issuer":null,"interface":null,"authenticationStep":0,"externalSessionId":"${p.externalSessionId}"},` +
      `"displayMessage":"${spec.message}","eventType":"${spec.eventType}","outcome":{"result":"${v.result}","reason":${q(v.reason)}},"published":"${published(v.timeMs)}",` +
      `"securityContext":${p.securityContext},"severity":"${v.failed && spec.severity === 'INFO' ? 'WARN' : spec.severity}","debugContext":{"debugData":{${debug}}},"legacyEventType":${q(v.legacy)},` +
      `"transaction":{"type":"${spec.transaction}","id":"${v.transactionId}","detail":{}},"uuid":"${v.uuid}","version":"0","request":{"ipChain":${p.ipChain}},"target":${v.target}}`,
  );
}
