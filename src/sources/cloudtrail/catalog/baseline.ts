/**
 * The benign baseline of sensitive CloudTrail activity, as data: how often a real organisation does each thing a
 * detection looks for (defense evasion, destruction, exposure, credential and privilege changes, root), and why.
 *
 * An event listed here leaves the weighted background mix: benign traffic emits it at its base rate instead, per
 * account, per person or per IAM user of the account and per year, shared among the actors of the account who would
 * do it (the event's `who`). Most rates are zero: in a quiet organisation these events do not happen, and the attack
 * scenarios emit them. `seclog validate` compares a run's per-day counts with these rates (scripts/duckdb/05_baseline.sql
 * is generated from this table).
 *
 * `DANGEROUS` holds the share of otherwise ordinary calls that carry a parameter making them dangerous (public
 * access, sharing outside the organisation, another user's keys, master password resets): also almost never.
 */

export type SensitiveCategory = 'defense-evasion' | 'destruction' | 'exposure' | 'credentials' | 'privilege' | 'root';

/** What a rate is counted per: the account, each person in it, or each IAM user in it (people with long-term keys). */
export type RateUnit = 'account' | 'person' | 'iam_user';

export interface BaselineRate {
  /** The catalog event; for `root`, the root user's console sign-in. */
  readonly event: string;
  readonly category: SensitiveCategory;
  /** Benign occurrences per unit per year. */
  readonly perYear: number;
  readonly per: RateUnit;
  readonly reason: string;
  /** Made right after this event (by the same actor) rather than on a clock of its own; same rate. */
  readonly follows?: string;
}

const never = (event: string, category: SensitiveCategory, reason: string): BaselineRate => ({ event, category, perYear: 0, per: 'account', reason });
const yearly = (event: string, category: SensitiveCategory, perYear: number, per: RateUnit, reason: string): BaselineRate => ({ event, category, perYear, per, reason });

