/**
 * Scenarios as data: an attack is a declared sequence of steps (which source writes what, with which ATT&CK
 * technique, after which delay), run on a victim drawn from the population. The library (library/) holds the
 * built-in ones; plan.ts turns them into timed steps, inject.ts writes them through the run's sources.
 */
import type { HumanRole } from '../population/kinds.js';

/** A delay in seconds: log-normal around `median_s`, kept within [min_s, max_s]. */
export interface Delay {
  readonly min_s: number;
  readonly median_s: number;
  readonly max_s: number;
}

/** What a step's placeholders (`{{ … }}`) can name: see PLACEHOLDERS in plan.ts. */
export interface StepSpec {
  /** The step's name in the labels (`step`). */
  readonly name: string;
  /** The source that writes it: a source type or a pack's name (the run's output folder of that source). */
  readonly source: string;
  /** The source's event: a pack's event name, or `record` (a whole record from `record`, CloudTrail). */
  readonly event: string;
  /** ATT&CK technique ids (`T1078.004`) and the tactic the step serves (`initial-access`). */
  readonly techniques: readonly string[];
  readonly tactic: string;
  /** Delay after the previous step (the first: after the instance starts). Default: none. */
  readonly after?: Delay;
  /** The step happens several times (attempts of a brute force), `gap` apart. */
  readonly repeat?: { readonly min: number; readonly max: number; readonly gap: Delay };
  /**
   * The step happens at the times of an earlier step (by name), `after` later each time: another source's view of
   * the same attempts (auth.log and audit.log of one password guess).
   */
  readonly alongside?: string;
  /** The step happens with this probability; otherwise the chain stops before it (an attack that gives up). */
  readonly chance?: number;
  /** The step ends the scenario's first stage: with `chain_ratio` below 1, the rest of the instances stop after it. */
  readonly stage_end?: boolean;
  /** Values the step sets (a pack's vars), with placeholders. */
  readonly values?: Readonly<Record<string, string>>;
  /** A whole record (CloudTrail), with placeholders in its strings. */
  readonly record?: Readonly<Record<string, unknown>>;
  /** Written only when its source is in the run (an alert feed's view); otherwise the scenario still runs without it. */
  readonly optional?: boolean;
  /**
   * A spell on the step's host instead of records: for `duration` the source's values of that kind follow the attack
   * (a pack's episode var with `scenario = "<kind>"`: every core busy, a miner among the processes), and the records it
   * writes then are labelled with this step.
   */
  readonly spell?: { readonly kind: string; readonly duration: Delay };
  /** The host it is about: the victim's workstation, or the instance's server. Default: the source's choice. */
  readonly host?: 'workstation' | 'server';
}

/** Who the victim is: people (of some roles) or workloads, and what they need for the scenario to make sense. */
export interface VictimSpec {
  readonly kind: 'human' | 'service';
  readonly roles?: readonly HumanRole[];
  /**
   * `workstation`: has one; `windows`: a Windows workstation; `iam_user`: signs AWS calls as an IAM user; `sso`: signs
   * in to AWS through the organisation's identity provider.
   */
  readonly needs?: readonly ('workstation' | 'windows' | 'iam_user' | 'sso')[];
}

export interface ScenarioSpec {
  readonly name: string;
  readonly title: string;
  /** Where the scenario comes from (the real records that shaped it, a published incident pattern). */
  readonly origin: string;
  readonly victim: VictimSpec;
  /** A server the instance is about (steps with `host = "server"`), of one of these roles. */
  readonly server?: { readonly roles: readonly string[]; readonly environment?: string };
  /** When instances start by default, in the victim's local time (config `seasonality` overrides). */
  readonly when: Seasonality;
  readonly steps: readonly StepSpec[];
}

export type Seasonality = 'any' | 'business_hours' | 'off_hours' | 'maintenance_windows';
