/**
 * userIdentity blocks as CloudTrail writes them, one per session (built once, copied into every record of it).
 * Key order follows real records: type, principalId, arn, accountId, accessKeyId, userName, sessionContext.
 */
import type { Actor } from '../../population/actor.js';

export function assumedRoleArn(actor: Actor): string {
  const roleName = actor.identity_arn.slice(actor.identity_arn.lastIndexOf('/') + 1);
  return `arn:aws:sts::${actor.account_id}:assumed-role/${roleName}/${actor.session_name}`;
}

/** The ARN an actor's calls are attributed to (what `User: … is not authorized` messages name). */
export function callerArn(actor: Actor): string {
  return actor.identity_type === 'IAMUser' ? actor.identity_arn : assumedRoleArn(actor);
}

function attributes(creationIso: string, mfa: boolean): string {
  return `"attributes":{"creationDate":"${creationIso}","mfaAuthenticated":"${mfa ? 'true' : 'false'}"}`;
}

/** An IAM user: with a long-term key (no session), a session key from GetSessionToken/console, or no key (sign-in). */
export function iamUserIdentity(actor: Actor, accessKeyId: string | null, session: { creationIso: string; mfa: boolean } | null): string {
  const key = accessKeyId ? `,"accessKeyId":"${accessKeyId}"` : '';
  // IAM users' session credentials carry only the session attributes (as in the reference records).
  const context = session ? `,"sessionContext":{${attributes(session.creationIso, session.mfa)}}` : '';
  return `{"type":"IAMUser","principalId":"${actor.principal_id}","arn":"${actor.identity_arn}","accountId":"${actor.account_id}"${key},"userName":${JSON.stringify(actor.user_name)}${context}}`;
}

/** A role session: SSO users, service roles. EC2 instance-profile sessions carry `ec2RoleDelivery`. */
export function assumedRoleIdentity(actor: Actor, accessKeyId: string | null, creationIso: string, mfa: boolean): string {
  const roleName = actor.identity_arn.slice(actor.identity_arn.lastIndexOf('/') + 1);
  const key = accessKeyId ? `,"accessKeyId":"${accessKeyId}"` : '';
  const ec2 = actor.runtime === 'ec2' ? ',"ec2RoleDelivery":"2.0"' : '';
  return (
    `{"type":"AssumedRole","principalId":"${actor.principal_id}:${actor.session_name}","arn":${JSON.stringify(assumedRoleArn(actor))},"accountId":"${actor.account_id}"${key},` +
    `"sessionContext":{"sessionIssuer":{"type":"Role","principalId":"${actor.principal_id}","arn":"${actor.identity_arn}","accountId":"${actor.account_id}","userName":"${roleName}"},` +
    `${attributes(creationIso, mfa)}${ec2}}}`
  );
}

/** The name a federated user's sessions carry: the IAM user's name, as GetFederationToken allows it (≤ 32 chars). */
export function federatedName(actor: Actor): string {
  return actor.user_name.split('@')[0].replace(/[^\w+=,.@-]/g, '-').slice(0, 32);
}

export const federatedUserArn = (actor: Actor) => `arn:aws:sts::${actor.account_id}:federated-user/${federatedName(actor)}`;

/** A session from GetFederationToken: issued to an IAM user (the session issuer), never MFA-authenticated. */
export function federatedUserIdentity(actor: Actor, accessKeyId: string, creationIso: string): string {
  const name = federatedName(actor);
  return (
    `{"type":"FederatedUser","principalId":"${actor.account_id}:${name}","arn":"${federatedUserArn(actor)}","accountId":"${actor.account_id}","accessKeyId":"${accessKeyId}",` +
    `"sessionContext":{"sessionIssuer":{"type":"IAMUser","principalId":"${actor.principal_id}","arn":"${actor.identity_arn}","accountId":"${actor.account_id}","userName":${JSON.stringify(actor.user_name)}},` +
    `"webIdFederationData":{},${attributes(creationIso, false)}}}`
  );
}

export const INVOKED_BY: Readonly<Record<string, string>> = {
  ec2: 'ec2.amazonaws.com',
  lambda: 'lambda.amazonaws.com',
  ecs: 'ecs-tasks.amazonaws.com',
};

/** An AWS service acting on the account's behalf (assuming a service role for EC2, Lambda, ECS). */
export function awsServiceIdentity(invokedBy: string): string {
  return `{"type":"AWSService","invokedBy":"${invokedBy}"}`;
}

/** The account's root user signing in (no key yet). */
export function rootSignInIdentity(accountId: string): string {
  return `{"type":"Root","principalId":"${accountId}","arn":"arn:aws:iam::${accountId}:root","accountId":"${accountId}","accessKeyId":""}`;
}

/** The root user's console session: a temporary key, and only session attributes in sessionContext. */
export function rootSessionIdentity(accountId: string, accessKeyId: string, creationIso: string): string {
  return `{"type":"Root","principalId":"${accountId}","arn":"arn:aws:iam::${accountId}:root","accountId":"${accountId}","accessKeyId":"${accessKeyId}","sessionContext":{"attributes":{"creationDate":"${creationIso}","mfaAuthenticated":"true"}}}`;
}

export const rootArn = (accountId: string) => `arn:aws:iam::${accountId}:root`;

/** An IAM Identity Center user authenticating to the access portal (before any AWS credentials exist). */
export function identityCenterUserIdentity(accountId: string, userId: string, identityStoreId: string, credentialId: string): string {
  return `{"type":"IdentityCenterUser","arn":"","accountId":"${accountId}","accessKeyId":"","onBehalfOf":{"userId":"${userId}","identityStoreArn":"arn:aws:identitystore::${accountId}:identitystore/${identityStoreId}"},"credentialId":"${credentialId}"}`;
}
