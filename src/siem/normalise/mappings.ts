/**
 * Where each source's records keep the normalised fields: the SIEM's per-source knowledge, as data. A source is
 * named as the generator names it (`seclog-<source>` topics, `<dir>/<source>/` folders). A source without a mapping
 * is still stored: its JSON or text kept whole, its id a hash of the text, its time the time it arrived.
 *
 * The ids are the ones the generator's labels use (`labels.jsonl`): the vendor's own where the generator's
 * `recordId` takes it (CloudTrail eventID, Okta uuid, Entra properties.id, a pack's `record_id`), else recordHash.
 */
import type { SourceMapping } from './types.js';

const WINLOGBEAT_LEVEL = { information: 'info', verbose: 'info', warning: 'medium', error: 'high', critical: 'critical' } as const;

/** Winlogbeat's ECS shape (Windows Security and Sysmon): the same fields, the process routes differ. */
function winlogbeat(processCodes: readonly string[]): SourceMapping {
  return {
    format: 'json',
    // The event log's record number counts per computer: the packs' record_id, `<computer>:<record number>`.
    id: ['winlog.computer_name', 'winlog.record_id'],
    time: { path: '@timestamp', format: 'iso' },
    fields: {
      event_type: 'event.code',
      outcome: 'event.outcome',
      actor: ['user.name', 'winlog.event_data.SubjectUserName'],
      target: ['winlog.event_data.TargetUserName', 'file.path', 'process.executable'],
      host: 'host.name',
      user: ['user.name', 'winlog.event_data.TargetUserName'],
      ip: ['source.ip'],
      session_id: ['winlog.logon.id', 'winlog.event_data.TargetLogonId'],
    },
    outcome: { path: 'event.outcome', success: ['success'], failure: ['failure'] },
    severity: { path: 'log.level', map: WINLOGBEAT_LEVEL },
    routes: [
      {
        when: { path: 'event.code', equals: processCodes },
        table: 'process_logs',
        process: {
          pid: 'process.pid',
          ppid: 'process.parent.pid',
          name: 'process.name',
          executable: 'process.executable',
          command_line: 'process.command_line',
          parent_name: ['process.parent.name', 'process.parent.executable'],
          user: 'user.name',
        },
      },
    ],
  };
}

const AUDIT_LINE = '^node=(?<host>\\S+) type=(?<type>\\S+) msg=audit\\((?<time>\\d+\\.\\d+):(?<serial>\\d+)\\): ?(?<body>.*)$';
const SYSLOG_LINE = '^(?<time>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d|\\d{4}-\\d\\d-\\d\\dT[\\d:.]+(?:Z|[+-]\\d\\d:\\d\\d)) (?<host>\\S+) (?<program>[^\\s\\[:]+)(?:\\[(?<pid>\\d+)\\])?: (?<message>.*)$';
const CLF_LINE =
  '^(?<ip>\\S+) \\S+ (?<remote_user>\\S+) \\[(?<time>[^\\]]+)\\] "(?<method>[A-Z]+) (?<path>\\S+)[^"]*" (?<status>\\d{3}) (?<bytes>\\d+|-)(?: "(?<referer>[^"]*)" "(?<agent>[^"]*)")?';

