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
import type { Attacker, InjectedStep, RecordOut, ShardContext, ShardSource } from '../source.js';
import { OKTA_EVENTS, OKTA_EVENTS_BY_TYPE, SUSPICIOUS, type DebugKey, type OktaEventSpec, type OktaTarget } from './catalog.js';
import { APPS, FACTORS, type OktaApp } from './data/org.js';
import { utf8, type ByteWriter } from '../../encode/byte-writer.js';
import {
  ACTOR_OPEN,
  CLIENT_OPEN,
  CompiledOktaEvent,
  DEVICE_OPEN,
  NULL,
  QUOTE,
  randomChars,
  randomHex,
  REQUEST_OPEN,
  requestId,
  SECURITY_OPEN,
  TARGET_OPEN,
  UUID_OPEN,
  API_TOKEN_CLOSE,
  API_TOKEN_DETAIL,
  uuidV1,
  writeIsoMillis,
  writeRequestId,
  writeUuidV1,
  type RecordParts,
} from './record.js';
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
const RETRY_FAILURE = 0.5;
/** Access tokens of OAuth clients last an hour. */
const TOKEN_MS = 3_600_000;

const COMPILED = new Map(OKTA_EVENTS.map((e) => [e, new CompiledOktaEvent(e)]));
const event = (type: string) => COMPILED.get(OKTA_EVENTS_BY_TYPE.get(type)!)!;
const EVALUATE = event('policy.evaluate_sign_on');
/** The evaluation right after the person reported suspicious activity: Okta adds the reported event's details. */
const EVALUATE_AFTER_REPORT = new CompiledOktaEvent({ ...EVALUATE.spec, debug: [...EVALUATE.spec.debug, ...SUSPICIOUS].sort() });
const REPORT = event('user.account.report_suspicious_activity_by_enduser');
/**
 * A sign-in through the organisation's own login page (an app using Okta's Authn API with an API token): the
 * request names the token, and debugData the principal the app signed in.
 */
const SESSION_START_API = new CompiledOktaEvent({
  ...event('user.session.start').spec,
  uri: '/api/v1/authn',
  apiToken: true,
  debug: ['logOnlySecurityData', 'originalPrincipal', 'requestId', 'requestUri', 'threatSuspected', 'url'],
});
/** Share of sign-ins made through the organisation's own login page. */
const API_SIGN_IN_SHARE = 0.05;
const SESSION_START = event('user.session.start');
const PUSH = event('system.push.send_factor_verify_push');
const MFA = event('user.authentication.auth_via_mfa');
const DENY_PUSH = event('user.mfa.okta_verify.deny_push');
const LOCK = event('user.account.lock');
const SSO = event('user.authentication.sso');
const SESSION_END = event('user.session.end');
const TOKEN_GRANT = event('app.oauth2.as.token.grant.access_token');

function mix(use: OktaEventSpec['use']): { events: CompiledOktaEvent[]; table: AliasTable } {
  const specs = OKTA_EVENTS.filter((e) => e.use === use && e.weight > 0);
  return { events: specs.map((e) => COMPILED.get(e)!), table: new AliasTable(specs.map((e) => e.weight)) };
}
const ACTIVITY = mix('activity');
const ADMIN = mix('admin');
const CLIENT = mix('client');
const SSO_APPS = APPS.filter((a) => a.weight > 0);
const SSO_APP_TABLE = new AliasTable(SSO_APPS.map((a) => a.weight));
const BEHAVIORS = (newIp: boolean) => `{New Geo-Location=NEGATIVE, New Device=NEGATIVE, New IP=${newIp ? 'POSITIVE' : 'NEGATIVE'}, New State=NEGATIVE, Velocity Behavior=NEGATIVE, New Country=NEGATIVE, New City=NEGATIVE}`;
const LOG_ONLY_SECURITY = (newIp: boolean) =>
  `{\\"risk\\":{\\"level\\":\\"LOW\\"},\\"behaviors\\":{\\"New Geo-Location\\":\\"NEGATIVE\\",\\"New Device\\":\\"NEGATIVE\\",\\"New IP\\":\\"${newIp ? 'POSITIVE' : 'NEGATIVE'}\\",\\"New State\\":\\"NEGATIVE\\",\\"New Country\\":\\"NEGATIVE\\",\\"Velocity\\":\\"NEGATIVE\\",\\"New City\\":\\"NEGATIVE\\"}}`;

