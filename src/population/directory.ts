/**
 * The organisation's identity directory (an HR / IdP export): one entry per person with every name the sources write
 * for them. A pure function of the population, like the inventory: the names are the ones the generators and packs
 * write (see each spelling below), so a SIEM can join a person's records across sources.
 */
import type { Population } from './actor.js';
import { directoryIdentity, entraIdentity, linuxIdentity, oktaIdentity } from './identities.js';
import type { DirectoryPerson } from '../schema/record.js';

export interface DirectoryOptions {
  /** The Active Directory domain's NetBIOS name, as the windows-security and sysmon packs' `domain` param (default CORP). */
  readonly netbios?: string;
}

/** The directory as the shared vocabulary's people (`seclog actors --directory`), in the population's order. */
export function directoryPeople(population: Population, options: DirectoryOptions = {}): DirectoryPerson[] {
  const netbios = options.netbios ?? 'CORP';
  const people = population.actors.filter((a) => a.kind === 'human');
  // The Kerberos realm, as windows-security writes it (`<sam>@CORP.<ORG DOMAIN>`); the org's domain is the e-mail's.
  const orgDomain = population.actors.find((a) => a.email)?.email?.split('@')[1] ?? 'example.com';
  const realm = `CORP.${orgDomain.toUpperCase()}`;
  // auditd writes a login's uid (auid=); a uid two people share would join them, so it is left out.
  const uidCount = new Map<number, number>();
  for (const p of people) uidCount.set(p.linux_uid, (uidCount.get(p.linux_uid) ?? 0) + 1);
  return people.map((a): DirectoryPerson => {
    const sam = a.ad_sam_account_name || directoryIdentity(a).samAccountName;
    const linux = a.linux_user || linuxIdentity(a).user;
    const names = [
      a.email, // Okta's alternateId, Entra's userPrincipalName, CloudTrail's SSO session name
      oktaIdentity(a).login,
      entraIdentity(a).userPrincipalName,
      sam, // Windows Security / Sysmon user.name, TargetUserName, SubjectUserName; ECS alerts' user.name
      `${netbios}\\${sam}`, // Sysmon's User:, Windows' DOMAIN\user
      `${sam}@${realm}`, // Kerberos TargetUserName (4768, 4769)
      linux, // auth.log, auditd acct=
      uidCount.get(a.linux_uid) === 1 ? String(a.linux_uid) : null, // auditd auid=
      a.identity_type === 'IAMUser' ? a.user_name : null, // CloudTrail userIdentity.userName
    ];
    const seen = new Set<string>();
    const accounts: string[] = [];
    for (const n of names) {
      if (n === null || n === '' || seen.has(n.toLowerCase())) continue;
      seen.add(n.toLowerCase());
      accounts.push(n);
    }
    return { person: a.email ?? a.id, display_name: a.display_name, department: a.department, title: a.title, accounts, workstation: a.workstation_hostname };
  });
}
