/**
 * One shard of the CloudTrail source: turns "actor X acts at time T" into a CloudTrail record, keeping each
 * actor's session (identity, key, network, client) consistent across every record of that session.
 */
import { jsonContent, utf8 } from '../../encode/byte-writer.js';
import { Slots } from '../../encode/template.js';
import { isoSecond } from '../../encode/time-format.js';
import { formatIpv4 } from '../../population/cidr.js';
import { AliasTable, Rng } from '../../util/rng.js';
import type { RecordOut, ShardContext, ShardSource } from '../source.js';
import type { CompiledEvent } from './compiled.js';
import { ActorState, EventContext, TLS_VARIANTS, type Session } from './context.js';
import { assumedRoleIdentity, awsServiceIdentity, callerArn, iamUserIdentity, INVOKED_BY } from './identity.js';
import type { CloudTrailRuntime } from './runtime.js';

const SESSION_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** Share of a session's calls made in its main region (the rest spread over the configured regions). */
const SESSION_REGION_STICKINESS = 0.85;
const tlsTable = new AliasTable(TLS_VARIANTS.map((t) => t.weight));

export class CloudTrailShard implements ShardSource {
  private readonly rng: Rng;
  private readonly ctx: EventContext;
  private readonly slots: Slots<EventContext>;
  private readonly states: (ActorState | undefined)[];

  constructor(
    private readonly runtime: CloudTrailRuntime,
    private readonly shard: ShardContext,
  ) {
    this.rng = new Rng(shard.seed, `shard/${shard.shard}/source`);
    this.ctx = new EventContext(this.rng);
    this.slots = new Slots(runtime.registry, this.ctx);
    this.states = new Array(shard.actors.length);
  }

  private state(local: number): ActorState {
    let st = this.states[local];
    if (!st) {
      const actor = this.shard.actors[local];
      st = new ActorState(actor, this.shard.actorIndexes[local], this.runtime.world.account(actor.account_id), this.runtime.catalog.mixFor(actor), callerArn(actor));
      this.states[local] = st;
    }
    return st;
  }

  private openSession(st: ActorState, timeMs: number): Session {
    const a = st.actor;
    const rng = this.rng;
    const kind = a.kind === 'service' ? 'service' : rng.chance(a.console_share) ? 'console' : 'cli';
    let key = 'ASIA';
    for (let i = 0; i < 16; i++) key += SESSION_KEY_ALPHABET[rng.int(32)];
    const created = isoSecond(timeMs);
    const identity =
      a.identity_type === 'IAMUser' ? iamUserIdentity(a, key, { creationIso: created, mfa: a.mfa }) : assumedRoleIdentity(a, key, created, false);
    const ip = st.ipSpan > 2 ? st.ipBase + 1 + rng.int(st.ipSpan - 2) : st.ipBase;
    const console = kind === 'console' && st.console !== null;
    const session: Session = {
      kind,
      startMs: timeMs,
      identity: utf8(identity),
      accessKeyId: utf8(key),
      accessKeyText: key,
      sourceIp: utf8(formatIpv4(ip >>> 0)),
      userAgent: console ? st.console! : st.api,
      client: console ? 'console' : a.api_client,
      tls: tlsTable.pick(rng),
      regionIndex: this.runtime.regions.pick(rng),
      fromConsole: console,
      mfa: a.mfa,
    };
    st.session = session;
    return session;
  }

  startSession(local: number, timeMs: number, out: RecordOut): boolean {
    const st = this.state(local);
    const session = this.openSession(st, timeMs);
    const a = st.actor;
    const opening = this.runtime.catalog.opening;
    if (session.kind === 'console' && opening.consoleLogin) {
      const identity = a.identity_type === 'IAMUser' ? iamUserIdentity(a, null, null) : assumedRoleIdentity(a, null, isoSecond(timeMs), false);
      this.ctx.opening = { identity: utf8(identity), sourceIp: null, userAgent: null, awsService: false };
      this.write(st, opening.consoleLogin, timeMs, out);
      return true;
    }
    if (session.kind === 'cli' && a.identity_type === 'IAMUser' && a.access_key_id && opening.getSessionToken) {
      this.ctx.opening = { identity: utf8(iamUserIdentity(a, a.access_key_id, null)), sourceIp: null, userAgent: null, awsService: false };
      this.write(st, opening.getSessionToken, timeMs, out);
      return true;
    }
    if (session.kind === 'service' && a.runtime && opening.assumeRole) {
      const invokedBy = jsonContent(INVOKED_BY[a.runtime]);
      this.ctx.opening = { identity: utf8(awsServiceIdentity(INVOKED_BY[a.runtime])), sourceIp: invokedBy, userAgent: invokedBy, awsService: true };
      this.write(st, opening.assumeRole, timeMs, out);
      return true;
    }
    return false;
  }

  emit(local: number, timeMs: number, out: RecordOut): void {
    const st = this.state(local);
    if (!st.session) this.openSession(st, timeMs);
    const mix = st.mix;
    this.write(st, mix.events[mix.table.pick(this.rng)], timeMs, out);
  }

  private write(st: ActorState, event: CompiledEvent, timeMs: number, out: RecordOut): void {
    const ctx = this.ctx;
    const rng = this.rng;
    const regions = this.runtime.regions;
    const session = st.session!;
    ctx.actor = st;
    ctx.session = session;
    ctx.event = event;
    ctx.timeMs = timeMs;
    let region = session.regionIndex;
    if (event.global && regions.usEast1 >= 0) region = regions.usEast1;
    else if (!rng.chance(SESSION_REGION_STICKINESS)) region = regions.pick(rng);
    ctx.regionIndex = region;
    ctx.regionName = regions.bytes[region];
    ctx.regionText = regions.names[region];

    const p = event.configuredErrorRate ?? Math.min(0.95, st.actor.error_rate * event.errorBias);
    if (p > 0 && rng.float() < p) {
      ctx.error = event.configuredError ?? (event.errorTable ? event.errorChoices[event.errorTable.pick(rng)] : null);
    } else {
      ctx.error = null;
    }
    ctx.beginRecord();
    this.slots.nextRecord();
    (ctx.error ? event.failure : event.success).write(out.w, this.slots);
    ctx.opening = null;
    out.commit(timeMs, st.globalIndex);
  }
}
