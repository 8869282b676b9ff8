/**
 * The Entra sources' per-worker setup: the tenant (its id, the AWS enterprise app, conditional access policy ids) and
 * each actor as Entra shows it (UPN, device, location, MFA method; for services their app registration).
 */
import type { Actor } from '../../population/actor.js';
import { Rng } from '../../util/rng.js';
import { guid } from './ids.js';
import { sessionAddresses } from '../../population/addresses.js';
import { utf8 } from '../../encode/byte-writer.js';
import { ADFS_APPS, ENTRA_APPS, MICROSOFT_SERVICE_PRINCIPALS, type EntraApp } from './data/tenant.js';
import { CITY_DETAILS } from '../../population/data/cities.js';


export interface EntraTenant {
  readonly id: string;
  /** The AWS enterprise app's application id in this tenant. */
  readonly awsAppId: string;
  readonly policyIds: readonly string[];
  readonly groupIds: readonly string[];
  /** The organisation's e-mail domain. */
  readonly domain: string;
  /** The tenant's service principal object ids of Microsoft's apps (MICROSOFT_SERVICE_PRINCIPALS, in order). */
  readonly microsoftSpIds: readonly string[];
  /** AD FS: whether the organisation has it, its federation service name, and its apps' client ids (ADFS_APPS order). */
  readonly adfs: boolean;
  readonly adfsIssuer: string;
  readonly adfsAppIds: readonly string[];
}

export interface EntraPerson {
  readonly actor: Actor;
  readonly globalIndex: number;
  readonly name: string;
  readonly upn: string;
  readonly nameJson: string;
  readonly upnJson: string;
  /** The same JSON values as UTF-8 bytes (name, UPN, user agent), for writers that copy bytes. */
  readonly nameBytes: Uint8Array;
  readonly upnBytes: Uint8Array;
  readonly userAgentBytes: Uint8Array;
  readonly userAgentJson: string;
  readonly deviceDetail: string;
  readonly location: string;
  readonly mfaMethod: string;
  readonly mfaDetail: string;
  /** Services: the app registration's application id, its credential, and whether it is a managed identity. */
  readonly appId: string;
  readonly credentialKeyId: string;
  readonly managedIdentity: boolean;
  /** The addresses the actor's sessions come from (population/addresses.ts). */
  readonly addresses: readonly string[];
}

export interface EntraRuntime {
  readonly tenant: EntraTenant;
  person(globalIndex: number, actor: Actor): EntraPerson;
  /** Someone in the population: a person, or a service. */
  randomPerson(rng: Rng): EntraPerson;
  randomService(rng: Rng): EntraPerson;
  app(key: string): EntraApp;
}

const MFA_METHODS: readonly (readonly [string, string])[] = [
  ['Mobile app notification', 'Microsoft Authenticator'],
  ['Mobile app notification', 'Microsoft Authenticator'],
  ['Mobile app notification', 'Microsoft Authenticator'],
  ['Windows Hello for Business', 'Windows Hello for Business'],
  ['FIDO2 security key', 'FIDO2 security key'],
  ['OATH verification code', 'Microsoft Authenticator'],
];

function browserOf(ua: string): [string, string] {
  const os = /Windows NT 10/.test(ua) ? 'Windows10' : /Mac OS X/.test(ua) ? 'MacOs' : /Linux/.test(ua) ? 'Linux' : 'Unknown';
  const m = /Edg\/([\d.]+)/.exec(ua) ?? /Firefox\/([\d.]+)/.exec(ua) ?? /Chrome\/([\d.]+)/.exec(ua) ?? /Version\/([\d.]+) Safari/.exec(ua);
  const name = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Unknown';
  return [os, m ? `${name} ${m[1].split('.').slice(0, 3).join('.')}` : name];
}

export function createEntraRuntime(tenantId: string | undefined, actors: readonly Actor[], options: { adfs?: boolean } = {}): EntraRuntime {
  const domain = actors.find((a) => a.email)?.email?.split('@')[1] ?? 'example.com';
  const rng = new Rng(domain, 'entra/tenant');
  const id = tenantId ?? guid(rng);
  const awsAppId = guid(rng);
  const policyIds = [guid(rng), guid(rng), guid(rng), guid(rng)];
  const groupIds = Array.from({ length: 8 }, () => guid(rng));
  const tenant: EntraTenant = {
    id,
    awsAppId,
    policyIds,
    groupIds,
    domain,
    microsoftSpIds: MICROSOFT_SERVICE_PRINCIPALS.map(() => guid(rng)),
    adfs: options.adfs ?? false,
    adfsIssuer: `adfs.${domain}`,
    adfsAppIds: ADFS_APPS.map(() => guid(rng)),
  };
  const people = new Map<number, EntraPerson>();
  const byKey = new Map(ENTRA_APPS.map((a) => [a.key, a]));
  const humans = actors.flatMap((a, i) => (a.kind === 'human' ? [i] : []));
  const services = actors.flatMap((a, i) => (a.kind === 'service' ? [i] : []));
  const runtime: EntraRuntime = {
    tenant,
    app: (key) => byKey.get(key) ?? byKey.get('aws')!,
    randomPerson: (r) => {
      const i = humans.length > 0 ? humans[r.int(humans.length)] : 0;
      return runtime.person(i, actors[i]);
    },
    randomService: (r) => {
      const list = services.length > 0 ? services : humans;
      const i = list.length > 0 ? list[r.int(list.length)] : 0;
      return runtime.person(i, actors[i]);
    },
    person(globalIndex, actor) {
      let p = people.get(globalIndex);
      if (p) return p;
      const r = new Rng(`${actor.account_id}/${actor.id}`, 'entra/person');
      const ua = actor.console_user_agent ?? actor.api_user_agent;
      const [os, browser] = browserOf(ua);
      const managed = actor.kind === 'human' && r.chance(0.8);
      const [state] = CITY_DETAILS[actor.city] ?? [''];
      const [method, detail] = MFA_METHODS[r.int(MFA_METHODS.length)];
      p = {
        actor,
        globalIndex,
        name: actor.display_name,
        upn: actor.email ?? actor.user_name,
        nameJson: JSON.stringify(actor.display_name),
        upnJson: JSON.stringify(actor.email ?? actor.user_name),
        userAgentJson: JSON.stringify(ua),
        nameBytes: utf8(JSON.stringify(actor.display_name)),
        upnBytes: utf8(JSON.stringify(actor.email ?? actor.user_name)),
        userAgentBytes: utf8(JSON.stringify(ua)),
        deviceDetail: managed
          ? `{"deviceId":"${guid(r)}","displayName":${JSON.stringify(actor.workstation_hostname ?? '')},"operatingSystem":"${os}","browser":"${browser}","isCompliant":true,"isManaged":true,"trustType":"Azure AD joined"}`
          : `{"deviceId":"","operatingSystem":"${os}","browser":"${browser}"}`,
        location: `{"city":${JSON.stringify(actor.city)},"state":${JSON.stringify(state)},"countryOrRegion":"${actor.country}","geoCoordinates":{"latitude":${actor.latitude},"longitude":${actor.longitude}}}`,
        mfaMethod: method,
        mfaDetail: detail,
        appId: guid(r),
        credentialKeyId: guid(r),
        managedIdentity: actor.kind === 'service' && r.chance(0.25),
        addresses: sessionAddresses(actor),
      };
      people.set(globalIndex, p);
      return p;
    },
  };
  return runtime;
}
