/**
 * Server-rendered inline SVG charts (no library, no script): a line chart of series over time buckets and a stacked
 * bar chart. Labels and titles go through `html` (escaped); coordinates are numbers this module computes.
 */
import { html, type Html } from './html.js';

export interface Series {
  readonly name: string;
  /** One value per bucket; null: no data there. */
  readonly values: readonly (number | null)[];
  readonly color?: string;
}

export interface ChartOptions {
  readonly title: string;
  /** Bucket labels (ISO times), in order. */
  readonly buckets: readonly string[];
  readonly series: readonly Series[];
  readonly format?: (v: number) => string;
  readonly max?: number;
}

export const PALETTE = ['#2458b3', '#d9480f', '#1f7a3f', '#8e44ad', '#b3261e', '#0b7285', '#a67c00', '#5d6875', '#e64980', '#364fc7', '#2b8a3e', '#862e9c'];

const W = 760;
const H = 240;
const M = { left: 56, right: 170, top: 26, bottom: 34 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

const n = (v: number) => (Math.round(v * 10) / 10).toString();

/** Four gridline steps of 1, 2, 2.5 or 5 times a power of ten (whole numbers for counts) reaching `v`. */
function niceMax(v: number, whole = true): number {
  if (v <= 0) return 4;
  const raw = v / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  let step = 10 * p;
  for (const m of [1, 2, 2.5, 5]) {
    if (m * p >= raw) {
      step = m * p;
      break;
    }
  }
  if (whole) step = Math.max(1, Math.ceil(step));
  return step * 4;
}

function bucketLabel(b: string, all: readonly string[]): string {
  // Hours within one day: 13:00; buckets across days: 12-01 13h; days: 12-01.
  const days = new Set(all.map((x) => x.slice(0, 10))).size;
  if (/T00:00:00/.test(b) && all.every((x) => /T00:00:00/.test(x))) return b.slice(5, 10);
  return days > 1 ? `${b.slice(5, 10)} ${b.slice(11, 13)}h` : b.slice(11, 16);
}

function frame(o: ChartOptions, max: number, fmt: (v: number) => string, body: unknown, xAt: (i: number) => number): Html {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => {
    const y = M.top + PH - t * PH;
    return html`<line class="grid" x1="${M.left}" x2="${M.left + PW}" y1="${n(y)}" y2="${n(y)}"/><text x="${M.left - 6}" y="${n(y + 4)}" text-anchor="end">${fmt(max * t)}</text>`;
  });
  const every = Math.max(1, Math.ceil(o.buckets.length / 8));
  const xLabels = o.buckets.map((b, i) => (i % every === 0 ? html`<text x="${n(xAt(i))}" y="${H - M.bottom + 16}" text-anchor="middle">${bucketLabel(b, o.buckets)}</text>` : null));
  const legend = o.series.map((s, i) => html`<rect x="${W - M.right + 12}" y="${M.top + i * 16}" width="10" height="10" fill="${s.color ?? PALETTE[i % PALETTE.length]}"/><text x="${W - M.right + 27}" y="${M.top + i * 16 + 9}">${s.name.length > 22 ? `${s.name.slice(0, 21)}…` : s.name}</text>`);
  return html`<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${o.title}"><title>${o.title}</title><text x="${M.left}" y="16" class="chart-title">${o.title}</text>${ticks}<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + PH}"/><line class="axis" x1="${M.left}" x2="${M.left + PW}" y1="${M.top + PH}" y2="${M.top + PH}"/>${body}${xLabels}${legend}</svg>`;
}

function empty(title: string): Html {
  return html`<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} 60" width="${W}" height="60" role="img" aria-label="${title}"><title>${title}</title><text x="${M.left}" y="16">${title}</text><text x="${M.left}" y="42">no data in this range</text></svg>`;
}

export function lineChart(o: ChartOptions): Html {
  if (o.buckets.length === 0 || o.series.length === 0) return empty(o.title);
  const fmt = o.format ?? ((v: number) => String(Math.round(v)));
  const max = o.max ?? niceMax(Math.max(...o.series.flatMap((s) => s.values.filter((v): v is number => v !== null))));
  const xAt = (i: number) => M.left + (o.buckets.length === 1 ? PW / 2 : (i / (o.buckets.length - 1)) * PW);
  const yAt = (v: number) => M.top + PH - (Math.min(v, max) / max) * PH;
  const lines = o.series.map((s, si) => {
    const color = s.color ?? PALETTE[si % PALETTE.length];
    // A gap (null) breaks the line into runs.
    const runs: string[][] = [[]];
    s.values.forEach((v, i) => {
      if (v === null) runs.push([]);
      else runs[runs.length - 1].push(`${n(xAt(i))},${n(yAt(v))}`);
    });
    const points = s.values.map((v, i) => (v === null ? null : html`<circle cx="${n(xAt(i))}" cy="${n(yAt(v))}" r="2" fill="${color}"><title>${s.name} ${o.buckets[i]}: ${fmt(v)}</title></circle>`));
    return html`<g class="series" data-series="${s.name}">${runs.filter((r) => r.length > 1).map((r) => html`<polyline fill="none" stroke="${color}" stroke-width="1.6" points="${r.join(' ')}"/>`)}${points}</g>`;
  });
  return frame(o, max, fmt, lines, xAt);
}

export function stackedBars(o: ChartOptions): Html {
  if (o.buckets.length === 0 || o.series.length === 0) return empty(o.title);
  const fmt = o.format ?? ((v: number) => String(Math.round(v)));
  const totals = o.buckets.map((_, i) => o.series.reduce((a, s) => a + (s.values[i] ?? 0), 0));
  const max = o.max ?? niceMax(Math.max(...totals));
  const slot = PW / o.buckets.length;
  const bw = Math.max(2, Math.min(40, slot * 0.7));
  const xAt = (i: number) => M.left + slot * (i + 0.5);
  const bars = o.buckets.map((b, i) => {
    let y = M.top + PH;
    return o.series.map((s, si) => {
      const v = s.values[i] ?? 0;
      if (v <= 0) return null;
      const h = (v / max) * PH;
      y -= h;
      return html`<rect x="${n(xAt(i) - bw / 2)}" y="${n(y)}" width="${n(bw)}" height="${n(h)}" fill="${s.color ?? PALETTE[si % PALETTE.length]}"><title>${s.name} ${b}: ${fmt(v)}</title></rect>`;
    });
  });
  return frame(o, max, fmt, bars, xAt);
}
