/**
 * Okta System Log event types as data: what each says (display message, legacy type, severity), who performs it,
 * what it targets, which debugData keys it carries, how it fails and how often it happens.
 *
 * Shapes follow Okta's LogEvent and the real records in test/fixtures/reference/okta/ (debugData keys per event
 * type as the samples show them); event types without a sample follow Okta's event-type documentation.
 */

/** Who performs an event: the signed-in person, an administrator acting on someone, Okta itself, or an OAuth client. */
export type OktaActor = 'user' | 'admin' | 'system' | 'client';

/** What an event targets (each a `target[]` entry). */
export type OktaTarget = 'password' | 'dashboard' | 'udDevice' | 'self' | 'otherUser' | 'app' | 'appUser' | 'group' | 'policy' | 'policyRule' | 'authenticator' | 'token' | 'device' | 'client' | 'authServer' | 'role';

/** debugData keys; the writer knows how to fill each (record.ts). */
export type DebugKey =
  | 'requestId'
  | 'requestUri'
  | 'url'
  | 'threatSuspected'
  | 'deviceFingerprint'
  | 'dtHash'
  | 'behaviors'
  | 'risk'
  | 'factor'
  | 'factorIntent'
  | 'authnRequestId'
  | 'promptingPolicyTypes'
  | 'logOnlySecurityData'
  | 'loginResult'
  | 'origin'
  | 'privilegeGranted'
  | 'grantType'
  | 'grantedScopes'
  | 'requestedScopes'
  | 'clientAuthType'
  | 'clientSecret'
  | 'responseTime'
  | 'tunnels'
  | 'redirectUri'
  | 'initiationType'
  | 'signOnMode'
  | 'expiresAt'
  | 'suspiciousActivityBrowser'
  | 'suspiciousActivityEventCity'
  | 'suspiciousActivityEventCountry'
  | 'suspiciousActivityEventId'
  | 'suspiciousActivityEventIp'
  | 'suspiciousActivityEventLatitude'
  | 'suspiciousActivityEventLongitude'
  | 'suspiciousActivityEventState'
  | 'suspiciousActivityEventTransactionId'
  | 'suspiciousActivityEventType'
  | 'suspiciousActivityOs'
  | 'suspiciousActivityTimestamp'
  | 'originalPrincipal';

/** debugData keys whose value is a JSON object, not a string. */
export const OBJECT_DEBUG_KEYS: ReadonlySet<DebugKey> = new Set(['originalPrincipal']);

/** When an event happens: in a sign-in, as a person's activity, as an administrator's work, or an OAuth client's. */
export type OktaUse = 'signin' | 'activity' | 'admin' | 'client' | 'none';

export interface OktaFailure {
  readonly result: string;
  readonly reason: string;
  readonly weight: number;
}

export interface OktaEventSpec {
  readonly eventType: string;
  readonly legacy: string | null;
  /** legacyEventType of a failed event, where Okta names failures apart. */
  readonly legacyFailure?: string;
  readonly message: string;
  readonly severity: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly actor: OktaActor;
  readonly target: readonly OktaTarget[] | null;
  readonly debug: readonly DebugKey[];
  /** The request path (`{app}`, `{user}`, `{group}`, `{factor}` replaced by ids). */
  readonly uri: string;
  /** authenticationContext's provider and credential fields. */
  readonly auth?: { provider: string | null; credentialProvider: string | null; credentialType: string | null };
  /** outcome.result when the event succeeds. */
  readonly result: string;
  /** outcome.reason when the event succeeds. */
  readonly reason?: string;
  readonly failures?: readonly OktaFailure[];
  /** Chance the event fails (before it is written). */
  readonly failRate?: number;
  readonly transaction: 'WEB' | 'JOB';
  /** Okta itself acts, with no client (a provisioning job, ThreatInsight): actor SystemPrincipal, client fields null. */
  readonly systemClient?: boolean;
  /** Made through Okta's API with an API token (an app's own sign-in page): transaction.detail names the token. */
  readonly apiToken?: boolean;
  readonly use: OktaUse;
  /** Weight within its use. */
  readonly weight: number;
}

