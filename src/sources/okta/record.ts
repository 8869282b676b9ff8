/**
 * Writes Okta LogEvent records (the System Log API's JSON, in its key order) straight into the part: each event type
 * is compiled once into pre-encoded runs of static text (`CompiledOktaEvent`); blocks that stay the same for an actor
 * or a session (actor, client, security context, IP chain, device, targets) are encoded once; what changes per record
 * (ids, times, debug values) is ASCII written in place.
 */
import { utf8, type ByteWriter } from '../../encode/byte-writer.js';
import { writeIsoSecond } from '../../encode/time-format.js';
import type { Rng } from '../../util/rng.js';
import { OBJECT_DEBUG_KEYS, type DebugKey, type OktaEventSpec } from './catalog.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
/** Request-id characters: 64 of them, so one 32-bit draw gives five. */
const REQUEST_ID_BYTES = utf8(ALNUM + '-@');
const ALNUM_BYTES = utf8(ALNUM);

export function randomChars(rng: Rng, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

export function randomHex(rng: Rng, n: number): string {
  return randomChars(rng, HEX, n);
}

/** Okta's request ids (`transaction.id`, `debugData.requestId`): 27 characters, 20 random then `AAAB` and 3 more. */
export function writeRequestId(rng: Rng, out: Uint8Array): void {
  let bits = 0;
  for (let i = 0; i < 20; i++) {
    if (i % 5 === 0) bits = rng.u32();
    out[i] = REQUEST_ID_BYTES[bits & 63];
    bits >>>= 6;
  }
  out[20] = 65;
  out[21] = 65;
  out[22] = 65;
  out[23] = 66;
  bits = rng.u32();
  for (let i = 24; i < 27; i++) {
    out[i] = ALNUM_BYTES[(bits & 63) % 62];
    bits >>>= 6;
  }
}

export function requestId(rng: Rng): string {
  const b = new Uint8Array(27);
  writeRequestId(rng, b);
  return String.fromCharCode(...b);
}

const GREGORIAN_OFFSET_MS = 12_219_292_800_000;

/** Writes a version-1 UUID for `timeMs` (Okta's event uuids are time-based) with the shard's clock sequence and node. */
export function writeUuidV1(w: ByteWriter, rng: Rng, timeMs: number, node: Uint8Array): void {
  const b = (timeMs + GREGORIAN_OFFSET_MS) * 625; // × 10,000 / 16: exact in a double
  const bl = b % 268_435_456;
  let bh = (b - bl) / 268_435_456;
  let low = bl * 16 + rng.int(10_000);
  if (low >= 4_294_967_296) {
    low -= 4_294_967_296;
    bh += 1;
  }
  w.hexN(low, 8);
  w.byte(45);
  w.hexN(bh & 0xffff, 4);
  w.byte(45);
  w.hexN(((bh / 65_536) & 0x0fff) | 0x1000, 4);
  w.byte(45);
  w.bytes(node);
}

export function uuidV1(rng: Rng, timeMs: number, node: Uint8Array): string {
  const b = (timeMs + GREGORIAN_OFFSET_MS) * 625;
  const bl = b % 268_435_456;
  let bh = (b - bl) / 268_435_456;
  let low = bl * 16 + rng.int(10_000);
  if (low >= 4_294_967_296) {
    low -= 4_294_967_296;
    bh += 1;
  }
  return `${low.toString(16).padStart(8, '0')}-${(bh & 0xffff).toString(16).padStart(4, '0')}-${(((bh / 65_536) & 0x0fff) | 0x1000).toString(16)}-${String.fromCharCode(...node)}`;
}

/** `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
export function writeIsoMillis(w: ByteWriter, ms: number): void {
  w.ensure(24);
  const at = w.pos;
  const buf = w.buf;
  writeIsoSecond(buf, at, ms);
  const frac = ms - Math.floor(ms / 1000) * 1000;
  buf[at + 19] = 46;
  buf[at + 20] = 48 + Math.floor(frac / 100);
  buf[at + 21] = 48 + (Math.floor(frac / 10) % 10);
  buf[at + 22] = 48 + (frac % 10);
  buf[at + 23] = 90;
  w.pos = at + 24;
}

/** What a record takes from its actor's session, pre-encoded. */
export interface RecordParts {
  actor: Uint8Array;
  client: Uint8Array;
  securityContext: Uint8Array;
  ipChain: Uint8Array;
  externalSessionId: Uint8Array;
  deviceFingerprint: string;
  dtHash: string;
}

const q = (v: string | null) => (v === null ? 'null' : JSON.stringify(v));

/** An event type compiled into its static runs. */
export class CompiledOktaEvent {
  /** `,"device":` … up to the externalSessionId's opening quote. */
  readonly auth: Uint8Array;
  /** Closes the authentication context, message, type, and opens outcome.result. */
  readonly head: Uint8Array;
  /** `SUCCESS","reason":null},"published":"` (or the event's own outcome). */
  readonly success: Uint8Array;
  readonly failures: Uint8Array[];
  readonly severity: Uint8Array;
  readonly severityFailed: Uint8Array;
  /** `"key":"` per debugData key, the first without a leading comma. */
  readonly debugKeys: Uint8Array[];
  readonly legacy: Uint8Array;
  readonly legacyFailed: Uint8Array;
  /** Per debug key: its value is a JSON object (no quotes around it). */
  readonly objectKeys: boolean[];

  constructor(readonly spec: OktaEventSpec) {
    const a = spec.auth;
    this.auth = utf8(`,"authenticationContext":{"authenticationProvider":${q(a?.provider ?? null)},"credentialProvider":${q(a?.credentialProvider ?? null)},"credentialType":${q(a?.credentialType ?? null)},"issuer":null,"interface":null,"authenticationStep":0,"externalSessionId":"`);
    this.head = utf8(`"},"displayMessage":${JSON.stringify(spec.message)},"eventType":"${spec.eventType}","outcome":{"result":"`);
    const outcome = (result: string, reason: string | null) => utf8(`${result}","reason":${q(reason)}},"published":"`);
    this.success = outcome(spec.result, spec.reason ?? null);
    this.failures = (spec.failures ?? []).map((f) => outcome(f.result, f.reason));
    const severity = (s: string) => utf8(`,"severity":"${s}","debugContext":{"debugData":{`);
    this.severity = severity(spec.severity);
    this.severityFailed = severity(spec.severity === 'INFO' ? 'WARN' : spec.severity);
    this.debugKeys = spec.debug.map((k, i) => utf8(`${i > 0 ? ',' : ''}"${k}":${OBJECT_DEBUG_KEYS.has(k) ? '' : '"'}`));
    this.objectKeys = spec.debug.map((k) => OBJECT_DEBUG_KEYS.has(k));
    const legacy = (l: string | null) => utf8(`}},"legacyEventType":${q(l)},"transaction":{"type":"${spec.transaction}","id":"`);
    this.legacy = legacy(spec.legacy);
    this.legacyFailed = legacy(spec.legacyFailure ?? spec.legacy);
  }
}

export const ACTOR_OPEN = utf8('{"actor":');
export const CLIENT_OPEN = utf8(',"client":');
export const DEVICE_OPEN = utf8(',"device":');
export const NULL = utf8('null');
export const SECURITY_OPEN = utf8('","securityContext":');
export const UUID_OPEN = utf8('","detail":{}},"uuid":"');
/** transaction.detail of a request made with an API token, up to the token id. */
export const API_TOKEN_DETAIL = utf8('","detail":{"requestApiTokenId":"');
export const API_TOKEN_CLOSE = utf8('"}},"uuid":"');
export const REQUEST_OPEN = utf8('","version":"0","request":{"ipChain":');
export const TARGET_OPEN = utf8('},"target":');
export const QUOTE = 34;

/** The debug value writer the shard provides (ASCII values, JSON-escaped where needed). */
export type DebugWriter = (w: ByteWriter, key: DebugKey) => void;
