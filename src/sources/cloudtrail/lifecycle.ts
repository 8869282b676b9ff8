/**
 * The persistent world: calls that create, change or delete resources change the acting actor's own view of the
 * world, and later calls use it. A bucket created by CreateBucket is later read, written and deleted under the same
 * name; an instance from RunInstances is later described, stopped, started and terminated with the same id; an IAM
 * user who creates an access key for themselves signs later calls with it and deletes the old one.
 *
 * Hooks run around a record: `before` chooses what the call acts on, `after` applies a successful call's effect.
 * The state lives on the actor (ActorState), which one shard owns: no cross-shard state, output independent of
 * the worker count.
 */
import type { Slots } from '../../encode/layout/index.js';
import { jsonContent } from '../../encode/byte-writer.js';
import type { EventContext, OwnedInstance } from './context.js';
import { dangerous } from './catalog/baseline.js';
import { BUCKET_KINDS, type Bucket } from './world.js';

export interface Lifecycle {
  before?(ctx: EventContext, slots: Slots<EventContext>): void;
  after?(ctx: EventContext, slots: Slots<EventContext>): void;
}

/**
 * How many of the resources it created an actor keeps track of. Creates outnumber deletes in the catalog's mix (as in
 * real accounts, where much of what is launched is cleaned up by other means), so without a bound an actor's list
 * grows for as long as the run lasts: memory, and a per-record scan of it. Past the bound the oldest is forgotten:
 * it stays in the world, unnamed by later calls of this actor, like a server someone else now runs.
 */
const MAX_OWNED_INSTANCES = 16;
const MAX_OWNED_BUCKETS = 8;

function keepAtMost<T>(list: T[], max: number): void {
  if (list.length > max) list.splice(0, list.length - max);
}

/** An invertible 32-bit mix (lowbias32): distinct inputs give distinct, random-looking outputs. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * S3 bucket names are global: a random suffix would collide now and then across actors (a birthday draw), so the
 * suffix is a permutation of (actor, how many buckets it has created): unique by construction, no shared state.
 */
function newBucket(ctx: EventContext): Bucket {
  const kind = BUCKET_KINDS[ctx.rng.int(BUCKET_KINDS.length)];
  const serial = ctx.actor.globalIndex * 4096 + (ctx.actor.bucketsCreated++ % 4096);
  const suffix = mix32(serial).toString(16).padStart(8, '0');
  return { name: jsonContent(`${ctx.actor.account.company}-${kind.purpose}-${suffix}`), style: kind.style, topics: kind.topics };
}

function ownInstance(ctx: EventContext, running: boolean | null): OwnedInstance | null {
  const mine = ctx.actor.instances.filter((i) => i.regionIndex === ctx.regionIndex && (running === null || i.running === running));
  return mine.length > 0 ? mine[ctx.rng.int(mine.length)] : null;
}

/** Chooses one of the actor's own instances (in a given state) as the record's instance, if it has one. */
function targetOwnInstance(running: boolean | null): Lifecycle['before'] {
  return (ctx) => {
    const target = ownInstance(ctx, running);
    if (target) ctx.instance = target.id;
  };
}

function instanceById(ctx: EventContext): OwnedInstance | undefined {
  const id = ctx.instance;
  return id ? ctx.actor.instances.find((i) => i.id === id) : undefined;
}

const decoder = new TextDecoder();

export const LIFECYCLE: Readonly<Record<string, Lifecycle>> = {
  CreateBucket: {
    before(ctx) {
      ctx.bucket = newBucket(ctx);
    },
    after(ctx) {
      ctx.actor.buckets.push(ctx.bucket!);
      keepAtMost(ctx.actor.buckets, MAX_OWNED_BUCKETS);
    },
  },
  DeleteBucket: {
    before(ctx) {
      const own = ctx.actor.buckets;
      if (own.length > 0) ctx.bucket = own[ctx.rng.int(own.length)];
    },
    after(ctx) {
      const i = ctx.actor.buckets.indexOf(ctx.bucket!);
      if (i >= 0) ctx.actor.buckets.splice(i, 1);
    },
  },
  RunInstances: {
    after(ctx, slots) {
      const v = slots.byName('newInstanceId');
      const id = (v.ref ?? v.scratch.buf).slice(0, v.length);
      ctx.actor.instances.push({ id, regionIndex: ctx.regionIndex, running: true });
      keepAtMost(ctx.actor.instances, MAX_OWNED_INSTANCES);
    },
  },
  StopInstances: {
    before: targetOwnInstance(true),
    after(ctx) {
      const own = instanceById(ctx);
      if (own) own.running = false;
    },
  },
  StartInstances: {
    before: targetOwnInstance(false),
    after(ctx) {
      const own = instanceById(ctx);
      if (own) own.running = true;
    },
  },
  TerminateInstances: {
    before: targetOwnInstance(null),
    after(ctx) {
      const own = instanceById(ctx);
      if (own) ctx.actor.instances.splice(ctx.actor.instances.indexOf(own), 1);
    },
  },
  CreateAccessKey: {
    before(ctx, slots) {
      const a = ctx.actor.actor;
      if (a.identity_type === 'IAMUser' && !ctx.rng.chance(dangerous('iam.keyForOtherUser'))) slots.presetByName('targetUser').set(jsonContent(a.user_name));
    },
    after(ctx, slots) {
      const a = ctx.actor.actor;
      const target = slots.byName('targetUser');
      if (a.identity_type !== 'IAMUser' || decoder.decode((target.ref ?? target.scratch.buf).subarray(0, target.length)) !== a.user_name) return;
      const key = slots.byName('newAccessKeyId');
      ctx.actor.rotateKey(decoder.decode((key.ref ?? key.scratch.buf).subarray(0, key.length)));
      // The old key is deleted once the new one is in use: the user's next call (catalog/baseline.ts).
      ctx.actor.followUp = 'DeleteAccessKey';
    },
  },
  DeleteAccessKey: {
    before(ctx, slots) {
      const retired = ctx.actor.retiredKey;
      if (!retired) return;
      slots.presetByName('targetUser').set(jsonContent(ctx.actor.actor.user_name));
      slots.presetByName('oldAccessKeyId').set(jsonContent(retired));
    },
    after(ctx, slots) {
      const old = slots.byName('oldAccessKeyId');
      if (ctx.actor.retiredKey && decoder.decode((old.ref ?? old.scratch.buf).subarray(0, old.length)) === ctx.actor.retiredKey) ctx.actor.retiredKey = null;
    },
  },
};
