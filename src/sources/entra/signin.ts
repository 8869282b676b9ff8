/**
 * One shard of the Entra ID sign-in source: people sign in interactively when their working session starts (with the
 * "Keep me signed in" and MFA interrupts Entra logs as failures, and MFA per conditional access), or when an app
 * federated to Entra asks (the session board: the AWS enterprise app); through the day their desktop and mobile
 * apps refresh tokens (non-interactive sign-ins, the bulk of a tenant's log); services sign in as service principals
 * (client credentials) or managed identities. Records are Azure Monitor's diagnostic-settings envelope around
 * Microsoft Graph's signIn, one per line.
 */
import { AliasTable, Rng } from '../../util/rng.js';
import type { SessionBoard } from '../../traffic/sessions.js';
import type { Attacker, InjectedStep, RecordOut, ShardContext, ShardSource } from '../source.js';
import { ADFS_APPS, AZURE_EGRESS, CA_POLICIES, ENTRA_APPS, LOCKED, MICROSOFT_SERVICE_PRINCIPALS, RISK_DETECTIONS, RISKY_SIGNIN_RATE, SERVICE_FAILURES, USER_FAILURES, type EntraApp, type EntraFailure } from './data/tenant.js';
import type { EntraRuntime, EntraPerson } from './runtime.js';
import { guid, TickClock } from './ids.js';

/** In a run with other sources: share of a person's activity ticks that Entra records (services: their token refreshes). */
const PERSON_SHARE = 0.1;
/** Chance that a person's interactive sign-in fails (wrong password, MFA, conditional access), before interrupts. */
const FAILURE_RATE = 0.03;
/** Sign-ins interrupted by "Keep me signed in?" (50140) or an MFA prompt (50074) before they succeed. */
const KMSI_RATE = 0.15;
const LOCKOUT_AFTER = 10;
const LOCKOUT_MS = 60_000;
/** Share of interactive sign-ins where the token is a managed device's (Windows Hello / primary refresh token). */
const TOKEN_MS = 3_600_000;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const INTERACTIVE = ENTRA_APPS.filter((a) => a.interactive > 0);
const INTERACTIVE_TABLE = new AliasTable(INTERACTIVE.map((a) => a.interactive));
const REFRESH = ENTRA_APPS.filter((a) => a.nonInteractive > 0);
const REFRESH_TABLE = new AliasTable(REFRESH.map((a) => a.nonInteractive));
const FAILURE_TABLE = new AliasTable(USER_FAILURES.map((f) => f.weight));
const KMSI = USER_FAILURES.find((f) => f.code === 50140)!;
const CA_BLOCK = USER_FAILURES.find((f) => f.code === 53003)!;
const MFA_DENIED = USER_FAILURES.find((f) => f.code === 500121)!;
/** Share of single sign-ons to a federated app (AWS) that the app's conditional access or a denied MFA prompt stops. */
const APP_BLOCK_RATE = 0.02;
const MFA_REQUIRED = USER_FAILURES.find((f) => f.code === 50074)!;
/** Why a person's own MFA step failed (500121), by their method, as Entra words it. */
const MFA_DENIED_DETAIL: Readonly<Record<string, string>> = {
  'Mobile app notification': 'MFA denied; user did not respond to mobile app notification',
  'OATH verification code': 'MFA denied; invalid verification code',
};
const RISK_TABLE = new AliasTable(RISK_DETECTIONS.map((r) => r.weight));
const ATTACKER_RISK = RISK_DETECTIONS.find((r) => r.type === 'unfamiliarFeatures' && r.level === 'medium')!;
const PASSWORD_WRONG = USER_FAILURES.find((f) => f.code === 50126)!;
const MICROSOFT_TABLE = new AliasTable(MICROSOFT_SERVICE_PRINCIPALS.map((m) => m.weight));
const ADFS_TABLE = new AliasTable(ADFS_APPS.map((a) => a.weight));
/** Share of a person's token refreshes that a Microsoft service (Exchange, SharePoint, Teams) follows with its own sign-in. */
const MICROSOFT_SP_SHARE = 0.06;
/** With AD FS: share of people's sign-ins to further apps during the day that go to apps AD FS serves. */
const ADFS_SHARE = 0.35;

