/**
 * The organisation's Microsoft Entra ID tenant as data: the Microsoft apps and resources people sign in to (their
 * well-known application ids), the enterprise apps federated to it, conditional access policies, and the AADSTS
 * error codes sign-ins fail with, with their descriptions as Entra writes them.
 */

export interface EntraApp {
  /** The app as the session board's requests name it (`aws` for the AWS enterprise app). */
  readonly key: string;
  readonly displayName: string;
  /** Well-known application id (Microsoft first-party apps); empty: an enterprise app, id per tenant. */
  readonly appId: string;
  readonly resource: string;
  readonly resourceId: string;
  readonly clientAppUsed: 'Browser' | 'Mobile Apps and Desktop clients';
  /** Share of people's interactive sign-ins, and of their non-interactive (token refresh) ones. */
  readonly interactive: number;
  readonly nonInteractive: number;
}

export const ENTRA_APPS: readonly EntraApp[] = [
  { key: 'office', displayName: 'OfficeHome', appId: '4765445b-32c6-49b0-83e6-1d93765276ca', resource: 'Office 365 Exchange Online', resourceId: '00000002-0000-0ff1-ce00-000000000000', clientAppUsed: 'Browser', interactive: 30, nonInteractive: 0 },
  { key: 'teams', displayName: 'Microsoft Teams', appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', resource: 'Microsoft Graph', resourceId: '00000003-0000-0000-c000-000000000000', clientAppUsed: 'Mobile Apps and Desktop clients', interactive: 5, nonInteractive: 40 },
  { key: 'outlook', displayName: 'Microsoft Outlook', appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', resource: 'Office 365 Exchange Online', resourceId: '00000002-0000-0ff1-ce00-000000000000', clientAppUsed: 'Mobile Apps and Desktop clients', interactive: 5, nonInteractive: 30 },
  { key: 'onedrive', displayName: 'OneDrive SyncEngine', appId: 'ab9b8c07-8f02-4f72-87fa-80105867a763', resource: 'Office 365 SharePoint Online', resourceId: '00000003-0000-0ff1-ce00-000000000000', clientAppUsed: 'Mobile Apps and Desktop clients', interactive: 0, nonInteractive: 20 },
  { key: 'sharepoint', displayName: 'Office 365 SharePoint Online', appId: '00000003-0000-0ff1-ce00-000000000000', resource: 'Office 365 SharePoint Online', resourceId: '00000003-0000-0ff1-ce00-000000000000', clientAppUsed: 'Browser', interactive: 15, nonInteractive: 0 },
  { key: 'azure_portal', displayName: 'Azure Portal', appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', resource: 'Windows Azure Service Management API', resourceId: '797f4846-ba00-4fd7-ba43-dac1f8f63013', clientAppUsed: 'Browser', interactive: 6, nonInteractive: 2 },
  { key: 'azure_cli', displayName: 'Microsoft Azure CLI', appId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', resource: 'Windows Azure Service Management API', resourceId: '797f4846-ba00-4fd7-ba43-dac1f8f63013', clientAppUsed: 'Mobile Apps and Desktop clients', interactive: 2, nonInteractive: 6 },
  { key: 'broker', displayName: 'Microsoft Authentication Broker', appId: '29d9ed98-a469-4536-ade2-f981bc1d605e', resource: 'Device Registration Service', resourceId: '01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9', clientAppUsed: 'Mobile Apps and Desktop clients', interactive: 0, nonInteractive: 10 },
  { key: 'aws', displayName: 'Amazon Web Services (AWS)', appId: '', resource: 'Amazon Web Services (AWS)', resourceId: '', clientAppUsed: 'Browser', interactive: 0, nonInteractive: 0 },
  { key: 'aws_sso', displayName: 'AWS IAM Identity Center (successor to AWS Single Sign-On)', appId: '', resource: 'AWS IAM Identity Center (successor to AWS Single Sign-On)', resourceId: '', clientAppUsed: 'Browser', interactive: 0, nonInteractive: 0 },
];

/** Conditional access policies of the tenant: name, grant controls, and whether they apply to every sign-in. */
export const CA_POLICIES: readonly { displayName: string; grant: readonly string[]; session: readonly string[] }[] = [
  { displayName: 'Require MFA for all users', grant: ['Mfa'], session: [] },
  { displayName: 'Block legacy authentication', grant: ['Block'], session: [] },
  { displayName: 'Require compliant device for admins', grant: ['RequireCompliantDevice'], session: [] },
  { displayName: 'Sign-in frequency 12 hours', grant: [], session: ['SignInFrequency'] },
];

/** AADSTS codes of failed sign-ins, with Entra's descriptions, and their shares among failures. */
export interface EntraFailure {
  readonly code: number;
  readonly description: string;
  readonly weight: number;
  /** An interrupt the user gets past in the same flow (the sign-in then succeeds). */
  readonly interrupt?: boolean;
}

export const USER_FAILURES: readonly EntraFailure[] = [
  { code: 50126, description: 'Error validating credentials due to invalid username or password.', weight: 40 },
  { code: 50140, description: 'This error occurred due to "Keep me signed in" interrupt when the user was signing-in.', weight: 30, interrupt: true },
  { code: 50074, description: 'Strong Authentication is required.', weight: 10, interrupt: true },
  { code: 50076, description: 'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.', weight: 8, interrupt: true },
  { code: 500121, description: 'Authentication failed during strong authentication request.', weight: 5 },
  { code: 50055, description: 'Invalid password, entered expired password.', weight: 2 },
  { code: 53003, description: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.', weight: 2 },
  { code: 50057, description: 'User account is disabled. The account has been disabled by an administrator.', weight: 1 },
];

/** After this many wrong passwords in a row, smart lockout locks the account (AADSTS50053). */
export const LOCKED: EntraFailure = { code: 50053, description: 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.', weight: 0 };

export const SERVICE_FAILURES: readonly EntraFailure[] = [
  { code: 7000215, description: 'Invalid client secret is provided.', weight: 3 },
  { code: 7000222, description: 'The provided client secret keys are expired. Visit the Azure Portal to create new keys for your app, or consider using certificate credentials for added security.', weight: 1 },
];

/**
 * Risk detections Entra ID Protection raises on ordinary sign-ins (a new browser or place, a trip that looks fast
 * through a VPN), with the level they carry and their shares among risky sign-ins. Graph's riskEventType values.
 */
export const RISK_DETECTIONS: readonly { readonly type: string; readonly level: 'low' | 'medium'; readonly weight: number }[] = [
  { type: 'unfamiliarFeatures', level: 'low', weight: 6 },
  { type: 'unfamiliarFeatures', level: 'medium', weight: 1 },
  { type: 'unlikelyTravel', level: 'medium', weight: 2 },
];
/** Share of people's interactive sign-ins that ID Protection finds risky (most are benign: new devices, travel). */
export const RISKY_SIGNIN_RATE = 0.006;

/**
 * Microsoft's own service principals that sign in to the tenant's resources (MicrosoftServicePrincipalSignInLogs):
 * Exchange, SharePoint and Teams services acting for mailboxes and sites. Well-known application ids.
 */
export const MICROSOFT_SERVICE_PRINCIPALS: readonly { readonly displayName: string; readonly appId: string; readonly resource: string; readonly resourceId: string; readonly weight: number }[] = [
  { displayName: 'Office 365 Exchange Online', appId: '00000002-0000-0ff1-ce00-000000000000', resource: 'Microsoft Graph', resourceId: '00000003-0000-0000-c000-000000000000', weight: 8 },
  { displayName: 'Office 365 SharePoint Online', appId: '00000003-0000-0ff1-ce00-000000000000', resource: 'Microsoft Graph', resourceId: '00000003-0000-0000-c000-000000000000', weight: 5 },
  { displayName: 'Microsoft Teams Services', appId: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', resource: 'Office 365 SharePoint Online', resourceId: '00000003-0000-0ff1-ce00-000000000000', weight: 4 },
  { displayName: 'Skype and Teams Tenant Admin API', appId: '48ac35b8-9aa8-4d74-927d-1f4a14a0b239', resource: 'Microsoft Graph', resourceId: '00000003-0000-0000-c000-000000000000', weight: 1 },
  { displayName: 'Microsoft Intune', appId: '0000000a-0000-0000-c000-000000000000', resource: 'Microsoft Graph', resourceId: '00000003-0000-0000-c000-000000000000', weight: 2 },
];

/** Azure datacentre egress the Microsoft service principals sign in from: a /16 of Microsoft's and its place. */
export const AZURE_EGRESS: readonly { readonly prefix: string; readonly city: string; readonly state: string; readonly country: string; readonly latitude: number; readonly longitude: number }[] = [
  { prefix: '20.42', city: 'Boydton', state: 'Virginia', country: 'US', latitude: 36.6676, longitude: -78.3875 },
  { prefix: '40.126', city: 'Des Moines', state: 'Iowa', country: 'US', latitude: 41.6005, longitude: -93.6091 },
  { prefix: '20.50', city: 'Amsterdam', state: 'Noord-Holland', country: 'NL', latitude: 52.3740, longitude: 4.8897 },
  { prefix: '52.109', city: 'Dublin', state: 'Dublin', country: 'IE', latitude: 53.3498, longitude: -6.2603 },
];

/**
 * On-premises applications an organisation that federates through AD FS signs people in to (ADFSSignInLogs, from
 * AD FS Connect Health): relying party trusts, and application groups (a native client and its web API).
 */
export const ADFS_APPS: readonly { readonly name: string; readonly kind: 'relyingParty' | 'applicationGroup'; readonly host: string; readonly weight: number }[] = [
  { name: 'Intranet Portal', kind: 'relyingParty', host: 'intranet', weight: 6 },
  { name: 'Expenses', kind: 'applicationGroup', host: 'expenses', weight: 3 },
  { name: 'Timesheets', kind: 'applicationGroup', host: 'timesheets', weight: 3 },
  { name: 'SharePoint Server', kind: 'relyingParty', host: 'sharepoint', weight: 4 },
  { name: 'Citrix Gateway', kind: 'relyingParty', host: 'citrix', weight: 2 },
];
