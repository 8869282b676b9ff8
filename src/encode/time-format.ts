/**
 * Timestamp formatting and parsing without Date objects on the hot path: civil dates from epoch days and back
 * (Howard Hinnant's algorithms), cached per second or per day since consecutive records share most of their time.
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

/** Days since 1970-01-01 of a civil date (the inverse of civilFromDays). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = year - (month <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const decoder = new TextDecoder();

/** The number written in ASCII digits at [from, from + n), or -1 when one is not a digit. */
function digits(b: Uint8Array, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Microseconds since the epoch of RFC 3339 UTC times in bytes, `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`, with the start of
 * the last day seen cached (a block of records mostly shares its day); other forms go through Date.parse. Throws
 * on text that is not a time.
 */
export class IsoMicrosParser {
  private dayKey = -1;
  private dayMicros = 0;

  parse(b: Uint8Array, start: number, end: number): number {
    const n = end - start;
    if (n >= 20 && b[end - 1] === 0x5a && b[start + 4] === 0x2d && b[start + 7] === 0x2d && b[start + 10] === 0x54 && b[start + 13] === 0x3a && b[start + 16] === 0x3a) {
      const year = digits(b, start, 4);
      const month = digits(b, start + 5, 2);
      const day = digits(b, start + 8, 2);
      const h = digits(b, start + 11, 2);
      const mi = digits(b, start + 14, 2);
      const sec = digits(b, start + 17, 2);
      const fraction = n === 20 ? 0 : b[start + 19] === 0x2e && n >= 22 && n <= 27 ? digits(b, start + 20, n - 21) : -1;
      if ((year | h | mi | sec | fraction) >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && h < 24 && mi < 60 && sec < 61) {
        const key = (year * 100 + month) * 100 + day;
        if (key !== this.dayKey) {
          this.dayKey = key;
          this.dayMicros = daysFromCivil(year, month, day) * 86_400_000_000;
        }
        return this.dayMicros + ((h * 60 + mi) * 60 + sec) * 1_000_000 + (n > 21 ? fraction * 10 ** (27 - n) : 0);
      }
    }
    const text = decoder.decode(b.subarray(start, end));
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${JSON.stringify(text)}`);
    return ms * 1000;
  }
}

function put(buf: Uint8Array, at: number, value: number, width: number): void {
  for (let i = width - 1; i >= 0; i--) {
    buf[at + i] = 48 + (value % 10);
    value = Math.floor(value / 10);
  }
}

export const EPOCH_SECOND = '1970-01-01T00:00:00Z';

/** `YYYY-MM-DDTHH:MM:SSZ` of the current second, rewritten only when the second changes. */
export class IsoSecondClock {
  /** @param bytes where the timestamp is kept (20 bytes: a writer may want them somewhere it reads fast). */
  constructor(readonly bytes: Uint8Array = utf8(EPOCH_SECOND)) {}
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