class EntraState {
  signedInUntil = -Infinity;
  sessionSerial = -1;
  sessionId = '';
  failures = 0;
  lockedUntil = -Infinity;
  tokenUntil = -Infinity;
  constructor(readonly person: EntraPerson) {}
}

/** The categories (diagnostic-settings log types) the source writes; ADFSSignInLogs only for an organisation with AD FS. */
export const SIGNIN_CATEGORIES = ['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs', 'MicrosoftServicePrincipalSignInLogs', 'ADFSSignInLogs'] as const;
type Category = 'SignInLogs' | 'NonInteractiveUserSignInLogs' | 'ServicePrincipalSignInLogs' | 'ManagedIdentitySignInLogs';

export class EntraSigninShard implements ShardSource {
  private readonly rng: Rng;
  /** While a scenario step writes: the attacker (their address, browser, network) and their session. */
  private attacker: Attacker | null = null;
  private attackerSession = '';
  private readonly clock = new TickClock();
  private readonly states: (EntraState | undefined)[];
  private readonly board: SessionBoard;

  constructor(
    private readonly runtime: EntraRuntime,
    private readonly shard: ShardContext,
  ) {
    this.rng = new Rng(shard.seed, `shard/${shard.shard}/entra_signin`);
    this.states = new Array(shard.actors.length);
    this.board = shard.sessions;
  }

  private state(local: number): EntraState {
    let st = this.states[local];
    if (!st) this.states[local] = st = new EntraState(this.runtime.person(this.shard.actorIndexes[local], this.shard.actors[local]));
    return st;
  }