export const BASELINE: readonly BaselineRate[] = [
  // ---- defense evasion: logging, monitoring and guard rails switched off ----
  never('StopLogging', 'defense-evasion', 'A trail runs for the life of the account; stopping one is an incident or a change-managed decommissioning, not background.'),
  never('DeleteTrail', 'defense-evasion', 'Organisation trails are replaced, if ever, in a planned change; background activity never deletes one.'),
  yearly('UpdateTrail', 'defense-evasion', 2, 'account', 'A trail is reconfigured a couple of times a year (a new bucket, data events added).'),
  yearly('PutEventSelectors', 'defense-evasion', 2, 'account', 'Event selectors change with the trail, a couple of times a year.'),
  never('StopConfigurationRecorder', 'defense-evasion', 'AWS Config records continuously; stopping the recorder is what an intruder does before changing things.'),
  yearly('DeleteFlowLogs', 'defense-evasion', 1, 'account', 'Flow logs go with their VPC when it is retired, about once a year per account.'),
  never('DeleteDetector', 'defense-evasion', 'GuardDuty stays on once enabled; deleting a detector disables threat detection for the region.'),
  yearly('CreateDetector', 'defense-evasion', 1, 'account', 'GuardDuty is enabled once per region, when a region is taken into use.'),
  never('DeleteResolverQueryLogConfig', 'defense-evasion', 'DNS query logging is set up once and left on.'),
  yearly('DeleteWebACL', 'defense-evasion', 1, 'account', 'A web ACL is retired with the application it protected, about once a year.'),
  yearly('DeleteRuleGroup', 'defense-evasion', 1, 'account', 'WAF rule groups are retired with their web ACL.'),
  yearly('DeleteAlarms', 'defense-evasion', 52, 'account', 'Alarms come and go with deployments: about one deletion a week per account.'),
  yearly('DeleteLogGroup', 'defense-evasion', 24, 'account', 'Log groups of retired functions and stacks are deleted about twice a month per account.'),
  yearly('DisableKey', 'defense-evasion', 1, 'account', 'A customer-managed key is disabled before it is retired, about once a year.'),
  yearly('ScheduleKeyDeletion', 'destruction', 1, 'account', 'Keys are scheduled for deletion about once a year, after being disabled.'),
  never('LeaveOrganization', 'defense-evasion', 'An account leaves its organisation only in a divestiture; it removes the organisation\'s guard rails.'),
  never('EnableSerialConsoleAccess', 'defense-evasion', 'The EC2 serial console is off by account setting in real organisations; enabling it opens a path around the network.'),
  never('SendSerialConsoleSSHPublicKey', 'defense-evasion', 'Needs the serial console enabled (above).'),
  never('CreateTrafficMirrorTarget', 'exposure', 'Traffic mirroring is set up by network teams a handful of times in an account\'s life; in attack recordings it is exfiltration.'),
  never('CreateTrafficMirrorFilter', 'exposure', 'See CreateTrafficMirrorTarget.'),
  never('CreateTrafficMirrorFilterRule', 'exposure', 'See CreateTrafficMirrorTarget.'),
  never('CreateTrafficMirrorSession', 'exposure', 'See CreateTrafficMirrorTarget.'),
  yearly('UpdateDetector', 'defense-evasion', 1, 'account', 'GuardDuty\'s settings (finding export frequency) change about once a year; disabling a detector is an attack.'),
  yearly('CreateIPSet', 'defense-evasion', 0.5, 'account', 'A trusted-IP list is added once in a couple of years (the office\'s egress addresses).'),
  never('DeleteDeliveryChannel', 'defense-evasion', 'AWS Config\'s delivery channel is set up once; deleting it stops configuration history.'),
  yearly('DeleteNetworkAcl', 'defense-evasion', 1, 'account', 'Network ACLs are deleted with their VPC.'),
  yearly('DeleteNetworkAclEntry', 'defense-evasion', 4, 'account', 'Network ACL rules are edited a few times a year.'),

  // ---- destruction: data stores deleted ----
  yearly('DeleteBucket', 'destruction', 24, 'account', 'Test and scratch buckets are emptied and deleted about twice a month per account.'),
  yearly('DeleteFileSystem', 'destruction', 1, 'account', 'An EFS file system is retired about once a year, after its mount targets.'),
  yearly('DeleteMountTarget', 'destruction', 2, 'account', 'Mount targets go before their file system (one per availability zone).'),
  yearly('DeleteDBInstance', 'destruction', 2, 'account', 'A database instance is retired a couple of times a year, with a final snapshot when it held production data.'),
  yearly('DeleteDBCluster', 'destruction', 1, 'account', 'An Aurora cluster is retired about once a year, with a final snapshot.'),
  never('DeleteGlobalCluster', 'destruction', 'Global databases are long-lived; deleting one is a planned migration.'),

  // ---- exposure: data made reachable from outside ----
  yearly('ModifySnapshotAttribute', 'exposure', 12, 'account', 'EBS snapshots are shared with the organisation\'s backup account about monthly; never with everyone.'),
  yearly('ModifyImageAttribute', 'exposure', 24, 'account', 'Golden AMIs are shared with the organisation\'s other accounts about twice a month; never publicly.'),
  yearly('ModifyDBSnapshotAttribute', 'exposure', 4, 'account', 'RDS snapshots are shared with the disaster-recovery account a few times a year.'),
  yearly('ModifyDBClusterSnapshotAttribute', 'exposure', 2, 'account', 'Aurora snapshots are shared with the disaster-recovery account a couple of times a year.'),
  yearly('RestoreDBInstanceFromDBSnapshot', 'exposure', 4, 'account', 'Restore tests, a few times a year; the restored instance is private.'),
  yearly('RestoreDBInstanceFromS3', 'exposure', 1, 'account', 'Imports of on-premises databases, about once a year.'),
  yearly('PutBucketReplication', 'exposure', 2, 'account', 'Replication is configured to the organisation\'s own backup buckets a couple of times a year.'),
  yearly('PutBucketAcl', 'exposure', 2, 'account', 'ACLs are set on the few buckets that still use them (log delivery) a couple of times a year; never public.'),
  yearly('PutPublicAccessBlock', 'exposure', 6, 'account', 'New buckets get their public access block from infrastructure code, every other month.'),
  never('DeletePublicAccessBlock', 'exposure', 'Removing a bucket\'s public access block is what precedes making it public; organisations keep it on.'),
  yearly('DeleteBucketPolicy', 'exposure', 2, 'account', 'A bucket policy is dropped when it is replaced wholesale, a couple of times a year.'),
  never('CreateInstanceExportTask', 'exposure', 'Exporting an instance as a VM image is a migration off AWS, not background.'),
  yearly('CreateFunctionUrlConfig20211031', 'exposure', 4, 'account', 'Function URLs are added for webhooks a few times a year (a quarter of them public by design).'),
  yearly('GetPasswordData', 'credentials', 12, 'account', 'Administrators of Windows instances fetch an instance\'s initial password about monthly.'),

  // ---- credentials ----
  yearly('CreateAccessKey', 'credentials', 4, 'iam_user', 'IAM users rotate their access key every 90 days or so.'),
  { ...yearly('DeleteAccessKey', 'credentials', 4, 'iam_user', 'The rotated-out key is deleted after each rotation, by the user who rotated it.'), follows: 'CreateAccessKey' },
  yearly('CreateLoginProfile', 'credentials', 0.15, 'person', 'New IAM users get a console password: staff turnover of about 15 % a year.'),
  yearly('UpdateLoginProfile', 'credentials', 0.3, 'person', 'Administrators reset a forgotten console password for about one person in three a year.'),
  yearly('DeleteLoginProfile', 'credentials', 0.1, 'person', 'Console access is removed when people leave or move to single sign-on.'),
  yearly('UploadSSHPublicKey', 'credentials', 0.1, 'person', 'SSH keys for CodeCommit are uploaded once per developer, rarely.'),
  yearly('GetSigninToken', 'credentials', 2, 'person', 'People who work from the CLI open the console from their credentials (aws-vault login) now and then.'),
  yearly('DeactivateMFADevice', 'credentials', 0.1, 'iam_user', 'An IAM user\'s MFA device is replaced (a new phone) about once in ten years per user.'),
  yearly('ImportKeyPair', 'credentials', 2, 'account', 'Administrators import their own SSH public key as an EC2 key pair a couple of times a year.'),
  yearly('CreateUser', 'privilege', 0.15, 'person', 'IAM users are created for new staff (turnover of about 15 % a year).'),
  yearly('UpdateUser', 'privilege', 0.02, 'person', 'IAM users are renamed rarely (name changes, leavers marked).'),

  // ---- privilege changes ----
  yearly('AttachUserPolicy', 'privilege', 0.3, 'person', 'Managed policies are attached to users directly now and then, though groups are preferred.'),
  yearly('AddUserToGroup', 'privilege', 0.3, 'person', 'IAM users are added to groups when they join or move teams.'),
  yearly('PutUserPolicy', 'privilege', 1, 'account', 'Inline user policies are discouraged: about one a year per account.'),
  yearly('CreatePolicyVersion', 'privilege', 12, 'account', 'Customer-managed policies get a new default version about monthly.'),
  yearly('SetDefaultPolicyVersion', 'privilege', 1, 'account', 'An older policy version is made default again (a rollback) about once a year.'),
  never('EnableRegion', 'defense-evasion', 'Opt-in regions are enabled once in an account\'s life, in a planned change; an unseen region is where attackers hide resources.'),
  yearly('CreateGroup', 'privilege', 2, 'account', 'IAM groups are created a couple of times a year.'),
  yearly('UpdateGroup', 'privilege', 1, 'account', 'IAM groups are renamed about once a year.'),
  yearly('AttachGroupPolicy', 'privilege', 6, 'account', 'Group permissions change every other month.'),
  yearly('CreatePolicy', 'privilege', 24, 'account', 'Customer-managed policies are added with new workloads, about twice a month.'),
  yearly('CreateRole', 'privilege', 36, 'account', 'Roles are created with new workloads and pipelines, a few a month.'),
  yearly('AttachRolePolicy', 'privilege', 72, 'account', 'Role permissions are attached with new roles and changes, a few a month.'),
  yearly('PutRolePolicy', 'privilege', 48, 'account', 'Inline role policies change with deployments, about weekly.'),
  yearly('UpdateAssumeRolePolicy', 'privilege', 12, 'account', 'A role\'s trust policy changes about monthly (a new pipeline, a partner account).'),
  never('CreateTrustAnchor', 'privilege', 'IAM Roles Anywhere is set up once if at all; a new trust anchor is a persistence technique.'),
  never('CreateProfile', 'privilege', 'See CreateTrustAnchor.'),
  yearly('AddPermission20150331v2', 'privilege', 24, 'account', 'Lambda resource policies are added for new triggers (S3, SNS, EventBridge), about twice a month.'),
  yearly('CreateFoundationModelAgreement', 'privilege', 1, 'account', 'A model family is enabled in Bedrock about once a year.'),
  yearly('PutFoundationModelEntitlement', 'privilege', 1, 'account', 'Comes with enabling a model (above).'),
  yearly('PutUseCaseForModelAccess', 'privilege', 1, 'account', 'The model-access use case form is filed once, when Bedrock is first used.'),

  // ---- root ----
  yearly('ConsoleLogin', 'root', 4, 'account', 'The root user is kept for emergencies and the few tasks only it can do (billing, account settings): a few sign-ins a year, with MFA, by an administrator from their usual place.'),
];

