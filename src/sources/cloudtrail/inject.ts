/**
 * A scenario's CloudTrail step: a whole record from the step's template (shaped by real records: Stratus Red Team's
 * detonation logs, AWS's documented examples), written in CloudTrail's own key order with the victim's identity,
 * the attacker's address and client, and fresh ids. Not the hot path: a few records per attack.
 */
import type { InjectedStep } from '../source.js';
import type { ActorState } from './context.js';
import { Rng } from '../../util/rng.js';

const decoder = new TextDecoder();
const decodeUtf8 = (bytes: Uint8Array) => decoder.decode(bytes);

/** CloudTrail's top-level keys, in the order it writes them. */
const KEY_ORDER = [
  'eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent',
  'errorCode', 'errorMessage', 'requestParameters', 'responseElements', 'additionalEventData', 'requestID', 'eventID',
  'readOnly', 'resources', 'eventType', 'apiVersion', 'managementEvent', 'recipientAccountId', 'serviceEventDetails',
  'sharedEventID', 'vpcEndpointId', 'vpcEndpointAccountId', 'eventCategory', 'tlsDetails', 'sessionCredentialFromConsole',
] as const;
const KNOWN = new Set<string>(KEY_ORDER);
const GENERATED = new Set(['userIdentity', 'eventTime', 'eventID', 'requestID', 'recipientAccountId']);

function uuid(rng: Rng): string {
  const h = (n: number) => Array.from({ length: n }, () => Math.floor(rng.float() * 16).toString(16)).join('');
  return `${h(8)}-${h(4)}-4${h(3)}-${'89ab'[Math.floor(rng.float() * 4)]}${h(3)}-${h(12)}`;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function s3RequestId(rng: Rng): string {
  let id = '';
  for (let i = 0; i < 16; i++) id += UPPER_ALNUM[rng.int(36)];
  return id;
}

/** The session key an attack obtains (or steals): one per instance, the same in every record that uses it. */
export function attackerSessionKey(instance: string): string {
  const rng = new Rng(instance, 'aws-session-key');
  let key = 'ASIA';
  for (let i = 0; i < 16; i++) key += BASE32[rng.int(32)];
  return key;
}

/** The credentials the attacker holds: the IAM user's stolen long-term key, else a stolen session of the victim's role. */
function attackerIdentity(st: ActorState, issuedMs: number, step: InjectedStep): string {
  const a = st.actor;
  if (a.identity_type === 'IAMUser' && a.access_key_id) return decodeUtf8(st.longTermIdentity());
  const key = attackerSessionKey(step.instance);
  const text = decodeUtf8(st.sessionIdentity.patch(issuedMs, new TextEncoder().encode(key)));
  // The block is the victim's own session identity: put their key and date back for their next records.
  st.sessionIdentity.patch(st.sessionStartMs, st.sessionKey);
  return text;
}

/**
 * The record of a step's template. `issuedMs`: when the attacker's session was issued (the same in every record of
 * the instance: the federation's time, or a while before its first call).
 */
export function replayRecord(st: ActorState, step: InjectedStep, timeMs: number, issuedMs: number): string {
  const t = step.record!;
  for (const k of Object.keys(t)) if (!KNOWN.has(k)) throw new Error(`scenario record: unknown CloudTrail key ${k}`);
  const parts: string[] = [];
  const put = (k: string, json: string) => parts.push(`${JSON.stringify(k)}:${json}`);
  for (const k of KEY_ORDER) {
    switch (k) {
      case 'eventVersion':
        put(k, JSON.stringify(t.eventVersion ?? '1.11'));
        break;
      case 'userIdentity':
        put(k, t.userIdentity !== undefined ? JSON.stringify(t.userIdentity) : attackerIdentity(st, issuedMs, step));
        break;
      case 'eventTime':
        put(k, JSON.stringify(new Date(timeMs).toISOString().slice(0, 19) + 'Z'));
        break;
      case 'sourceIPAddress':
        put(k, JSON.stringify(t.sourceIPAddress ?? step.attacker.ip));
        break;
      case 'userAgent':
        put(k, JSON.stringify(t.userAgent ?? step.attacker.agent));
        break;
      case 'requestID':
        // S3 writes its own 16-character request ids; the other services UUIDs. null: the call has none.
        if (t.requestID === 's3') put(k, JSON.stringify(s3RequestId(step.rng)));
        else if (t.requestID !== null) put(k, JSON.stringify(uuid(step.rng)));
        break;
      case 'eventID':
        put(k, JSON.stringify(uuid(step.rng)));
        break;
      case 'recipientAccountId':
        put(k, JSON.stringify(st.actor.account_id));
        break;
      case 'eventType':
        put(k, JSON.stringify(t.eventType ?? 'AwsApiCall'));
        break;
      case 'eventCategory':
        put(k, JSON.stringify(t.eventCategory ?? 'Management'));
        break;
      case 'managementEvent':
        put(k, JSON.stringify(t.managementEvent ?? true));
        break;
      default:
        if (!GENERATED.has(k) && t[k] !== undefined) put(k, JSON.stringify(t[k]));
    }
  }
  return `{${parts.join(',')}}`;
}