  /** One sign-in record. `failure` null: success. */
  private write(local: number, category: Category, app: EntraApp, timeMs: number, indexMs: number, out: RecordOut, failure: EntraFailure | null, mfa: boolean, target?: EntraState): void {
    const rng = this.rng;
    const st = target ?? this.state(local);
    const attacker = this.attacker;
    const p = attacker === null ? st.person : attackerView(st.person, attacker);
    const a = p.actor;
    const t = this.runtime.tenant;
    const human = category === 'SignInLogs' || category === 'NonInteractiveUserSignInLogs';
    const ws = human && attacker === null ? this.board.workSession(local, indexMs) : null;
    if (ws && st.sessionSerial !== ws.serial) {
      st.sessionSerial = ws.serial;
      st.sessionId = guid(rng);
    }
    const addresses = p.addresses;
    const ip = category === 'ManagedIdentitySignInLogs' ? '' : addresses[ws ? ws.addressIndex : rng.int(addresses.length)] ?? addresses[0];
    const time = this.clock.ticks(timeMs, rng);
    const id = guid(rng);
    const correlation = guid(rng);
    const code = failure?.code ?? 0;
    const appId = app.appId || t.awsAppId;
    const resourceId = app.resourceId || t.awsAppId;
    const interactive = category === 'SignInLogs';
    const caApplied = human && app.key !== 'broker';
    const mfaPolicy = CA_POLICIES[0];
    const policies = caApplied
      ? `[{"id":"${t.policyIds[0]}","displayName":"${mfaPolicy.displayName}","enforcedGrantControls":["Mfa"],"enforcedSessionControls":[],"result":"${code === 53003 ? 'failure' : mfa || !interactive ? 'success' : 'notApplied'}","conditionsSatisfied":3,"conditionsNotSatisfied":0},{"id":"${t.policyIds[1]}","displayName":"${CA_POLICIES[1].displayName}","enforcedGrantControls":["Block"],"enforcedSessionControls":[],"result":"notApplied","conditionsSatisfied":0,"conditionsNotSatisfied":1}]`
      : '[]';
    const caStatus = !caApplied ? 'notApplied' : code === 53003 ? 'failure' : 'success';
    const geo = human || category === 'ServicePrincipalSignInLogs' ? p.location : '{"city":"","state":"","countryOrRegion":"","geoCoordinates":{"latitude":0.0,"longitude":0.0}}';
    // Refreshed tokens carry the MFA claim the person's sign-in earned (conditional access requires MFA).
    const mfaClaim = human && !interactive && caApplied;
    // A denied MFA step says why, in the status and the step alike: a prompt nobody answered (the usual benign case), a
    // wrong code, a cancelled prompt; an attacker's pushes the person declines.
    const mfaDenied = code !== 500121 ? '' : attacker !== null ? 'MFA denied; user declined the authentication' : (MFA_DENIED_DETAIL[p.mfaMethod] ?? 'MFA denied; user declined the authentication');
    const status = failure
      ? `{"errorCode":${code},"failureReason":${JSON.stringify(failure.description)}${code === 50140 || code === 50074 || code === 50076 ? ',"additionalDetails":"MFA requirement satisfied by claim in the token"' : code === 500121 ? `,"additionalDetails":"${mfaDenied}"` : ''}}`
      : mfaClaim
        ? '{"errorCode":0,"additionalDetails":"MFA requirement satisfied by claim in the token"}'
        : mfa
          ? '{"errorCode":0,"additionalDetails":"MFA completed in Azure AD"}'
          : '{"errorCode":0}';
    // ID Protection: a few interactive sign-ins look risky (a new browser or place); MFA under the risk policy remediates them.
    // An attacker's sign-in from an unseen network and browser is what it flags (unfamiliar sign-in properties).
    const risk = attacker !== null ? (interactive ? ATTACKER_RISK : null) : interactive && rng.float() < RISKY_SIGNIN_RATE ? RISK_DETECTIONS[RISK_TABLE.pick(rng)] : null;
    const remediated = risk !== null && mfa && code === 0;
    const riskFields = risk
      ? `"riskDetail":"${remediated ? 'userPassedMFADrivenByRiskBasedPolicy' : 'none'}","riskLevelAggregated":"${risk.level}","riskLevelDuringSignIn":"${risk.level}","riskState":"${remediated ? 'remediated' : 'atRisk'}","riskEventTypes":["${risk.type}"],"riskEventTypes_v2":["${risk.type}"],`
      : '"riskDetail":"none","riskLevelAggregated":"none","riskLevelDuringSignIn":"none","riskState":"none","riskEventTypes":[],"riskEventTypes_v2":[],';
    const authMethod = mfa ? p.mfaMethod : 'Password';
    const authDetails = human
      ? `[{"authenticationStepDateTime":"${time}+00:00","authenticationMethod":"${interactive ? 'Password' : 'Previously satisfied'}","succeeded":${code !== 50126 && code !== 50053 && code !== 50055},"authenticationStepResultDetail":"${code === 50126 ? 'Invalid username or password or Invalid on-premise username or password.' : interactive ? 'Correct password' : 'First factor requirement satisfied by claim in the token'}","authenticationStepRequirement":"Primary authentication","StatusSequence":0,"RequestSequence":${interactive ? 1 : 0}}${mfa ? `,{"authenticationStepDateTime":"${time}+00:00","authenticationMethod":"${authMethod}","authenticationMethodDetail":"${p.mfaDetail}","succeeded":${code !== 500121},"authenticationStepResultDetail":"${code === 500121 ? mfaDenied : 'MFA successfully completed'}","authenticationStepRequirement":"Multifactor authentication","StatusSequence":${code === 500121 ? 500121 : 0},"RequestSequence":1}` : ''}]`
      : '[]';
    let props: string;
    if (human) {
      props =
        `{"id":"${id}","createdDateTime":"${time}+00:00","userDisplayName":${p.nameJson},"userPrincipalName":${p.upnJson},"userId":"${a.entra_object_id}","appId":"${appId}","appDisplayName":${JSON.stringify(app.displayName)},"ipAddress":"${ip}","status":${status},"clientAppUsed":"${app.clientAppUsed}","userAgent":${p.userAgentJson},` +
        `"deviceDetail":${p.deviceDetail},"location":${geo},"mfaDetail":${mfa ? `{"authMethod":"${p.mfaMethod}","authDetail":"${p.mfaDetail}"}` : '{}'},"correlationId":"${correlation}","conditionalAccessStatus":"${caStatus}","appliedConditionalAccessPolicies":${policies},"originalRequestId":"${id}","isInteractive":${interactive},"tokenIssuerName":"","tokenIssuerType":"AzureAD",` +
        `"authenticationProcessingDetails":[{"key":"Legacy TLS (TLS 1.0, 1.1, 3DES)","value":"False"},{"key":"Oauth Scope Info","value":"[\\"openid\\",\\"profile\\",\\"email\\",\\"offline_access\\"]"},{"key":"Is CAE Token","value":"${interactive ? 'False' : 'True'}"}],"networkLocationDetails":[],"processingTimeInMilliseconds":${40 + rng.int(400)},${riskFields}` +
        `"resourceDisplayName":${JSON.stringify(app.resource)},"resourceId":"${resourceId}","resourceTenantId":"${t.id}","homeTenantId":"${t.id}","authenticationDetails":${authDetails},"authenticationRequirementPolicies":${caApplied ? '[{"requirementProvider":"multiConditionalAccess","detail":"Conditional Access"}]' : '[]'},"authenticationRequirement":"${mfa || mfaClaim ? 'multiFactorAuthentication' : 'singleFactorAuthentication'}","servicePrincipalId":"","userType":"Member","flaggedForReview":false,"isTenantRestricted":false,"autonomousSystemNumber":${a.asn},"crossTenantAccessType":"none","privateLinkDetails":{},"ssoExtensionVersion":"","uniqueTokenIdentifier":"${randomB64(rng, 22)}","incomingTokenType":"${interactive ? 'none' : 'refreshToken'}","authenticationProtocol":"none","sessionId":"${attacker === null ? st.sessionId : this.attackerSession}"}`;
    } else {
      props =
        `{"id":"${id}","createdDateTime":"${time}+00:00","userId":null,"appId":"${p.appId}","ipAddress":"${ip}","status":${status},"location":${geo},"correlationId":"${correlation}","conditionalAccessStatus":"notApplied","appliedConditionalAccessPolicies":[],"isInteractive":false,"tokenIssuerType":"AzureAD",` +
        `${category === 'ServicePrincipalSignInLogs' ? '"authenticationProcessingDetails":[{"key":"Azure AD App Authentication Library","value":"Family: MSAL Library: MSAL.Python 1.28.0 Platform: Python"}],' : ''}"processingTimeInMilliseconds":0,"riskDetail":"none","riskLevelAggregated":"none","riskLevelDuringSignIn":"none","riskState":"none",` +
        `"resourceDisplayName":"Microsoft Graph","resourceId":"00000003-0000-0000-c000-000000000000","servicePrincipalName":${p.nameJson},"servicePrincipalId":"${a.entra_object_id}","flaggedForReview":false,"isTenantRestricted":false,"crossTenantAccessType":"none",${category === 'ServicePrincipalSignInLogs' ? `"servicePrincipalCredentialKeyId":"${p.credentialKeyId}",` : ''}"uniqueTokenIdentifier":"${randomB64(rng, 22)}","incomingTokenType":"none","authenticationProtocol":"none"}`;
    }
    const description = failure ? `"resultDescription":${JSON.stringify(failure.description)},` : '';
    const who = human ? `"identity":${p.nameJson},` : '';
    const caller = category === 'ManagedIdentitySignInLogs' ? '' : `"callerIpAddress":"${ip}",`;
    const location = category === 'ManagedIdentitySignInLogs' ? '' : `,"location":"${a.country}"`;
    out.w.text(
      `{"time":"${time}Z","resourceId":"/tenants/${t.id}/providers/Microsoft.aadiam","operationName":"Sign-in activity","operationVersion":"1.0","category":"${category}","tenantId":"${t.id}","resultType":"${code}","resultSignature":"None",${description}"durationMs":0,${caller}"correlationId":"${correlation}",${who}"Level":4${location},"properties":${props}}`,
    );
    out.commit(indexMs, p.globalIndex);
  }

