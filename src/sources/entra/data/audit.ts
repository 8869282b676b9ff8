/**
 * Entra ID directory audit activities as data: what each is called (activityDisplayName, also the envelope's
 * operationName), its category, operation type and logging service, who starts it, what it targets, the properties it
 * changes (old and new values as Graph writes them: JSON text) and how often it happens (weights among its initiator's
 * activities: a 600-person organisation hires and removes about one person a working day, and changes group
 * memberships, licences and passwords far more often).
 */

export type AuditInitiator = 'admin' | 'self' | 'app';
export type AuditTarget = 'user' | 'group' | 'application' | 'servicePrincipal' | 'role' | 'device' | 'policy';

/** A modified property: its name and how its old and new values read, from the values the writer picks. */
export interface ModifiedProperty {
  readonly displayName: string;
  /** `{…}` names a value the writer provides (target name, department, new GUID, …); JSON text otherwise as is. */
  readonly oldValue: string | null;
  readonly newValue: string | null;
}

export interface AuditActivity {
  readonly name: string;
  readonly category: 'UserManagement' | 'GroupManagement' | 'ApplicationManagement' | 'RoleManagement' | 'Device' | 'Policy';
  readonly operationType: 'Add' | 'Update' | 'Delete' | 'Assign' | 'Unassign' | 'Reset' | 'Other';
  readonly service: 'Core Directory' | 'Self-service Password Management' | 'Conditional Access' | 'Device Registration Service';
  readonly initiator: AuditInitiator;
  readonly target: AuditTarget;
  readonly modified: readonly ModifiedProperty[];
  /** Second target (a user added to a group, a role's member). */
  readonly second?: AuditTarget;
  readonly weight: number;
}

const UPDATED = (names: string) => ({ displayName: 'Included Updated Properties', oldValue: null, newValue: `"${names}"` });

