/**
 * The run's scenario spells, as every shard sees them: a spell (a crypto-miner's hours on a server) belongs to its
 * instance's victim, but the host's samples are written by whichever shard samples that host, so every worker looks
 * spells up from the same pure plan (plan.ts) and labels the records written under one (`labels.jsonl`).
 */
import type { RecordOut, Spells } from '../traffic/shard-source.js';
import type { LabelledOut } from './inject.js';
import type { PlannedStep, ScenarioPlan } from './plan.js';

const DAY_MS = 86_400_000;

export class SpellBoard implements Spells {
  /** Per UTC day (of the spell's start): spells by `<kind>\0<host>`. */
  private readonly days = new Map<number, Map<string, PlannedStep[]>>();

  constructor(
    private readonly plan: ScenarioPlan,
    /** Per source of the run: its output name and how to find a record's id. */
    private readonly lanes: readonly { readonly name: string; recordId(text: string): string }[],
  ) {}

  private spellsOf(day: number): Map<string, PlannedStep[]> {
    let m = this.days.get(day);
    if (m === undefined) {
      m = new Map();
      for (const s of this.plan.planDay(day)) {
        if (s.step.spell === undefined || s.host === undefined) continue;
        const key = `${s.step.spell.kind}\0${s.host}`;
        m.set(key, [...(m.get(key) ?? []), s]);
      }
      this.days.set(day, m);
      for (const d of this.days.keys()) if (d < day - 3) this.days.delete(d);
    }
    return m;
  }

  private find(kind: string, host: string, timeMs: number): PlannedStep | undefined {
    const key = `${kind}\0${host}`;
    const day = Math.floor(timeMs / DAY_MS);
    // A spell lasts at most a day: it started today or yesterday.
    for (const d of [day, day - 1]) {
      for (const s of this.spellsOf(d).get(key) ?? []) if (timeMs >= s.timeMs && timeMs < s.untilMs!) return s;
    }
    return undefined;
  }

  at(kind: string, host: string, timeMs: number): number {
    const s = this.find(kind, host, timeMs);
    return s === undefined ? 0 : Math.max(0.0001, (timeMs - s.timeMs + 1) / (s.untilMs! - s.timeMs));
  }

  label(kind: string, host: string, timeMs: number, out: RecordOut): void {
    const s = this.find(kind, host, timeMs);
    if (s === undefined) return;
    const o = out as LabelledOut;
    const index = o.count - 1;
    const lane = this.lanes[o.source];
    const id = lane.recordId(o.recordText(index));
    const time = new Date(timeMs).toISOString();
    for (const technique of s.step.techniques) {
      o.label(index, JSON.stringify({ source: lane.name, id, time, scenario: s.scenario.name, instance: s.instance, step: s.step.name, technique, tactic: s.step.tactic }));
    }
  }
}