  /**
   * A Microsoft service principal (Exchange, SharePoint, Teams services) signing in to the tenant's resources with
   * its certificate, from Azure: the servicePrincipal shape, in its own category.
   */
  private writeMicrosoft(local: number, timeMs: number, indexMs: number, out: RecordOut): void {
    const rng = this.rng;
    const t = this.runtime.tenant;
    const i = MICROSOFT_TABLE.pick(rng);
    const sp = MICROSOFT_SERVICE_PRINCIPALS[i];
    const egress = AZURE_EGRESS[rng.int(AZURE_EGRESS.length)];
    const ip = `${egress.prefix}.${rng.int(256)}.${1 + rng.int(254)}`;
    const time = this.clock.ticks(timeMs, rng);
    const id = guid(rng);
    const correlation = guid(rng);
    const name = JSON.stringify(sp.displayName);
    out.w.text(
      `{"time":"${time}Z","resourceId":"/tenants/${t.id}/providers/Microsoft.aadiam","operationName":"Sign-in activity","operationVersion":"1.0","category":"MicrosoftServicePrincipalSignInLogs","tenantId":"${t.id}","resultType":"0","resultSignature":"None","durationMs":0,"callerIpAddress":"${ip}","correlationId":"${correlation}","Level":4,"location":"${egress.country}",` +
        `"properties":{"id":"${id}","createdDateTime":"${time}+00:00","userId":null,"appId":"${sp.appId}","ipAddress":"${ip}","status":{"errorCode":0},"location":{"city":"${egress.city}","state":"${egress.state}","countryOrRegion":"${egress.country}","geoCoordinates":{"latitude":${egress.latitude},"longitude":${egress.longitude}}},"correlationId":"${correlation}","conditionalAccessStatus":"notApplied","appliedConditionalAccessPolicies":[],"isInteractive":false,"tokenIssuerType":"AzureAD",` +
        `"processingTimeInMilliseconds":0,"riskDetail":"none","riskLevelAggregated":"none","riskLevelDuringSignIn":"none","riskState":"none","resourceDisplayName":${JSON.stringify(sp.resource)},"resourceId":"${sp.resourceId}","servicePrincipalName":${name},"servicePrincipalId":"${t.microsoftSpIds[i]}","flaggedForReview":false,"isTenantRestricted":false,"crossTenantAccessType":"none","uniqueTokenIdentifier":"${randomB64(rng, 22)}","incomingTokenType":"none","authenticationProtocol":"none"}}`,
    );
    out.commit(indexMs, this.state(local).person.globalIndex);
  }

