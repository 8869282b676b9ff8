/**
 * Timestamp formatting without Date objects on the hot path: civil dates from epoch days (Howard Hinnant's
 * algorithm), cached per second since consecutive records of a shard share most of their timestamp.
 */
import { type ByteWriter, utf8 } from './byte-writer.js';

export interface Civil {
  year: number;
  month: number;
  day: number;
}

export function civilFromDays(days: number, out: Civil): Civil {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  out.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  out.month = mp < 10 ? mp + 3 : mp - 9;
  out.year = yoe + era * 400 + (out.month <= 2 ? 1 : 0);
  return out;
}

function put(buf: Uint8Array, at: number, value: number, width: number): void {
  for (let i = width - 1; i >= 0; i--) {
    buf[at + i] = 48 + (value % 10);
    value = Math.floor(value / 10);
  }
}

/** `YYYY-MM-DDTHH:MM:SSZ` of the current second, rewritten only when the second changes. */
export class IsoSecondClock {
  readonly bytes = utf8('1970-01-01T00:00:00Z');
  private second = Number.NaN;
  private day = Number.NaN;
  private readonly civil: Civil = { year: 0, month: 0, day: 0 };

  set(ms: number): Uint8Array {
    const second = Math.floor(ms / 1000);
    if (second === this.second) return this.bytes;
    this.second = second;
    const day = Math.floor(second / 86400);
    const b = this.bytes;
    if (day !== this.day) {
      this.day = day;
      const c = civilFromDays(day, this.civil);
      put(b, 0, c.year, 4);
      put(b, 5, c.month, 2);
      put(b, 8, c.day, 2);
    }
    const s = second - day * 86400;
    put(b, 11, Math.floor(s / 3600), 2);
    put(b, 14, Math.floor((s % 3600) / 60), 2);
    put(b, 17, s % 60, 2);
    return b;
  }

  get civilDate(): Readonly<Civil> {
    return this.civil;
  }
}

/** Writes `YYYY-MM-DDTHH:MM:SSZ` of `ms` into `buf` at `at` (20 bytes), e.g. to patch a pre-encoded block. */
export function writeIsoSecond(buf: Uint8Array, at: number, ms: number): void {
  const second = Math.floor(ms / 1000);
  const day = Math.floor(second / 86400);
  const c = civilFromDays(day, { year: 0, month: 0, day: 0 });
  put(buf, at, c.year, 4);
  buf[at + 4] = 45;
  put(buf, at + 5, c.month, 2);
  buf[at + 7] = 45;
  put(buf, at + 8, c.day, 2);
  buf[at + 10] = 84;
  const s = second - day * 86400;
  put(buf, at + 11, Math.floor(s / 3600), 2);
  buf[at + 13] = 58;
  put(buf, at + 14, Math.floor((s % 3600) / 60), 2);
  buf[at + 16] = 58;
  put(buf, at + 17, s % 60, 2);
  buf[at + 19] = 90;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The Java-style medium date AWS uses inside responseElements: `Dec 1, 2025, 3:04:05 PM`. */
export function javaMediumDate(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h12}:${mm}:${ss} ${h < 12 ? 'AM' : 'PM'}`;
}

const MONTH_BYTES = MONTHS.map((m) => utf8(`${m} `));
const AM = utf8(' AM');
const PM = utf8(' PM');
const COMMA_SPACE = utf8(', ');
const scratchCivil: Civil = { year: 0, month: 0, day: 0 };

/** `javaMediumDate` written straight into `w`, without a Date or a string (response dates on the hot path). */
export function writeJavaMediumDate(w: ByteWriter, ms: number): void {
  const second = Math.floor(ms / 1000);
  const day = Math.floor(second / 86400);
  const c = civilFromDays(day, scratchCivil);
  const s = second - day * 86400;
  const h = Math.floor(s / 3600);
  const minute = Math.floor((s % 3600) / 60);
  w.bytes(MONTH_BYTES[c.month - 1]);
  w.uint(c.day);
  w.bytes(COMMA_SPACE);
  w.uint(c.year);
  w.bytes(COMMA_SPACE);
  w.uint(h % 12 === 0 ? 12 : h % 12);
  w.byte(58);
  w.padded(minute, 2);
  w.byte(58);
  w.padded(s % 60, 2);
  w.bytes(h < 12 ? AM : PM);
}

/** `YYYY-MM-DDTHH:MM:SSZ` for a given instant (off the hot path). */
export function isoSecond(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Compact UTC stamp for file names: `20251201T000000Z`. */
export function compactStamp(ms: number): string {
  return isoSecond(ms).replace(/[-:]/g, '');
}
