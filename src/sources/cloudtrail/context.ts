/**
 * Per-shard mutable state of the CloudTrail source: the runtime view of each actor (its current session, its
 * pre-encoded identity blocks) and the context of the record being written, which slot resolvers read.
 *
 * Everything a session changes in an identity block (the ASIA key, the creation date) has a fixed length, so each
 * actor's blocks are encoded once and patched in place when a session starts: no allocation per session.
 */
import { arenaJson, arenaUtf8 } from '../../encode/assemble/arena.js';
import { utf8 } from '../../encode/byte-writer.js';
import type { CompiledTemplate } from '../../encode/layout/index.js';
import { EPOCH_SECOND, IsoSecondClock, writeIsoSecond } from '../../encode/time-format.js';
import type { Actor } from '../../population/actor.js';
import { CLIENT_KINDS } from '../../population/data/user-agents.js';
import { sessionAddresses } from '../../population/addresses.js';
import { fnv1a } from '../../util/hash.js';
import type { Rng } from '../../util/rng.js';
import type { RareEvents } from './baseline.js';
import type { CompiledEvent, EventMix } from './compiled.js';
import { assumedRoleIdentity, callerArn, federatedName, federatedUserArn, federatedUserIdentity, iamUserIdentity, identityCenterUserIdentity, rootArn, rootSessionIdentity, rootSignInIdentity } from './identity.js';
import type { AccountWorld, Bucket, RegionalWorld } from './world.js';

/**
 * console and cli sessions hold temporary (ASIA) keys; `key` means calls signed with an IAM user's long-term key;
 * `root` is a console session of the account's root user (an admin signing in as the account owner); `federated` is
 * a GetFederationToken session an IAM user opens with their long-term key (a broker or script handing out access).
 */
export type SessionKind = 'console' | 'cli' | 'key' | 'service' | 'root' | 'federated';

/** TLS parameters a client negotiates, with their share of sessions. */
export const TLS_VARIANTS: readonly { version: Uint8Array; cipher: Uint8Array; weight: number }[] = [
  { version: arenaUtf8('TLSv1.3'), cipher: arenaUtf8('TLS_AES_128_GCM_SHA256'), weight: 0.78 },
  { version: arenaUtf8('TLSv1.3'), cipher: arenaUtf8('TLS_AES_256_GCM_SHA384'), weight: 0.12 },
  { version: arenaUtf8('TLSv1.2'), cipher: arenaUtf8('ECDHE-RSA-AES128-GCM-SHA256'), weight: 0.1 },
];

const KEY_PLACEHOLDER = 'ASIAPLACEHOLDERKEY00';
const DATE_PLACEHOLDER = '0000-00-00T00:00:00Z';

/** A pre-encoded JSON block with a fixed-length date (and optionally key) to patch per session. */
export class PatchableBlock {
  readonly bytes: Uint8Array;
  private readonly dateAt: number;
  private readonly keyAt: number;

  constructor(text: string) {
    this.bytes = arenaUtf8(text);
    this.dateAt = indexOfAscii(this.bytes, DATE_PLACEHOLDER);
    this.keyAt = indexOfAscii(this.bytes, KEY_PLACEHOLDER);
  }

  patch(creationMs: number, key: Uint8Array | null): Uint8Array {
    if (this.dateAt >= 0) writeIsoSecond(this.bytes, this.dateAt, creationMs);
    if (key && this.keyAt >= 0) this.bytes.set(key, this.keyAt);
    return this.bytes;
  }
}

function indexOfAscii(haystack: Uint8Array, needle: string): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/** An actor's own identity values, pre-encoded. `sessionPrefix` starts the role session names it picks. */
export interface OwnIdentity {
  readonly arn: Uint8Array;
  readonly principalId: Uint8Array;
  readonly roleName: Uint8Array;
  readonly sessionName: Uint8Array | null;
  readonly sessionPrefix: Uint8Array;
}

