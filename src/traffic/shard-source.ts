/**
 * The contract between the traffic layer (when actors act) and a source (what their records say): the scheduler
 * calls a shard's ShardSource for each actor's activity, and the source writes records into a RecordOut.
 */
import type { ByteWriter } from '../encode/byte-writer.js';
import type { Actor } from '../population/actor.js';
import type { SessionBoard } from './sessions.js';
import type { Rng } from '../util/rng.js';

/** Where a source writes records: bytes go to `w`, then `commit` closes the record (adds the newline and index). */
export interface RecordOut {
  readonly w: ByteWriter;
  commit(timeMs: number, actorIndex: number): void;
  /** True when the current output part should be handed on before more records are written. */
  readonly full: boolean;
  /** Size in bytes of the last committed record, newline included. */
  readonly lastRecordBytes: number;
  /** Records committed so far in the current part (a tick never spans two parts: differences within one are exact). */
  readonly count: number;
}

/** One shard's view of a source: generates records for the actors the shard owns. */
export interface ShardSource {
  /**
   * Actor `local` (index into the shard's actor list) starts a session at `timeMs`. Writes the session-opening
   * record (a sign-in, a role assumption) when the source has one, and returns whether it wrote a record.
   */
  startSession(local: number, timeMs: number, out: RecordOut): boolean;
  /** Writes one record of actor `local` acting at `timeMs` in its current session. */
  emit(local: number, timeMs: number, out: RecordOut): void;
  /**
   * In a run with other sources, the actor is active at `timeMs`: write what this source records of that activity,
   * possibly nothing (an identity provider sees a fraction of what the cloud sees). Absent: `emit` (one record).
   */
  shareActivity?(local: number, timeMs: number, out: RecordOut): void;
  /**
   * After every source has acted on a tick: answer what they asked of this one in it (an identity provider writes
   * the sign-ins requested on the session board). Returns whether it wrote a record.
   */
  settle?(local: number, timeMs: number, out: RecordOut): boolean;
  /**
   * The shard's clock reaches `untilMs` (the end of a window; no activity is left before it): write what is due
   * before then on the source's own schedule (hosts' periodic samples), in time order. Returns false when the part
   * filled first; it is called again, with the same time, once the part is handed on.
   */
  until?(untilMs: number, out: RecordOut): boolean;
  /**
   * Records written so far on the source's own schedule (what `until` and the hosts' samples write, whatever the
   * traffic): a daily quota steers only the rest. Absent: none.
   */
  readonly timedRecords?: number;
  /**
   * A scenario's step (src/scenarios/): write the records of `step` for actor `local` at `timeMs`, as the vendor would
   * log that action (an attacker's call with the victim's credentials, a logon from the attacker's address). Returns
   * how many records it wrote (0: the source cannot write that event). Sources without it take no scenario steps.
   */
  inject?(local: number, timeMs: number, step: InjectedStep, out: RecordOut): number;
}

/** Where an attack comes from, as every source of the run sees it. */
export interface Attacker {
  readonly ip: string;
  /** The command-line client or SDK (cloud APIs). */
  readonly agent: string;
  /** The browser (interactive sign-ins). */
  readonly browser: string;
  readonly org: string;
  readonly asn: number;
  readonly country: string;
  readonly countryCode: string;
  readonly state: string;
  readonly city: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly proxy: boolean;
}

/** One step of a scenario instance, as a source receives it: every placeholder already filled for the instance. */
export interface InjectedStep {
  /** The event the source writes: a pack's event name, `record` (the whole record is `record`, a template). */
  readonly event: string;
  /** Values the step sets, by the source's own names (a pack's vars): plain text, escaped by the source. */
  readonly values: Readonly<Record<string, string>>;
  /** A whole record to write (JSON), for sources that take one (CloudTrail): the source adds its envelope. */
  readonly record?: Readonly<Record<string, unknown>>;
  /** The host the step is about (a hostname of the inventory or a workstation; absent: the source's choice). */
  readonly host?: string;
  /** The attacker of this instance: one address, client and browser across every source. */
  readonly attacker: Attacker;
  /** The instance's id: what a source derives the attack's own lasting values from (the session key it obtained). */
  readonly instance: string;
  /** A random stream of the step's own, so that injecting steps leaves the sources' own streams alone. */
  readonly rng: Rng;
}

export interface ShardContext {
  readonly seed: string;
  readonly shard: number;
  /** How many shards the run has (a shard owns the hosts, keys… whose index is its own modulo this). */
  readonly shardCount: number;
  /** When the run's simulated time starts (what a source writes on its own schedule starts there). */
  readonly startMs: number;
  /** The actors this shard owns, in global index order, with their global indexes. */
  readonly actors: readonly Actor[];
  readonly actorIndexes: readonly number[];
  /** What the shard's sources ask of each other (sign-ins federated to an identity provider). */
  readonly sessions: SessionBoard;
  /** Attack scenarios' spells on hosts (a crypto-miner's hours), when the run has scenarios. */
  readonly spells?: Spells;
}

/**
 * Spells that attack scenarios cast on hosts: for hours a host's own samples show the attack (every core busy, a
 * miner among the processes). A source whose values follow a spell asks `at`, and labels what it wrote under one.
 */
export interface Spells {
  /** Inside a spell of `kind` on `host` at `timeMs`: the share of it elapsed (0 < x ≤ 1); outside, 0. */
  at(kind: string, host: string, timeMs: number): number;
  /** The record just written to `out` shows the spell of `kind` on `host` at `timeMs` (if one is on): label it. */
  label(kind: string, host: string, timeMs: number, out: RecordOut): void;
}