export interface DangerousShare {
  /** The call and what makes it dangerous. */
  readonly what: string;
  /** Share of the call's benign occurrences that carry it. */
  readonly share: number;
  readonly reason: string;
  /** The events that can carry it, and how to see it in a record (DuckDB SQL over the `cloudtrail` view), for validation. */
  readonly events: readonly string[];
  readonly when: string | null;
}

const rp = (path: string) => `json_extract_string(requestParameters, '${path}')`;

/** Named shares that the catalog's value choosers read (`dangerous('…')`). */
export const DANGEROUS = {
  'ec2.sharePublic': {
    what: 'ModifySnapshotAttribute/ModifyImageAttribute adding group "all"',
    share: 0,
    reason: 'Public snapshots and AMIs leak data; organisations block them by account setting.',
    events: ['ModifySnapshotAttribute', 'ModifyImageAttribute'],
    when: `requestParameters LIKE '%"add":{"items":[{"group":"all"}%'`,
  },
  'ec2.unsharePublic': {
    what: 'ModifySnapshotAttribute/ModifyImageAttribute removing group "all"',
    share: 0.05,
    reason: 'A clean-up of an old public share now and then.',
    events: ['ModifySnapshotAttribute', 'ModifyImageAttribute'],
    when: `requestParameters LIKE '%"remove":{"items":[{"group":"all"}%'`,
  },
  'ec2.ingressWorldAdminPort': {
    what: 'AuthorizeSecurityGroupIngress opening SSH, RDP or PostgreSQL to 0.0.0.0/0',
    share: 0,
    reason: 'Administrative ports are opened to company ranges or bastions, not to the internet.',
    events: ['AuthorizeSecurityGroupIngress'],
    when: `requestParameters LIKE '%0.0.0.0/0%' AND regexp_matches(requestParameters, '"(fromPort|toPort)":(22|3389|5432)[,}]')`,
  },
  'rds.snapshotShareOutside': {
    what: 'an RDS snapshot shared with an account outside the organisation',
    share: 0,
    reason: "Snapshots go to the organisation's backup or DR accounts.",
    events: ['ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute'],
    when: null,
  },
  'rds.snapshotSharePublic': {
    what: 'an RDS snapshot shared with "all"',
    share: 0,
    reason: 'RDS refuses public sharing of encrypted snapshots and organisations forbid the rest.',
    events: ['ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute'],
    when: `CAST(json_extract(requestParameters, '$.valuesToAdd') AS VARCHAR) LIKE '%"all"%'`,
  },
  'rds.newInstancePublic': {
    what: 'a new or restored RDS instance with publiclyAccessible = true',
    share: 0,
    reason: 'Databases live in private subnets.',
    events: ['CreateDBInstance', 'RestoreDBInstanceFromDBSnapshot', 'RestoreDBInstanceFromS3'],
    when: `json_extract_string(responseElements, '$.publiclyAccessible') = 'true'`,
  },
  'rds.modifyMakePublic': { what: 'ModifyDBInstance setting publiclyAccessible = true', share: 0, reason: 'See above.', events: ['ModifyDBInstance'], when: `${rp('$.publiclyAccessible')} = 'true'` },
  'rds.modifyMakePrivate': { what: 'ModifyDBInstance setting publiclyAccessible = false', share: 0.03, reason: 'A clean-up now and then.', events: ['ModifyDBInstance'], when: `${rp('$.publiclyAccessible')} = 'false'` },
  'rds.masterPasswordReset': {
    what: 'ModifyDBInstance/ModifyDBCluster resetting the master user password',
    share: 0.02,
    reason: 'Master passwords live in Secrets Manager and rotate there; a reset by hand is rare.',
    events: ['ModifyDBInstance', 'ModifyDBCluster'],
    when: `${rp('$.masterUserPassword')} IS NOT NULL`,
  },
  'rds.skipFinalSnapshotProd': {
    what: 'deleting a production database without a final snapshot',
    share: 0,
    reason: 'Production data is snapshotted before it is deleted.',
    events: ['DeleteDBInstance', 'DeleteDBCluster'],
    when: `${rp('$.skipFinalSnapshot')} = 'true' AND coalesce(${rp('$.dBInstanceIdentifier')}, ${rp('$.dBClusterIdentifier')}) LIKE '%-prod'`,
  },
  'iam.keyForOtherUser': {
    what: 'CreateAccessKey for a user other than the caller',
    share: 0.02,
    reason: 'Keys are created by their owners; an administrator creating one for someone else is rare.',
    events: ['CreateAccessKey'],
    when: `${rp('$.userName')} IS DISTINCT FROM userIdentity.userName`,
  },
  'lambda.layerChange': {
    what: 'UpdateFunctionConfiguration attaching layers',
    share: 0.1,
    reason: 'Most configuration updates change environment, memory or timeout; layers change with runtime upgrades.',
    events: ['UpdateFunctionConfiguration20150331v2'],
    when: `json_extract(requestParameters, '$.layers') IS NOT NULL`,
  },
} as const satisfies Record<string, DangerousShare>;

export type DangerousName = keyof typeof DANGEROUS;

/** The share of benign calls that carry the named dangerous parameter. */
export function dangerous(name: DangerousName): number {
  return DANGEROUS[name].share;
}

/** Base rates by event name. Root's entry is under `ConsoleLogin` with category `root`. */
export const BASELINE_BY_EVENT: ReadonlyMap<string, BaselineRate> = new Map(BASELINE.filter((b) => b.category !== 'root').map((b) => [b.event, b]));
export const ROOT_SIGN_INS = BASELINE.find((b) => b.category === 'root')!;