/**
 * Credentials an actor holds for one way of working (the console, or the CLI and SDKs): a session key and where it
 * was obtained. A new burst of activity in that way reuses them until `untilMs`, as a browser tab or the CLI's
 * credential cache does, so people sign in a few times a day, not at every burst.
 */
export class HeldCredentials {
  kind: SessionKind = 'cli';
  /** The ASIA… key (unused for the long-term-key kind). */
  readonly key = new Uint8Array(20);
  createdMs = 0;
  /** Valid before this time; 0: none held. */
  untilMs = 0;
  sourceIp: Uint8Array = new Uint8Array(0);
  tls = 0;
  regionIndex = 0;
}

/** Indexes into `ActorState.held`: people keep console and CLI credentials apart; workloads use the second. */
export const CONSOLE_CREDENTIALS = 0;
export const API_CREDENTIALS = 1;

export class ActorState {
  /** The actor's index in its shard (the session board's index). */
  local = -1;
  /** A sign-in asked of the organisation's identity provider (0 none, 1 console, 2 access portal), written once it answers. */
  pendingFederation = 0;
  /** What the actor holds per way of working (console, CLI/SDK), reused until expiry. */
  readonly held: readonly [HeldCredentials, HeldCredentials] = [new HeldCredentials(), new HeldCredentials()];
  /** An IAM Identity Center user's access-portal sign-in (`aws sso login`) is valid until then. */
  portalUntilMs = 0;
  /** Rare events at their benign base rates (baseline.ts): when the next one is due, and one waiting to be made. */
  rare: RareEvents | null = null;
  nextRareMs = -1;
  pendingRare: CompiledEvent | null = null;
  /** Root sign-ins per ms (administrators only) and when the next is due. */
  rootPerMs = 0;
  nextRootMs = Infinity;
  /** What a root session may call (no AssumeRole): set by the shard on first use. */
  rootMix: EventMix | null = null;
  /** An event the actor's last call makes due next (DeleteAccessKey of the key a rotation replaced). */
  followUp: string | null = null;

  // ---- the current session (fields reused from session to session) ----
  inSession = false;
  kind: SessionKind = 'cli';
  sessionStartMs = 0;
  /** When the current session's credentials expire. */
  sessionUntilMs = 0;
  /** ASIA… key of the current session. */
  readonly sessionKey = new Uint8Array(20);
  /** userIdentity of the session's calls (the patched session block, or the long-term-key block). */
  workIdentity: Uint8Array = new Uint8Array(0);
  sourceIp: Uint8Array;
  userAgent: Uint8Array;
  /** Index in CLIENT_KINDS of the current session's client. */
  clientIndex: number;
  tls = 0;
  regionIndex = 0;
  fromConsole = false;

  // ---- stable per actor ----
  readonly accountId: Uint8Array;
  /** Copied from the actor: population rows are read on every record, and these objects come from structured
   * clone (slow, dictionary-mode property access). */
  readonly errorRate: number;
  readonly userName: Uint8Array;
  /** The ARN the session's calls are attributed to (in "User: … is not authorized" messages). */
  callerArn: Uint8Array;
  readonly defaultCallerArn: Uint8Array;
  readonly console: Uint8Array | null;
  readonly api: Uint8Array;
  /** For services running in a VPC that uses endpoints: the endpoint id and the private address calls come from. */
  readonly vpcEndpoint: Uint8Array | null;
  readonly privateIp: Uint8Array | null;
  /** userIdentity of the actor's work sessions: key and creation date patched per session. */
  readonly sessionIdentity: PatchableBlock;
  private signInIdentityBlock: PatchableBlock | null = null;
  private longTermIdentityBlock: PatchableBlock | null = null;
  /** The long-term key the block holds now (patched in place when the user rotates it). */
  private longTermIdentityKey: string | null = null;
  private samlIdentityBlock: Uint8Array | null = null;
  private readonly addresses: Uint8Array[];