/** A person's or client's Okta state in this shard. */
class OktaState {
  /** The Okta session's parts (client, addresses) and the working session they belong to. */
  parts: RecordParts | null = null;
  sessionSerial = -1;
  signedInUntil = -Infinity;
  failures = 0;
  lockedUntil = -Infinity;
  lastAddress = -1;
  newIp = false;
  authnRequestId = '';
  tokenUntil = -Infinity;
  /** The person reported suspicious activity since their last sign-in. */
  reported = false;
  /** When the last sign-in completed (its MFA), published time. */
  signedInAt = -Infinity;
  /** The Okta session's id (authenticationContext.externalSessionId): new with each sign-in. */
  sessionId: Uint8Array | null = null;
  constructor(readonly person: OktaPerson) {}
}

const COMMA = 44;
const OPEN_LIST = 91;
const CLOSE_LIST = 93;
const CLOSE = 125;
const TOKEN_ID_CHARS = ALNUM + '-_';

export class OktaShard implements ShardSource {
  private readonly rng: Rng;
  /** While a scenario step writes: the attacker's client and address stand for the person's session. */
  private attackerParts: RecordParts | null = null;
  private readonly states: (OktaState | undefined)[];
  private readonly board: SessionBoard;
  private readonly node: Uint8Array;
  /** The current record's request id (transaction.id and debugData.requestId). */
  private readonly requestId = new Uint8Array(27);
  // Per record, set before writing.
  private event: CompiledOktaEvent = SSO;
  private st!: OktaState;
  private timeMs = 0;
  private failed = false;
  private failure = 0;
  private app: OktaApp = SSO_APPS[0];
  /** The current record's session parts. */
  private parts!: RecordParts;
  /** Request paths per event and app, with the tenant's ids filled in. */
  private readonly uris = new Map<CompiledOktaEvent, Map<string, string>>();

  constructor(
    private readonly runtime: OktaRuntime,
    private readonly shard: ShardContext,
  ) {
    this.rng = new Rng(shard.seed, `shard/${shard.shard}/okta`);
    this.states = new Array(shard.actors.length);
    this.board = shard.sessions;
    this.node = utf8(`${(0x8000 | this.rng.int(0x4000)).toString(16)}-${randomHex(this.rng, 12)}`);
  }