export const AUDIT_ACTIVITIES: readonly AuditActivity[] = [
  { name: 'Add user', category: 'UserManagement', operationType: 'Add', service: 'Core Directory', initiator: 'admin', target: 'user', weight: 0.15, modified: [{ displayName: 'AccountEnabled', oldValue: '[]', newValue: '[true]' }, { displayName: 'DisplayName', oldValue: '[]', newValue: '["{target}"]' }, { displayName: 'UserPrincipalName', oldValue: '[]', newValue: '["{upn}"]' }, UPDATED('AccountEnabled, DisplayName, UserPrincipalName')] },
  { name: 'Update user', category: 'UserManagement', operationType: 'Update', service: 'Core Directory', initiator: 'admin', target: 'user', weight: 12, modified: [{ displayName: 'Department', oldValue: '["{oldDepartment}"]', newValue: '["{department}"]' }, { displayName: 'JobTitle', oldValue: '["{oldTitle}"]', newValue: '["{title}"]' }, UPDATED('Department, JobTitle')] },
  { name: 'Disable account', category: 'UserManagement', operationType: 'Update', service: 'Core Directory', initiator: 'admin', target: 'user', weight: 0.15, modified: [{ displayName: 'AccountEnabled', oldValue: '[true]', newValue: '[false]' }, UPDATED('AccountEnabled')] },
  { name: 'Delete user', category: 'UserManagement', operationType: 'Delete', service: 'Core Directory', initiator: 'admin', target: 'user', weight: 0.1, modified: [] },
  { name: 'Reset user password', category: 'UserManagement', operationType: 'Reset', service: 'Core Directory', initiator: 'admin', target: 'user', weight: 3, modified: [] },
  { name: 'Change user password', category: 'UserManagement', operationType: 'Update', service: 'Self-service Password Management', initiator: 'self', target: 'user', weight: 4, modified: [] },
  { name: 'Change user license', category: 'UserManagement', operationType: 'Update', service: 'Core Directory', initiator: 'admin', target: 'user', weight: 1.5, modified: [{ displayName: 'AssignedLicense', oldValue: '["[SkuName=ENTERPRISEPACK, AccountId={guid}, SkuId=6fd2c87f-b296-42f0-b197-1e91e994b900, DisabledPlans=[]]"]', newValue: '["[SkuName=SPE_E5, AccountId={guid}, SkuId=06ebc4ee-1bb5-47dd-8120-11324bc54e06, DisabledPlans=[]]"]' }, UPDATED('AssignedLicense')] },
  { name: 'Add member to group', category: 'GroupManagement', operationType: 'Assign', service: 'Core Directory', initiator: 'admin', target: 'user', second: 'group', weight: 14, modified: [{ displayName: 'Group.ObjectID', oldValue: null, newValue: '"{groupId}"' }, { displayName: 'Group.DisplayName', oldValue: null, newValue: '"{group}"' }] },
  { name: 'Remove member from group', category: 'GroupManagement', operationType: 'Unassign', service: 'Core Directory', initiator: 'admin', target: 'user', second: 'group', weight: 6, modified: [{ displayName: 'Group.ObjectID', oldValue: '"{groupId}"', newValue: null }, { displayName: 'Group.DisplayName', oldValue: '"{group}"', newValue: null }] },
  { name: 'Add group', category: 'GroupManagement', operationType: 'Add', service: 'Core Directory', initiator: 'admin', target: 'group', weight: 0.2, modified: [{ displayName: 'DisplayName', oldValue: '[]', newValue: '["{group}"]' }, UPDATED('DisplayName')] },
  { name: 'Add application', category: 'ApplicationManagement', operationType: 'Add', service: 'Core Directory', initiator: 'admin', target: 'application', weight: 0.1, modified: [{ displayName: 'AppId', oldValue: '[]', newValue: '["{guid}"]' }, UPDATED('AppId')] },
  { name: 'Update application – Certificates and secrets management ', category: 'ApplicationManagement', operationType: 'Update', service: 'Core Directory', initiator: 'admin', target: 'application', weight: 0.5, modified: [{ displayName: 'KeyDescription', oldValue: '[]', newValue: '["[KeyIdentifier={guid},KeyType=Password,KeyUsage=Verify,DisplayName=rotated-secret]"]' }, UPDATED('KeyDescription')] },
  { name: 'Add service principal credentials', category: 'ApplicationManagement', operationType: 'Update', service: 'Core Directory', initiator: 'app', target: 'servicePrincipal', weight: 2, modified: [{ displayName: 'KeyDescription', oldValue: '[]', newValue: '["[KeyIdentifier={guid},KeyType=AsymmetricX509Cert,KeyUsage=Verify,DisplayName=CN={guid}]"]' }, UPDATED('KeyDescription')] },
  { name: 'Update service principal', category: 'ApplicationManagement', operationType: 'Update', service: 'Core Directory', initiator: 'app', target: 'servicePrincipal', weight: 4, modified: [UPDATED('')] },
  { name: 'Consent to application', category: 'ApplicationManagement', operationType: 'Assign', service: 'Core Directory', initiator: 'self', target: 'servicePrincipal', weight: 1, modified: [{ displayName: 'ConsentContext.IsAdminConsent', oldValue: null, newValue: '"False"' }, { displayName: 'ConsentAction.Permissions', oldValue: null, newValue: '"[] => [[Id: {guid}, ClientId: {guid}, PrincipalId: {guid}, ResourceId: {guid}, ConsentType: Principal, Scope: User.Read openid profile email offline_access]]; "' }] },
  { name: 'Add member to role', category: 'RoleManagement', operationType: 'Assign', service: 'Core Directory', initiator: 'admin', target: 'role', second: 'user', weight: 0.5, modified: [{ displayName: 'Role.ObjectID', oldValue: null, newValue: '"{guid}"' }, { displayName: 'Role.DisplayName', oldValue: null, newValue: '"{role}"' }, { displayName: 'Role.TemplateId', oldValue: null, newValue: '"{guid}"' }] },
  { name: 'Remove member from role', category: 'RoleManagement', operationType: 'Unassign', service: 'Core Directory', initiator: 'admin', target: 'role', second: 'user', weight: 0.3, modified: [{ displayName: 'Role.ObjectID', oldValue: '"{guid}"', newValue: null }, { displayName: 'Role.DisplayName', oldValue: '"{role}"', newValue: null }] },
  { name: 'Register device', category: 'Device', operationType: 'Add', service: 'Device Registration Service', initiator: 'self', target: 'device', weight: 1, modified: [{ displayName: 'DeviceOSType', oldValue: null, newValue: '"{os}"' }, { displayName: 'DeviceTrustType', oldValue: null, newValue: '"AzureAd"' }] },
  { name: 'Update device', category: 'Device', operationType: 'Update', service: 'Core Directory', initiator: 'app', target: 'device', weight: 10, modified: [UPDATED('')] },
  { name: 'Update conditional access policy', category: 'Policy', operationType: 'Update', service: 'Conditional Access', initiator: 'admin', target: 'policy', weight: 0.1, modified: [{ displayName: 'ConditionalAccessPolicy', oldValue: '"{\\"state\\":\\"enabledForReportingButNotEnforced\\"}"', newValue: '"{\\"state\\":\\"enabled\\"}"' }] },
  { name: 'Update policy', category: 'Policy', operationType: 'Update', service: 'Core Directory', initiator: 'admin', target: 'policy', weight: 0.2, modified: [{ displayName: 'PolicyDetail', oldValue: '["{\\"Version\\":1,\\"State\\":\\"Enabled\\",\\"Conditions\\":{\\"Applications\\":{\\"Include\\":[{\\"Applications\\":[\\"All\\"]}]},\\"Users\\":{\\"Include\\":[{\\"Users\\":[\\"All\\"]}]}},\\"Controls\\":[{\\"Control\\":[\\"Mfa\\"]}],\\"SessionControls\\":[\\"SignInFrequency\\"],\\"SignInFrequencyTimeSpan\\":\\"1.00:00:00\\",\\"SignInFrequencyType\\":10}"]', newValue: '["{\\"Version\\":1,\\"State\\":\\"Enabled\\",\\"Conditions\\":{\\"Applications\\":{\\"Include\\":[{\\"Applications\\":[\\"All\\"]}]},\\"Users\\":{\\"Include\\":[{\\"Users\\":[\\"All\\"]}]}},\\"Controls\\":[{\\"Control\\":[\\"Mfa\\"]}],\\"SessionControls\\":[\\"SignInFrequency\\"],\\"SignInFrequencyTimeSpan\\":\\"0.12:00:00\\",\\"SignInFrequencyType\\":10}"]' }, UPDATED('PolicyDetail')] },
];

export const DIRECTORY_ROLES: readonly string[] = ['User Administrator', 'Groups Administrator', 'Application Administrator', 'Security Reader', 'Global Reader', 'Helpdesk Administrator'];
export const GROUPS: readonly string[] = ['All Employees', 'Engineering', 'Finance', 'Sales', 'AWS-Developers', 'AWS-Admins', 'VPN Users', 'M365 E5 Licensed'];
