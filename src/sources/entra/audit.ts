/**
 * One shard of the Entra ID audit source: the directory's audit trail. Administrators change users, groups, licences,
 * roles, apps and policies; people change their own passwords, consent to apps and register devices; Microsoft's
 * services update devices and service principals. Records are Azure Monitor's diagnostic-settings envelope around
 * Graph's directoryAudit, with the targets' modified properties (old and new values as JSON text).
 */
import { AliasTable, Rng } from '../../util/rng.js';
import { utf8 } from '../../encode/byte-writer.js';
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
/** Microsoft's services that change the directory, with their blocks pre-encoded. */
const SERVICES = [
  { name: 'Device Registration Service', id: '01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9' },
  { name: 'Managed Service Identity', id: 'ef5d5c69-a5df-46bb-acaf-426f161a21a2' },
  { name: 'Microsoft Intune', id: '0000000a-0000-0000-c000-000000000000' },
].map((s) => ({
  ...s,
  identity: utf8(JSON.stringify(s.name)),
  initiatedBy: utf8(`,"initiatedBy":{"app":{"appId":null,"displayName":"${s.name}","servicePrincipalId":"${s.id}","servicePrincipalName":null}}`),
  details: utf8(`[{"key":"User-Agent","value":"Microsoft Azure Graph Client Library 2.1.17-internal"},{"key":"AppId","value":"${s.id}"}]}}`),
}));
const TIME_OPEN = utf8('{"time":"');
const CORRELATION = utf8('","correlationId":"');
const IDENTITY = utf8('","identity":');
const PROPERTIES = utf8(',"Level":4,"properties":{"id":"Directory_');
const NULL_BYTES = utf8('null');
const USER_OPEN = utf8(',"initiatedBy":{"user":{"id":"');
const USER_UPN = utf8('","displayName":null,"userPrincipalName":');
const USER_IP = utf8(',"ipAddress":"');
const USER_CLOSE = utf8('","roles":[]}}');
const TARGETS_OPEN = utf8(',"targetResources":[');
const DETAILS_OPEN = utf8('],"additionalDetails":');
const UA_DETAIL_OPEN = utf8('[{"key":"User-Agent","value":');
const UA_DETAIL_CLOSE = utf8('}]}}');

/** An activity's static text for one tenant. */
interface CompiledActivity {
  readonly envelope: Uint8Array;
  readonly category: Uint8Array;
  readonly activity: Uint8Array;
  readonly service: Uint8Array;
}

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
  private readonly compiledActivities = new Map<AuditActivity, CompiledActivity>();

  constructor(
    private readonly runtime: EntraRuntime,
    private readonly shard: ShardContext,
  ) {
    this.rng = new Rng(shard.seed, `shard/${shard.shard}/entra_audit`);
  }

  private compiled(activity: AuditActivity): CompiledActivity {
    let c = this.compiledActivities.get(activity);
    if (!c) {
      const t = this.runtime.tenant.id;
      const name = JSON.stringify(activity.name);
      c = {
        envelope: utf8(`Z","resourceId":"/tenants/${t}/providers/Microsoft.aadiam","operationName":${name},"operationVersion":"1.0","category":"AuditLogs","tenantId":"${t}","resultSignature":"None","durationMs":0,"callerIpAddress":"`),
        category: utf8(`","category":"${activity.category}","correlationId":"`),
        activity: utf8(`","result":"success","resultReason":"","activityDisplayName":${name},"activityDateTime":"`),
        service: utf8(`+00:00","loggedByService":"${activity.service}","operationType":"${activity.operationType}","userAgent":`),
      };
      this.compiledActivities.set(activity, c);
    }
    return c;
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
    const targets = this.target(activity.target, values, subject, activity) + (activity.second ? ',' + this.target(activity.second, values, activity.second === 'user' ? this.runtime.randomPerson(rng) : subject, null) : '');
    const idPart = guid(rng).slice(0, 5).toUpperCase();
    const idNumber = 100_000_000 + rng.int(900_000_000);
    // Static text pre-encoded per activity and tenant; the actor's blocks once per actor; ids and times in place.
    const c = this.compiled(activity);
    const w = out.w;
    w.bytes(TIME_OPEN);
    w.ascii(time);
    w.bytes(c.envelope);
    w.ascii(ip);
    w.bytes(CORRELATION);
    w.ascii(correlation);
    w.bytes(IDENTITY);
    w.bytes(app ? app.identity : actor.nameBytes);
    w.bytes(PROPERTIES);
    w.ascii(correlation);
    w.byte(95);
    w.ascii(idPart);
    w.byte(95);
    w.uint(idNumber);
    w.bytes(c.category);
    w.ascii(correlation);
    w.bytes(c.activity);
    w.ascii(time);
    w.bytes(c.service);
    w.bytes(app ? NULL_BYTES : actor.userAgentBytes);
    if (app) w.bytes(app.initiatedBy);
    else {
      w.bytes(USER_OPEN);
      w.ascii(actor.actor.entra_object_id);
      w.bytes(USER_UPN);
      w.bytes(actor.upnBytes);
      w.bytes(USER_IP);
      w.ascii(ip);
      w.bytes(USER_CLOSE);
    }
    w.bytes(TARGETS_OPEN);
    w.text(targets);
    w.bytes(DETAILS_OPEN);
    if (app) w.bytes(app.details);
    else {
      w.bytes(UA_DETAIL_OPEN);
      w.bytes(actor.userAgentBytes);
      w.bytes(UA_DETAIL_CLOSE);
    }
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
