/**
 * IANA time zones through the runtime's own tz database (Intl), so DST rules are the real ones rather than fixed
 * offsets. Every transition in use happens on a quarter-hour boundary of UTC, which is the resolution kept.
 */

const QUARTER_HOUR_MS = 15 * 60 * 1000;

/** The runtime's name for `zone` (its canonical form), or null when the runtime does not know it. */
function resolvedZone(name: string): string | null {
  if (name.length === 0) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * What is wrong with a time zone name, or null when it is an IANA name written as IANA writes it. The runtime
 * accepts names in any case, but IANA names are case-sensitive (`America/Los_Angeles`) and other tools reading the
 * population (DuckDB, Python's zoneinfo) refuse `america/los_angeles`.
 */
export function timeZoneProblem(name: string): string | null {
  const resolved = resolvedZone(name);
  if (resolved === null) return 'expected an IANA time zone name such as "America/Los_Angeles" or "Europe/Berlin"';
  const lower = name.toLowerCase();
  const sameButCase = [resolved, ...Intl.supportedValuesOf('timeZone')].find((z) => z.toLowerCase() === lower && z !== name);
  const badCase = sameButCase !== undefined || name.split('/').some((part) => !/^[A-Z]/.test(part));
  return badCase ? `time zone names are case-sensitive: expected ${JSON.stringify(sameButCase ?? resolved)}` : null;
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
 * UTC offsets of one zone, resolved a UTC day at a time: the offsets at the day's start and end, and (on the rare
 * days they differ) the quarter hour of the transition by binary search. A handful of Intl calls per zone per day.
 */
export class ZoneOffsets {
  private day = Number.NaN;
  private startOffsetMs = 0;
  private endOffsetMs = 0;
  /** First instant (ms) of the day's second offset; Infinity when the day has one offset. */
  private switchMs = Infinity;

  constructor(readonly zone: string) {}

  offsetMs(utcMs: number): number {
    const day = Math.floor(utcMs / 86_400_000);
    if (day !== this.day) this.resolveDay(day);
    return utcMs < this.switchMs ? this.startOffsetMs : this.endOffsetMs;
  }

  private resolveDay(day: number): void {
    this.day = day;
    const start = day * 86_400_000;
    this.startOffsetMs = utcOffsetMinutes(this.zone, start) * 60_000;
    this.endOffsetMs = utcOffsetMinutes(this.zone, start + 86_400_000 - QUARTER_HOUR_MS) * 60_000;
    this.switchMs = Infinity;
    if (this.startOffsetMs === this.endOffsetMs) return;
    let lo = 0;
    let hi = 95; // quarter hours: offset at lo is the start offset, at hi the end offset
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (utcOffsetMinutes(this.zone, start + mid * QUARTER_HOUR_MS) * 60_000 === this.startOffsetMs) lo = mid;
      else hi = mid;
    }
    this.switchMs = start + hi * QUARTER_HOUR_MS;
  }
}

/** Zone offset caches shared by everything in one thread that walks time forwards through the same zones. */
export class ZoneOffsetCache {
  private readonly zones = new Map<string, ZoneOffsets>();
  get(zone: string): ZoneOffsets {
    let z = this.zones.get(zone);
    if (!z) this.zones.set(zone, (z = new ZoneOffsets(zone)));
    return z;
  }
}

/** Local calendar position of an instant in one zone. */
export class LocalClock {
  private readonly offsets: ZoneOffsets;

  constructor(zone: string, cache?: ZoneOffsetCache) {
    this.offsets = cache ? cache.get(zone) : new ZoneOffsets(zone);
  }

  /** Minutes-of-week in local time, 0 = Monday 00:00, range [0, 10080). */
  minuteOfWeek(utcMs: number): number {
    const localMs = utcMs + this.offsets.offsetMs(utcMs);
    // 1970-01-01 was a Thursday: shift so that Monday is day 0.
    const minutes = Math.floor(localMs / 60000) + 3 * 1440;
    return ((minutes % 10080) + 10080) % 10080;
  }
}
