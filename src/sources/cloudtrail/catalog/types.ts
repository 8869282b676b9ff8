/**
 * The shape of a CloudTrail catalog entry. Every event the source can emit is one `EventSpec`: plain data that the
 * source compiles into record writers at startup. Adding an event is adding an entry, never code.
 */
import type { Generator, Layout, Resolver } from '../../../encode/layout/index.js';
import type { EventContext } from '../context.js';
import type { HumanRole, ServiceProfile } from '../../../population/kinds.js';

/** Who performs an event: human roles and service profiles, with relative multipliers (absent = never). */
export type Audience = HumanRole | ServiceProfile;
export type Who = Partial<Record<Audience, number>>;

export interface ErrorSpec {
  /** `errorCode`; absent for errors CloudTrail reports with a message only (failed ConsoleLogin). */
  readonly code?: string;
  /** `errorMessage`: literal text with `{slot}` references (e.g. `{callerArn}`, `{iamAction}`). */
  readonly message: string;
  readonly weight?: number;
}

export interface EventSpec {
  readonly name: string;
  /** Key into SERVICES: decides eventSource, endpoint host, IAM action prefix, CLI and SDK names. */
  readonly service: string;
  /** Relative frequency in a real account's mix (before audience multipliers). */
  readonly weight: number;
  readonly readOnly: boolean;
  /** false for data events (S3 object-level, Lambda Invoke): eventCategory "Data", managementEvent false. */
  readonly management: boolean;
  readonly eventType?: 'AwsApiCall' | 'AwsConsoleSignIn' | 'AwsServiceEvent';
  readonly eventVersion?: string;
  readonly who: Who;
  readonly request: Layout;
  /** responseElements on success; read-only calls log null, as CloudTrail does. */
  readonly response: Layout;
  /** responseElements when the call fails (default null). */
  readonly errorResponse?: Layout;
  readonly additional?: Layout;
  readonly resources?: Layout;
  readonly errors: readonly ErrorSpec[];
  /** Multiplier on the actor's error rate: >1 for calls that often fail (missing bucket policies, throttled reads). */
  readonly errorBias?: number;
  /** `tlsDetails.clientProvidedHostHeader` when not the service's regional endpoint. */
  readonly host?: Layout;
  /** `requestID` style: AWS uuid (default), S3's 16-char id, or none (ConsoleLogin has none). */
  readonly requestId?: 'uuid' | 's3' | 'none';
  /** false for events CloudTrail logs without tlsDetails (service events such as UserAuthentication). */
  readonly tls?: false;
  /** `serviceEventDetails` of AwsServiceEvent records. */
  readonly serviceEventDetails?: Layout;
  /** Identity types that can make the call (default: any); e.g. GetFederationToken needs an IAM user. */
  readonly callers?: readonly ('IAMUser' | 'AssumedRole')[];
  /**
   * `samlUser`: a web application's audit event whose users sign in through the company's SAML identity provider
   * (Amazon Managed Grafana): userIdentity is `{"type":"SAMLUser","userName":<e-mail>}` and the call comes from the
   * person's browser, not from their AWS session.
   */
  readonly identity?: 'samlUser';
}

const ACCESS_DENIED_MESSAGE = 'User: {callerArn} is not authorized to perform: {iamAction} because no identity-based policy allows the {iamAction} action';

/** "not authorized" naming the resource, as IAM's policy evaluation reports it (`resource` may use slots). */
export function deniedOn(resource: string, code = 'AccessDenied'): ErrorSpec {
  return { code, message: `User: {callerArn} is not authorized to perform: {iamAction} on resource: ${resource} because no identity-based policy allows the {iamAction} action`, weight: 3 };
}

/** Common error shapes reused across services. */
export const ERR = {
  accessDenied: { code: 'AccessDenied', message: ACCESS_DENIED_MESSAGE, weight: 3 } satisfies ErrorSpec,
  accessDeniedException: { code: 'AccessDeniedException', message: ACCESS_DENIED_MESSAGE, weight: 3 } satisfies ErrorSpec,
  unauthorizedOperation: { code: 'Client.UnauthorizedOperation', message: 'You are not authorized to perform this operation. User: {callerArn} is not authorized to perform: {iamAction} because no identity-based policy allows the {iamAction} action', weight: 3 } satisfies ErrorSpec,
  throttling: { code: 'ThrottlingException', message: 'Rate exceeded', weight: 1 } satisfies ErrorSpec,
  ec2Throttling: { code: 'Client.RequestLimitExceeded', message: 'Request limit exceeded.', weight: 1 } satisfies ErrorSpec,
} as const;

/** Audience presets, so entries say who does them in one word. */
export const WHO = {
  everyone: { admin: 1, developer: 1, readonly: 1, auditor: 1, generic: 1, ec2_reaper: 0.2, datalake_bot: 0.2, logs_shipper: 0.2, metrics_collector: 0.2 },
  people: { admin: 1, developer: 1, readonly: 1, auditor: 1 },
  readers: { admin: 1, developer: 1, readonly: 1.5, auditor: 1.5 },
  builders: { admin: 1, developer: 1.5 },
  admins: { admin: 1 },
  auditors: { auditor: 2, admin: 0.5, readonly: 0.5 },
} as const satisfies Record<string, Who>;

/**
 * A catalog file's export: its events, and the slots and generators only its events use (shared ones live in
 * sources/cloudtrail/slots.ts). Names must be unique across the catalog.
 */
export interface CatalogGroup {
  readonly events: readonly EventSpec[];
  readonly slots?: Readonly<Record<string, Resolver<EventContext>>>;
  readonly generators?: Readonly<Record<string, Generator<EventContext>>>;
}
