/**
 * Command-line values: each parser accepts exactly what its flag allows and otherwise throws a FlagError that names
 * the flag, the value and what is allowed, in one line.
 */
import { UsageError } from '../util/errors.js';

/** A flag's value that is not allowed. */
export class FlagError extends UsageError {
  constructor(flag: string, value: string, allowed: string) {
    super(`${flag} ${JSON.stringify(value)}: ${allowed}`);
    this.name = 'FlagError';
  }
}

/** The longest delay Node's timers take (about 24.8 days, in ms). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A whole number written in digits, from `min` to `max`. */
export function wholeNumber(flag: string, min: number, max: number, why = '') {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new FlagError(flag, value, `expected a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}${why}`);
    }
    return n;
  };
}

/** A number greater than 0 and at most `max` (decimals allowed). */
export function positiveNumber(flag: string, max: number, unit: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) {
      throw new FlagError(flag, value, `expected a number of ${unit} greater than 0 and at most ${max.toLocaleString('en-US')}`);
    }
    return n;
  };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 time, as epoch milliseconds. */
export function rfc3339(flag: string) {
  return (value: string): number => {
    const ms = Date.parse(value);
    if (!RFC3339.test(value) || Number.isNaN(ms)) throw new FlagError(flag, value, 'expected an RFC 3339 time such as 2025-12-02T00:00:00Z');
    return ms;
  };
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** An RFC 3339 time, or a time before now such as `-30d` (units s, m, h, d, w; whole seconds), as epoch ms. */
export function pastOrTime(flag: string, now: () => number = Date.now) {
  const absolute = rfc3339(flag);
  return (value: string): number => {
    const m = /^-(\d{1,9})([smhdw])$/.exec(value.trim());
    if (m) return Math.floor(now() / 1000) * 1000 - Number(m[1]) * UNIT_MS[m[2]];
    try {
      return absolute(value);
    } catch {
      throw new FlagError(flag, value, 'expected an RFC 3339 time such as 2025-12-02T00:00:00Z, or a time before now such as -30d (units s, m, h, d, w)');
    }
  };
}

/** `k/n`: group k (1…n) of n, n at most `max`. */
export function shardGroupFlag(flag: string, max: number) {
  return (value: string): { index: number; count: number } => {
    const m = /^(\d{1,3})\/(\d{1,3})$/.exec(value.trim());
    const index = m ? Number(m[1]) : NaN;
    const count = m ? Number(m[2]) : NaN;
    if (!m || count < 1 || count > max || index < 1 || index > count) throw new FlagError(flag, value, `expected k/n with 1 <= k <= n <= ${max}, e.g. 2/8 (the second of 8 processes)`);
    return { index, count };
  };
}
