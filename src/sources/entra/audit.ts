/**
 * One shard of the Entra ID audit source: the directory's audit trail. Administrators change users, groups, licences,
 * roles, apps and policies; people change their own passwords, consent to apps and register devices; Microsoft's
 * services update devices and service principals. Records are Azure Monitor's diagnostic-settings envelope around
 * Graph's directoryAudit, with the targets' modified properties (old and new values as JSON text).
 */
import { AliasTable, Rng } from '../../util/rng.js';
import type { RecordOut, ShardContext, ShardSource } from '../source.js';
import { AUDIT_ACTIVITIES, DIRECTORY_ROLES, GROUPS, type AuditActivity, type AuditTarget } from './data/audit.js';
import type { EntraPerson, EntraRuntime } from './runtime.js';
import { guid, TickClock } from './ids.js';

/**
 * In a run with other sources: share of activity ticks that change the directory, for an administrator, a service
 * (Microsoft's services updating devices and service principals on its behalf) and anyone else (self-service).
 */
const ADMIN_SHARE = 0.01;
const SERVICE_SHARE = 0.003;
const OTHER_SHARE = 0.0001;

const by = (who: AuditActivity['initiator']) => {
  const list = AUDIT_ACTIVITIES.filter((a) => a.initiator === who);
  return { list, table: new AliasTable(list.map((a) => a.weight)) };
};
const ADMIN = by('admin');
const SELF = by('self');
const APP = by('app');
const DEPARTMENTS = ['Engineering', 'Finance', 'Sales', 'Marketing', 'Customer Support', 'Data', 'IT'];
const TITLES = ['Software Engineer', 'Senior Software Engineer', 'Financial Analyst', 'Account Executive', 'Support Engineer', 'Data Engineer'];
const SERVICES: readonly { name: string; id: string }[] = [
  { name: 'Device Registration Service', id: '01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9' },
  { name: 'Managed Service Identity', id: 'ef5d5c69-a5df-46bb-acaf-426f161a21a2' },
  { name: 'Microsoft Intune', id: '0000000a-0000-0000-c000-000000000000' },
];

/** Every value template of the catalog split into [text, key, text, key, …, text], once, at load. */
const TEMPLATES: ReadonlyMap<string, readonly string[]> = new Map(
  AUDIT_ACTIVITIES.flatMap((a) => a.modified.flatMap((m) => [m.oldValue, m.newValue])).flatMap((t) => (t === null ? [] : [[t, t.split(/\{(\w+)\}/)] as const])),
);

function compiled(text: string): readonly string[] {
  return TEMPLATES.get(text) ?? [text];
}

export class EntraAuditShard implements ShardSource {
  private readonly rng: Rng;
  private readonly clock = new TickClock();

  constructor(
    private readonly runtime: EntraRuntime,
    private readonly shard: ShardContext,
  ) {
    this.rng = new Rng(shard.seed, `shard/${shard.shard}/entra_audit`);
  }

  private person(local: number): EntraPerson {
    return this.runtime.person(this.shard.actorIndexes[local], this.shard.actors[local]);
  }

  private fill(text: string, values: (key: string) => string): string {
    const parts = compiled(text);
    if (parts.length === 1) return parts[0];
    let s = parts[0];
    for (let i = 1; i < parts.length; i += 2) s += (parts[i] === 'guid' ? guid(this.rng) : values(parts[i])) + parts[i + 1];
    return s;
  }

  private target(kind: AuditTarget, values: (key: string) => string, subject: EntraPerson, activity: AuditActivity | null): string {
    const rng = this.rng;
    const modified = activity
      ? `[${activity.modified.map((m) => `{"displayName":"${m.displayName}","oldValue":${m.oldValue === null ? 'null' : JSON.stringify(this.fill(m.oldValue, values))},"newValue":${m.newValue === null ? 'null' : JSON.stringify(this.fill(m.newValue, values))}}`).join(',')}]`
      : '[]';
    switch (kind) {
      case 'user':
        return `{"id":"${subject.actor.entra_object_id}","displayName":null,"type":"User","userPrincipalName":${subject.upnJson},"modifiedProperties":${modified},"administrativeUnits":[]}`;
      case 'group':
        return `{"id":"${values('groupId')}","displayName":${JSON.stringify(values('group'))},"type":"Group","modifiedProperties":${modified},"groupType":"unifiedGroups"}`;
      case 'role':
        return `{"id":"${guid(rng)}","displayName":${JSON.stringify(values('role'))},"type":"Role","modifiedProperties":${modified}}`;
      case 'device':
        return `{"id":"${guid(rng)}","displayName":${JSON.stringify(values('device'))},"type":"Device","modifiedProperties":${modified}}`;
      case 'policy':
        return `{"id":"${this.runtime.tenant.policyIds[0]}","displayName":"Require MFA for all users","type":"Policy","modifiedProperties":${modified}}`;
      default:
        return `{"id":"${subject.appId}","displayName":${subject.nameJson},"type":"${kind === 'application' ? 'Application' : 'ServicePrincipal'}","modifiedProperties":${modified}}`;
    }
  }