  /**
   * A person's sign-in to an app AD FS serves, as AD FS Connect Health reports it to Entra: forms authentication on
   * the federation server from the person's workstation; the envelope's time is when Connect Health uploaded it, in
   * its own format (M/D/YYYY h:mm:ss AM/PM).
   */
  private writeAdfs(local: number, timeMs: number, out: RecordOut): void {
    const rng = this.rng;
    const t = this.runtime.tenant;
    const p = this.state(local).person;
    const a = p.actor;
    const i = ADFS_TABLE.pick(rng);
    const app = ADFS_APPS[i];
    const group = app.kind === 'applicationGroup';
    const appName = JSON.stringify(group ? `${app.name} - Native application` : app.name);
    const resource = JSON.stringify(group ? `${app.name} - Web API` : app.name);
    const resourceId = group ? `https://${app.host}.${t.domain}/api` : `https://${app.host}.${t.domain}/`;
    const ip = a.workstation_ip ?? p.addresses[0];
    const server = `ADFS-0${1 + rng.int(2)}`;
    const created = `${new Date(Math.floor(timeMs / 1000) * 1000).toISOString().slice(0, 19)}+00:00`;
    const uploaded = usTime(timeMs + 120_000 + rng.int(480_000));
    const id = guid(rng);
    const correlation = guid(rng);
    out.w.text(
      `{"time":"${uploaded}","resourceId":"/tenants/${t.id}/providers/Microsoft.aadiam","operationName":"Sign-in activity","operationVersion":"1.0","category":"ADFSSignInLogs","tenantId":"${t.id}","resultType":"0","resultSignature":"SUCCESS","durationMs":"0","callerIpAddress":"${ip}","correlationId":"${correlation}","identity":${p.nameJson},"level":"4",` +
        `"properties":{"id":"${id}","createdDateTime":"${created}","userDisplayName":${p.nameJson},"userPrincipalName":${p.upnJson},"userId":"${a.entra_object_id}","appId":"${t.adfsAppIds[i]}","appDisplayName":${appName},"ipAddress":"${ip}","status":{"errorCode":0},"clientAppUsed":"Unknown","userAgent":"","deviceDetail":{"deviceId":"","operatingSystem":"","browser":""},"location":{"city":"","state":"","countryOrRegion":"","geoCoordinates":{"latitude":0,"longitude":0}},` +
        `"correlationId":"${correlation}","conditionalAccessStatus":"notApplied","appliedConditionalAccessPolicies":[],"authenticationContextClassReferences":[],"conditionalAccessAudiences":[],"originalRequestId":"${id}","isInteractive":true,"tokenIssuerName":"${t.adfsIssuer}","tokenIssuerType":"ADFederationServices",` +
        `"authenticationProcessingDetails":[{"key":"Server name","value":"${server}"},{"key":"IP Addresses Involved in Auth Flow","value":"${ip}"},{"key":"Legacy TLS (TLS 1.0, 1.1, 3DES)","value":"False"},{"key":"Is Legacy Store Used","value":"False"},{"key":"Is CAE Token","value":"False"}],"processingTimeInMilliseconds":0,` +
        `"riskDetail":"hidden","riskLevelAggregated":"hidden","riskLevelDuringSignIn":"hidden","riskState":"none","riskEventTypes":[],"riskEventTypes_v2":[],"resourceDisplayName":${resource},"resourceId":"${resourceId}","resourceTenantId":"${t.id}","homeTenantId":"${t.id}","homeTenantName":"","resourceOwnerTenantId":"","resourceServicePrincipalId":"","appOwnerTenantId":"","appServicePrincipalId":null,` +
        `"authenticationDetails":[{"authenticationStepDateTime":"${created}","authenticationMethod":"Password","authenticationMethodDetail":"Forms Authentication","succeeded":true,"authenticationStepRequirement":"","StatusSequence":0,"RequestSequence":1}],"authenticationRequirementPolicies":[],"authenticationRequirement":"","alternateSignInName":${p.upnJson},"signInIdentifier":${p.upnJson},` +
        `"servicePrincipalId":"","servicePrincipalName":${appName},"servicePrincipalCredentialKeyId":"","servicePrincipalCredentialThumbprint":"","clientCredentialType":"none","userType":"Member","flaggedForReview":false,"isTenantRestricted":false,"isThroughGlobalSecureAccess":false,"globalSecureAccessIpAddress":"","ipAddressFromResourceProvider":"","crossTenantAccessType":"none","privateLinkDetails":{},"redirectUrl":"","sessionId":"","sessionLifetimePolicies":[],"signInEventTypes":["interactiveUser"],"signInTokenProtectionStatus":"none","tokenProtectionStatusDetails":{"signInSessionStatus":"none"},"sourceAppClientId":"","originalTransferMethod":"none","agent":{"agentType":"notAgentic","agentSubjectType":"notAgentic"},"tenantId":"${t.id}","uniqueTokenIdentifier":"${randomB64(rng, 22)}","incomingTokenType":"none","authenticationProtocol":"none"}}`,
    );
    out.commit(timeMs, p.globalIndex);
  }

