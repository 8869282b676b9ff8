/**
 * One shard of the CloudTrail source: turns "actor X acts at time T" into a CloudTrail record, keeping each
 * actor's session (identity, key, network, client) consistent across every record of that session.
 */
import { arenaJson, arenaUtf8 } from '../../encode/assemble/arena.js';
import { utf8 } from '../../encode/byte-writer.js';
import type { Slots } from '../../encode/layout/index.js';
import { CLIENT_KINDS } from '../../population/data/user-agents.js';
import { AliasTable, Rng } from '../../util/rng.js';
import type { RecordOut, ShardContext, ShardSource } from '../source.js';
import type { CompiledEvent } from './compiled.js';
import { ActorState, EventContext, TLS_VARIANTS } from './context.js';
import { awsServiceIdentity, INVOKED_BY } from './identity.js';
import type { CloudTrailRuntime } from './runtime.js';

const BASE32 = utf8('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');

/** `count` base32 characters into `buf` at `at`: six per 32-bit draw. */
function randomBase32(rng: Rng, buf: Uint8Array, at: number, count: number): void {
  let bits = 0;
  let left = 0;
  for (let i = 0; i < count; i++) {
    if (left < 5) {
      bits = rng.u32();
      left = 32;
    }
    buf[at + i] = BASE32[bits & 31];
    bits >>>= 5;
    left -= 5;
  }
}

/** Who opens service sessions: the AWS service assuming the role, as identity and as source/agent. */
const SERVICE_CALLERS = Object.fromEntries(
  Object.entries(INVOKED_BY).map(([runtime, host]) => [runtime, { identity: arenaUtf8(awsServiceIdentity(host)), host: arenaJson(host) }]),
) as Record<string, { identity: Uint8Array; host: Uint8Array }>;
/** Share of IAM Identity Center CLI sessions that start with a browser sign-in to the portal (tokens last hours). */
const PORTAL_SIGN_IN_SHARE = 0.3;
/** Share of admins' console sessions signed in as the account root user. */
const ROOT_SESSION_SHARE = 0.01;
/** Share of MFA-enabled IAM users' CLI sessions that still use the long-term key directly. */
const LONG_TERM_KEY_SHARE = 0.3;
/** Share of long-term-key sessions in which the IAM user first gets federated credentials (GetFederationToken). */
const FEDERATED_SHARE = 0.04;
/** Share of a session's calls made in its main region (the rest spread over the configured regions). */
const SESSION_REGION_STICKINESS = 0.85;
const CONSOLE_CLIENT = CLIENT_KINDS.indexOf('console');
const NOTHING = new Uint8Array(0);
const PRESENT = arenaUtf8('true');
const ENVELOPE_SLOTS = ['userIdentity', 'eventTime', 'region', 'accountId', 'sourceIPAddress', 'userAgentBase', 'userAgentSuffix', 'hasTls', 'tlsVersion', 'cipherSuite', 'fromConsole', 'vpcEndpointId', 'vpcEndpointAccountId'] as const;
const tlsTable = new AliasTable(TLS_VARIANTS.map((t) => t.weight));

export class CloudTrailShard implements ShardSource {
  private readonly rng: Rng;
  private readonly ctx: EventContext;
  private readonly slots: Slots<EventContext>;
  private readonly states: (ActorState | undefined)[];

  /** Ids of the slots every record has, which `write` fills directly from the session (no resolver calls). */
  private readonly ids: Record<(typeof ENVELOPE_SLOTS)[number], number>;

  constructor(
    private readonly runtime: CloudTrailRuntime,
    private readonly shard: ShardContext,
  ) {
    this.rng = new Rng(shard.seed, `shard/${shard.shard}/source`);
    this.ctx = new EventContext(this.rng);
    this.slots = runtime.sharedSlots(this.ctx);
    this.states = new Array(shard.actors.length);
    this.ids = Object.fromEntries(ENVELOPE_SLOTS.map((name) => [name, runtime.registry.id(name)])) as Record<(typeof ENVELOPE_SLOTS)[number], number>;
  }

