/**
 * The Okta source's per-worker setup: the tenant (domain, app instances, groups, policies, authorization server),
 * and each actor's Okta face (ids and JSON blocks), built on first use.
 */
import type { Actor } from '../../population/actor.js';
import { oktaId } from '../../population/identities.js';
import { Rng } from '../../util/rng.js';
import { utf8 } from '../../encode/byte-writer.js';
import { CITY_DETAILS } from '../../population/data/cities.js';
import { AliasTable } from '../../util/rng.js';
import { APPS, BROWSERS, FACTORS, GROUPS, OPERATING_SYSTEMS, SIGN_ON_POLICIES, type OktaApp } from './data/org.js';

const FACTOR_TABLE = new AliasTable(FACTORS.map((f) => f.weight));
import type { OktaConfig } from './config.js';
import type { RecordParts } from './record.js';

const COUNTRY_NAMES = new Intl.DisplayNames(['en'], { type: 'region' });

export interface OktaOrg {
  readonly domain: string;
  readonly emailDomain: string;
  readonly groupIds: readonly string[];
  readonly groupTargets: readonly Uint8Array[];
  readonly policyIds: readonly string[];
  readonly policyTargets: readonly (readonly [Uint8Array, Uint8Array])[];
  readonly authServerId: string;
  /** The API token the organisation's own login page calls Okta with (transaction.detail.requestApiTokenId). */
  readonly apiTokenId: string;
  appId(app: OktaApp): string;
  appTarget(app: OktaApp): Uint8Array;
  app(key: string): OktaApp;
}

/** An actor as Okta shows it. */
export interface OktaPerson {
  readonly actor: Actor;
  readonly globalIndex: number;
  readonly oktaId: string;
  readonly admin: boolean;
  /** Index into FACTORS: how the person does MFA. */
  readonly factor: number;
  readonly actorJson: Uint8Array;
  readonly targetJson: Uint8Array;
  /** An AppUser target after its id: `","type":"AppUser",…}`. */
  readonly appUserTail: Uint8Array;
  readonly userAgentJson: string;
  readonly device: string;
  readonly geo: string;
  readonly securityContext: Uint8Array;
  readonly authenticatorJson: Uint8Array;
  readonly passwordJson: Uint8Array;
  readonly udDeviceJson: Uint8Array;
  /** The registered device Okta reports on the events of FastPass users, else `null`. */
  readonly deviceJson: Uint8Array;
}

export interface OktaRuntime {
  readonly org: OktaOrg;
  /** Record parts of events Okta itself performs (no client). */
  readonly systemParts: RecordParts;
  person(globalIndex: number, actor: Actor): OktaPerson;
  randomPerson(rng: Rng): OktaPerson;
}

function buildOrg(config: OktaConfig, actors: readonly Actor[]): OktaOrg {
  const emailDomain = actors.find((a) => a.email)?.email?.split('@')[1] ?? 'example.com';
  const domain = config.domain ?? `${emailDomain.split('.')[0]}.okta.com`;
  const rng = new Rng(domain, 'okta/org');
  const appIds = new Map(APPS.map((a) => [a.key, oktaId('0oa', rng)]));
  const groupIds = GROUPS.map(() => oktaId('00g', rng));
  const policyIds = SIGN_ON_POLICIES.map(() => oktaId('00p', rng));
  const ruleIds = SIGN_ON_POLICIES.map(() => oktaId('0pr', rng));
  const appTargets = new Map(APPS.map((a) => [a.key, utf8(`{"id":"${appIds.get(a.key)}","type":"AppInstance","alternateId":${JSON.stringify(a.label)},"displayName":${JSON.stringify(a.label)},"detailEntry":{"signOnModeType":"${a.signOnMode}"}}`)]));
  const byKey = new Map(APPS.map((a) => [a.key, a]));
  return {
    domain,
    emailDomain,
    groupIds,
    groupTargets: GROUPS.map((g, i) => utf8(`{"id":"${groupIds[i]}","type":"UserGroup","alternateId":"unknown","displayName":${JSON.stringify(g)},"detailEntry":null}`)),
    policyIds,
    policyTargets: SIGN_ON_POLICIES.map(([policy, rule, type], i) => [
      utf8(`{"id":"${policyIds[i]}","type":"PolicyEntity","alternateId":"unknown","displayName":${JSON.stringify(policy)},"detailEntry":{"policyType":"${type}"}}`),
      utf8(`{"id":"${ruleIds[i]}","type":"PolicyRule","alternateId":"${policyIds[i]}","displayName":${JSON.stringify(rule)},"detailEntry":null}`),
    ]),
    authServerId: oktaId('aus', rng),
    apiTokenId: Buffer.from(`${oktaId('00T', rng)}:${oktaId('', rng)}`).toString('base64'),
    appId: (app) => appIds.get(app.key)!,
    appTarget: (app) => appTargets.get(app.key)!,
    app: (key) => byKey.get(key) ?? byKey.get('aws')!,
  };
}

