/**
 * Which seclog source each Sigma logsource reads, and where a rule's field names land in that source's records: the
 * SIEM's vendor knowledge for Sigma, as data (the compiler in sigma/ and the detector read it; nothing here runs).
 *
 * Where the records come from, and so what the paths are:
 * - JSON sources (cloudtrail, okta, entra_signin, entra_audit, sysmon, windows-security) are matched as parsed
 *   objects: a path is dotted JSON (`userIdentity.type`); an array on the way is searched element by element
 *   (`properties.targetResources.modifiedProperties.displayName`). CloudTrail `Records` and Event Hub `records`
 *   batches are split into single records before rules see them (normalise/mappings.ts `batch`).
 * - Text sources (linux-auditd, linux-auth, nginx-access) are matched as the named parts normalise/mappings.ts parses
 *   them into: the line regex's groups (`type`, `host`, `program`, `message`, `method`, `path`, …), auditd's
 *   `key=value` pairs as `kv.<key>` (those inside `msg='…'` too), the matched message's groups (`event`, `user`, `ip`,
 *   `command`) and the derived parts (`args`, `exe_name`).
 * - Sysmon and Windows Security are Winlogbeat 8 documents after its ingest pipelines: the ECS fields (process.*,
 *   file.*, registry.*, dns.*, source/destination.*) hold what the pipeline moved out of `winlog.event_data`, and only
 *   the rest stays there. So every Sigma field the pipeline moves is listed per category (the names follow pySigma's
 *   `ecs_windows` pipeline for Winlogbeat, checked against our records), and `winlog.event_data.` is the fallback
 *   prefix for the fields it leaves in place (GrantedAccess, TargetImage, LogonType, ServiceName, …).
 *
 * A field a rule names that our records never carry resolves to nothing (the rule's selection cannot match); the
 * content test (test/sigma-content.test.ts) lists those, each with its reason, in KNOWN_ABSENT.
 */
import type { LogsourceMapping } from './types.js';

/** Fields every Winlogbeat document carries, whatever the event. */
const WINLOG_COMMON = {
  EventID: 'winlog.event_id',
  Channel: 'winlog.channel',
  Provider_Name: 'winlog.provider_name',
  Computer: 'winlog.computer_name',
  ComputerName: 'winlog.computer_name',
} as const;

/** The acting process of a Sysmon event (Image, ProcessId, ProcessGuid) and its user, where the pipeline puts them. */
const SYSMON_PROCESS = {
  ...WINLOG_COMMON,
  Image: 'process.executable',
  ProcessId: 'process.pid',
  ProcessGuid: 'process.entity_id',
  // Sysmon writes `DOMAIN\name`; Winlogbeat splits it into user.domain and user.name: joined again, so rules that
  // compare the whole (`User|contains: AUTHORI`, `User: 'NT AUTHORITY\SYSTEM'`) see what Sysmon wrote.
  User: { join: ['user.domain', 'user.name'], with: '\\' },
} as const;

const WINDOWS_PREFIXES = ['winlog.event_data.'] as const;

/** Sysmon process creation (event 1): the winlogbeat sysmon pipeline's process.* and process.parent.* fields. */
const SYSMON_PROCESS_CREATION = {
  ...SYSMON_PROCESS,
  CommandLine: 'process.command_line',
  CurrentDirectory: 'process.working_directory',
  ParentImage: 'process.parent.executable',
  ParentCommandLine: 'process.parent.command_line',
  ParentProcessId: 'process.parent.pid',
  ParentProcessGuid: 'process.parent.entity_id',
  OriginalFileName: 'process.pe.original_file_name',
  Description: ['process.pe.description', 'winlog.event_data.Description'],
  Product: ['process.pe.product', 'winlog.event_data.Product'],
  Company: ['process.pe.company', 'winlog.event_data.Company'],
  FileVersion: ['process.pe.file_version', 'winlog.event_data.FileVersion'],
} as const;