  /** The envelope values of a record, as the slot resolvers of slots.ts would produce them. */
  private fillEnvelope(st: ActorState, event: CompiledEvent): void {
    const ctx = this.ctx;
    const slots = this.slots;
    const ids = this.ids;
    const byService = ctx.openingByService;
    // A SAML web app's users act from their browser (people only: services have no browser).
    const saml = event.samlUser && !ctx.opening && st.console !== null;
    const viaEndpoint = !ctx.opening && !saml && st.vpcEndpoint !== null && event.viaVpcEndpoint;
    slots.fill(ids.userIdentity, ctx.opening ? ctx.openingIdentity! : saml ? st.samlIdentity() : st.workIdentity);
    slots.fill(ids.eventTime, ctx.clock.set(ctx.timeMs));
    slots.fill(ids.region, ctx.regionName);
    slots.fill(ids.accountId, st.accountId);
    slots.fill(ids.sourceIPAddress, ctx.openingSource ?? (viaEndpoint ? st.privateIp! : st.sourceIp));
    slots.fill(ids.userAgentBase, byService ? ctx.openingSource! : saml ? st.console! : (ctx.openingAgent ?? st.userAgent));
    slots.fill(ids.userAgentSuffix, byService || saml || ctx.openingAgent ? NOTHING : event.userAgentSuffix[st.clientIndex]);
    slots.fill(ids.hasTls, byService ? NOTHING : PRESENT);
    slots.fill(ids.tlsVersion, TLS_VARIANTS[st.tls].version);
    slots.fill(ids.cipherSuite, TLS_VARIANTS[st.tls].cipher);
    slots.fill(ids.fromConsole, st.fromConsole && !ctx.opening && !saml ? PRESENT : NOTHING);
    slots.fill(ids.vpcEndpointId, viaEndpoint ? st.vpcEndpoint! : NOTHING);
    slots.fill(ids.vpcEndpointAccountId, viaEndpoint ? st.accountId : NOTHING);
  }

  private state(local: number): ActorState {
    let st = this.states[local];
    if (!st) {
      const actor = this.shard.actors[local];
      st = new ActorState(actor, this.shard.actorIndexes[local], this.runtime.world.account(actor.account_id), this.runtime.catalog.mixFor(actor));
      this.states[local] = st;
    }
    return st;
  }

  /** A new session: fresh ASIA key and creation date patched into the actor's identity block, new address, client. */
  private openSession(st: ActorState, timeMs: number): void {
    const a = st.actor;
    const rng = this.rng;
    st.kind = a.kind === 'service' ? 'service' : rng.chance(a.console_share) ? 'console' : 'cli';
    // IAM users without MFA (and some with) sign CLI calls with their long-term AKIA key, no session token.
    if (st.kind === 'cli' && a.identity_type === 'IAMUser' && a.access_key_id && (!a.mfa || rng.chance(LONG_TERM_KEY_SHARE))) st.kind = 'key';
    if (st.kind === 'key' && rng.chance(FEDERATED_SHARE)) st.kind = 'federated';
    // Now and then an admin signs in to the console as the account's root user.
    if (st.kind === 'console' && a.role === 'admin' && rng.chance(ROOT_SESSION_SHARE)) st.kind = 'root';
    const key = st.sessionKey;
    key[0] = 65; // A
    key[1] = 83; // S
    key[2] = 73; // I
    key[3] = 65; // A
    randomBase32(rng, key, 4, 16);
    if (st.kind === 'key') st.workIdentity = st.longTermIdentity();
    else if (st.kind === 'root') st.workIdentity = st.root().session.patch(timeMs, key);
    else if (st.kind === 'federated') st.workIdentity = st.federated().session.patch(timeMs, key);
    else st.workIdentity = st.sessionIdentity.patch(timeMs, key);
    st.callerArn = st.kind === 'root' ? st.root().arn : st.kind === 'federated' ? st.federated().arn : st.defaultCallerArn;
    st.inSession = true;
    st.sessionStartMs = timeMs;
    st.sourceIp = st.pickAddress(rng);
    const console = (st.kind === 'console' || st.kind === 'root') && st.console !== null;
    st.fromConsole = console;
    st.userAgent = console ? st.console! : st.api;
    st.clientIndex = console ? CONSOLE_CLIENT : CLIENT_KINDS.indexOf(a.api_client);
    st.tls = tlsTable.pick(rng);
    st.regionIndex = this.runtime.regions.pick(rng);
  }

