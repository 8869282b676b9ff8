/**
 * The time formats pack templates can write (`{{ time | <format> }}`), each as its vendor's logs write it. Formats
 * that only change once a second keep their text for the second.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const p3 = (n: number) => String(n).padStart(3, '0');

/** A formatter from a time in milliseconds (UTC) to text. */
export type TimeFormat = (ms: number) => string;

/** Formats whose text changes only once a second (the writer keeps the second's text). */
export const PER_SECOND: ReadonlySet<string> = new Set(['rfc3339_s', 'epoch_s', 'rfc3164', 'clf']);

export const TIME_FORMATS: Readonly<Record<string, TimeFormat>> = {
  /** 2025-12-01T07:26:48.175Z */
  rfc3339: (ms) => new Date(Math.floor(ms)).toISOString(),
  /** 2025-12-01T07:26:48Z */
  rfc3339_s: (ms) => `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`,
  /** 2025-12-01T07:26:48.175000Z (microseconds, as many agents write them) */
  rfc3339_us: (ms) => `${new Date(Math.floor(ms)).toISOString().slice(0, 23)}${String(Math.floor((ms % 1) * 1000)).padStart(3, '0')}Z`,
  /** Seconds, milliseconds and microseconds since the epoch. */
  epoch_s: (ms) => String(Math.floor(ms / 1000)),
  epoch_ms: (ms) => String(Math.floor(ms)),
  epoch_us: (ms) => String(Math.floor(ms * 1000)),
  /** auditd's `epoch.ms` (the part before the serial in msg=audit(…:serial)). */
  auditd: (ms) => {
    const t = Math.floor(ms);
    return `${Math.floor(t / 1000)}.${p3(t % 1000)}`;
  },
  /** RFC 3164 syslog: `Dec  1 07:26:48` (day padded with a space). */
  rfc3164: (ms) => {
    const d = new Date(Math.floor(ms));
    const day = d.getUTCDate();
    return `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ` ${day}` : day} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  },
  /** RFC 5424 syslog: `2025-12-01T07:26:48.175Z`. */
  rfc5424: (ms) => new Date(Math.floor(ms)).toISOString(),
  /** Apache and nginx common log format: `01/Dec/2025:07:26:48 +0000`. */
  clf: (ms) => {
    const d = new Date(Math.floor(ms));
    return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
  },
  /** `2025-12-01 07:26:48.175` (Sysmon's UtcTime, SQL-style timestamps). */
  datetime_ms: (ms) => new Date(Math.floor(ms)).toISOString().slice(0, 23).replace('T', ' '),
  /** Windows event SystemTime: `2025-12-01T07:26:48.1750000Z` (seven digits). */
  windows: (ms) => `${new Date(Math.floor(ms)).toISOString().slice(0, 23)}${String(Math.floor((ms % 1) * 10_000)).padStart(4, '0')}Z`,
};