  private write(local: number, activity: AuditActivity, timeMs: number, out: RecordOut): void {
    const rng = this.rng;
    const actor = this.person(local);
    const t = this.runtime.tenant;
    const time = this.clock.ticks(timeMs, rng);
    const correlation = guid(rng);
    // Whom it is about: an administrator acts on someone else; self-service acts on the person; apps on a service.
    const subject = activity.initiator === 'admin' ? this.runtime.randomPerson(rng) : activity.target === 'servicePrincipal' || activity.target === 'application' ? this.runtime.randomService(rng) : actor;
    const g = rng.int(GROUPS.length);
    // The values the activity's templates name, drawn in a fixed order whatever the activity uses.
    const department = DEPARTMENTS[rng.int(DEPARTMENTS.length)];
    const title = TITLES[rng.int(TITLES.length)];
    const role = DIRECTORY_ROLES[rng.int(DIRECTORY_ROLES.length)];
    const a = subject.actor;
    const values = (key: string): string => {
      switch (key) {
        case 'target':
          return subject.name;
        case 'upn':
          return subject.upn;
        case 'department':
          return department;
        case 'oldDepartment':
          return a.department ?? DEPARTMENTS[0];
        case 'title':
          return title;
        case 'oldTitle':
          return a.title ?? TITLES[0];
        case 'group':
          return GROUPS[g];
        case 'groupId':
          return t.groupIds[g];
        case 'role':
          return role;
        case 'device':
          return a.workstation_hostname ?? `DESKTOP-${subject.appId.slice(0, 7).toUpperCase()}`;
        case 'os':
          return a.workstation_os?.startsWith('Windows') ? 'Windows' : a.workstation_os?.startsWith('mac') ? 'MacMDM' : 'Linux';
        default:
          return '';
      }
    };
    const app = activity.initiator === 'app' ? SERVICES[activity.target === 'device' ? 0 : 1 + rng.int(2)] : null;
    const ip = app ? '' : (actor.addresses[rng.int(actor.addresses.length)] ?? '');
    const initiatedBy = app
      ? `{"app":{"appId":null,"displayName":"${app.name}","servicePrincipalId":"${app.id}","servicePrincipalName":null}}`
      : `{"user":{"id":"${actor.actor.entra_object_id}","displayName":null,"userPrincipalName":${actor.upnJson},"ipAddress":"${ip}","roles":[]}}`;
    const targets = [this.target(activity.target, values, subject, activity), ...(activity.second ? [this.target(activity.second, values, activity.second === 'user' ? this.runtime.randomPerson(rng) : subject, null)] : [])];
    const ua = app ? 'null' : actor.userAgentJson;
    const details = app
      ? `[{"key":"User-Agent","value":"Microsoft Azure Graph Client Library 2.1.17-internal"},{"key":"AppId","value":"${app.id}"}]`
      : `[{"key":"User-Agent","value":${actor.userAgentJson}}]`;
    const id = `Directory_${correlation}_${guid(rng).slice(0, 5).toUpperCase()}_${100_000_000 + rng.int(900_000_000)}`;
    out.w.text(
      `{"time":"${time}Z","resourceId":"/tenants/${t.id}/providers/Microsoft.aadiam","operationName":${JSON.stringify(activity.name)},"operationVersion":"1.0","category":"AuditLogs","tenantId":"${t.id}","resultSignature":"None","durationMs":0,"callerIpAddress":"${ip}","correlationId":"${correlation}","identity":${app ? `"${app.name}"` : actor.nameJson},"Level":4,` +
        `"properties":{"id":"${id}","category":"${activity.category}","correlationId":"${correlation}","result":"success","resultReason":"","activityDisplayName":${JSON.stringify(activity.name)},"activityDateTime":"${time}+00:00","loggedByService":"${activity.service}","operationType":"${activity.operationType}","userAgent":${ua},"initiatedBy":${initiatedBy},"targetResources":[${targets.join(',')}],"additionalDetails":${details}}}`,
    );
    out.commit(timeMs, actor.globalIndex);
  }

  private pick(local: number): AuditActivity {
    const rng = this.rng;
    const a = this.shard.actors[local];
    if (a.kind === 'service') return APP.list[APP.table.pick(rng)];
    if (a.role === 'admin' && rng.chance(0.8)) return ADMIN.list[ADMIN.table.pick(rng)];
    return SELF.list[SELF.table.pick(rng)];
  }

  startSession(): boolean {
    return false;
  }

  emit(local: number, timeMs: number, out: RecordOut): void {
    this.write(local, this.pick(local), timeMs, out);
  }

  shareActivity(local: number, timeMs: number, out: RecordOut): void {
    const a = this.shard.actors[local];
    if (this.rng.float() < (a.role === 'admin' ? ADMIN_SHARE : a.kind === 'service' ? SERVICE_SHARE : OTHER_SHARE)) this.emit(local, timeMs, out);
  }
}