  /** An interactive sign-in ending just before `timeMs` (with its interrupts); returns whether it succeeded. */
  private signIn(local: number, app: EntraApp, endMs: number, indexMs: number, out: RecordOut): boolean {
    const rng = this.rng;
    const st = this.state(local);
    let at = endMs - 2000 - rng.int(8000);
    if (indexMs < st.lockedUntil) {
      this.write(local, 'SignInLogs', app, at, indexMs, out, LOCKED, false);
      return false;
    }
    // A wrong password right after one is likelier (a forgotten or changed password); enough of them lock the account.
    if (rng.float() < (st.failures > 0 ? 0.5 : FAILURE_RATE)) {
      let f = USER_FAILURES[FAILURE_TABLE.pick(rng)];
      if (f.interrupt) f = USER_FAILURES[0];
      this.write(local, 'SignInLogs', app, at, indexMs, out, f, f.code === 500121);
      if (f.code === 50126 && ++st.failures >= LOCKOUT_AFTER) {
        st.failures = 0;
        st.lockedUntil = indexMs + LOCKOUT_MS;
      }
      return false;
    }
    st.failures = 0;
    // Entra logs "Keep me signed in?" and the MFA prompt as failed steps of a sign-in that then succeeds.
    if (rng.float() < KMSI_RATE) {
      this.write(local, 'SignInLogs', app, at, indexMs, out, rng.chance(0.6) ? KMSI : MFA_REQUIRED, false);
      at += 1500 + rng.int(6000);
    }
    this.write(local, 'SignInLogs', app, Math.min(at, endMs), indexMs, out, null, true);
    st.signedInUntil = this.board.workSession(local, indexMs).untilMs;
    return true;
  }