  constructor(
    readonly actor: Actor,
    readonly globalIndex: number,
    readonly account: AccountWorld,
    readonly mix: EventMix,
  ) {
    this.accountId = arenaJson(actor.account_id);
    this.userName = arenaJson(actor.email ?? actor.user_name);
    this.defaultCallerArn = arenaJson(callerArn(actor));
    this.callerArn = this.defaultCallerArn;
    this.console = actor.console_user_agent ? arenaJson(actor.console_user_agent) : null;
    this.api = arenaJson(actor.api_user_agent);
    this.userAgent = this.api;
    this.clientIndex = CLIENT_KINDS.indexOf(actor.api_client);
    this.errorRate = actor.error_rate;
    this.sessionIdentity = new PatchableBlock(
      actor.identity_type === 'IAMUser'
        ? iamUserIdentity(actor, KEY_PLACEHOLDER, { creationIso: DATE_PLACEHOLDER, mfa: actor.mfa })
        : assumedRoleIdentity(actor, KEY_PLACEHOLDER, DATE_PLACEHOLDER, false),
    );
    this.addresses = sessionAddresses(actor).map(arenaUtf8);
    this.sourceIp = this.addresses[0];
    // Workloads on EC2 or ECS in a VPC with endpoints (seven in ten, fixed per actor) reach AWS APIs privately.
    const h = fnv1a(actor.id);
    if (actor.kind === 'service' && (actor.runtime === 'ec2' || actor.runtime === 'ecs') && h % 10 < 7) {
      this.vpcEndpoint = arenaUtf8(`vpce-0${(h >>> 4).toString(16).padStart(8, '0')}${(Math.imul(h, 2654435761) >>> 0).toString(16).padStart(8, '0')}`);
      this.privateIp = arenaUtf8(`10.${(h >>> 8) & 255}.${(h >>> 16) & 255}.${1 + ((h >>> 24) % 254)}`);
    } else {
      this.vpcEndpoint = null;
      this.privateIp = null;
    }
  }

  /** The session address `index` of sessionAddresses(actor) (a session shared with other sources). */
  address(index: number): Uint8Array {
    return this.addresses[index];
  }

  pickAddress(rng: Rng): Uint8Array {
    return this.addresses[this.addresses.length === 1 ? 0 : rng.int(this.addresses.length)];
  }

  /** userIdentity of a console sign-in (no key; role sessions carry the creation date). */
  signInIdentity(timeMs: number): Uint8Array {
    this.signInIdentityBlock ??= new PatchableBlock(
      this.actor.identity_type === 'IAMUser' ? iamUserIdentity(this.actor, null, null) : assumedRoleIdentity(this.actor, null, DATE_PLACEHOLDER, false),
    );
    return this.signInIdentityBlock.patch(timeMs, null);
  }

  private rootBlocks: { signIn: Uint8Array; session: PatchableBlock; arn: Uint8Array } | null = null;

  /** The account root user's identity blocks (built when an admin of this account first signs in as root). */
  root(): { signIn: Uint8Array; session: PatchableBlock; arn: Uint8Array } {
    const acct = this.actor.account_id;
    this.rootBlocks ??= { signIn: arenaUtf8(rootSignInIdentity(acct)), session: new PatchableBlock(rootSessionIdentity(acct, KEY_PLACEHOLDER, DATE_PLACEHOLDER)), arn: arenaJson(rootArn(acct)) };
    return this.rootBlocks;
  }

  private federatedBlocks: { session: PatchableBlock; arn: Uint8Array; name: Uint8Array } | null = null;

  /** The IAM user's federated-user identity (GetFederationToken sessions): built on first use. */
  federated(): { session: PatchableBlock; arn: Uint8Array; name: Uint8Array } {
    const a = this.actor;
    this.federatedBlocks ??= { session: new PatchableBlock(federatedUserIdentity(a, KEY_PLACEHOLDER, DATE_PLACEHOLDER)), arn: arenaJson(federatedUserArn(a)), name: arenaJson(federatedName(a)) };
    return this.federatedBlocks;
  }

