/**
 * One shard of the CloudTrail source: turns "actor X acts at time T" into a CloudTrail record, keeping each
 * actor's session (identity, key, network, client) consistent across every record of that session.
 */
import { arenaJson, arenaUtf8 } from '../../encode/assemble/arena.js';
import { utf8 } from '../../encode/byte-writer.js';
import type { Slots } from '../../encode/layout/index.js';
import { CLIENT_KINDS } from '../../population/data/user-agents.js';
import { AliasTable, Rng } from '../../util/rng.js';
import type { InjectedStep, RecordOut, ShardContext, ShardSource } from '../source.js';
import { attackerSessionKey, replayRecord } from './inject.js';
import { callableBy, type CompiledEvent } from './compiled.js';
import { ActorState, API_CREDENTIALS, CONSOLE_CREDENTIALS, EventContext, HeldCredentials, TLS_VARIANTS, type SessionKind } from './context.js';
import { awsServiceIdentity, INVOKED_BY } from './identity.js';
import { samlNameQualifier } from './catalog/identity.js';
import type { CloudTrailRuntime } from './runtime.js';

const BASE32 = utf8('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
const DECODER = new TextDecoder();

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
/** Share of MFA-enabled IAM users' CLI sessions that still use the long-term key directly. */
const LONG_TERM_KEY_SHARE = 0.3;
/** Share of long-term-key sessions in which the IAM user first gets federated credentials (GetFederationToken). */
const FEDERATED_SHARE = 0.04;
/** Share of a session's calls made in its main region (the rest spread over the configured regions). */
const SESSION_REGION_STICKINESS = 0.85;
const HOUR = 3_600_000;
/** An IAM Identity Center access-portal sign-in (`aws sso login`) lasts 8 hours, the service's default. */
const PORTAL_SESSION_MS = 8 * HOUR;
/** GetSessionToken durations people's MFA helper scripts ask for: mostly the 12 h default, some 1 h, some the 36 h maximum. */
const SESSION_TOKEN_MS = [12, 12, 12, 12, 12, 12, 1, 1, 36, 36].map((h) => h * HOUR);
/** Role credentials of IAM Identity Center permission sets: the 1 h default, or longer where the set allows it. */
const SSO_ROLE_MS = [1, 1, 1, 4, 8, 12].map((h) => h * HOUR);
/** How long workloads keep their role credentials: instance profiles refresh about hourly, ECS tasks keep theirs. */
const WORKLOAD_MS: Readonly<Record<string, number>> = { ec2: HOUR, ecs: 6 * HOUR };

/** How long credentials of this kind stay in use (console tabs, CLI caches, workload refreshes). */
function lifetime(kind: SessionKind, st: ActorState, rng: Rng): number {
  switch (kind) {
    case 'console':
      // A console session lasts up to 12 h; most people sign in once in a working day, some again after lunch.
      return Math.min(12 * HOUR, Math.max(HOUR, rng.logNormal(8 * HOUR, 0.4)));
    case 'root':
      // The root user is signed in to for one task and out again.
      return Math.min(HOUR, Math.max(5 * 60_000, rng.logNormal(20 * 60_000, 0.5)));
    case 'cli':
      return st.actor.identity_type === 'IAMUser' ? SESSION_TOKEN_MS[rng.int(SESSION_TOKEN_MS.length)] : SSO_ROLE_MS[rng.int(SSO_ROLE_MS.length)];
    case 'federated':
      return 12 * HOUR;
    case 'service':
      return WORKLOAD_MS[st.actor.runtime ?? ''] ?? Math.min(12 * HOUR, Math.max(15 * 60_000, rng.logNormal(2 * HOUR, 0.7)));
    default:
      // The long-term key has no session; a working stretch keeps its address and region.
      return 8 * HOUR;
  }
}
const CONSOLE_CLIENT = CLIENT_KINDS.indexOf('console');
/** What a sign-in through the identity provider opens: the console (SAML federation) or the access portal. */
const FEDERATED_CONSOLE = 1;
const FEDERATED_PORTAL = 2;
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
      st.local = local;
      this.states[local] = st;
    }
    return st;
  }

  /** The actor's state, created at its first activity (when its rare-event and root clocks start). */
  private stateAt(local: number, timeMs: number): ActorState {
    const st = this.state(local);
    if (st.nextRareMs < 0) {
      const baseline = this.runtime.baseline;
      st.rare = baseline.rareFor(st.globalIndex);
      st.nextRareMs = st.rare ? timeMs + this.rng.exp(1 / st.rare.perMs) : Infinity;
      st.rootPerMs = baseline.rootPerMs(st.globalIndex);
      st.nextRootMs = st.rootPerMs > 0 ? timeMs + this.rng.exp(1 / st.rootPerMs) : Infinity;
    }
    return st;
  }

  /** New credentials for one way of working: kind, fresh ASIA key, address, TLS, region, and how long they last. */
  private obtain(st: ActorState, held: HeldCredentials, console: boolean, timeMs: number): void {
    const a = st.actor;
    const rng = this.rng;
    let kind: SessionKind = a.kind === 'service' ? 'service' : console ? 'console' : 'cli';
    // IAM users without MFA (and some with) sign CLI calls with their long-term AKIA key, no session token.
    if (kind === 'cli' && a.identity_type === 'IAMUser' && a.access_key_id && (!a.mfa || rng.chance(LONG_TERM_KEY_SHARE))) kind = 'key';
    if (kind === 'key' && rng.chance(FEDERATED_SHARE)) kind = 'federated';
    // A few times a year an administrator signs in to the console as the account's root user.
    if (kind === 'console' && timeMs >= st.nextRootMs) {
      kind = 'root';
      st.nextRootMs = timeMs + rng.exp(1 / st.rootPerMs);
    }
    held.kind = kind;
    const key = held.key;
    key[0] = 65; // A
    key[1] = 83; // S
    key[2] = 73; // I
    key[3] = 65; // A
    randomBase32(rng, key, 4, 16);
    held.createdMs = timeMs;
    held.sourceIp = st.pickAddress(rng);
    // With an identity provider in the run, a person's calls come from their working session's address, as the
    // IdP's records of that session do (sessions are shared; the draw above keeps the random stream as it was).
    const board = this.shard.sessions;
    if (a.kind === 'human' && board.identityProvider !== null) held.sourceIp = st.address(board.workSession(st.local, timeMs).addressIndex);
    held.tls = tlsTable.pick(rng);
    held.regionIndex = this.runtime.regions.pick(rng);
    held.untilMs = timeMs + lifetime(held.kind, st, rng);
  }

  /** Makes `held` the actor's current session: its key and creation date patched into the identity block, its client. */
  private use(st: ActorState, held: HeldCredentials): void {
    const a = st.actor;
    const kind = held.kind;
    st.kind = kind;
    const key = st.sessionKey;
    key.set(held.key);
    if (kind === 'key') st.workIdentity = st.longTermIdentity();
    else if (kind === 'root') st.workIdentity = st.root().session.patch(held.createdMs, key);
    else if (kind === 'federated') st.workIdentity = st.federated().session.patch(held.createdMs, key);
    else st.workIdentity = st.sessionIdentity.patch(held.createdMs, key);
    st.callerArn = kind === 'root' ? st.root().arn : kind === 'federated' ? st.federated().arn : st.defaultCallerArn;
    st.inSession = true;
    st.sessionStartMs = held.createdMs;
    st.sessionUntilMs = held.untilMs;
    st.sourceIp = held.sourceIp;
    const console = (kind === 'console' || kind === 'root') && st.console !== null;
    st.fromConsole = console;
    st.userAgent = console ? st.console! : st.api;
    st.clientIndex = console ? CONSOLE_CLIENT : CLIENT_KINDS.indexOf(a.api_client);
    st.tls = held.tls;
    st.regionIndex = held.regionIndex;
  }

  /**
   * A burst of activity begins. In the console or the CLI (people choose by their console share), with the
   * credentials the actor holds for it while they last; otherwise new ones, opened by the record that obtains them
   * (a sign-in, a session token, a portal sign-in, a role assumption by the workload's service). Returns whether it
   * wrote a record.
   */
  startSession(local: number, timeMs: number, out: RecordOut): boolean {
    const st = this.stateAt(local, timeMs);
    const a = st.actor;
    return this.begin(st, a.kind === 'human' && this.rng.chance(a.console_share), timeMs, out);
  }

  /** Works in the console or the CLI from `timeMs`: held credentials while they last, else new ones (see startSession). */
  private begin(st: ActorState, console: boolean, timeMs: number, out: RecordOut): boolean {
    const a = st.actor;
    const held = st.held[console ? CONSOLE_CREDENTIALS : API_CREDENTIALS];
    if (timeMs < held.untilMs) {
      this.use(st, held);
      return false;
    }
    this.obtain(st, held, console, timeMs);
    const opening = this.runtime.catalog.opening;
    const board = this.shard.sessions;
    if (held.kind === 'console' && a.identity_style === 'sso' && board.identityProvider !== null && opening.assumeRoleWithSaml && opening.consoleLogin) {
      // The organisation signs people in to AWS through its identity provider: the console session comes from the
      // person's working session (obtain took its address; the browser is the person's), and the IdP signs them in
      // first (session board).
      this.use(st, held);
      st.pendingFederation = FEDERATED_CONSOLE;
      board.request(st.local, { app: 'aws' });
      return false;
    }
    this.use(st, held);
    const ctx = this.ctx;
    if (st.kind === 'console' && opening.consoleLogin) return this.writeOpening(st, held, opening.consoleLogin, timeMs, out, st.signInIdentity(timeMs), null);
    if (st.kind === 'root' && opening.consoleLogin) return this.writeOpening(st, held, opening.consoleLogin, timeMs, out, st.root().signIn, null);
    if (st.kind === 'cli' && a.identity_type === 'IAMUser' && a.access_key_id && opening.getSessionToken) {
      return this.writeOpening(st, held, opening.getSessionToken, timeMs, out, st.longTermIdentity(), null);
    }
    if (st.kind === 'federated' && opening.getFederationToken) return this.writeOpening(st, held, opening.getFederationToken, timeMs, out, st.longTermIdentity(), null);
    if (st.kind === 'cli' && a.identity_style === 'sso' && opening.userAuthentication && timeMs >= st.portalUntilMs) {
      // `aws sso login`: the person signs in to the access portal in a browser; the CLI then gets role credentials
      // from it for as long as the portal session lasts.
      st.portalUntilMs = timeMs + PORTAL_SESSION_MS;
      if (board.identityProvider !== null) {
        // Identity Center's identity source is the organisation's IdP: the browser signs in there first.
        st.pendingFederation = FEDERATED_PORTAL;
        board.request(st.local, { app: 'aws_sso' });
        return false;
      }
      ctx.openingAgent = st.console ?? st.api;
      const wrote = this.writeOpening(st, held, opening.userAuthentication, timeMs, out, st.identityCenter(), null);
      ctx.openingAgent = null;
      if (!st.inSession) st.portalUntilMs = 0;
      return wrote;
    }
    if (st.kind === 'service' && a.runtime && opening.assumeRole) {
      const service = SERVICE_CALLERS[a.runtime];
      ctx.openingByService = true;
      const wrote = this.writeOpening(st, held, opening.assumeRole, timeMs, out, service.identity, service.host);
      ctx.openingByService = false;
      return wrote;
    }
    return false;
  }

  /**
   * Writes the session-opening record; returns true. A failed opening (wrong password, denied role) opens no
   * session and leaves no credentials to reuse.
   */
  private writeOpening(st: ActorState, held: HeldCredentials, event: CompiledEvent, timeMs: number, out: RecordOut, identity: Uint8Array, source: Uint8Array | null): boolean {
    const ctx = this.ctx;
    ctx.opening = true;
    ctx.openingIdentity = identity;
    ctx.openingSource = source;
    ctx.openingDurationMs = held.untilMs - timeMs;
    this.write(st, event, timeMs, out);
    ctx.opening = false;
    ctx.openingIdentity = null;
    ctx.openingSource = null;
    ctx.openingDurationMs = 0;
    st.inSession = ctx.error === null;
    if (!st.inSession) held.untilMs = 0;
    return true;
  }

  /**
   * The AWS side of a sign-in through the identity provider, once the IdP has answered (in the tick that asked, or
   * before this one): AssumeRoleWithSAML with the SAML provider, then the console sign-in of the assumed role
   * (MFAUsed "No": MFA happened at the IdP). A failed IdP sign-in opens no session and writes nothing here.
   */
  private federate(st: ActorState, timeMs: number, out: RecordOut): void {
    const kind = st.pendingFederation;
    st.pendingFederation = 0;
    const answer = this.shard.sessions.answerFor(st.local);
    const held = st.held[kind === FEDERATED_PORTAL ? API_CREDENTIALS : CONSOLE_CREDENTIALS];
    if (answer !== undefined && !answer.ok) {
      st.inSession = false;
      held.untilMs = 0;
      if (kind === FEDERATED_PORTAL) st.portalUntilMs = 0;
      return;
    }
    if (held.createdMs !== timeMs) {
      // Nobody answered in the asking tick (the IdP is not in the run): the session starts now, as long as planned.
      held.untilMs += timeMs - held.createdMs;
      held.createdMs = timeMs;
      this.use(st, held);
    }
    const opening = this.runtime.catalog.opening;
    const ctx = this.ctx;
    ctx.actor = st;
    ctx.samlIdentityProvider = this.shard.sessions.identityProvider ?? 'okta';
    if (kind === FEDERATED_PORTAL) {
      ctx.openingAgent = st.console ?? st.api;
      this.writeOpening(st, held, opening.userAuthentication!, timeMs, out, st.identityCenter(), null);
      ctx.openingAgent = null;
      if (!st.inSession) st.portalUntilMs = 0;
      return;
    }
    ctx.openingSaml = true;
    this.writeOpening(st, held, opening.assumeRoleWithSaml!, timeMs, out, st.federationIdentity(samlNameQualifier(ctx)), null);
    if (st.inSession) this.writeOpening(st, held, opening.consoleLogin!, timeMs, out, st.signInIdentity(timeMs), null);
    ctx.openingSaml = false;
  }

  /** The identity provider answered a sign-in asked in this tick: the AWS side follows at once. */
  settle(local: number, timeMs: number, out: RecordOut): boolean {
    const st = this.states[local];
    if (st === undefined || st.pendingFederation === 0 || !this.shard.sessions.answered(local)) return false;
    this.federate(st, timeMs, out);
    return true;
  }

  emit(local: number, timeMs: number, out: RecordOut): void {
    const st = this.stateAt(local, timeMs);
    if (st.pendingFederation !== 0) return this.federate(st, timeMs, out);
    // Not in a session (never opened, or the opening failed): this action is a new attempt to open one.
    if (!st.inSession && this.startSession(local, timeMs, out)) return;
    // The session's credentials expired during the burst: the client gets new ones (a sign-in, a role assumption).
    if (timeMs >= st.sessionUntilMs && this.begin(st, st.fromConsole, timeMs, out)) return;
    // A sign-in was just asked of the identity provider: the AWS side follows its answer (settle).
    if (st.pendingFederation !== 0) return;
    const catalog = this.runtime.catalog;
    // The second half of a two-step change (a rotated key's deletion) comes with the actor's next call.
    if (st.followUp !== null && st.kind !== 'root' && st.kind !== 'federated') {
      const next = catalog.byName.get(st.followUp);
      st.followUp = null;
      if (next) {
        this.write(st, next, timeMs, out);
        return;
      }
    }
    // A rare event (catalog/baseline.ts) falls due at its base rate; it is made in the first session that can.
    if (timeMs >= st.nextRareMs) {
      const rare = st.rare!;
      st.pendingRare ??= rare.events[rare.table.pick(this.rng)];
      st.nextRareMs = timeMs + this.rng.exp(1 / rare.perMs);
    }
    const pending = st.pendingRare;
    if (pending !== null && (st.kind === 'federated' ? callableBy(pending, 'FederatedUser') : st.kind !== 'root')) {
      st.pendingRare = null;
      this.write(st, pending, timeMs, out);
      return;
    }
    const mix = st.kind === 'federated' ? (st.federatedMix ??= catalog.mixFor(st.actor, 'FederatedUser')) : st.kind === 'root' ? (st.rootMix ??= catalog.mixFor(st.actor, 'Root')) : st.mix;
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

    // The root user's sign-in is done with care (a password manager, MFA): it does not fail in benign traffic.
    const p = ctx.forceSuccess || (ctx.opening && st.kind === 'root') ? 0 : (event.configuredErrorRate ?? Math.min(0.95, st.errorRate * event.errorBias));
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

  /** A scenario's step: its record written whole from the step's template (inject.ts), as the attacker's call. */
  inject(local: number, timeMs: number, step: InjectedStep, out: RecordOut): number {
    const st = this.state(local);
    if (step.event === 'record' && step.record !== undefined) {
      const record = this.worldValues(st, step, timeMs);
      // The attacker's session: issued by the federation when the chain has one, else a while before its first call.
      let issued = this.sessionIssued.get(step.instance);
      if (issued === undefined) this.remember(this.sessionIssued, step.instance, (issued = timeMs - new Rng(step.instance, 'aws-session-issued').int(3_600_000)));
      out.w.text(replayRecord(st, record === step.record ? step : { ...step, record }, timeMs, issued));
      out.commit(timeMs, st.globalIndex);
      return 1;
    }
    if (step.event === 'federated_console_login') return this.injectFederation(st, step, timeMs, out);
    return 0;
  }

  /** Per instance: the victim's resources its steps named (`{{ ct:bucket }}`), the same in every step. */
  private readonly instanceValues = new Map<string, Map<string, string>>();
  /** Per instance: when the attacker's session was issued. */
  private readonly sessionIssued = new Map<string, number>();

  /** Keeps `value` for an instance, forgetting the oldest instances beyond a few hundred (they have ended). */
  private remember<V>(map: Map<string, V>, instance: string, value: V): void {
    map.set(instance, value);
    if (map.size > 256) map.delete(map.keys().next().value!);
  }

  /**
   * A step's template with the victim's own resources filled in where it names them (`{{ ct:<slot> }}`: the
   * account's trail, a bucket of theirs, the region's GuardDuty detector), resolved from the world as a benign record
   * would, with the step's random stream, once per instance.
   */
  private worldValues(st: ActorState, step: InjectedStep, timeMs: number): Readonly<Record<string, unknown>> {
    const text = JSON.stringify(step.record);
    if (!text.includes('{{ ct:')) return step.record!;
    let known = this.instanceValues.get(step.instance);
    if (known === undefined) this.remember(this.instanceValues, step.instance, (known = new Map()));
    const ctx = this.ctx;
    const regions = this.runtime.regions;
    this.rng.swap(step.rng);
    try {
      const region = String(step.record!.awsRegion ?? st.actor.home_region);
      const index = regions.names.indexOf(region);
      ctx.actor = st;
      ctx.event = this.runtime.catalog.byName.get(String(step.record!.eventName)) ?? ctx.event;
      ctx.timeMs = timeMs;
      ctx.regionIndex = index >= 0 ? index : st.regionIndex;
      ctx.regionName = regions.bytes[ctx.regionIndex];
      ctx.regionText = regions.names[ctx.regionIndex];
      ctx.beginRecord();
      this.slots.bind(ctx);
      this.slots.nextRecord();
      const filled = text.replace(/\{\{ ct:([\w.]+) \}\}/g, (_, name: string) => {
        let v = known.get(name);
        if (v === undefined) {
          const slot = this.slots.byName(name);
          v = DECODER.decode((slot.ref ?? slot.scratch.buf).subarray(0, slot.ref ? slot.ref.length : slot.scratch.pos));
          known.set(name, v);
        }
        return v;
      });
      return JSON.parse(filled) as Record<string, unknown>;
    } finally {
      this.rng.swap(step.rng);
    }
  }

  /**
   * The AWS side of an attacker's sign-in through the identity provider with the victim's account (after the IdP's
   * SSO): AssumeRoleWithSAML and the federated ConsoleLogin, from the attacker's address and browser. Written with
   * the step's random stream and the victim's state put back as it was, so their own records do not change.
   */
  private injectFederation(st: ActorState, step: InjectedStep, timeMs: number, out: RecordOut): number {
    const opening = this.runtime.catalog.opening;
    if (st.actor.identity_style !== 'sso' || !opening.assumeRoleWithSaml || !opening.consoleLogin) return 0;
    const ctx = this.ctx;
    const saved = { inSession: st.inSession, key: st.sessionKey.slice() };
    this.rng.swap(step.rng);
    ctx.forceSuccess = true;
    ctx.actor = st;
    ctx.samlIdentityProvider = this.shard.sessions.identityProvider ?? 'okta';
    ctx.openingAgent = utf8(step.attacker.browser);
    const held = new HeldCredentials();
    held.kind = 'console';
    held.createdMs = timeMs;
    held.untilMs = timeMs + HOUR;
    held.key.set(utf8(attackerSessionKey(step.instance)));
    const ip = utf8(step.attacker.ip);
    // The credentials the SAML assertion gets are the attacker's session's (the victim's own key is put back after).
    st.sessionKey.set(held.key);
    this.remember(this.sessionIssued, step.instance, timeMs);
    try {
      ctx.openingSaml = true;
      this.writeOpening(st, held, opening.assumeRoleWithSaml, timeMs, out, st.federationIdentity(samlNameQualifier(ctx)), ip);
      this.writeOpening(st, held, opening.consoleLogin, timeMs, out, st.signInIdentity(timeMs), ip);
      return 2;
    } finally {
      ctx.openingSaml = false;
      ctx.openingAgent = null;
      ctx.forceSuccess = false;
      this.rng.swap(step.rng);
      st.inSession = saved.inSession;
      st.sessionKey.set(saved.key);
    }
  }
}