  startSession(local: number, timeMs: number, out: RecordOut): boolean {
    const st = this.state(local);
    if (st.person.actor.kind !== 'human') {
      if (timeMs < st.tokenUntil) return false;
      st.tokenUntil = timeMs + TOKEN_MS;
      this.serviceSignIn(local, timeMs, out);
      return true;
    }
    if (timeMs < st.signedInUntil) return false;
    this.signIn(local, INTERACTIVE[INTERACTIVE_TABLE.pick(this.rng)], timeMs, timeMs, out);
    return true;
  }

  private serviceSignIn(local: number, timeMs: number, out: RecordOut): void {
    const st = this.state(local);
    const failed = this.rng.float() < 0.004 ? SERVICE_FAILURES[this.rng.int(SERVICE_FAILURES.length)] : null;
    this.write(local, st.person.managedIdentity ? 'ManagedIdentitySignInLogs' : 'ServicePrincipalSignInLogs', ENTRA_APPS[0], timeMs, timeMs, out, st.person.managedIdentity ? null : failed, false);
  }

  emit(local: number, timeMs: number, out: RecordOut): void {
    const rng = this.rng;
    const st = this.state(local);
    if (st.person.actor.kind !== 'human') return this.serviceSignIn(local, timeMs, out);
    if (timeMs >= st.signedInUntil) {
      this.signIn(local, INTERACTIVE[INTERACTIVE_TABLE.pick(rng)], timeMs, timeMs, out);
      return;
    }
    // Mostly token refreshes by desktop and mobile apps (Microsoft's services now and then sign in after them, for the
    // person's mailbox or sites); now and then a sign-in to another app in the browser, or through AD FS.
    if (rng.chance(0.85)) {
      this.write(local, 'NonInteractiveUserSignInLogs', REFRESH[REFRESH_TABLE.pick(rng)], timeMs, timeMs, out, null, false);
      if (rng.float() < MICROSOFT_SP_SHARE) this.writeMicrosoft(local, timeMs + 500 + rng.int(30_000), timeMs, out);
    } else if (this.runtime.tenant.adfs && rng.float() < ADFS_SHARE) this.writeAdfs(local, timeMs, out);
    else this.write(local, 'SignInLogs', INTERACTIVE[INTERACTIVE_TABLE.pick(rng)], timeMs, timeMs, out, null, false);
  }

  shareActivity(local: number, timeMs: number, out: RecordOut): void {
    const human = this.shard.actors[local].kind === 'human';
    if (!human) {
      // A service signs in when its token has expired (about hourly), whatever else it does.
      const st = this.state(local);
      if (timeMs >= st.tokenUntil) {
        st.tokenUntil = timeMs + TOKEN_MS;
        this.serviceSignIn(local, timeMs, out);
      }
      return;
    }
    if (this.rng.float() < PERSON_SHARE) this.emit(local, timeMs, out);
  }