  /** What a federated session may call (no IAM, no STS but GetCallerIdentity): set by the shard on first use. */
  federatedMix: EventMix | null = null;

  private ownBytes: OwnIdentity | null = null;

  /** The actor's own identity values as JSON string content (what its AssumeRole openings write): built once. */
  own(): OwnIdentity {
    if (!this.ownBytes) {
      const a = this.actor;
      const person = (a.email ?? a.user_name).split('@')[0].replace(/[^\w+=,.@-]/g, '');
      this.ownBytes = {
        arn: arenaJson(a.identity_arn),
        principalId: arenaJson(a.principal_id),
        roleName: arenaJson(a.identity_arn.slice(a.identity_arn.lastIndexOf('/') + 1)),
        sessionName: a.session_name ? arenaJson(a.session_name) : null,
        sessionPrefix: arenaJson(a.kind === 'human' ? `${person}-` : 'botocore-session-'),
      };
    }
    return this.ownBytes;
  }

  private identityCenterBlock: Uint8Array | null = null;

  /** The person as an IAM Identity Center user (portal sign-in): ids derived from the actor, stable across runs. */
  identityCenter(): Uint8Array {
    if (!this.identityCenterBlock) {
      const a = this.actor;
      const h = (salt: string) => fnv1a(`${salt}/${a.id}/${a.account_id}`).toString(16).padStart(8, '0');
      const userId = `${h('u1')}-${h('u2').slice(0, 4)}-${h('u3').slice(0, 4)}-${h('u4').slice(0, 4)}-${h('u5')}${h('u6').slice(0, 4)}`;
      const store = `d-906${fnv1a(`store/${a.account_id}`).toString(16).padStart(8, '0').slice(0, 7)}`;
      this.identityCenterBlock = arenaUtf8(identityCenterUserIdentity(a.account_id, userId, store, `${h('c1')}${h('c2')}${h('c3')}${h('c4')}`));
    }
    return this.identityCenterBlock;
  }

  private federationIdentityBlock: Uint8Array | null = null;

  /** userIdentity of AssumeRoleWithSAML: the person as the account's SAML provider asserts them. */
  federationIdentity(nameQualifier: string): Uint8Array {
    const name = JSON.stringify(this.actor.email ?? this.actor.user_name);
    this.federationIdentityBlock ??= arenaUtf8(`{"type":"SAMLUser","principalId":${JSON.stringify(`${nameQualifier}:`).slice(0, -1)}${name.slice(1)},"userName":${name},"identityProvider":"${nameQualifier}"}`);
    return this.federationIdentityBlock;
  }

  /** userIdentity of a person signed in to a SAML-federated web app (Managed Grafana): type and e-mail only. */
  samlIdentity(): Uint8Array {
    this.samlIdentityBlock ??= arenaUtf8(`{"type":"SAMLUser","userName":${JSON.stringify(this.actor.email ?? this.actor.user_name)}}`);
    return this.samlIdentityBlock;
  }

  /** userIdentity of a call made with the IAM user's long-term AKIA key (GetSessionToken). */
  longTermIdentity(): Uint8Array {
    const key = this.longTermKey ?? this.actor.access_key_id;
    // Keys are 20 characters (AKIA + 16); anything else is encoded afresh rather than patched.
    if (key === null || key.length !== KEY_PLACEHOLDER.length) return utf8(iamUserIdentity(this.actor, key, null));
    this.longTermIdentityBlock ??= new PatchableBlock(iamUserIdentity(this.actor, KEY_PLACEHOLDER, null));
    if (this.longTermIdentityKey !== key) {
      this.longTermIdentityBlock.patch(0, utf8(key));
      this.longTermIdentityKey = key;
    }
    return this.longTermIdentityBlock.bytes;
  }

