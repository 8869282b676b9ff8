/**
 * IANA time zones through the runtime's own tz database (Intl), so DST rules are the real ones rather than fixed
 * offsets. Offsets are looked up per quarter hour of UTC and cached, because every tz transition in use happens on
 * a quarter-hour boundary.
 */

const QUARTER_HOUR_MS = 15 * 60 * 1000;

export function isValidTimeZone(name: string): boolean {
  if (name.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Offset of `zone` from UTC, in minutes, at instant `utcMs` (positive east of Greenwich). */
export function utcOffsetMinutes(zone: string, utcMs: number): number {
  const parts = formatterFor(zone).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const hour = get('hour') % 24;
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), hour, get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * Local calendar position of an instant in one zone: hour of week (0 = Monday 00:00) and fraction of the hour.
 * Keeps the last quarter hour it resolved, since callers walk time forwards.
 */
export class LocalClock {
  private bucket = Number.NaN;
  private offsetMs = 0;

  constructor(readonly zone: string) {}

  /** Minutes-of-week in local time, 0 = Monday 00:00, range [0, 10080). */
  minuteOfWeek(utcMs: number): number {
    const bucket = Math.floor(utcMs / QUARTER_HOUR_MS);
    if (bucket !== this.bucket) {
      this.bucket = bucket;
      this.offsetMs = utcOffsetMinutes(this.zone, bucket * QUARTER_HOUR_MS) * 60000;
    }
    const localMs = utcMs + this.offsetMs;
    // 1970-01-01 was a Thursday: shift so that Monday is day 0.
    const minutes = Math.floor(localMs / 60000) + 3 * 1440;
    return ((minutes % 10080) + 10080) % 10080;
  }
}
