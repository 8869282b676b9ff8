/**
 * The benign base rates of catalog/baseline.ts turned into each actor's own rates: an account's yearly total (the
 * rate times the account's units: 1, its people, or its IAM users) is shared among the actors of the account who
 * would make the call, in proportion to the event's `who`. Computed once per worker from the whole population, so
 * an actor's rates do not depend on which shard or thread it runs in.
 */
import type { Actor } from '../../population/actor.js';
import { AliasTable } from '../../util/rng.js';
import { BASELINE, ROOT_SIGN_INS, type BaselineRate, type RateUnit } from './catalog/baseline.js';
import type { Audience } from './catalog/types.js';
import { callableBy, type CompiledCatalog, type CompiledEvent } from './compiled.js';

const MS_PER_YEAR = 365 * 86_400_000;

/** The rare events one actor makes at their base rates: together `perMs`, each picked by `table`. */
export interface RareEvents {
  readonly perMs: number;
  readonly events: readonly CompiledEvent[];
  readonly table: AliasTable;
}

function units(per: RateUnit, actors: readonly Actor[]): number {
  if (per === 'account') return 1;
  if (per === 'person') return actors.filter((a) => a.kind === 'human').length;
  return actors.filter((a) => a.kind === 'human' && a.identity_type === 'IAMUser').length;
}

/** How much of the event an actor takes on (0: never): its audience multiplier, if it can make the call at all. */
function share(event: CompiledEvent, actor: Actor): number {
  const audience = (actor.role ?? actor.service_profile) as Audience;
  return callableBy(event, actor.identity_type) ? (event.spec.who[audience] ?? 0) : 0;
}

export class BaselineRates {
  private readonly rare: (RareEvents | null)[];
  /** Root console sign-ins per ms, per actor (administrators who use the console; 0 for everyone else). */
  private readonly root: Float64Array;

  constructor(catalog: CompiledCatalog, actors: readonly Actor[]) {
    const byAccount = new Map<string, number[]>();
    actors.forEach((a, i) => {
      let list = byAccount.get(a.account_id);
      if (!list) byAccount.set(a.account_id, (list = []));
      list.push(i);
    });
    const perActor: { event: CompiledEvent; perMs: number }[][] = actors.map(() => []);
    const rates: { rate: BaselineRate; event: CompiledEvent }[] = [];
    for (const rate of BASELINE) {
      const event = catalog.byName.get(rate.event);
      if (rate.category !== 'root' && rate.perYear > 0 && !rate.follows && event && catalog.scheduled(event)) rates.push({ rate, event });
    }
    this.root = new Float64Array(actors.length);
    for (const members of byAccount.values()) {
      const accountActors = members.map((i) => actors[i]);
      for (const { rate, event } of rates) {
        const weights = members.map((i) => share(event, actors[i]));
        const total = weights.reduce((s, w) => s + w, 0);
        if (total <= 0) continue;
        const perMs = (rate.perYear * units(rate.per, accountActors)) / MS_PER_YEAR;
        members.forEach((i, k) => {
          if (weights[k] > 0) perActor[i].push({ event, perMs: (perMs * weights[k]) / total });
        });
      }
      // The root user: signed in to by the account's administrators who use the console.
      const admins = members.filter((i) => actors[i].role === 'admin' && actors[i].console_user_agent !== null && actors[i].console_share > 0);
      for (const i of admins) this.root[i] = (ROOT_SIGN_INS.perYear * units(ROOT_SIGN_INS.per, accountActors)) / MS_PER_YEAR / admins.length;
    }
    this.rare = perActor.map((list) =>
      list.length === 0 ? null : { perMs: list.reduce((s, e) => s + e.perMs, 0), events: list.map((e) => e.event), table: new AliasTable(list.map((e) => e.perMs)) },
    );
  }

  /** The rare events of the actor at `globalIndex`, or null when it makes none. */
  rareFor(globalIndex: number): RareEvents | null {
    return this.rare[globalIndex];
  }

  /** Root sign-ins per ms by the actor at `globalIndex`. */
  rootPerMs(globalIndex: number): number {
    return this.root[globalIndex];
  }
}
