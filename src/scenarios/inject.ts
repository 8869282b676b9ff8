/**
 * Writes a shard's scenario steps into its output, in time with the benign traffic: before every activity tick (and
 * at every window's end) the steps due before that time are written through the source each names, then labelled:
 * one ground-truth line per record and technique, carried with the record to the run's `labels.jsonl`.
 */
import type { InjectedStep, RecordOut, ShardContext, ShardSource } from '../traffic/shard-source.js';
import { Rng } from '../util/rng.js';
import { byTime, type PlannedStep, type ScenarioPlan } from './plan.js';

const DAY_MS = 86_400_000;
/**
 * Most steps written before one activity tick (the rest wait for the next tick or the window's end). A fixed number,
 * never "until the part is full": how full a part is depends on the worker's other shards, and the steps' place among
 * the shard's records must not. Four steps of up to 64 records fit in the part's slack beside the tick's own.
 */
const STEPS_PER_TICK = 4;

/** A source of the run as the injector sees it: its output name, its shard, and how to find a record's id. */
export interface InjectLane {
  /** The record's output folder name (the source type, or the pack's name): `source` in the labels. */
  readonly name: string;
  readonly source: ShardSource;
  /** The record's unique id in its source (the vendor's own, else `<host>:<counter>`), from its text. */
  recordId(text: string): string;
}

/** Where the injector writes: the part writer, which keeps each record's labels beside it. */
export interface LabelledOut extends RecordOut {
  /** The source index of the records written next (the part writer's). */
  source: number;
  /** Records written so far in the current part. */
  readonly count: number;
  /** The text of record `index` of the current part (without its newline). */
  recordText(index: number): string;
  /** Attaches a ground-truth line to record `index` of the current part. */
  label(index: number, line: string): void;
}

export class ScenarioInjector implements ShardSource {
  private pending: PlannedStep[] = [];
  private next = 0;
  private plannedThrough: number;
  private readonly localOf = new Map<number, number>();
  private readonly laneOf = new Map<string, number>();

  constructor(
    private readonly inner: ShardSource,
    private readonly lanes: readonly InjectLane[],
    private readonly out: LabelledOut,
    private readonly plan: ScenarioPlan,
    private readonly shard: ShardContext,
  ) {
    shard.actorIndexes.forEach((g, local) => this.localOf.set(g, local));
    lanes.forEach((l, k) => this.laneOf.set(l.name, k));
    this.plannedThrough = Math.floor(shard.startMs / DAY_MS) - 1;
  }

  /**
   * Plans the days through the one holding the steps due before `timeMs` and keeps this shard's steps (an instance
   * starts on its day, so a later day's steps all come after that day begins; a day's may run into the next).
   */
  private planThrough(timeMs: number): void {
    const last = Math.floor((timeMs - 1) / DAY_MS);
    if (last <= this.plannedThrough) return;
    const kept = this.pending.slice(this.next);
    // A spell writes nothing at its time: the host's own samples show it (spells.ts).
    for (let d = this.plannedThrough + 1; d <= last; d++) for (const s of this.plan.planDay(d)) if (this.localOf.has(s.victim) && s.step.spell === undefined) kept.push(s);
    kept.sort(byTime);
    this.pending = kept;
    this.next = 0;
    this.plannedThrough = last;
  }

  /**
   * Writes the steps due before `timeMs`: before a tick at most `max` (a fixed cap), at a window's end all of them
   * (`stopWhenFull`: the part is handed on and the call repeated, which changes no record's place).
   */
  private writeDue(timeMs: number, max: number, stopWhenFull = false): boolean {
    this.planThrough(timeMs);
    const out = this.out;
    let written = 0;
    while (this.next < this.pending.length && this.pending[this.next].timeMs < timeMs) {
      if ((stopWhenFull && out.full) || written >= max) return false;
      this.write(this.pending[this.next++]);
      written++;
    }
    return true;
  }

  private write(p: PlannedStep): void {
    const k = this.laneOf.get(p.step.source);
    const lane = k === undefined ? undefined : this.lanes[k];
    if (lane === undefined || lane.source.inject === undefined) return;
    const out = this.out;
    const rng = new Rng(this.shard.seed, `scenario/${p.instance}/${p.order}`);
    const { values, record } = p.filled();
    const step: InjectedStep = { event: p.step.event, values, record, host: p.host, attacker: p.attacker, instance: p.instance, rng };
    const saved = out.source;
    out.source = k!;
    const before = out.count;
    const board = this.shard.sessions;
    board.frozen = true;
    try {
      lane.source.inject(this.localOf.get(p.victim)!, p.timeMs, step, out);
    } finally {
      board.frozen = false;
      out.source = saved;
    }
    const time = new Date(p.timeMs).toISOString();
    for (let i = before; i < out.count; i++) {
      const id = lane.recordId(out.recordText(i));
      for (const technique of p.step.techniques) {
        out.label(i, JSON.stringify({ source: lane.name, id, time, scenario: p.scenario.name, instance: p.instance, step: p.step.name, technique, tactic: p.step.tactic }));
      }
    }
  }

  startSession(local: number, timeMs: number, out: RecordOut): boolean {
    this.writeDue(timeMs, STEPS_PER_TICK);
    return this.inner.startSession(local, timeMs, out);
  }

  emit(local: number, timeMs: number, out: RecordOut): void {
    this.writeDue(timeMs, STEPS_PER_TICK);
    this.inner.emit(local, timeMs, out);
  }

  get timedRecords(): number | undefined {
    return this.inner.timedRecords;
  }

  until(untilMs: number, out: RecordOut): boolean {
    if (!this.writeDue(untilMs, Infinity, true)) return false;
    return this.inner.until === undefined || this.inner.until(untilMs, out);
  }
}