  /** A sign-in the AWS enterprise app asks of Entra (the organisation's identity provider), answered in this tick. */
  settle(local: number, timeMs: number, out: RecordOut): boolean {
    if (this.board.identityProvider !== 'entra') return false;
    const request = this.board.take(local);
    if (request === undefined) return false;
    const app = this.runtime.app(request.app);
    const st = this.state(local);
    let ok: boolean;
    if (timeMs < st.signedInUntil) {
      // Already signed in: single sign-on to the app, from the session's token; the app's own conditional access
      // (a compliant device, a fresh MFA for a sensitive app) blocks a few, and those open no session there.
      const at = timeMs - 200 - this.rng.int(800);
      const blocked = this.rng.float() < APP_BLOCK_RATE ? (this.rng.chance(0.6) ? CA_BLOCK : MFA_DENIED) : null;
      this.write(local, 'SignInLogs', app, at, timeMs, out, blocked, blocked === MFA_DENIED);
      ok = blocked === null;
    } else ok = this.signIn(local, app, timeMs - 200 - this.rng.int(800), timeMs, out);
    this.board.answer(local, { ok });
    return true;
  }

  /**
   * A scenario's step at Entra ID, from the attacker's browser and network: `spray_attempt` (a wrong password for
   * another person of the tenant), `mfa_push_denied` (the victim's password, an MFA prompt they deny), `mfa_push_accepted`
   * (the prompt they finally accept), `sso` (single sign-on to an app: `values.app`, default the AWS app). Drawn from
   * the step's own stream; the victim's own sessions are left as they were.
   */
  inject(local: number, timeMs: number, step: InjectedStep, out: RecordOut): number {
    const st = this.state(local);
    if (st.person.actor.kind !== 'human') return 0;
    this.rng.swap(step.rng);
    this.attacker = step.attacker;
    this.attackerSession = guid(this.rng);
    const office = this.runtime.app('office');
    try {
      switch (step.event) {
        case 'spray_attempt':
          this.write(local, 'SignInLogs', office, timeMs, timeMs, out, PASSWORD_WRONG, false, new EntraState(this.runtime.randomPerson(this.rng)));
          return 1;
        case 'mfa_push_denied':
          this.write(local, 'SignInLogs', office, timeMs, timeMs, out, MFA_DENIED, true);
          return 1;
        case 'mfa_push_accepted':
          this.write(local, 'SignInLogs', office, timeMs, timeMs, out, null, true);
          return 1;
        case 'sso':
          this.write(local, 'SignInLogs', this.runtime.app(step.values.app ?? 'aws'), timeMs, timeMs, out, null, false);
          return 1;
        default:
          return 0;
      }
    } finally {
      this.rng.swap(step.rng);
      this.attacker = null;
    }
  }
}

/** A time as AD FS Connect Health's uploads write it: `12/12/2025 3:03:58 PM` (UTC). */
function usTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${mm}:${ss} ${h < 12 ? 'AM' : 'PM'}`;
}

function randomB64(rng: Rng, n: number): string {
  let s = '';
  let bits = 0;
  for (let i = 0; i < n; i++) {
    if (i % 5 === 0) bits = rng.u32();
    s += B64[(bits & 63) % 62];
    bits >>>= 6;
  }
  return s;
}

/** The person as the attacker's sign-ins show them: the attacker's address, browser, device and place. */
function attackerView(person: EntraPerson, a: Attacker): EntraPerson {
  const os = a.browser.includes('Windows') ? 'Windows10' : 'Linux';
  const browser = a.browser.includes('Firefox') ? `Firefox ${/Firefox\/([\d.]+)/.exec(a.browser)?.[1] ?? ''}` : `Chrome ${/Chrome\/([\d.]+)/.exec(a.browser)?.[1] ?? ''}`;
  return {
    ...person,
    actor: { ...person.actor, asn: a.asn, country: a.countryCode },
    addresses: [a.ip],
    userAgentJson: JSON.stringify(a.browser),
    deviceDetail: `{"deviceId":"","operatingSystem":"${os}","browser":"${browser}"}`,
    location: `{"city":${JSON.stringify(a.city)},"state":${JSON.stringify(a.state)},"countryOrRegion":"${a.countryCode}","geoCoordinates":{"latitude":${a.latitude},"longitude":${a.longitude}}}`,
  };
}
