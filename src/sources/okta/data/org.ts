/**
 * The organisation's Okta tenant as data: the apps people sign in to (with Okta's sign-on modes), the groups, the
 * policies and the authenticators, and how people's browsers read in Okta's client fields.
 */

export interface OktaApp {
  /** The app as the board's sign-in requests name it (`aws` for the AWS Account Federation app). */
  readonly key: string;
  readonly label: string;
  /** Okta's integration name (target alternateId of the AppInstance is the label; this is the catalog name). */
  readonly name: string;
  readonly signOnMode: 'SAML_2_0' | 'OPENID_CONNECT' | 'WS_FEDERATION' | 'BOOKMARK' | 'AUTO_LOGIN';
  /** Share of people's SSO sign-ins to this app (AWS sign-ins come from the AWS source when it runs). */
  readonly weight: number;
}

export const APPS: readonly OktaApp[] = [
  { key: 'aws', label: 'AWS Account Federation', name: 'amazon_aws', signOnMode: 'SAML_2_0', weight: 0 },
  { key: 'aws_sso', label: 'AWS IAM Identity Center', name: 'amazon_aws_sso', signOnMode: 'SAML_2_0', weight: 0 },
  { key: 'slack', label: 'Slack', name: 'slack', signOnMode: 'SAML_2_0', weight: 14 },
  { key: 'google', label: 'Google Workspace', name: 'google', signOnMode: 'SAML_2_0', weight: 12 },
  { key: 'o365', label: 'Microsoft Office 365', name: 'msft_office365', signOnMode: 'WS_FEDERATION', weight: 8 },
  { key: 'zoom', label: 'Zoom', name: 'zoomus', signOnMode: 'SAML_2_0', weight: 8 },
  { key: 'atlassian', label: 'Atlassian Cloud', name: 'atlassian', signOnMode: 'SAML_2_0', weight: 10 },
  { key: 'github', label: 'GitHub Enterprise Cloud - Organization', name: 'githubcloud', signOnMode: 'SAML_2_0', weight: 9 },
  { key: 'salesforce', label: 'Salesforce.com', name: 'salesforce', signOnMode: 'SAML_2_0', weight: 5 },
  { key: 'workday', label: 'Workday', name: 'workday', signOnMode: 'SAML_2_0', weight: 3 },
  { key: 'datadog', label: 'Datadog', name: 'datadog', signOnMode: 'SAML_2_0', weight: 4 },
  { key: 'pagerduty', label: 'PagerDuty', name: 'pagerduty', signOnMode: 'SAML_2_0', weight: 2 },
  { key: 'box', label: 'Box', name: 'boxnet', signOnMode: 'SAML_2_0', weight: 2 },
  { key: 'docusign', label: 'DocuSign', name: 'docusign', signOnMode: 'SAML_2_0', weight: 1 },
  { key: 'snowflake', label: 'Snowflake', name: 'snowflake', signOnMode: 'SAML_2_0', weight: 2 },
  { key: 'expensify', label: 'Expensify', name: 'expensify', signOnMode: 'SAML_2_0', weight: 1 },
  { key: 'okta_admin', label: 'Okta Admin Console', name: 'saasure', signOnMode: 'OPENID_CONNECT', weight: 0 },
  { key: 'okta_dashboard', label: 'Okta Dashboard', name: 'okta_enduser', signOnMode: 'OPENID_CONNECT', weight: 6 },
  { key: 'internal_wiki', label: 'Internal Wiki', name: 'oidc_client', signOnMode: 'OPENID_CONNECT', weight: 3 },
];

export const GROUPS: readonly string[] = ['Everyone', 'Engineering', 'Sales', 'Finance', 'Marketing', 'Support', 'AWS-Admins', 'AWS-Developers', 'AWS-ReadOnly', 'GitHub-Users', 'VPN-Users', 'Contractors', 'Managers', 'Okta-Admins'];

/** Okta's policies and rules a sign-in evaluates: [policy, rule, policy type]. */
export const SIGN_ON_POLICIES: readonly (readonly [string, string, string])[] = [
  ['Default Policy', 'Default Rule', 'OktaSignOn'],
  ['Corporate Sign-On', 'Require MFA off network', 'OktaSignOn'],
  ['Corporate Sign-On', 'Managed devices', 'OktaSignOn'],
];

/** MFA factors as debugData.factor shows them, with the authenticator's name and the method, and their shares. */
export const FACTORS: readonly { factor: string; authenticator: string; method: string; weight: number; push: boolean }[] = [
  { factor: 'OKTA_VERIFY_PUSH', authenticator: 'Okta Verify', method: 'Get a push notification', weight: 55, push: true },
  { factor: 'SIGNED_NONCE', authenticator: 'Okta Verify', method: 'Use Okta FastPass', weight: 25, push: false },
  { factor: 'FIDO_WEBAUTHN', authenticator: 'Security Key or Biometric', method: 'Security Key or Biometric', weight: 10, push: false },
  { factor: 'OTP', authenticator: 'Okta Verify', method: 'Enter a code', weight: 10, push: false },
];

/** Browser and OS names as Okta's client.userAgent shows them, by what the raw user agent contains. */
export const BROWSERS: readonly (readonly [RegExp, string])[] = [
  [/Edg\//, 'EDGE_CHROMIUM'],
  [/Firefox\//, 'FIREFOX'],
  [/Chrome\//, 'CHROME'],
  [/Safari\//, 'SAFARI'],
];
export const OPERATING_SYSTEMS: readonly (readonly [RegExp, string])[] = [
  [/Windows NT 10/, 'Windows 10'],
  [/Mac OS X/, 'Mac OS X'],
  [/Linux/, 'Linux'],
];