const REQ: readonly DebugKey[] = ['requestId', 'requestUri', 'url'];
const SIGNIN: readonly DebugKey[] = ['deviceFingerprint', 'requestId', 'requestUri', 'threatSuspected', 'url'];
const MFA: readonly DebugKey[] = ['authnRequestId', 'behaviors', 'deviceFingerprint', 'dtHash', 'factor', 'factorIntent', 'promptingPolicyTypes', 'requestId', 'requestUri', 'risk', 'threatSuspected', 'url'];
const ADMIN: readonly DebugKey[] = ['dtHash', 'requestId', 'requestUri', 'url'];
const TOKEN: readonly DebugKey[] = ['clientAuthType', 'grantType', 'grantedScopes', 'requestId', 'requestUri', 'requestedScopes', 'responseTime', 'tunnels', 'url'];
/** What a user's report of a suspicious sign-in carries, and their next sign-on policy evaluation too: the reported event. */
export const SUSPICIOUS: readonly DebugKey[] = ['suspiciousActivityBrowser', 'suspiciousActivityEventCity', 'suspiciousActivityEventCountry', 'suspiciousActivityEventId', 'suspiciousActivityEventIp', 'suspiciousActivityEventLatitude', 'suspiciousActivityEventLongitude', 'suspiciousActivityEventState', 'suspiciousActivityEventTransactionId', 'suspiciousActivityEventType', 'suspiciousActivityOs', 'suspiciousActivityTimestamp'];
const FACTOR_AUTH = { provider: 'FACTOR_PROVIDER', credentialProvider: 'OKTA_CREDENTIAL_PROVIDER', credentialType: null };
const PASSWORD_AUTH = { provider: 'OKTA_AUTHENTICATION_PROVIDER', credentialProvider: null, credentialType: null };