function firstMatch(table: readonly (readonly [RegExp, string])[], text: string, fallback: string): string {
  for (const [re, name] of table) if (re.test(text)) return name;
  return fallback;
}

function buildPerson(actor: Actor, globalIndex: number): OktaPerson {
  // The population's Okta projection (population/identities.ts): the id its file carries, the e-mail as login.
  const id = { id: actor.okta_id, login: actor.email ?? actor.user_name };
  const rng = new Rng(`${actor.account_id}/${actor.id}`, 'okta/person');
  const human = actor.kind === 'human';
  const type = human ? 'User' : 'PublicClientApp';
  const login = JSON.stringify(id.login);
  const name = JSON.stringify(actor.display_name);
  const block = `{"id":"${id.id}","type":"${type}","alternateId":${login},"displayName":${name},"detailEntry":null}`;
  const ua = (human ? actor.console_user_agent : null) ?? actor.api_user_agent;
  const [state, postal] = CITY_DETAILS[actor.city] ?? [actor.city, null];
  const country = COUNTRY_NAMES.of(actor.country) ?? actor.country;
  const geo = `{"city":${JSON.stringify(actor.city)},"state":${JSON.stringify(state)},"country":${JSON.stringify(country)},"postalCode":${postal === null ? 'null' : JSON.stringify(postal)},"geolocation":{"lat":${actor.latitude},"lon":${actor.longitude}}}`;
  const ispWord = actor.isp.split(/[ (]/)[0].toLowerCase().replace(/[^a-z0-9]/g, '');
  const os = firstMatch(OPERATING_SYSTEMS, ua, 'Unknown');
  const mac = os === 'Mac OS X';
  const deviceId = oktaId('guo', rng);
  const osPlatform = mac ? 'MACOS' : os === 'Windows 10' ? 'WINDOWS' : 'LINUX';
  const osVersion = mac ? ['14.6.0', '14.7.1', '15.1.0', '15.2.0'][rng.int(4)] : os === 'Windows 10' ? ['10.0.19045', '10.0.22631', '10.0.26100'][rng.int(3)] : '6.8.0';
  const managedDevice = rng.chance(0.8);
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789ABCDEF'[rng.int(16)]).join('');
  const deviceName = mac ? `${actor.display_name.split(' ')[0]}'s MacBook Pro` : os === 'Windows 10' ? `DESKTOP-${hex(7)}` : 'Linux workstation';
  const factor = FACTOR_TABLE.pick(new Rng(actor.id, 'okta/factor'));
  const f = FACTORS[factor];
  const enrollmentId = oktaId('pfd', rng);
  const serialNumber = mac ? hex(10) : hex(8);
  const deviceUuid = `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  const registered = `{"id":"${deviceId}","name":${JSON.stringify(mac ? ['Mac15,6', 'Mac14,2', 'Mac15,12'][rng.int(3)] : deviceName)},"os_platform":"${mac ? 'OSX' : osPlatform}","os_version":"${osVersion}","managed":${managedDevice},"registered":true,"device_integrator":null,"disk_encryption_type":"ALL_INTERNAL_VOLUMES","screen_lock_type":"${mac ? 'BIOMETRIC' : 'PASSCODE'}","jailbreak":null,"secure_hardware_present":true}`;
  return {
    actor,
    globalIndex,
    oktaId: id.id,
    admin: actor.role === 'admin',
    factor,
    actorJson: utf8(block),
    targetJson: utf8(block),
    appUserTail: utf8(`","type":"AppUser","alternateId":${login},"displayName":${name},"detailEntry":null}`),
    userAgentJson: `{"rawUserAgent":${JSON.stringify(ua)},"os":"${os}","browser":"${firstMatch(BROWSERS, ua, 'UNKNOWN')}"}`,
    device: /Mobile|Android|iPhone/.test(ua) ? 'Mobile' : 'Computer',
    geo,
    securityContext: utf8(`{"asNumber":${actor.asn},"asOrg":"${ispWord}","isp":${JSON.stringify(actor.isp.toLowerCase())},"domain":"${ispWord}.${human ? 'net' : 'com'}","isProxy":false}`),
    authenticatorJson: utf8(`{"id":"${enrollmentId}","type":"AuthenticatorEnrollment","alternateId":"unknown","displayName":"${f.authenticator}","detailEntry":{"methodTypeUsed":"${f.method}","methodUsedVerifiedProperties":"[DEVICE_BOUND, USER_PRESENCE]"}}`),
    passwordJson: utf8(`{"id":"${oktaId('lae', rng)}","type":"AuthenticatorEnrollment","alternateId":"unknown","displayName":"Password","detailEntry":null}`),
    udDeviceJson: utf8(`{"id":"${deviceId}","type":"UDDevice","alternateId":"unknown","displayName":${JSON.stringify(deviceName)},"detailEntry":{"deviceStatus":"CREATED","managed":"${managedDevice}","oktaDeviceId":"${deviceId}","osPlatform":"${osPlatform}","osVersion":"${osVersion}","serialNumber":"${serialNumber}","tpmPresent":"${osPlatform === 'WINDOWS'}","uuid":"${deviceUuid}"}}`),
    deviceJson: utf8(human && f.factor === 'SIGNED_NONCE' ? registered : 'null'),
  };
}