  private state(local: number): OktaState {
    let st = this.states[local];
    if (!st) {
      st = new OktaState(this.runtime.person(this.shard.actorIndexes[local], this.shard.actors[local]));
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
        client: utf8(`{"userAgent":${p.userAgentJson},"zone":"null","device":"${p.device}","id":null,"ipAddress":"${ip}","geographicalContext":${geo}}`),
        securityContext: p.securityContext,
        ipChain: utf8(`[{"ip":"${ip}","geographicalContext":${geo},"version":"V4","source":null}]`),
        externalSessionId: utf8('idx' + randomChars(rng, ALNUM, 22)),
        deviceFingerprint: randomHex(rng, 32),
        dtHash: randomHex(rng, 64),
      };
      st.sessionSerial = ws.serial;
    }
    return st.parts;
  }

  /** The request path of this record: the event's, with the tenant's, the app's and the person's ids. */
  private uri(): string {
    const e = this.event;
    let byApp = this.uris.get(e);
    if (!byApp) this.uris.set(e, (byApp = new Map()));
    let uri = byApp.get(this.app.key);
    if (uri === undefined) {
      const org = this.runtime.org;
      uri = e.spec.uri.replace('{app}', org.appId(this.app)).replace('{group}', org.groupIds[0]).replace('{policy}', org.policyIds[0]).replace('{authServer}', org.authServerId);
      byApp.set(this.app.key, uri);
    }
    return uri.includes('{user}') ? uri.replace('{user}', this.st.person.oktaId) : uri;
  }

  private debugValue(w: ByteWriter, key: DebugKey): void {
    const rng = this.rng;
    const st = this.st;
    const spec = this.event.spec;
    switch (key) {
      case 'requestId':
        return w.bytes(this.requestId);
      case 'requestUri':
        return w.ascii(this.uri());
      case 'url':
        w.ascii(this.uri());
        return w.byte(63);
      case 'threatSuspected':
        return w.ascii('false');
      case 'deviceFingerprint':
        return w.ascii(this.parts.deviceFingerprint);
      case 'dtHash':
        return w.ascii(this.parts.dtHash);
      case 'behaviors':
        return w.ascii(BEHAVIORS(st.newIp));
      case 'risk':
        return w.ascii(st.newIp && rng.chance(0.3) ? '{level=MEDIUM}' : '{level=LOW}');
      case 'factor':
        return w.ascii(FACTORS[st.person.factor].factor);
      case 'factorIntent':
        return w.ascii('AUTHENTICATION');
      case 'authnRequestId':
        return w.ascii(st.authnRequestId);
      case 'promptingPolicyTypes':
        return w.ascii('[OKTA_SIGN_ON]');
      case 'logOnlySecurityData':
        return w.ascii(LOG_ONLY_SECURITY(st.newIp));
      case 'loginResult':
        return w.ascii(this.failed ? spec.failures![this.failure].reason : 'SUCCESS');
      case 'origin':
        return w.ascii(`https://${this.runtime.org.domain}`);
      case 'privilegeGranted':
        return w.ascii(rng.chance(0.5) ? 'Read-only Administrator' : 'Application administrator (all)');
      case 'grantType':
        return w.ascii(spec.actor === 'client' ? 'client_credentials' : this.event === TOKEN_GRANT ? 'authorization_code' : 'refresh_token');
      case 'grantedScopes':
      case 'requestedScopes':
        return w.ascii(spec.actor === 'client' ? 'api.read, api.write' : 'openid, profile, email, offline_access');
      case 'clientAuthType':
        return w.ascii(spec.actor === 'client' ? 'client_secret_basic' : 'none');
      case 'clientSecret':
        return w.ascii(randomHex(rng, 16));
      case 'responseTime':
        return w.uint(20 + rng.int(180));
      case 'tunnels':
        return w.ascii('[]');
      case 'redirectUri':
        return w.ascii(`https://${this.app.name}.${this.runtime.org.emailDomain}/oauth/callback`);
      case 'initiationType':
        return w.ascii(rng.chance(0.7) ? 'IDP_INITIATED' : 'SP_INITIATED');
      case 'signOnMode':
        return w.ascii(this.app.signOnMode === 'SAML_2_0' ? 'SAML 2.0' : this.app.signOnMode === 'WS_FEDERATION' ? 'WS-Federation' : 'OpenID Connect');
      case 'expiresAt':
        return writeIsoMillis(w, this.timeMs + TOKEN_MS);
      case 'suspiciousActivityBrowser':
        return w.ascii('CHROME');
      case 'suspiciousActivityEventCity':
        return w.ascii('Frankfurt am Main');
      case 'suspiciousActivityEventCountry':
        return w.ascii('Germany');
      case 'suspiciousActivityEventId':
        return w.ascii(uuidV1(rng, this.timeMs - 3_600_000, this.node));
      case 'suspiciousActivityEventIp':
        return w.ascii(`185.220.101.${1 + rng.int(254)}`);
      case 'suspiciousActivityEventLatitude':
        return w.ascii('50.1109');
      case 'suspiciousActivityEventLongitude':
        return w.ascii('8.6821');
      case 'suspiciousActivityEventState':
        return w.ascii('Hesse');
      case 'suspiciousActivityEventTransactionId':
        return w.ascii(requestId(rng));
      case 'suspiciousActivityEventType':
        return w.ascii('system.email.new_device_notification.sent_message');
      case 'suspiciousActivityOs':
        return w.ascii('Windows 10');
      case 'suspiciousActivityTimestamp':
        return writeIsoMillis(w, this.timeMs - 3_600_000);
      case 'originalPrincipal':
        return w.bytes(st.person.targetJson);
    }
  }

  private target(w: ByteWriter, kind: OktaTarget): void {
    const st = this.st;
    const org = this.runtime.org;
    const rng = this.rng;
    switch (kind) {
      case 'self':
        return w.bytes(st.person.targetJson);
      case 'password':
        return w.bytes(st.person.passwordJson);
      case 'dashboard':
        return w.bytes(org.appTarget(org.app(st.person.admin && rng.chance(0.3) ? 'okta_admin' : 'okta_dashboard')));
      case 'udDevice':
        return w.bytes(st.person.udDeviceJson);
      case 'otherUser':
        return w.bytes(this.runtime.randomPerson(rng).targetJson);
      case 'app':
      case 'client':
        return w.bytes(org.appTarget(this.app));
      case 'appUser':
        w.ascii('{"id":"');
        w.ascii(oktaId('0ua', rng));
        return w.bytes(st.person.appUserTail);
      case 'group':
        return w.bytes(org.groupTargets[rng.int(org.groupTargets.length)]);
      case 'policy':
        return w.bytes(org.policyTargets[0][0]);
      case 'policyRule':
        return w.bytes(org.policyTargets[0][1]);
      case 'authenticator':
        return w.bytes(st.person.authenticatorJson);
      case 'token':
        if (this.event.spec.actor === 'admin') {
          return w.ascii(`{"id":"${oktaId('00T', rng)}","type":"Token","alternateId":"unknown","displayName":"automation-${randomChars(rng, 'abcdefghijklmnopqrstuvwxyz', 6)}","detailEntry":null}`);
        }
        w.ascii(`{"id":"AT.${randomChars(rng, TOKEN_ID_CHARS, 43)}","type":"access_token","alternateId":"unknown","displayName":"Access Token","detailEntry":{"expires":"`);
        writeIsoMillis(w, this.timeMs + TOKEN_MS);
        return w.ascii(`","subject":"${st.person.oktaId}","hash":"${randomChars(rng, TOKEN_ID_CHARS, 22)}"}}`);
      case 'device':
        return w.bytes(st.person.udDeviceJson);
      case 'authServer':
      case 'role':
        return w.bytes(NULL);
    }
  }

  /** Writes one event of actor `local` (published at `timeMs`, indexed at `indexMs`); returns whether it failed. */
  private write(local: number, event: CompiledOktaEvent, timeMs: number, indexMs: number, out: RecordOut, forceFail = false, who?: OktaState): boolean {
    const rng = this.rng;
    const st = who ?? this.state(local);
    const spec = event.spec;
    this.st = st;
    this.event = event;
    this.timeMs = timeMs;
    const system = spec.systemClient === true;
    const attacker = this.attackerParts;
    const parts = system ? this.runtime.systemParts : attacker !== null ? { ...attacker, actor: st.person.actorJson } : this.sessionParts(local, st, indexMs);
    // The device the record's debug data names: the attacker's, else the person's session's (system notices too).
    this.parts = attacker ?? st.parts ?? parts;
    const failures = event.failures;
    // A scenario's step fails or succeeds as the scenario says (forceFail), never by chance.
    const failed = failures.length > 0 && (forceFail || (attacker === null && spec.failRate !== undefined && rng.float() < spec.failRate));
    this.failed = failed;
    this.failure = failed && failures.length > 1 ? rng.int(failures.length) : 0;
    writeRequestId(rng, this.requestId);

    const w = out.w;
    w.bytes(ACTOR_OPEN);
    w.bytes(parts.actor);
    w.bytes(CLIENT_OPEN);
    w.bytes(parts.client);
    w.bytes(DEVICE_OPEN);
    w.bytes(system ? NULL : st.person.deviceJson);
    w.bytes(event.auth);
    w.bytes(system || st.sessionId === null ? parts.externalSessionId : st.sessionId);
    w.bytes(event.head);
    w.bytes(failed ? failures[this.failure] : event.success);
    writeIsoMillis(w, timeMs);
    w.bytes(SECURITY_OPEN);
    w.bytes(parts.securityContext);
    w.bytes(failed ? event.severityFailed : event.severity);
    const keys = spec.debug;
    for (let i = 0; i < keys.length; i++) {
      w.bytes(event.debugKeys[i]);
      this.debugValue(w, keys[i]);
      if (!event.objectKeys[i]) w.byte(QUOTE);
    }
    w.bytes(failed ? event.legacyFailed : event.legacy);
    w.bytes(this.requestId);
    if (spec.apiToken) {
      w.bytes(API_TOKEN_DETAIL);
      w.ascii(this.runtime.org.apiTokenId);
      w.bytes(API_TOKEN_CLOSE);
    } else w.bytes(UUID_OPEN);
    writeUuidV1(w, rng, timeMs, this.node);
    w.bytes(REQUEST_OPEN);
    w.bytes(parts.ipChain);
    w.bytes(TARGET_OPEN);
    const targets = spec.target;
    if (targets === null) {
      w.bytes(NULL);
    } else {
      w.byte(OPEN_LIST);
      for (let i = 0; i < targets.length; i++) {
        if (i > 0) w.byte(COMMA);
        this.target(w, targets[i]);
      }
      w.byte(CLOSE_LIST);
    }
    w.byte(CLOSE);
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
    st.sessionId = utf8('idx' + randomChars(rng, ALNUM, 22));
    const factor = FACTORS[st.person.factor];
    // Back from the end: MFA answered 1-2 s before, the push sent 3-12 s before that, the password before.
    const mfaAt = timeMs - 200 - rng.int(1800);
    const pushAt = mfaAt - 3000 - rng.int(9000);
    const startAt = (factor.push ? pushAt : mfaAt - 2000 - rng.int(4000)) - 300 - rng.int(700);
    const evaluateAt = startAt - 50 - rng.int(250);
    this.write(local, st.reported ? EVALUATE_AFTER_REPORT : EVALUATE, evaluateAt, indexMs, out);
    st.reported = false;
    // Someone who just mistyped their password often gets it wrong again (a forgotten or changed password).
    const retryFails = st.failures > 0 && rng.float() < RETRY_FAILURE;
    if (this.write(local, rng.chance(API_SIGN_IN_SHARE) ? SESSION_START_API : SESSION_START, startAt, indexMs, out, retryFails)) {
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
    st.signedInAt = mfaAt;
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
    // Signing out ends the Okta session: the person's next activity signs in again.
    if (spec === SESSION_END) st.signedInUntil = -Infinity;
    // A report of suspicious activity ends the session too; the next sign-in's policy evaluation carries the report.
    if (spec === REPORT) {
      st.signedInUntil = -Infinity;
      st.reported = true;
    }
  }

  shareActivity(local: number, timeMs: number, out: RecordOut): void {
    const human = this.shard.actors[local].kind === 'human';
    if (this.rng.float() < (human ? PERSON_SHARE : CLIENT_SHARE)) this.emit(local, timeMs, out);
  }

  settle(local: number, timeMs: number, out: RecordOut): boolean {
    // Sign-ins for other apps are this source's to answer only when the organisation signs in through Okta.
    if (this.board.identityProvider !== 'okta') return false;
    const request = this.board.take(local);
    if (request === undefined) return false;
    let ok = this.signedIn(local, timeMs) || this.signIn(local, timeMs - 800 - this.rng.int(1500), out, timeMs);
    if (ok) {
      this.app = this.runtime.org.app(request.app);
      // The SSO itself can fail (the app unassigned): then no AWS session either.
      // A moment before the AWS side, and after the sign-in that made it possible (when that was just now).
      const at = Math.max(timeMs - 100 - this.rng.int(600), Math.min(timeMs, this.state(local).signedInAt + 30 + this.rng.int(200)));
      ok = !this.write(local, SSO, at, timeMs, out);
    }
    this.board.answer(local, { ok });
    return true;
  }

  /**
   * A scenario's step at the identity provider, from the attacker's browser and address: `spray_attempt` (a wrong
   * password for another person of the organisation), `password_accepted` (the victim's password works: policy and
   * session start), `mfa_push_denied` (a push the victim rejects), `mfa_push_accepted` (the push they finally accept),
   * `sso` (single sign-on to an app: `values.app`, default AWS). Drawn from the step's own stream.
   */
  inject(local: number, timeMs: number, step: InjectedStep, out: RecordOut): number {
    const st = this.state(local);
    if (st.person.actor.kind !== 'human') return 0;
    this.rng.swap(step.rng);
    this.attackerParts = attackerParts(step.attacker, this.rng);
    const sessionId = st.sessionId;
    st.sessionId = this.attackerParts.externalSessionId;
    try {
      switch (step.event) {
        case 'spray_attempt': {
          const target = new OktaState(this.runtime.randomPerson(this.rng));
          this.write(local, EVALUATE, timeMs - 150, timeMs, out, false, target);
          this.write(local, SESSION_START, timeMs, timeMs, out, true, target);
          return 2;
        }
        case 'password_accepted':
          this.write(local, EVALUATE, timeMs - 150, timeMs, out);
          this.write(local, SESSION_START, timeMs, timeMs, out);
          return 2;
        case 'mfa_push_denied':
          this.write(local, PUSH, timeMs, timeMs, out);
          this.write(local, DENY_PUSH, timeMs + 4000 + this.rng.int(20_000), timeMs, out);
          return 2;
        case 'mfa_push_accepted':
          this.write(local, PUSH, timeMs, timeMs, out);
          this.write(local, MFA, timeMs + 3000 + this.rng.int(15_000), timeMs, out);
          return 2;
        case 'sso':
          this.app = this.runtime.org.app(step.values.app ?? 'aws');
          this.write(local, SSO, timeMs, timeMs, out);
          return 1;
        default:
          return 0;
      }
    } finally {
      this.rng.swap(step.rng);
      this.attackerParts = null;
      st.sessionId = sessionId;
    }
  }
}