  // ---- what the actor changed in the world (its own: state that changes belongs to the actor) ----
  /** Buckets this actor created that still exist (the newest few: see lifecycle.ts). */
  readonly buckets: Bucket[] = [];
  /** How many CreateBucket calls the actor has made (part of the new bucket's unique name). */
  bucketsCreated = 0;
  /** Instances this actor launched that are not terminated (the newest few: see lifecycle.ts). */
  readonly instances: OwnedInstance[] = [];
  /** The IAM user's current long-term key after rotating it (null: the population's key). */
  longTermKey: string | null = null;
  /** A replaced long-term key that the user has not deleted yet. */
  retiredKey: string | null = null;

  /** Switches the user's long-term key (after CreateAccessKey for themselves); the old one awaits deletion. */
  rotateKey(key: string): void {
    this.retiredKey = this.longTermKey ?? this.actor.access_key_id;
    this.longTermKey = key;
    if (this.kind === 'key') this.workIdentity = this.longTermIdentity();
  }
}

export interface OwnedInstance {
  readonly id: Uint8Array;
  readonly regionIndex: number;
  running: boolean;
}

/** Kinds of per-record choices that several slots must agree on (a role's name, ARN and id share one pick). */
export const enum Pick {
  Role,
  User,
  Instance,
  Bucket,
  KmsKey,
  Secret,
  Function,
  Table,
  Param,
  LogGroup,
  Subnet,
  Count,
}

export interface ErrorChoice {
  code: Uint8Array | null;
  message: CompiledTemplate;
}

/** The record being written: what resolvers need to produce slot values. */
export class EventContext {
  actor!: ActorState;
  event!: CompiledEvent;
  timeMs = 0;
  regionName!: Uint8Array;
  regionText = '';
  regionIndex = 0;
  error: ErrorChoice | null = null;
  /** Set while writing a session-opening record, whose identity, source and agent differ from the session's. */
  opening = false;
  openingIdentity: Uint8Array | null = null;
  openingSource: Uint8Array | null = null;
  /** The opening call is made by an AWS service (no TLS details, no client suffix). */
  openingByService = false;
  /** The opening is a console sign-in federated through the organisation's identity provider (SAML). */
  openingSaml = false;
  /** That identity provider (a source type: `okta`, `entra`), which names the account's SAML provider. */
  samlIdentityProvider = 'okta';
  /** The opening call's user agent, when it is not the session's (the browser of a portal sign-in). */
  openingAgent: Uint8Array | null = null;
  /** How long the credentials an opening call obtains will be used (0: not an opening): its duration and expiry. */
  openingDurationMs = 0;
  /** The bucket and instance this record acts on, once chosen (lifecycle hooks choose them first for some calls). */
  bucket: Bucket | null = null;
  instance: Uint8Array | null = null;
  readonly clock = new IsoSecondClock(arenaUtf8(EPOCH_SECOND));
  private regional: RegionalWorld | null = null;
  private regionalAccount: AccountWorld | null = null;
  private regionalIndex = -1;
  private readonly pickGen = new Int32Array(Pick.Count);
  private readonly pickValue = new Float64Array(Pick.Count);
  private generation = 1;

  constructor(readonly rng: Rng) {}

  /** A scenario step's records always succeed (the attack's outcome is the scenario's to decide). */
  forceSuccess = false;

  beginRecord(): void {
    this.generation++;
    this.bucket = null;
    this.instance = null;
  }

  /** The account's inventory in the record's region. */
  world(): RegionalWorld {
    const account = this.actor.account;
    if (this.regional === null || this.regionalAccount !== account || this.regionalIndex !== this.regionIndex) {
      this.regional = account.region(this.regionText);
      this.regionalAccount = account;
      this.regionalIndex = this.regionIndex;
    }
    return this.regional;
  }

  /**
   * Index into a pool of `size`, shared by every slot asking for the same kind in this record. Skewed: a few
   * resources are hot, most are touched rarely, as in real accounts.
   */
  pick(kind: Pick, size: number): number {
    if (this.pickGen[kind] !== this.generation) {
      this.pickGen[kind] = this.generation;
      const u = this.rng.float();
      this.pickValue[kind] = u * u;
    }
    return Math.floor(this.pickValue[kind] * size);
  }
}

export type { EventMix };