export function createOktaRuntime(config: OktaConfig, actors: readonly Actor[]): OktaRuntime {
  const org = buildOrg(config, actors);
  const people = new Map<number, OktaPerson>();
  const humans = actors.flatMap((a, i) => (a.kind === 'human' ? [i] : []));
  const person = (globalIndex: number, actor: Actor) => {
    let p = people.get(globalIndex);
    if (!p) people.set(globalIndex, (p = buildPerson(actor, globalIndex)));
    return p;
  };
  const systemParts: RecordParts = {
    actor: utf8(`{"id":"${oktaId('spr', new Rng(org.domain, 'okta/system'))}","type":"SystemPrincipal","alternateId":"system@okta.com","displayName":"Okta System","detailEntry":null}`),
    client: utf8('{"userAgent":null,"zone":null,"device":null,"id":null,"ipAddress":null,"geographicalContext":null}'),
    securityContext: utf8('{"asNumber":null,"asOrg":null,"isp":null,"domain":null,"isProxy":null}'),
    ipChain: utf8('[]'),
    externalSessionId: utf8('unknown'),
    deviceFingerprint: '',
    dtHash: '',
  };
  return {
    org,
    systemParts,
    person,
    randomPerson: (rng) => {
      const i = humans.length > 0 ? humans[rng.int(humans.length)] : 0;
      return person(i, actors[i]);
    },
  };
}