  startSession(local: number, timeMs: number, out: RecordOut): boolean {
    const st = this.state(local);
    this.openSession(st, timeMs);
    const a = st.actor;
    const opening = this.runtime.catalog.opening;
    const ctx = this.ctx;
    if (st.kind === 'console' && opening.consoleLogin) {
      this.writeOpening(st, opening.consoleLogin, timeMs, out, st.signInIdentity(timeMs), null);
      return true;
    }
    if (st.kind === 'root' && opening.consoleLogin) {
      this.writeOpening(st, opening.consoleLogin, timeMs, out, st.root().signIn, null);
      return true;
    }
    if (st.kind === 'cli' && a.identity_type === 'IAMUser' && a.access_key_id && opening.getSessionToken) {
      this.writeOpening(st, opening.getSessionToken, timeMs, out, st.longTermIdentity(), null);
      return true;
    }
    if (st.kind === 'federated' && opening.getFederationToken) {
      this.writeOpening(st, opening.getFederationToken, timeMs, out, st.longTermIdentity(), null);
      return true;
    }
    if (st.kind === 'cli' && a.identity_style === 'sso' && opening.userAuthentication && this.rng.chance(PORTAL_SIGN_IN_SHARE)) {
      // `aws sso login`: the person signs in to the access portal in a browser; the CLI then gets role credentials.
      ctx.openingAgent = st.console ?? st.api;
      this.writeOpening(st, opening.userAuthentication, timeMs, out, st.identityCenter(), null);
      ctx.openingAgent = null;
      return true;
    }
    if (st.kind === 'service' && a.runtime && opening.assumeRole) {
      const service = SERVICE_CALLERS[a.runtime];
      ctx.openingByService = true;
      this.writeOpening(st, opening.assumeRole, timeMs, out, service.identity, service.host);
      ctx.openingByService = false;
      return true;
    }
    return false;
  }

  /** Writes the session-opening record. A failed opening (wrong password, denied role) opens no session. */
  private writeOpening(st: ActorState, event: CompiledEvent, timeMs: number, out: RecordOut, identity: Uint8Array, source: Uint8Array | null): void {
    const ctx = this.ctx;
    ctx.opening = true;
    ctx.openingIdentity = identity;
    ctx.openingSource = source;
    this.write(st, event, timeMs, out);
    ctx.opening = false;
    ctx.openingIdentity = null;
    ctx.openingSource = null;
    st.inSession = ctx.error === null;
  }

  emit(local: number, timeMs: number, out: RecordOut): void {
    const st = this.state(local);
    // Not in a session (never opened, or the opening failed): this action is a new attempt to open one.
    if (!st.inSession && this.startSession(local, timeMs, out)) return;
    const mix = st.kind === 'federated' ? (st.federatedMix ??= this.runtime.catalog.mixFor(st.actor, 'FederatedUser')) : st.mix;
    this.write(st, mix.events[mix.table.pick(this.rng)], timeMs, out);
  }

  private write(st: ActorState, event: CompiledEvent, timeMs: number, out: RecordOut): void {
    const ctx = this.ctx;
    const rng = this.rng;
    const regions = this.runtime.regions;
    ctx.actor = st;
    ctx.event = event;
    ctx.timeMs = timeMs;
    let region = st.regionIndex;
    if (event.global && regions.usEast1 >= 0) region = regions.usEast1;
    else if (!rng.chance(SESSION_REGION_STICKINESS)) region = regions.pick(rng);
    ctx.regionIndex = region;
    ctx.regionName = regions.bytes[region];
    ctx.regionText = regions.names[region];

    const p = event.configuredErrorRate ?? Math.min(0.95, st.errorRate * event.errorBias);
    if (p > 0 && rng.float() < p) {
      ctx.error = event.configuredError ?? (event.errorTable ? event.errorChoices[event.errorTable.pick(rng)] : null);
    } else {
      ctx.error = null;
    }
    ctx.beginRecord();
    this.slots.bind(ctx);
    this.slots.nextRecord();
    this.fillEnvelope(st, event);
    const lifecycle = event.lifecycle;
    lifecycle?.before?.(ctx, this.slots);
    (ctx.error ? event.failure : event.success).write(out.w, this.slots);
    if (lifecycle?.after && ctx.error === null) lifecycle.after(ctx, this.slots);
    out.commit(timeMs, st.globalIndex);
  }
}