export const LOGSOURCES: readonly LogsourceMapping[] = [
  // AWS CloudTrail: SigmaHQ's cloudtrail rules name CloudTrail's own JSON paths (eventName, eventSource,
  // userIdentity.type, requestParameters.*, responseElements.*, additionalEventData.MFAUsed, errorCode, …), which are
  // ours (records as CloudTrail delivers them, one per rule evaluation).
  { match: { product: 'aws', service: 'cloudtrail' }, source: 'cloudtrail', selective: ['eventName'] },

  // Okta System Log: current SigmaHQ okta rules use the System Log's own names (eventType, displayMessage,
  // outcome.result, securityContext.isProxy, debugContext.debugData.*, target.displayName — target is an array);
  // older rules and many forks spell them lowercase (eventtype, displaymessage, …): both land on the API's paths.
  {
    match: { product: 'okta', service: 'okta' },
    source: 'okta',
    fields: {
      eventtype: 'eventType',
      displaymessage: 'displayMessage',
      legacyeventtype: 'legacyEventType',
      severity: 'severity',
      'outcome.reason': 'outcome.reason',
      'outcome.result': 'outcome.result',
      'actor.alternateid': 'actor.alternateId',
      'actor.displayname': 'actor.displayName',
      'client.ipaddress': 'client.ipAddress',
      'client.useragent.rawuseragent': 'client.userAgent.rawUserAgent',
      'securitycontext.isproxy': 'securityContext.isProxy',
      'target.displayname': 'target.displayName',
      'target.alternateid': 'target.alternateId',
    },
  },

  // Microsoft Entra ID sign-in logs (Azure Monitor diagnostic export via Event Hub: top-level resultType,
  // resultDescription, callerIpAddress, the sign-in itself under properties.*). SigmaHQ's azure signinlogs rules are
  // written against Sentinel's SigninLogs table (ResultType, Status, AuthenticationRequirement, DeviceDetail, …):
  // each name below is that column's place in the diagnostic record.
  {
    match: { product: 'azure', service: 'signinlogs' },
    source: 'entra_signin',
    fields: {
      ResultType: 'resultType',
      ResultDescription: ['resultDescription', 'properties.status.failureReason'],
      Resultdescription: ['resultDescription', 'properties.status.failureReason'],
      // Sentinel's Status is the {errorCode, failureReason, additionalDetails} object; rules `contains` its text
      // ('MFA Denied' lives in additionalDetails on real records).
      Status: ['properties.status.additionalDetails', 'properties.status.failureReason'],
      AuthenticationRequirement: 'properties.authenticationRequirement',
      AppDisplayName: 'properties.appDisplayName',
      ResourceDisplayName: 'properties.resourceDisplayName',
      UserPrincipalName: 'properties.userPrincipalName',
      Username: 'properties.userPrincipalName',
      ClientApp: 'properties.clientAppUsed',
      ClientAppUsed: 'properties.clientAppUsed',
      IPAddress: ['properties.ipAddress', 'callerIpAddress'],
      userAgent: 'properties.userAgent',
      UserAgent: 'properties.userAgent',
      conditionalAccessStatus: 'properties.conditionalAccessStatus',
      ConditionalAccessStatus: 'properties.conditionalAccessStatus',
      RiskState: 'properties.riskState',
      RiskLevelDuringSignIn: 'properties.riskLevelDuringSignIn',
      RiskEventTypes: 'properties.riskEventTypes_v2',
      NetworkLocationDetails: 'properties.networkLocationDetails',
      'DeviceDetail.deviceId': 'properties.deviceDetail.deviceId',
      'DeviceDetail.isCompliant': 'properties.deviceDetail.isCompliant',
      'DeviceDetail.isManaged': 'properties.deviceDetail.isManaged',
      'DeviceDetail.trusttype': 'properties.deviceDetail.trustType',
      'DeviceDetail.trustType': 'properties.deviceDetail.trustType',
      // The Activity-log style `properties.message` of the app-flow rules (ROPC, device code): the sign-in's
      // authentication protocol (`ropc`, `deviceCode`) is where Entra records the flow.
      'properties.message': 'properties.authenticationProtocol',
    },
  },

  // Microsoft Entra ID audit logs (diagnostic export: operationName at the top, the activity under properties.*).
  // SigmaHQ's azure auditlogs rules mix Sentinel's AuditLogs columns (OperationName, Category, LoggedByService,
  // TargetResources, InitiatedBy) and the Activity-log `properties.message` (the activity's display name).
  {
    match: { product: 'azure', service: 'auditlogs' },
    source: 'entra_audit',
    fields: {
      OperationName: 'operationName',
      operationName: 'operationName',
      ActivityDisplayName: 'properties.activityDisplayName',
      ActivityType: 'properties.activityDisplayName',
      'properties.message': ['properties.activityDisplayName', 'operationName'],
      Category: 'properties.category',
      LoggedByService: 'properties.loggedByService',
      Status: 'properties.result',
      Result: 'properties.result',
      'properties.result': 'properties.result',
      OperationType: 'properties.operationType',
      InitiatedBy: 'properties.initiatedBy.user.userPrincipalName',
      Initiatedby: 'properties.initiatedBy.user.userPrincipalName',
      Target: 'properties.targetResources.userPrincipalName',
      TargetResources: 'properties.targetResources',
      'properties.targetResources': 'properties.targetResources',
      'TargetResources.type': 'properties.targetResources.type',
      'targetResources.type': 'properties.targetResources.type',
      'TargetResources.ModifiedProperties.DisplayName': 'properties.targetResources.modifiedProperties.displayName',
      'TargetResources.ModifiedProperties.NewValue': 'properties.targetResources.modifiedProperties.newValue',
      'TargetResources.modifiedProperties': 'properties.targetResources.modifiedProperties',
      'TargetResources.modifiedProperties.newValue': 'properties.targetResources.modifiedProperties.newValue',
    },
  },

  // Windows Security channel (Winlogbeat `security` module). EventID and the envelope from winlog.*; the event's own
  // data stays in winlog.event_data.* except what the security pipeline moves to ECS: IpAddress and IpPort of
  // 4624/4625/4648 go to source.ip and source.port (removed from event_data unless `-`: see the reference records in
  // test/fixtures/reference/windows/security.jsonl); ProcessName/NewProcessName/ParentProcessName to process.*.
  {
    match: { product: 'windows', service: 'security' },
    source: 'windows-security',
    conditions: { Channel: ['Security'] },
    fields: {
      ...WINLOG_COMMON,
      NewProcessName: 'process.executable',
      ProcessName: ['process.executable', 'winlog.event_data.ProcessName'],
      ParentProcessName: 'process.parent.executable',
      NewProcessId: ['winlog.event_data.NewProcessId', 'process.pid'],
      CommandLine: ['winlog.event_data.CommandLine', 'process.command_line'],
      FailureReason: ['winlog.event_data.FailureReason', 'winlog.logon.failure.reason'],
      IpAddress: ['winlog.event_data.IpAddress', 'source.ip'],
      IpPort: ['winlog.event_data.IpPort', 'source.port'],
    },
    prefixes: WINDOWS_PREFIXES,
  },

  // Windows System channel: the windows-security pack also writes the Service Control Manager's 7045 (a service was
  // installed) with channel System; SigmaHQ's `service: system` rules read it from there.
  {
    match: { product: 'windows', service: 'system' },
    source: 'windows-security',
    conditions: { Channel: ['System'] },
    fields: { ...WINLOG_COMMON },
    prefixes: WINDOWS_PREFIXES,
  },

  // Sysmon channel as a whole (`service: sysmon` rules: Sysmon's own state events).
  {
    match: { product: 'windows', service: 'sysmon' },
    source: 'sysmon',
    fields: { ...SYSMON_PROCESS },
    prefixes: WINDOWS_PREFIXES,
  },

  // process_creation, Sysmon event 1: Image/CommandLine/Parent*/PE version fields from process.* (sysmon pipeline);
  // IntegrityLevel, LogonId, TerminalSessionId stay in event_data. Hashes is split by the pipeline into
  // process.hash.{md5,sha1,sha256} and has no one-field equivalent (see KNOWN_ABSENT).
  {
    match: { product: 'windows', category: 'process_creation' },
    source: 'sysmon',
    conditions: { EventID: ['1'] },
    fields: SYSMON_PROCESS_CREATION,
    prefixes: WINDOWS_PREFIXES,
  },

  // process_creation, Security 4688 (the same rules run on it): NewProcessName → Image and ParentProcessName →
  // ParentImage as Sigma's windows-audit pipeline does, both moved to process.* by Winlogbeat; CommandLine stays in
  // event_data. 4688 carries no OriginalFileName, PE version fields or ParentCommandLine.
  {
    match: { product: 'windows', category: 'process_creation' },
    source: 'windows-security',
    conditions: { EventID: ['4688'] },
    fields: {
      ...WINLOG_COMMON,
      Image: 'process.executable',
      ParentImage: 'process.parent.executable',
      CommandLine: ['winlog.event_data.CommandLine', 'process.command_line'],
      ProcessId: 'process.pid',
      ParentProcessId: 'process.parent.pid',
      User: ['user.name', 'winlog.event_data.SubjectUserName'],
      LogonId: 'winlog.event_data.SubjectLogonId',
      IntegrityLevel: 'winlog.event_data.MandatoryLabel',
    },
    prefixes: WINDOWS_PREFIXES,
  },

  // process_termination, Sysmon event 5.
  {
    match: { product: 'windows', category: 'process_termination' },
    source: 'sysmon',
    conditions: { EventID: ['5'] },
    fields: { ...SYSMON_PROCESS },
    prefixes: WINDOWS_PREFIXES,
  },

  // network_connection, Sysmon event 3: source.*, destination.*, network.* as the pipeline writes them.
  {
    match: { product: 'windows', category: 'network_connection' },
    source: 'sysmon',
    conditions: { EventID: ['3'] },
    fields: {
      ...SYSMON_PROCESS,
      DestinationIp: 'destination.ip',
      DestinationPort: 'destination.port',
      DestinationHostname: 'destination.domain',
      DestinationPortName: 'network.protocol',
      SourceIp: 'source.ip',
      SourcePort: 'source.port',
      SourceHostname: 'source.domain',
      Protocol: 'network.transport',
      // Sysmon's Initiated (true/false) becomes network.direction (egress/ingress) with other values: no equivalent.
    },
    prefixes: WINDOWS_PREFIXES,
  },

  // image_load, Sysmon event 7: the loaded module under file.* (and dll.*), its signature under file.code_signature
  // and event_data (Signed, SignatureStatus, Signature stay there).
  {
    match: { product: 'windows', category: 'image_load' },
    source: 'sysmon',
    conditions: { EventID: ['7'] },
    fields: {
      ...SYSMON_PROCESS,
      ImageLoaded: ['file.path', 'dll.path'],
      OriginalFileName: ['file.pe.original_file_name', 'dll.pe.original_file_name'],
      Description: ['file.pe.description', 'winlog.event_data.Description'],
      Product: ['file.pe.product', 'winlog.event_data.Product'],
      Company: ['file.pe.company', 'winlog.event_data.Company'],
      FileVersion: ['file.pe.file_version', 'winlog.event_data.FileVersion'],
    },
    prefixes: WINDOWS_PREFIXES,
  },

  // process_access, Sysmon event 10: TargetImage, GrantedAccess, CallTrace stay in event_data; the pipeline moves
  // SourceImage/SourceProcessId/SourceProcessGUID to process.* (our records lack them: see KNOWN_ABSENT).
  {
    match: { product: 'windows', category: 'process_access' },
    source: 'sysmon',
    conditions: { EventID: ['10'] },
    fields: {
      ...WINLOG_COMMON,
      SourceImage: 'process.executable',
      SourceProcessId: 'process.pid',
      SourceProcessGUID: 'process.entity_id',
      SourceThreadId: 'process.thread.id',
      SourceUser: 'user.name',
    },
    prefixes: WINDOWS_PREFIXES,
  },

  // file_event, Sysmon event 11 (file created): TargetFilename → file.path.
  {
    match: { product: 'windows', category: 'file_event' },
    source: 'sysmon',
    conditions: { EventID: ['11'] },
    fields: { ...SYSMON_PROCESS, TargetFilename: 'file.path' },
    prefixes: WINDOWS_PREFIXES,
  },

  // file_delete, Sysmon events 23 (archived) and 26 (logged).
  {
    match: { product: 'windows', category: 'file_delete' },
    source: 'sysmon',
    conditions: { EventID: ['23', '26'] },
    fields: { ...SYSMON_PROCESS, TargetFilename: 'file.path', IsExecutable: 'sysmon.file.is_executable', Archived: 'sysmon.file.archived' },
    prefixes: WINDOWS_PREFIXES,
  },

  // Registry, Sysmon 12 (key/value create and delete), 13 (value set), 14 (rename): TargetObject → registry.path,
  // Details → registry.data.strings; EventType stays in event_data. The sysmon pack writes 13 only, so registry_add,
  // registry_delete and registry_rename (12/14 alone) have no mapping: they would read nothing.
  ...(
    [
      ['registry_event', ['12', '13', '14']],
      ['registry_set', ['13']],
    ] as const
  ).map(
    ([category, ids]): LogsourceMapping => ({
      match: { product: 'windows', category },
      source: 'sysmon',
      conditions: { EventID: ids },
      fields: { ...SYSMON_PROCESS, TargetObject: 'registry.path', Details: 'registry.data.strings' },
      prefixes: WINDOWS_PREFIXES,
    }),
  ),

  // dns_query, Sysmon event 22: QueryName → dns.question.name; QueryStatus → sysmon.dns.status (the pipeline writes
  // the status name, SUCCESS, where Sysmon writes 0); QueryResults → dns.resolved_ip (addresses only).
  {
    match: { product: 'windows', category: 'dns_query' },
    source: 'sysmon',
    conditions: { EventID: ['22'] },
    fields: { ...SYSMON_PROCESS, QueryName: 'dns.question.name', QueryStatus: 'sysmon.dns.status', QueryResults: 'dns.resolved_ip' },
    prefixes: WINDOWS_PREFIXES,
  },

  // Linux auditd (raw audit.log lines): `type` is the line's record type (SYSCALL, EXECVE, PATH, …), every other
  // field is the record's key=value pair (kv.key, kv.exe, kv.comm, kv.a0…, kv.name, kv.nametype, kv.syscall, kv.unit).
  // Our auditd writes the RAW log format: no interpreted upper-case fields (SYSCALL=execve) — see KNOWN_ABSENT.
  {
    match: { product: 'linux', service: 'auditd' },
    source: 'linux-auditd',
    fields: { type: 'type', host: 'host' },
    prefixes: ['kv.'],
  },

  // Linux auth.log, sshd's lines: keyword rules search the syslog message (after `sshd[pid]: `).
  {
    match: { product: 'linux', service: 'sshd' },
    source: 'linux-auth',
    conditions: { program: ['sshd'] },
    fields: { program: 'program', host: 'host', pid: 'pid', message: 'message', user: 'user', ip: 'ip', event: 'event' },
    keywords: ['message'],
  },

  // Linux auth.log as a whole (sshd, sudo, su, cron's PAM lines, systemd-logind): `service: auth`, the name
  // rules for /var/log/auth.log use. Fields are the parsed parts; `command` is sudo's COMMAND=.
  {
    match: { product: 'linux', service: 'auth' },
    source: 'linux-auth',
    fields: { program: 'program', host: 'host', pid: 'pid', message: 'message', user: 'user', ip: 'ip', event: 'event', command: 'command' },
    keywords: ['message'],
  },

  // Web server access logs (nginx combined format). The W3C names of SigmaHQ's webserver rules onto the CLF parts.
  // The request target is one part (`path`, path and query as sent), so cs-uri-stem, cs-uri-query and cs-uri all
  // read it: a rule on the query also sees the path, and a stem rule anchored at its end (`endswith`) misses a URL
  // with a query string.
  {
    match: { category: 'webserver' },
    source: 'nginx-access',
    fields: {
      'cs-method': 'method',
      'cs-uri-query': 'path',
      'cs-uri-stem': 'path',
      'cs-uri': 'path',
      'sc-status': 'status',
      'c-useragent': 'agent',
      'cs-user-agent': 'agent',
      'c-ip': 'ip',
      'cs-referer': 'referer',
      'cs-username': 'remote_user',
      'sc-bytes': 'bytes',
    },
  },
];
