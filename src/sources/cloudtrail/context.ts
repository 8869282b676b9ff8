/**
 * Per-shard mutable state of the CloudTrail source: the runtime view of each actor (its current session, its
 * pre-encoded identity) and the context of the record being written, which slot resolvers read.
 */
import { jsonContent, utf8 } from '../../encode/byte-writer.js';
import type { CompiledTemplate } from '../../encode/template.js';
import { IsoSecondClock } from '../../encode/time-format.js';
import type { Actor } from '../../population/actor.js';
import type { ClientKind } from '../../population/data/user-agents.js';
import { parseCidr } from '../../population/cidr.js';
import type { Rng } from '../../util/rng.js';
import type { CompiledEvent, EventMix } from './compiled.js';
import type { AccountWorld, RegionalWorld } from './world.js';

export type SessionKind = 'console' | 'cli' | 'service';

/** TLS parameters a client negotiates, with their share of sessions. */
export const TLS_VARIANTS: readonly { version: Uint8Array; cipher: Uint8Array; weight: number }[] = [
  { version: utf8('TLSv1.3'), cipher: utf8('TLS_AES_128_GCM_SHA256'), weight: 0.78 },
  { version: utf8('TLSv1.3'), cipher: utf8('TLS_AES_256_GCM_SHA384'), weight: 0.12 },
  { version: utf8('TLSv1.2'), cipher: utf8('ECDHE-RSA-AES128-GCM-SHA256'), weight: 0.1 },
];

export interface Session {
  kind: SessionKind;
  startMs: number;
  identity: Uint8Array;
  /** ASIA… key the session's calls carry (content bytes). */
  accessKeyId: Uint8Array;
  accessKeyText: string;
  sourceIp: Uint8Array;
  userAgent: Uint8Array;
  client: ClientKind;
  tls: number;
  regionIndex: number;
  fromConsole: boolean;
  mfa: boolean;
}

export class ActorState {
  session: Session | null = null;
  readonly accountId: Uint8Array;
  readonly userName: Uint8Array;
  readonly callerArn: Uint8Array;
  readonly ipBase: number;
  readonly ipSpan: number;
  readonly console: Uint8Array | null;
  readonly api: Uint8Array;

  constructor(
    readonly actor: Actor,
    readonly globalIndex: number,
    readonly account: AccountWorld,
    readonly mix: EventMix,
    callerArn: string,
  ) {
    this.accountId = jsonContent(actor.account_id);
    this.userName = jsonContent(actor.email ?? actor.user_name);
    this.callerArn = jsonContent(callerArn);
    const { base, bits } = parseCidr(actor.ip_cidr);
    this.ipBase = base;
    this.ipSpan = 2 ** (32 - bits);
    this.console = actor.console_user_agent ? jsonContent(actor.console_user_agent) : null;
    this.api = jsonContent(actor.api_user_agent);
  }
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
  session!: Session;
  event!: CompiledEvent;
  timeMs = 0;
  regionName!: Uint8Array;
  regionText = '';
  regionIndex = 0;
  error: ErrorChoice | null = null;
  /** Set while writing a session-opening record: identity, source and agent differ from the session's. */
  opening: { identity: Uint8Array; sourceIp: Uint8Array | null; userAgent: Uint8Array | null; awsService: boolean } | null = null;
  readonly clock = new IsoSecondClock();
  private regional: RegionalWorld | null = null;
  private regionalAccount: AccountWorld | null = null;
  private regionalIndex = -1;
  private readonly pickGen = new Int32Array(Pick.Count);
  private readonly pickValue = new Float64Array(Pick.Count);
  private generation = 1;

  constructor(readonly rng: Rng) {}

  beginRecord(): void {
    this.generation++;
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

  /** Index into a pool of `size`, shared by every slot asking for the same kind in this record. Skewed: a few
   * resources are hot, most are touched rarely, as in real accounts. */
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
