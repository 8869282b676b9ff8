/**
 * Activity curves: how busy an actor is at a given local time, relative to its peak. People follow their working
 * hours (with a lunch dip and a long tail into the evening), services follow their pattern.
 */
import type { Actor } from '../population/actor.js';
import { fnv1a } from '../util/hash.js';

const MINUTES_PER_DAY = 1440;
/** Burst shape of `bursty` services: a short spell of heavy activity once per period. */
export const BURSTY_MULTIPLIER = 6;
const BURSTY_MINUTES = 12;

export interface Curve {
  /** Activity factor at local minute-of-week (0 = Monday 00:00). */
  at(minuteOfWeek: number): number;
  /** Upper bound of `at`, for thinning. */
  readonly max: number;
}

/** A weekday for a person: near-zero at night, ramp in the morning, full in working hours, lunch dip, evening tail. */
function workday(hour: number, start: number, end: number): number {
  if (hour < start - 1.5) return hour < 6 ? 0.015 : 0.04;
  if (hour < start) return 0.04 + (0.96 * (hour - (start - 1.5))) / 1.5;
  if (hour < end) {
    const lunch = hour >= 12 && hour < 13.25 ? 0.55 : 1;
    const late = hour > end - 1 ? 0.8 : 1;
    return lunch * late;
  }
  if (hour < end + 4) return 0.25 * (1 - (hour - end) / 4) + 0.04;
  return 0.03;
}

export function curveFor(actor: Actor): Curve {
  if (actor.kind === 'human') {
    const { work_start_hour: start, work_end_hour: end, weekend_factor: weekend } = actor;
    return {
      max: 1,
      at(m) {
        const day = Math.floor(m / MINUTES_PER_DAY);
        const hour = (m - day * MINUTES_PER_DAY) / 60;
        const f = workday(hour, start, end);
        return day >= 5 ? f * weekend : f;
      },
    };
  }
  switch (actor.pattern) {
    case 'constant':
      return { max: 1, at: () => 1 };
    case 'diurnal': {
      const weekend = actor.weekend_factor;
      return {
        max: 1,
        at(m) {
          const day = Math.floor(m / MINUTES_PER_DAY);
          const hour = (m - day * MINUTES_PER_DAY) / 60;
          const business = hour >= 8 && hour < 19 ? 1 : hour >= 6 && hour < 22 ? 0.6 : 0.35;
          return day >= 5 ? business * weekend : business;
        },
      };
    }
    case 'bursty': {
      // Period and phase come from the actor id so a bot's schedule is stable across runs, like a cron job.
      const hash = fnv1a(actor.id);
      const period = [60, 120, 240, 360][hash % 4];
      const phase = (hash >>> 4) % period;
      return {
        max: BURSTY_MULTIPLIER,
        at(m) {
          return (m - phase + 10080) % period < BURSTY_MINUTES ? BURSTY_MULTIPLIER : 1;
        },
      };
    }
  }
}