/** The record parts of the attacker's browser session: their address, network and browser; a new Okta session. */
function attackerParts(a: Attacker, rng: Rng): RecordParts {
  const geo = `{"city":${JSON.stringify(a.city)},"state":${JSON.stringify(a.state)},"country":${JSON.stringify(a.country)},"postalCode":null,"geolocation":{"lat":${a.latitude},"lon":${a.longitude}}}`;
  const os = a.browser.includes('Windows') ? 'Windows 10' : 'Linux';
  const browser = a.browser.includes('Firefox') ? 'FIREFOX' : 'CHROME';
  const word = a.org.split(/[\s,]/)[0].toLowerCase();
  return {
    actor: NULL,
    client: utf8(`{"userAgent":{"rawUserAgent":${JSON.stringify(a.browser)},"os":"${os}","browser":"${browser}"},"zone":"null","device":"Computer","id":null,"ipAddress":"${a.ip}","geographicalContext":${geo}}`),
    securityContext: utf8(`{"asNumber":${a.asn},"asOrg":${JSON.stringify(word)},"isp":${JSON.stringify(a.org.toLowerCase())},"domain":${JSON.stringify(`${word}.com`)},"isProxy":${a.proxy}}`),
    ipChain: utf8(`[{"ip":"${a.ip}","geographicalContext":${geo},"version":"V4","source":null}]`),
    externalSessionId: utf8('idx' + randomChars(rng, ALNUM, 22)),
    deviceFingerprint: randomHex(rng, 32),
    dtHash: randomHex(rng, 64),
  };
}
