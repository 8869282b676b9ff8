/**
 * One shard of the Entra ID audit source: the directory's audit trail. Administrators change users, groups, licences,
 * roles, apps and policies; people change their own passwords, consent to apps and register devices; Microsoft's
 * services update devices and service principals. Records are Azure Monitor's diagnostic-settings envelope around
 * Graph's directoryAudit, with the targets' modified properties (old and new values as JSON text).
 */
import { AliasTable, Rng } from '../../util/rng.js';
import { jsonContent, jsonEscape, utf8, type ByteWriter } from '../../encode/byte-writer.js';
import type { RecordOut, ShardContext, ShardSource } from '../source.js';
import { AUDIT_ACTIVITIES, DIRECTORY_ROLES, GROUPS, type AuditActivity, type AuditTarget, type ModifiedProperty } from './data/audit.js';
import type { EntraPerson, EntraRuntime } from './runtime.js';
import { drawGuid, TickClock, writeGuid, writeGuidPrefixUpper } from './ids.js';

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
const DEPARTMENT_BYTES = DEPARTMENTS.map(jsonContent);
const TITLE_BYTES = TITLES.map(jsonContent);
const GROUP_BYTES = GROUPS.map(jsonContent);
const ROLE_BYTES = DIRECTORY_ROLES.map(jsonContent);
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

/** An activity's static text for one tenant, and its targets as a program of byte-writing steps. */
interface CompiledActivity {
  readonly envelope: Uint8Array;
  readonly category: Uint8Array;
  readonly activity: Uint8Array;
  readonly service: Uint8Array;
  readonly targets: readonly Step[];
  /** GUIDs the targets draw, in the order they are drawn; the first target's come first. */
  readonly guids: number;
  readonly firstGuids: number;
}

/**
 * One step of writing an activity's targets: static bytes; a value the writer picks (as JSON string content); the
 * n-th GUID drawn for the record; or a field of the record's subject (the first target) or of its second target.
 */
type Step =
  | { readonly op: 'bytes'; readonly bytes: Uint8Array }
  | { readonly op: 'value'; readonly key: string }
  | { readonly op: 'guid'; readonly index: number }
  | { readonly op: 'objectId' | 'upn' | 'name' | 'appId'; readonly second: boolean };

/** Compiles an activity's targets (and the modified properties' templates) to steps, once per shard and tenant. */
function compileTargets(activity: AuditActivity, policyId: string): { steps: Step[]; guids: number; firstGuids: number } {
  const steps: Step[] = [];
  let guids = 0;
  let text = '';
  const flush = () => {
    if (text) steps.push({ op: 'bytes', bytes: utf8(text) });
    text = '';
  };
  const add = (step: Step) => {
    flush();
    steps.push(step);
  };
  // A modified property's value is JSON text inside a JSON string: escaped once more, values included.
  const template = (t: string) => {
    const parts = t.split(/\{(\w+)\}/);
    text += jsonEscape(parts[0]);
    for (let i = 1; i < parts.length; i += 2) {
      add(parts[i] === 'guid' ? { op: 'guid', index: guids++ } : { op: 'value', key: parts[i] });
      text += jsonEscape(parts[i + 1]);
    }
  };
  const target = (kind: AuditTarget, second: boolean, modified: readonly ModifiedProperty[]) => {
    const mod = () => {
      text += '[';
      modified.forEach((m, i) => {
        text += `${i > 0 ? ',' : ''}{"displayName":"${m.displayName}","oldValue":`;
        if (m.oldValue === null) text += 'null';
        else {
          text += '"';
          template(m.oldValue);
          text += '"';
        }
        text += ',"newValue":';
        if (m.newValue === null) text += 'null';
        else {
          text += '"';
          template(m.newValue);
          text += '"';
        }
        text += '}';
      });
      text += ']';
    };
    switch (kind) {
      case 'user':
        text += '{"id":"';
        add({ op: 'objectId', second });
        text += '","displayName":null,"type":"User","userPrincipalName":';
        add({ op: 'upn', second });
        text += ',"modifiedProperties":';
        mod();
        text += ',"administrativeUnits":[]}';
        return;
      case 'group':
        text += '{"id":"';
        add({ op: 'value', key: 'groupId' });
        text += '","displayName":"';
        add({ op: 'value', key: 'group' });
        text += '","type":"Group","modifiedProperties":';
        mod();
        text += ',"groupType":"unifiedGroups","administrativeUnits":[]}';
        return;
      case 'role':
      case 'device': {
        // The object's own id is drawn after the modified properties' GUIDs.
        text += '{"id":"';
        flush();
        const at = steps.length;
        text += '","displayName":"';
        add({ op: 'value', key: kind });
        text += `","type":"${kind === 'role' ? 'Role' : 'Device'}","modifiedProperties":`;
        mod();
        text += ',"administrativeUnits":[]}';
        flush();
        steps.splice(at, 0, { op: 'guid', index: guids++ });
        return;
      }
      case 'policy':
        text += `{"id":"${policyId}","displayName":"Require MFA for all users","type":"Policy","modifiedProperties":`;
        mod();
        text += ',"administrativeUnits":[]}';
        return;
      default:
        text += '{"id":"';
        add({ op: 'appId', second });
        text += '","displayName":';
        add({ op: 'name', second });
        text += `,"type":"${kind === 'application' ? 'Application' : 'ServicePrincipal'}","modifiedProperties":`;
        mod();
        text += ',"administrativeUnits":[]}';
    }
  };
  target(activity.target, false, activity.modified);
  const firstGuids = guids;
  if (activity.second) {
    text += ',';
    target(activity.second, true, []);
  }
  flush();
  // The shard's reusable draw buffer holds the correlation id, the targets' GUIDs and the id's (16 GUIDs in all).
  if (guids > 14) throw new Error(`audit activity "${activity.name}" draws ${guids} GUIDs; at most 14 fit`);
  return { steps, guids, firstGuids };
}

