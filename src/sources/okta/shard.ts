/**
 * One shard of the Okta source: people sign in (sign-on policy, password, MFA) when their working session starts
 * or an app federated to Okta asks for them (the session board), then single sign-on to the organisation's apps,
 * token refreshes and the odd password change through the day; administrators manage users, groups and apps;
 * services are OAuth clients that get access tokens on their own schedule.
 */
import { sessionAddresses } from '../../population/addresses.js';
import { oktaId } from '../../population/identities.js';
import { AliasTable, Rng } from '../../util/rng.js';
import type { SessionBoard } from '../../traffic/sessions.js';
import type { RecordOut, ShardContext, ShardSource } from '../source.js';
import { OKTA_EVENTS, OKTA_EVENTS_BY_TYPE, type DebugKey, type OktaEventSpec, type OktaTarget } from './catalog.js';
import { APPS, FACTORS, type OktaApp } from './data/org.js';
import { randomChars, randomHex, requestId, uuidV1, writeRecord, type RecordParts, type RecordValues } from './record.js';
import type { OktaRuntime, OktaPerson } from './runtime.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** In a run with other sources: share of a person's (a client's) activity ticks that Okta records something of. */
const PERSON_SHARE = 0.08;
const CLIENT_SHARE = 0.05;
/** Share of an administrator's Okta activity that is administration. */
const ADMIN_WORK_SHARE = 0.3;
/** Consecutive failed sign-ins before Okta locks the account. */
const LOCKOUT_AFTER = 5;
const LOCKOUT_MS = 30 * 60_000;
/** Chance that a sign-in right after a failed one fails too. */
const RETRY_FAILURE = 0.35;
/** Access tokens of OAuth clients last an hour. */
const TOKEN_MS = 3_600_000;

const event = (type: string) => OKTA_EVENTS_BY_TYPE.get(type)!;
const EVALUATE = event('policy.evaluate_sign_on');
const SESSION_START = event('user.session.start');
const PUSH = event('system.push.send_factor_verify_push');
const MFA = event('user.authentication.auth_via_mfa');
const DENY_PUSH = event('user.mfa.okta_verify.deny_push');
const LOCK = event('user.account.lock');
const SSO = event('user.authentication.sso');
const TOKEN_GRANT = event('app.oauth2.as.token.grant.access_token');

function mix(use: OktaEventSpec['use']): { events: OktaEventSpec[]; table: AliasTable } {
  const events = OKTA_EVENTS.filter((e) => e.use === use && e.weight > 0);
  return { events, table: new AliasTable(events.map((e) => e.weight)) };
}
const ACTIVITY = mix('activity');
const ADMIN = mix('admin');
const CLIENT = mix('client');
const SSO_APPS = APPS.filter((a) => a.weight > 0);
const SSO_APP_TABLE = new AliasTable(SSO_APPS.map((a) => a.weight));
const FACTOR_TABLE = new AliasTable(FACTORS.map((f) => f.weight));
/** People who sign in with Okta FastPass have Okta Verify on a registered device, which Okta reports on their events. */
const FASTPASS = FACTORS.findIndex((f) => f.factor === 'SIGNED_NONCE');
const BEHAVIORS = (newIp: boolean) => `{New Geo-Location=NEGATIVE, New Device=NEGATIVE, New IP=${newIp ? 'POSITIVE' : 'NEGATIVE'}, New State=NEGATIVE, Velocity Behavior=NEGATIVE, New Country=NEGATIVE, New City=NEGATIVE}`;
const LOG_ONLY_SECURITY = (newIp: boolean) =>
  `{\\"risk\\":{\\"level\\":\\"LOW\\"},\\"behaviors\\":{\\"New Geo-Location\\":\\"NEGATIVE\\",\\"New Device\\":\\"NEGATIVE\\",\\"New IP\\":\\"${newIp ? 'POSITIVE' : 'NEGATIVE'}\\",\\"New State\\":\\"NEGATIVE\\",\\"New Country\\":\\"NEGATIVE\\",\\"Velocity\\":\\"NEGATIVE\\",\\"New City\\":\\"NEGATIVE\\"}}`;

/** A person's or client's Okta state in this shard. */
class OktaState {
  /** The Okta session's parts (client, addresses) and when it ends. */
  parts: RecordParts | null = null;
  sessionSerial = -1;
  signedInUntil = -Infinity;
  failures = 0;
  lockedUntil = -Infinity;
  lastAddress = -1;
  newIp = false;
  authnRequestId = '';
  tokenUntil = -Infinity;
  constructor(
    readonly person: OktaPerson,
    readonly factor: number,
  ) {}
}

export class OktaShard implements ShardSource {
  private readonly rng: Rng;
  private readonly states: (OktaState | undefined)[];
  private readonly board: SessionBoard;
  private readonly node: string;
  // Per record, set before writing.
  private spec: OktaEventSpec = SSO;
  private st!: OktaState;
  private transactionId = '';
  private uri = '';
  private app: OktaApp = SSO_APPS[0];
  private readonly values: RecordValues;

  constructor(
    private readonly runtime: OktaRuntime,
    private readonly shard: ShardContext,
  ) {
    this.rng = new Rng(shard.seed, `shard/${shard.shard}/okta`);
    this.states = new Array(shard.actors.length);
    this.board = shard.sessions;
    this.board.attachIdentityProvider();
    this.node = `${(0x8000 | this.rng.int(0x4000)).toString(16)}-${randomHex(this.rng, 12)}`;
    this.values = {
      spec: SSO,
      timeMs: 0,
      failed: false,
      result: 'SUCCESS',
      reason: null,
      legacy: null,
      target: 'null',
      debug: (key) => this.debugValue(key),
      authProvider: null,
      credentialProvider: null,
      credentialType: null,
      transactionId: '',
      uuid: '',
    };
  }

  private state(local: number): OktaState {
    let st = this.states[local];
    if (!st) {
      const actor = this.shard.actors[local];
      st = new OktaState(this.runtime.person(this.shard.actorIndexes[local], actor), FACTOR_TABLE.pick(new Rng(actor.id, 'okta/factor')));
      this.states[local] = st;
    }
    return st;
  }

  /** The record parts of the actor's current working session (client, address, device hashes). */
  private sessionParts(local: number, st: OktaState, timeMs: number): RecordParts {
    const ws = this.board.workSession(local, timeMs);
    if (st.parts === null || st.sessionSerial !== ws.serial) {
      const rng = this.rng;
      const p = st.person;
      const addresses = sessionAddresses(p.actor);
      const ip = addresses[ws.addressIndex] ?? addresses[0];
      st.newIp = st.lastAddress >= 0 && st.lastAddress !== ws.addressIndex;
      st.lastAddress = ws.addressIndex;
      const geo = p.geo;
      st.parts = {
        actor: p.actorJson,
        client: `{"userAgent":${p.userAgentJson},"zone":"null","device":"${p.device}","id":null,"ipAddress":"${ip}","geographicalContext":${geo}}`,
        securityContext: p.securityContext,
        ipChain: `[{"ip":"${ip}","geographicalContext":${geo},"version":"V4","source":null}]`,
        externalSessionId: 'idx' + randomChars(rng, ALNUM, 22),
        deviceFingerprint: randomHex(rng, 32),
        dtHash: randomHex(rng, 64),
      };
      st.sessionSerial = ws.serial;
    }
    return st.parts;
  }

  private debugValue(key: DebugKey): string {
    const rng = this.rng;
    const st = this.st;
    switch (key) {
      case 'requestId':
        return this.transactionId;
      case 'requestUri':
        return this.uri;
      case 'url':
        return this.uri + '?';
      case 'threatSuspected':
        return 'false';
      case 'deviceFingerprint':
        return st.parts!.deviceFingerprint;
      case 'dtHash':
        return st.parts!.dtHash;
      case 'behaviors':
        return BEHAVIORS(st.newIp);
      case 'risk':
        return st.newIp && rng.chance(0.3) ? '{level=MEDIUM}' : '{level=LOW}';
      case 'factor':
        return FACTORS[st.factor].factor;
      case 'factorIntent':
        return 'AUTHENTICATION';
      case 'authnRequestId':
        return st.authnRequestId;
      case 'promptingPolicyTypes':
        return '[OKTA_SIGN_ON]';
      case 'logOnlySecurityData':
        return LOG_ONLY_SECURITY(st.newIp);
      case 'loginResult':
        return this.values.failed ? (this.values.reason ?? 'FAILURE') : 'SUCCESS';
      case 'origin':
        return `https://${this.runtime.org.domain}`;
      case 'privilegeGranted':
        return rng.chance(0.5) ? 'Read-only Administrator' : 'Application administrator (all)';
      case 'grantType':
        return this.spec.actor === 'client' ? 'client_credentials' : this.spec === TOKEN_GRANT ? 'authorization_code' : 'refresh_token';
      case 'grantedScopes':
      case 'requestedScopes':
        return this.spec.actor === 'client' ? 'api.read, api.write' : 'openid, profile, email, offline_access';
      case 'clientAuthType':
        return this.spec.actor === 'client' ? 'client_secret_basic' : 'none';
      case 'clientSecret':
        return randomHex(rng, 16);
      case 'responseTime':
        return String(20 + rng.int(180));
      case 'tunnels':
        return '[]';
      case 'redirectUri':
        return `https://${this.app.name}.${this.runtime.org.emailDomain}/oauth/callback`;
      case 'initiationType':
        return rng.chance(0.7) ? 'IDP_INITIATED' : 'SP_INITIATED';
      case 'signOnMode':
        return this.app.signOnMode === 'SAML_2_0' ? 'SAML 2.0' : this.app.signOnMode === 'WS_FEDERATION' ? 'WS-Federation' : 'OpenID Connect';
      case 'expiresAt':
        return new Date(this.values.timeMs + TOKEN_MS).toISOString();
      case 'suspiciousActivityBrowser':
        return 'CHROME';
      case 'suspiciousActivityEventCity':
        return 'Frankfurt am Main';
      case 'suspiciousActivityEventCountry':
        return 'Germany';
      case 'suspiciousActivityEventId':
        return uuidV1(rng, this.values.timeMs - 3_600_000, this.node);
      case 'suspiciousActivityEventIp':
        return `185.220.101.${1 + rng.int(254)}`;
      case 'suspiciousActivityEventLatitude':
        return '50.1109';
      case 'suspiciousActivityEventLongitude':
        return '8.6821';
      case 'suspiciousActivityEventState':
        return 'Hesse';
      case 'suspiciousActivityEventTransactionId':
        return requestId(rng);
      case 'suspiciousActivityEventType':
        return 'system.email.new_device_notification.sent_message';
      case 'suspiciousActivityOs':
        return 'Windows 10';
      case 'suspiciousActivityTimestamp':
        return new Date(this.values.timeMs - 3_600_000).toISOString();
    }
  }

  private target(kind: OktaTarget): string {
    const st = this.st;
    const org = this.runtime.org;
    const rng = this.rng;
    switch (kind) {
      case 'self':
        return st.person.targetJson;
      case 'password':
        return `{"id":"${st.person.passwordId}","type":"AuthenticatorEnrollment","alternateId":"unknown","displayName":"Password","detailEntry":null}`;
      case 'dashboard':
        return org.appTarget(org.app(st.person.admin && rng.chance(0.3) ? 'okta_admin' : 'okta_dashboard'));
      case 'udDevice': {
        const p = st.person;
        return `{"id":"${p.deviceId}","type":"UDDevice","alternateId":"unknown","displayName":"${p.deviceName}","detailEntry":{"deviceStatus":"CREATED","managed":"${p.managedDevice}","oktaDeviceId":"${p.deviceId}","osPlatform":"${p.osPlatform}","osVersion":"${p.osVersion}","serialNumber":"${p.serialNumber}","tpmPresent":"${p.osPlatform === 'WINDOWS'}","uuid":"${p.deviceUuid}"}}`;
      }
      case 'otherUser':
        return this.runtime.randomPerson(rng).targetJson;
      case 'app':
        return org.appTarget(this.app);
      case 'appUser':
        return `{"id":"${oktaId('0ua', rng)}","type":"AppUser","alternateId":${st.person.loginJson},"displayName":${st.person.nameJson},"detailEntry":null}`;
      case 'group':
        return org.groupTargets[rng.int(org.groupTargets.length)];
      case 'policy':
        return org.policyTargets[0][0];
      case 'policyRule':
        return org.policyTargets[0][1];
      case 'authenticator': {
        const f = FACTORS[st.factor];
        return `{"id":"${st.person.enrollmentId}","type":"AuthenticatorEnrollment","alternateId":"unknown","displayName":"${f.authenticator}","detailEntry":{"methodTypeUsed":"${f.method}","methodUsedVerifiedProperties":"[DEVICE_BOUND, USER_PRESENCE]"}}`;
      }
      case 'token':
        return this.spec.actor === 'admin'
          ? `{"id":"${oktaId('00T', rng)}","type":"Token","alternateId":"unknown","displayName":"automation-${randomChars(rng, 'abcdefghijklmnopqrstuvwxyz', 6)}","detailEntry":null}`
          : `{"id":"AT.${randomChars(rng, ALNUM + '-_', 43)}","type":"access_token","alternateId":"unknown","displayName":"Access Token","detailEntry":{"expires":"${new Date(this.values.timeMs + TOKEN_MS).toISOString()}","subject":"${st.person.oktaId}","hash":"${randomChars(rng, ALNUM + '-_', 22)}"}}`;
      case 'device':
        return `{"id":"${st.person.deviceId}","type":"Device","alternateId":"unknown","displayName":"${st.person.deviceName}","detailEntry":null}`;
      case 'client':
        return org.appTarget(this.app);
      case 'authServer':
      case 'role':
        return 'null';
    }
  }

  /** Writes one event of actor `local`; returns whether it failed. */
  private write(local: number, spec: OktaEventSpec, timeMs: number, indexMs: number, out: RecordOut, forceFail = false): boolean {
    const rng = this.rng;
    const st = this.state(local);
    this.st = st;
    this.spec = spec;
    const parts = this.sessionParts(local, st, indexMs);
    const v = this.values;
    v.spec = spec;
    v.timeMs = timeMs;
    let failed = forceFail || (spec.failRate !== undefined && rng.float() < spec.failRate);
    if (spec.failures === undefined) failed = false;
    v.failed = failed || spec.result === 'FAILURE' || spec.result === 'DENY';
    if (failed) {
      const f = spec.failures![spec.failures!.length === 1 ? 0 : rng.int(spec.failures!.length)];
      v.result = f.result;
      v.reason = f.reason;
      v.legacy = spec.legacyFailure ?? spec.legacy;
    } else {
      v.result = spec.result;
      v.reason = spec.reason ?? null;
      v.legacy = spec.legacy;
    }
    const auth = spec.auth;
    v.authProvider = auth?.provider ?? null;
    v.credentialProvider = auth?.credentialProvider ?? null;
    v.credentialType = auth?.credentialType ?? null;
    this.transactionId = requestId(rng);
    v.transactionId = this.transactionId;
    this.uri = spec.uri.replace('{app}', this.runtime.org.appId(this.app)).replace('{user}', st.person.oktaId).replace('{group}', this.runtime.org.groupIds[0]).replace('{policy}', this.runtime.org.policyIds[0]).replace('{authServer}', this.runtime.org.authServerId);
    v.uuid = uuidV1(rng, timeMs, this.node);
    let target = 'null';
    if (spec.target) {
      target = '[';
      for (let i = 0; i < spec.target.length; i++) target += (i > 0 ? ',' : '') + this.target(spec.target[i]);
      target += ']';
    }
    v.target = target;
    writeRecord(out.w, spec.systemClient ? this.runtime.systemParts : parts, v, spec.systemClient || st.factor !== FASTPASS ? 'null' : st.person.deviceJson);
    out.commit(indexMs, st.person.globalIndex);
    return failed;
  }

  /**
   * A sign-in ending just before `timeMs` (published times count back from it; the records are indexed at `timeMs`):
   * policy, password, MFA. Returns whether it succeeded; the Okta session then lasts as long as the working session.
   */
  private signIn(local: number, timeMs: number, out: RecordOut, indexMs = timeMs): boolean {
    const rng = this.rng;
    const st = this.state(local);
    if (indexMs < st.lockedUntil) return false;
    const ws = this.board.workSession(local, indexMs);
    st.authnRequestId = randomChars(rng, ALNUM, 20);
    const factor = FACTORS[st.factor];
    // Back from the end: MFA answered 1-2 s before, the push sent 3-12 s before that, the password before.
    const mfaAt = timeMs - 200 - rng.int(1800);
    const pushAt = mfaAt - 3000 - rng.int(9000);
    const startAt = (factor.push ? pushAt : mfaAt - 2000 - rng.int(4000)) - 300 - rng.int(700);
    const evaluateAt = startAt - 50 - rng.int(250);
    this.write(local, EVALUATE, evaluateAt, indexMs, out);
    // Someone who just mistyped their password often gets it wrong again (a forgotten or changed password).
    const retryFails = st.failures > 0 && rng.float() < RETRY_FAILURE;
    if (this.write(local, SESSION_START, startAt, indexMs, out, retryFails)) {
      if (++st.failures >= LOCKOUT_AFTER) {
        this.write(local, LOCK, startAt + 20, indexMs, out);
        st.failures = 0;
        st.lockedUntil = indexMs + LOCKOUT_MS;
      }
      return false;
    }
    if (factor.push) this.write(local, PUSH, pushAt, indexMs, out);
    const denied = factor.push && rng.float() < 0.004;
    if (denied) this.write(local, DENY_PUSH, mfaAt - 10, indexMs, out);
    if (this.write(local, MFA, mfaAt, indexMs, out, denied)) return false;
    st.failures = 0;
    st.signedInUntil = ws.untilMs;
    return true;
  }

  private signedIn(local: number, timeMs: number): boolean {
    return timeMs < this.state(local).signedInUntil;
  }

  startSession(local: number, timeMs: number, out: RecordOut): boolean {
    const st = this.state(local);
    if (st.person.actor.kind !== 'human') {
      if (timeMs < st.tokenUntil) return false;
      st.tokenUntil = timeMs + TOKEN_MS;
      this.write(local, TOKEN_GRANT, timeMs, timeMs, out);
      return true;
    }
    if (this.signedIn(local, timeMs)) return false;
    this.signIn(local, timeMs, out);
    return true;
  }

  emit(local: number, timeMs: number, out: RecordOut): void {
    const rng = this.rng;
    const st = this.state(local);
    if (st.person.actor.kind !== 'human') {
      this.write(local, CLIENT.events[CLIENT.table.pick(rng)], timeMs, timeMs, out);
      return;
    }
    if (!this.signedIn(local, timeMs)) {
      this.signIn(local, timeMs, out);
      return;
    }
    const work = st.person.admin && rng.chance(ADMIN_WORK_SHARE) ? ADMIN : ACTIVITY;
    const spec = work.events[work.table.pick(rng)];
    this.app = SSO_APPS[SSO_APP_TABLE.pick(rng)];
    this.write(local, spec, timeMs, timeMs, out);
  }

  shareActivity(local: number, timeMs: number, out: RecordOut): void {
    const human = this.shard.actors[local].kind === 'human';
    if (this.rng.float() < (human ? PERSON_SHARE : CLIENT_SHARE)) this.emit(local, timeMs, out);
  }

  settle(local: number, timeMs: number, out: RecordOut): boolean {
    const request = this.board.take(local);
    if (request === undefined) return false;
    const ok = this.signedIn(local, timeMs) || this.signIn(local, timeMs - 800 - this.rng.int(1500), out, timeMs);
    if (ok) {
      this.app = this.runtime.org.app(request.app);
      this.write(local, SSO, timeMs - 100 - this.rng.int(600), timeMs, out);
    }
    this.board.answer(local, { ok, timeMs });
    return true;
  }
}