export const OKTA_EVENTS: readonly OktaEventSpec[] = [
  // A sign-in: policy, primary authentication, MFA.
  { eventType: 'policy.evaluate_sign_on', legacy: null, message: 'Evaluation of sign-on policy', severity: 'INFO', actor: 'user', target: ['policy', 'policyRule'], debug: SIGNIN, uri: '/idp/idx/identify', result: 'ALLOW', reason: 'Sign-on policy evaluation resulted in ALLOW', transaction: 'WEB', use: 'signin', weight: 0 },
  {
    eventType: 'user.session.start', legacy: 'core.user_auth.login_success', legacyFailure: 'core.user_auth.login_failed', message: 'User login to Okta', severity: 'INFO', actor: 'user', target: ['password', 'dashboard'],
    debug: ['deviceFingerprint', 'dtHash', 'logOnlySecurityData', 'loginResult', 'origin', 'requestId', 'requestUri', 'threatSuspected', 'url'], uri: '/idp/idx/identify', auth: PASSWORD_AUTH, result: 'SUCCESS',
    failures: [{ result: 'FAILURE', reason: 'INVALID_CREDENTIALS', weight: 8 }, { result: 'FAILURE', reason: 'VERIFICATION_ERROR', weight: 1 }], failRate: 0.04, transaction: 'WEB', use: 'signin', weight: 0,
  },
  { eventType: 'system.push.send_factor_verify_push', legacy: null, message: 'A push was sent to the user for verification', severity: 'INFO', actor: 'user', target: ['self'], debug: ['deviceFingerprint', 'requestId', 'requestUri', 'threatSuspected', 'url'], uri: '/idp/idx/challenge', result: 'SUCCESS', transaction: 'WEB', use: 'signin', weight: 0 },
  {
    eventType: 'user.authentication.auth_via_mfa', legacy: 'core.user.factor.attempt_success', legacyFailure: 'core.user.factor.attempt_fail', message: 'Authentication of user via MFA', severity: 'INFO', actor: 'user', target: ['self', 'authenticator'],
    debug: MFA, uri: '/idp/idx/challenge/answer', auth: FACTOR_AUTH, result: 'SUCCESS', failures: [{ result: 'FAILURE', reason: 'INVALID_CREDENTIALS', weight: 3 }, { result: 'FAILURE', reason: 'User rejected Okta push verify', weight: 1 }], failRate: 0.015, transaction: 'WEB', use: 'signin', weight: 0,
  },
  { eventType: 'user.mfa.okta_verify.deny_push', legacy: 'core.user.factor.push_deny', message: 'User rejected Okta push verify', severity: 'WARN', actor: 'user', target: ['self'], debug: ['deviceFingerprint', 'requestId', 'requestUri', 'threatSuspected', 'url'], uri: '/idp/idx/authenticators/poll', result: 'FAILURE', reason: 'User rejected Okta push verify', transaction: 'WEB', use: 'none', weight: 0 },
  { eventType: 'user.account.lock', legacy: 'core.user_auth.account_locked', message: 'Max sign in attempts exceeded', severity: 'WARN', actor: 'user', target: null, debug: ['dtHash', 'requestId', 'requestUri', 'threatSuspected', 'url'], uri: '/idp/idx/identify', result: 'FAILURE', reason: 'LOCKED_OUT', transaction: 'WEB', use: 'none', weight: 0 },
  {
    eventType: 'user.authentication.sso', legacy: 'app.auth.sso', message: 'User single sign on to app', severity: 'INFO', actor: 'user', target: ['app', 'appUser'], debug: ['initiationType', 'requestId', 'requestUri', 'signOnMode', 'url'], uri: '/app/{app}/sso/saml',
    result: 'SUCCESS', failures: [{ result: 'FAILURE', reason: 'User is not assigned to this app', weight: 1 }], failRate: 0.003, transaction: 'WEB', use: 'activity', weight: 50,
  },
  // A person's day.
  { eventType: 'user.session.end', legacy: 'core.user_auth.logout_success', message: 'User logout from Okta', severity: 'INFO', actor: 'user', target: null, debug: ['authnRequestId', 'requestId', 'requestUri', 'threatSuspected', 'url'], uri: '/login/signout', result: 'SUCCESS', transaction: 'WEB', use: 'activity', weight: 3 },
  {
    eventType: 'user.authentication.verify', legacy: null, message: 'Verify user identity', severity: 'INFO', actor: 'user', target: ['self', 'authenticator'], debug: ['authnRequestId', 'behaviors', 'deviceFingerprint', 'dtHash', 'requestId', 'requestUri', 'risk', 'threatSuspected', 'url'],
    uri: '/idp/idx/challenge/answer', auth: FACTOR_AUTH, result: 'SUCCESS', failures: [{ result: 'FAILURE', reason: 'INVALID_CREDENTIALS', weight: 1 }], failRate: 0.02, transaction: 'WEB', use: 'activity', weight: 6,
  },
  { eventType: 'app.oauth2.as.authorize.code', legacy: null, message: 'OAuth2 authorization code request', severity: 'INFO', actor: 'user', target: ['client'], debug: ['grantedScopes', 'redirectUri', 'requestId', 'requestUri', 'requestedScopes', 'url'], uri: '/oauth2/v1/authorize', result: 'SUCCESS', transaction: 'WEB', use: 'activity', weight: 8 },
  { eventType: 'app.oauth2.as.token.grant.refresh_token', legacy: null, message: 'OAuth2 refresh token is granted', severity: 'INFO', actor: 'user', target: ['token'], debug: TOKEN, uri: '/oauth2/v1/token', result: 'SUCCESS', transaction: 'WEB', use: 'activity', weight: 6 },
  { eventType: 'user.session.access_admin_app', legacy: 'app.admin_app.access', message: 'User accessing Okta admin app', severity: 'INFO', actor: 'admin', target: ['app'], debug: ['deviceFingerprint', 'requestId', 'requestUri', 'threatSuspected', 'url'], uri: '/admin/sso/callback', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 20 },
  { eventType: 'system.email.new_device_notification.sent_message', legacy: null, message: 'Send user new device notification email', severity: 'INFO', actor: 'system', target: ['self'], debug: ['deviceFingerprint', 'requestId', 'requestUri', 'threatSuspected', 'url'], uri: '/idp/idx/identify', result: 'SUCCESS', transaction: 'WEB', use: 'activity', weight: 0.4 },
  { eventType: 'device.user.add', legacy: null, message: 'Add device to user', severity: 'INFO', actor: 'user', target: ['udDevice'], debug: ['clientAuthType', 'clientSecret', 'dtHash', 'grantType', 'grantedScopes', 'requestId', 'requestUri', 'requestedScopes', 'responseTime', 'threatSuspected', 'tunnels', 'url'], uri: '/oauth2/v1/token', result: 'SUCCESS', transaction: 'WEB', use: 'activity', weight: 0.2 },
  { eventType: 'user.account.update_password', legacy: 'core.user.config.password_update.success', message: 'User update password for Okta', severity: 'INFO', actor: 'user', target: ['self'], debug: REQ, uri: '/idp/idx/challenge/answer', result: 'SUCCESS', failures: [{ result: 'FAILURE', reason: 'Password requirements were not met', weight: 1 }], failRate: 0.1, transaction: 'WEB', use: 'activity', weight: 0.15 },
  { eventType: 'user.mfa.factor.activate', legacy: 'core.user.factor.activate', message: 'Activate factor or authenticator', severity: 'INFO', actor: 'user', target: ['self'], debug: ['dtHash', 'requestId', 'requestUri', 'url'], uri: '/idp/idx/challenge/answer', result: 'SUCCESS', transaction: 'WEB', use: 'activity', weight: 0.05 },
  { eventType: 'app.generic.unauth_app_access_attempt', legacy: 'app.generic.unauth_app_access_attempt', message: 'User attempted unauthorized access to app', severity: 'WARN', actor: 'user', target: ['app'], debug: ['authnRequestId', 'dtHash', 'redirectUri', 'requestId', 'requestUri', 'threatSuspected', 'url'], uri: '/app/{app}/sso/saml', result: 'FAILURE', reason: 'User is not assigned to this app', transaction: 'WEB', use: 'activity', weight: 0.2 },
  { eventType: 'user.account.report_suspicious_activity_by_enduser', legacy: null, message: 'User report suspicious activity', severity: 'WARN', actor: 'user', target: ['self'], debug: [...REQ, ...SUSPICIOUS], uri: '/api/v1/users/me/suspicious-activity', result: 'SUCCESS', transaction: 'WEB', use: 'activity', weight: 0.003 },
  // Administrators' work.
  { eventType: 'group.user_membership.add', legacy: 'core.user_group_member.user_add', message: 'Add user to group membership', severity: 'INFO', actor: 'admin', target: ['otherUser', 'group'], debug: ADMIN, uri: '/admin/group/{group}/addUser', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 10 },
  { eventType: 'group.user_membership.remove', legacy: 'core.user_group_member.user_remove', message: 'Remove user from group membership', severity: 'INFO', actor: 'admin', target: ['otherUser', 'group'], debug: ADMIN, uri: '/admin/group/{group}/removeUser', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 5 },
  { eventType: 'application.user_membership.add', legacy: 'app.user_management.app_user_assigned', message: 'Add user to application membership', severity: 'INFO', actor: 'admin', target: ['appUser', 'app', 'otherUser'], debug: ADMIN, uri: '/admin/app/{app}/assignments', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 8 },
  { eventType: 'application.user_membership.remove', legacy: 'app.user_management.app_user_unassigned', message: 'Remove user from application membership', severity: 'INFO', actor: 'admin', target: ['appUser', 'app', 'otherUser'], debug: ADMIN, uri: '/admin/app/{app}/assignments', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 3 },
  { eventType: 'app.user_management', legacy: 'app.user_management.push_profile_success', message: 'Push user profile to app', severity: 'INFO', actor: 'system', target: ['appUser', 'app', 'otherUser'], debug: [], uri: '/api/v1/apps/{app}/users', result: 'SUCCESS', transaction: 'JOB', systemClient: true, use: 'admin', weight: 6 },
  { eventType: 'user.lifecycle.create', legacy: 'core.user.config.user_creation.success', message: 'Create okta user', severity: 'INFO', actor: 'admin', target: ['otherUser'], debug: REQ, uri: '/api/v1/users', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 2 },
  { eventType: 'user.lifecycle.activate', legacy: 'core.user.config.user_activated', message: 'Activate Okta user', severity: 'INFO', actor: 'admin', target: ['otherUser'], debug: REQ, uri: '/api/v1/users/{user}/lifecycle/activate', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 2 },
  { eventType: 'user.lifecycle.deactivate', legacy: 'core.user.config.user_deactivated', message: 'Deactivate Okta user', severity: 'INFO', actor: 'admin', target: ['otherUser'], debug: REQ, uri: '/api/v1/users/{user}/lifecycle/deactivate', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 1 },
  { eventType: 'user.lifecycle.suspend', legacy: 'core.user.config.user_suspended', message: 'Suspend Okta user', severity: 'INFO', actor: 'admin', target: ['otherUser'], debug: REQ, uri: '/api/v1/users/{user}/lifecycle/suspend', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 0.3 },
  { eventType: 'user.lifecycle.unsuspend', legacy: 'core.user.config.user_unsuspended', message: 'Unsuspend Okta user', severity: 'INFO', actor: 'admin', target: ['otherUser'], debug: REQ, uri: '/api/v1/users/{user}/lifecycle/unsuspend', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 0.3 },
  { eventType: 'user.account.reset_password', legacy: 'core.user.config.password_reset', message: 'Fired when the user\'s Okta password is reset', severity: 'INFO', actor: 'admin', target: ['otherUser'], debug: ADMIN, uri: '/api/v1/users/{user}/lifecycle/reset_password', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 2 },
  { eventType: 'user.account.unlock_by_admin', legacy: 'core.user.config.user_unlocked_by_admin', message: 'Unlock user account by admin', severity: 'INFO', actor: 'admin', target: ['otherUser'], debug: ADMIN, uri: '/api/v1/users/{user}/lifecycle/unlock', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 0.8 },
  { eventType: 'user.mfa.factor.reset_all', legacy: 'core.user.factor.reset_all', message: 'Reset all factors for user', severity: 'INFO', actor: 'admin', target: ['otherUser'], debug: ADMIN, uri: '/api/v1/users/{user}/lifecycle/reset_factors', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 0.6 },
  { eventType: 'user.account.privilege.grant', legacy: 'core.user.admin_privilege.granted', message: 'Grant user privilege', severity: 'INFO', actor: 'admin', target: ['otherUser'], debug: ['privilegeGranted', 'requestId', 'requestUri', 'threatSuspected', 'url'], uri: '/api/v1/users/{user}/roles', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 1 },
  { eventType: 'user.account.privilege.revoke', legacy: 'core.user.admin_privilege.revoked', message: 'Revoke user privilege', severity: 'INFO', actor: 'admin', target: ['otherUser'], debug: ['privilegeGranted', 'requestId', 'requestUri', 'threatSuspected', 'url'], uri: '/api/v1/users/{user}/roles', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 0.1 },
  { eventType: 'system.api_token.create', legacy: 'api.token.create', message: 'Create API token', severity: 'INFO', actor: 'admin', target: ['token'], debug: ADMIN, uri: '/admin/access/api/tokens', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 0.15 },
  { eventType: 'system.api_token.revoke', legacy: 'api.token.revoke', message: 'Revoke API token', severity: 'INFO', actor: 'admin', target: ['token'], debug: ADMIN, uri: '/admin/access/api/tokens', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 0.1 },
  { eventType: 'application.lifecycle.update', legacy: 'app.generic.config.app_updated', message: 'Update application', severity: 'INFO', actor: 'admin', target: ['app'], debug: ADMIN, uri: '/admin/app/{app}/settings', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 1 },
  { eventType: 'policy.rule.update', legacy: 'policy.rule.update', message: 'Update policy rule', severity: 'INFO', actor: 'admin', target: ['policyRule', 'policy'], debug: ADMIN, uri: '/api/v1/policies/{policy}/rules', result: 'SUCCESS', transaction: 'WEB', use: 'admin', weight: 0.3 },
  // OAuth clients (the population's services, as Okta service apps).
  { eventType: 'app.oauth2.as.token.grant.access_token', legacy: null, message: 'OAuth2 access token is granted', severity: 'INFO', actor: 'client', target: ['token'], debug: TOKEN, uri: '/oauth2/{authServer}/v1/token', result: 'SUCCESS', failures: [{ result: 'FAILURE', reason: 'invalid_client', weight: 1 }], failRate: 0.005, transaction: 'WEB', use: 'client', weight: 95 },
  { eventType: 'app.oauth2.as.token.revoke', legacy: null, message: 'OAuth2 token revocation request', severity: 'INFO', actor: 'client', target: ['token'], debug: ['requestId', 'requestUri', 'url'], uri: '/oauth2/{authServer}/v1/revoke', result: 'SUCCESS', transaction: 'WEB', use: 'client', weight: 5 },
  // The internet's noise at the sign-in page (ThreatInsight).
  { eventType: 'security.threat.detected', legacy: 'security.threat.detected', message: 'Request from suspicious actor', severity: 'WARN', actor: 'system', target: null, debug: ['requestId', 'requestUri', 'threatSuspected', 'url'], uri: '/api/v1/authn', result: 'DENY', reason: 'Password Spray', transaction: 'WEB', use: 'none', weight: 0 },
];

export const OKTA_EVENTS_BY_TYPE: ReadonlyMap<string, OktaEventSpec> = new Map(OKTA_EVENTS.map((e) => [e.eventType, e]));
