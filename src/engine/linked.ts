/**
 * Several sources on one shard: every activity tick of the shared traffic goes to each source's lane, in config
 * order, each writing its records under its own source index; then every lane may settle what the tick asked of
 * it (an identity provider answers the sign-in requests of this tick, src/traffic/sessions.ts).
 */
import type { RecordOut, ShardSource } from '../sources/source.js';

/** The part writer's source index, set before each lane writes. */
export interface SourceTagged extends RecordOut {
  source: number;
}

export class LinkedSources implements ShardSource {
  constructor(
    private readonly lanes: readonly ShardSource[],
    private readonly tagged: SourceTagged,
  ) {}

  startSession(local: number, timeMs: number, out: RecordOut): boolean {
    const lanes = this.lanes;
    let wrote = false;
    for (let k = 0; k < lanes.length; k++) {
      this.tagged.source = k;
      if (lanes[k].startSession(local, timeMs, out)) wrote = true;
    }
    return this.settleAll(local, timeMs, out) || wrote;
  }

  emit(local: number, timeMs: number, out: RecordOut): void {
    const lanes = this.lanes;
    for (let k = 0; k < lanes.length; k++) {
      this.tagged.source = k;
      const lane = lanes[k];
      if (lane.shareActivity) lane.shareActivity(local, timeMs, out);
      else lane.emit(local, timeMs, out);
    }
    this.settleAll(local, timeMs, out);
  }

  get timedRecords(): number {
    let n = 0;
    for (const lane of this.lanes) n += lane.timedRecords ?? 0;
    return n;
  }

  until(untilMs: number, out: RecordOut): boolean {
    const lanes = this.lanes;
    for (let k = 0; k < lanes.length; k++) {
      const lane = lanes[k];
      if (!lane.until) continue;
      this.tagged.source = k;
      if (!lane.until(untilMs, out)) return false;
    }
    return true;
  }

  /** Settles until no lane has anything more to write (an answer may let another lane write in turn). */
  private settleAll(local: number, timeMs: number, out: RecordOut): boolean {
    let wrote = false;
    const lanes = this.lanes;
    for (let pass = 0; pass < 4; pass++) {
      let more = false;
      for (let k = 0; k < lanes.length; k++) {
        const lane = lanes[k];
        if (!lane.settle) continue;
        this.tagged.source = k;
        if (lane.settle(local, timeMs, out)) more = true;
      }
      if (!more) break;
      wrote = true;
    }
    return wrote;
  }
}