export const MAPPINGS: Readonly<Record<string, SourceMapping>> = {
  cloudtrail: {
    format: 'json',
    batch: 'Records',
    id: ['eventID'],
    time: { path: 'eventTime', format: 'iso' },
    fields: {
      event_type: 'eventName',
      actor: ['userIdentity.arn', 'userIdentity.invokedBy'],
      target: ['resources.0.ARN', 'requestParameters.bucketName', 'requestParameters.userName', 'requestParameters.roleName'],
      user: ['userIdentity.userName', 'userIdentity.sessionContext.sessionIssuer.userName', 'additionalEventData.UserName'],
      ip: 'sourceIPAddress',
      user_agent: 'userAgent',
      session_id: 'userIdentity.accessKeyId',
      tenant_id: 'recipientAccountId',
    },
    outcome: { path: 'errorCode', missing: 'success', other: 'failure' },
  },
  okta: {
    format: 'json',
    id: ['uuid'],
    time: { path: 'published', format: 'iso' },
    fields: {
      event_type: 'eventType',
      actor: 'actor.alternateId',
      target: ['target.0.alternateId', 'target.0.displayName'],
      user: 'actor.alternateId',
      ip: 'client.ipAddress',
      user_agent: 'client.userAgent.rawUserAgent',
      session_id: 'authenticationContext.externalSessionId',
    },
    outcome: { path: 'outcome.result', success: ['SUCCESS', 'ALLOW'], failure: ['FAILURE', 'DENY'] },
    severity: { path: 'severity', map: { DEBUG: 'info', INFO: 'info', WARN: 'medium', ERROR: 'high' } },
  },
  entra_signin: {
    format: 'json',
    batch: 'records',
    id: ['properties.id'],
    time: { path: 'time', format: 'iso' },
    fields: {
      event_type: ['properties.appDisplayName', 'operationName'],
      actor: 'properties.userPrincipalName',
      target: 'properties.resourceDisplayName',
      user: 'properties.userPrincipalName',
      ip: ['properties.ipAddress', 'callerIpAddress'],
      user_agent: 'properties.userAgent',
      session_id: ['properties.sessionId', 'correlationId'],
      tenant_id: 'tenantId',
      host: 'properties.deviceDetail.displayName',
    },
    outcome: { path: 'resultType', success: ['0'], other: 'failure' },
  },
  entra_audit: {
    format: 'json',
    batch: 'records',
    id: ['properties.id'],
    time: { path: 'time', format: 'iso' },
    fields: {
      event_type: 'operationName',
      actor: ['properties.initiatedBy.user.userPrincipalName', 'properties.initiatedBy.app.displayName'],
      target: ['properties.targetResources.0.userPrincipalName', 'properties.targetResources.0.displayName'],
      user: 'properties.initiatedBy.user.userPrincipalName',
      ip: ['callerIpAddress', 'properties.initiatedBy.user.ipAddress'],
      user_agent: 'properties.userAgent',
      session_id: 'correlationId',
      tenant_id: 'tenantId',
    },
    outcome: { path: 'properties.result', success: ['success'], other: 'failure' },
  },
  'windows-security': winlogbeat(['4688']),
  sysmon: winlogbeat(['1']),
  'ecs-alerts': {
    format: 'json',
    id: ['event.id'],
    time: { path: '@timestamp', format: 'iso' },
    fields: {
      event_type: ['rule.name', 'event.action'],
      outcome: 'event.outcome',
      actor: ['user.name', 'source.ip'],
      target: ['destination.ip', 'url.full', 'file.path'],
      host: ['host.name', 'host.hostname'],
      user: 'user.name',
      ip: 'source.ip',
      user_agent: 'user_agent.original',
    },
    outcome: { path: 'event.outcome', success: ['success'], failure: ['failure'] },
    severity: { path: 'event.risk_score', bands: [[0, 'low'], [22, 'medium'], [48, 'high'], [74, 'critical']] },
  },
  'host-metrics': {
    format: 'json',
    time: { path: '@timestamp', format: 'iso' },
    fields: { event_type: 'event.dataset', host: ['host.name', 'host.hostname'], user: 'user.name' },
    routes: [
      {
        when: { path: 'metricset.name', equals: ['process'] },
        table: 'process_logs',
        process: { pid: 'process.pid', ppid: 'process.parent.pid', name: 'process.name', executable: 'process.executable', command_line: 'process.command_line', user: 'user.name' },
      },
      {
        when: { path: 'metricset.name' },
        table: 'host_metrics',
        metric: { metricset: 'metricset.name', cpu_pct: ['host.cpu.usage', 'system.cpu.total.norm.pct'], memory_pct: 'system.memory.actual.used.pct' },
      },
    ],
  },
  'linux-auditd': {
    format: 'text',
    text: { line: AUDIT_LINE, kv: 'body', derive: [{ name: 'args', from: 'auditd_args' }, { name: 'exe_name', from: 'basename', path: 'kv.a0' }] },
    // The pack's record_id: node, type, serial and (PATH records) item.
    id: ['host', 'type', 'serial', 'kv.item'],
    time: { path: 'time', format: 'epoch' },
    fields: {
      event_type: 'type',
      actor: ['kv.acct', 'kv.auid'],
      user: ['kv.acct', 'kv.auid'],
      host: 'host',
      ip: 'kv.addr',
      target: ['kv.exe', 'kv.name', 'kv.unit'],
      session_id: 'kv.ses',
    },
    outcome: { path: 'kv.res', success: ['success', 'yes'], failure: ['failed', 'no'] },
    routes: [{ when: { path: 'type', equals: ['EXECVE'] }, table: 'process_logs', process: { name: 'exe_name', executable: 'kv.a0', command_line: 'args' } }],
  },
  'linux-auth': {
    format: 'text',
    text: {
      line: SYSLOG_LINE,
      messages: [
        { match: '^Failed (?:password|publickey) for (?:invalid user )?(?<user>\\S+) from (?<ip>\\S+)', event: 'ssh_failed', outcome: 'failure' },
        { match: '^Accepted (?:password|publickey|keyboard-interactive/pam) for (?<user>\\S+) from (?<ip>\\S+)', event: 'ssh_accepted', outcome: 'success' },
        { match: '^Invalid user (?<user>\\S+) from (?<ip>\\S+)', event: 'ssh_invalid_user', outcome: 'failure' },
        { match: 'authentication failure;.*?rhost=(?<ip>\\S*)\\s+user=(?<user>\\S+)', event: 'pam_auth_failure', outcome: 'failure' },
        { match: '^pam_unix\\([^:]+:session\\): session opened for user (?<user>[^\\s(]+)', event: 'session_opened', outcome: 'success' },
        { match: '^pam_unix\\([^:]+:session\\): session closed for user (?<user>\\S+)', event: 'session_closed', outcome: 'success' },
        { match: '^ *(?<user>\\S+) : .*COMMAND=(?<command>.*)$', event: 'sudo_command', outcome: 'success' },
        { match: '^Disconnected from (?:user (?<user>\\S+) )?(?<ip>[\\d.:a-f]+)', event: 'ssh_disconnected', outcome: 'success' },
        { match: '^Received disconnect from (?<ip>\\S+)', event: 'ssh_disconnected', outcome: 'success' },
      ],
    },
    time: { path: 'time', format: 'syslog' },
    fields: { event_type: ['event', 'program'], actor: 'user', user: 'user', host: 'host', ip: 'ip', target: 'command' },
  },
  'nginx-access': {
    format: 'text',
    text: { line: CLF_LINE },
    time: { path: 'time', format: 'clf' },
    fields: { event_type: 'method', target: 'path', ip: 'ip', user_agent: 'agent', user: 'remote_user' },
    outcome: { path: 'status', success: ['200', '201', '204', '206', '301', '302', '303', '304', '307', '308'], other: 'failure' },
  },
};