export class EntraAuditShard implements ShardSource {
  private readonly rng: Rng;
  private readonly clock = new TickClock();
  private readonly compiledActivities = new Map<AuditActivity, CompiledActivity>();
  /** The GUIDs one record draws, four 32-bit values each (reused): the correlation id first, then the targets'. */
  private readonly guids = new Uint32Array(4 * 16);

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
      const { steps, guids, firstGuids } = compileTargets(activity, this.runtime.tenant.policyIds[0]);
      c = {
        envelope: utf8(`Z","resourceId":"/tenants/${t}/providers/Microsoft.aadiam","operationName":${name},"operationVersion":"1.0","category":"AuditLogs","tenantId":"${t}","resultSignature":"None","durationMs":0,"callerIpAddress":"`),
        category: utf8(`","category":"${activity.category}","correlationId":"`),
        activity: utf8(`","result":"success","resultReason":"","activityDisplayName":${name},"activityDateTime":"`),
        service: utf8(`+00:00","loggedByService":"${activity.service}","operationType":"${activity.operationType}","userAgent":`),
        targets: steps,
        guids,
        firstGuids,
      };
      this.compiledActivities.set(activity, c);
    }
    return c;
  }

  private person(local: number): EntraPerson {
    return this.runtime.person(this.shard.actorIndexes[local], this.shard.actors[local]);
  }

  private write(local: number, activity: AuditActivity, timeMs: number, out: RecordOut): void {
    const rng = this.rng;
    const actor = this.person(local);
    const fraction = this.clock.fraction(timeMs, rng);
    const guids = this.guids;
    // The correlation id: drawn here, written once and copied where the record repeats it.
    drawGuid(rng, guids, 0);
    // Whom it is about: an administrator acts on someone else; self-service acts on the person; apps on a service.
    const subject = activity.initiator === 'admin' ? this.runtime.randomPerson(rng) : activity.target === 'servicePrincipal' || activity.target === 'application' ? this.runtime.randomService(rng) : actor;
    const g = rng.int(GROUPS.length);
    // The values the activity's templates name, drawn in a fixed order whatever the activity uses.
    const department = rng.int(DEPARTMENTS.length);
    const title = rng.int(TITLES.length);
    const role = rng.int(DIRECTORY_ROLES.length);
    const app = activity.initiator === 'app' ? SERVICES[activity.target === 'device' ? 0 : 1 + rng.int(2)] : null;
    const ip = app ? '' : (actor.addresses[rng.int(actor.addresses.length)] ?? '');
    const c = this.compiled(activity);
    for (let i = 0; i < c.firstGuids; i++) drawGuid(rng, guids, 4 + 4 * i);
    const second = activity.second === 'user' ? this.runtime.randomPerson(rng) : subject;
    for (let i = c.firstGuids; i < c.guids; i++) drawGuid(rng, guids, 4 + 4 * i);
    // The id's middle part: the first five hex digits of a further GUID, upper case.
    const idGuid = 4 + 4 * c.guids;
    drawGuid(rng, guids, idGuid);
    const idNumber = 100_000_000 + rng.int(900_000_000);
    // Static text pre-encoded per activity and tenant; the actor's blocks once per actor; ids and times in place.
    const w = out.w;
    w.bytes(TIME_OPEN);
    const timeAt = w.pos;
    this.clock.write(w, fraction);
    const timeEnd = w.pos;
    w.bytes(c.envelope);
    w.ascii(ip);
    w.bytes(CORRELATION);
    const correlationAt = w.pos;
    writeGuid(w, guids, 0);
    w.bytes(IDENTITY);
    w.bytes(app ? app.identity : actor.nameBytes);
    w.bytes(PROPERTIES);
    w.range(w.buf, correlationAt, correlationAt + 36);
    w.byte(95);
    writeGuidPrefixUpper(w, guids, idGuid, 5);
    w.byte(95);
    w.uint(idNumber);
    w.bytes(c.category);
    w.range(w.buf, correlationAt, correlationAt + 36);
    w.bytes(c.activity);
    w.range(w.buf, timeAt, timeEnd);
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
    for (const step of c.targets) {
      switch (step.op) {
        case 'bytes':
          w.bytes(step.bytes);
          break;
        case 'guid':
          writeGuid(w, guids, 4 + 4 * step.index);
          break;
        case 'value':
          this.value(w, step.key, subject, g, department, title, role);
          break;
        case 'objectId':
          w.ascii((step.second ? second : subject).actor.entra_object_id);
          break;
        case 'upn':
          w.bytes((step.second ? second : subject).upnBytes);
          break;
        case 'name':
          w.bytes((step.second ? second : subject).nameBytes);
          break;
        case 'appId':
          w.ascii((step.second ? second : subject).appId);
          break;
      }
    }
    w.bytes(DETAILS_OPEN);
    if (app) w.bytes(app.details);
    else {
      w.bytes(UA_DETAIL_OPEN);
      w.bytes(actor.userAgentBytes);
      w.bytes(UA_DETAIL_CLOSE);
    }
    out.commit(timeMs, actor.globalIndex);
  }

  /** A value a template names, as JSON string content (the catalog's lists pre-encoded). */
  private value(w: ByteWriter, key: string, subject: EntraPerson, g: number, department: number, title: number, role: number): void {
    const a = subject.actor;
    switch (key) {
      case 'target':
        return w.range(subject.nameBytes, 1, subject.nameBytes.length - 1);
      case 'upn':
        return w.range(subject.upnBytes, 1, subject.upnBytes.length - 1);
      case 'department':
        return w.bytes(DEPARTMENT_BYTES[department]);
      case 'title':
        return w.bytes(TITLE_BYTES[title]);
      case 'group':
        return w.bytes(GROUP_BYTES[g]);
      case 'groupId':
        return w.ascii(this.runtime.tenant.groupIds[g]);
      case 'role':
        return w.bytes(ROLE_BYTES[role]);
      case 'oldDepartment':
        return w.text(jsonEscape(a.department ?? DEPARTMENTS[0]));
      case 'oldTitle':
        return w.text(jsonEscape(a.title ?? TITLES[0]));
      case 'device':
        return w.text(jsonEscape(a.workstation_hostname ?? `DESKTOP-${subject.appId.slice(0, 7).toUpperCase()}`));
      case 'os':
        return w.ascii(a.workstation_os?.startsWith('Windows') ? 'Windows' : a.workstation_os?.startsWith('mac') ? 'MacMDM' : 'Linux');
    }
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
