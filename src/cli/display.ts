/**
 * What `gen` prints while it runs (stderr): a metrics line every interval, a progress bar on a terminal when a
 * bound is known, and a final summary.
 */
import type { GenerateSummary, RunMetrics } from '../engine/run.js';
import type { OutputStats } from '../sinks/fan-out.js';
import { isoSecond } from '../encode/time-format.js';

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => bytes / 1e6;

function fraction(m: RunMetrics): number | null {
  if (m.maxEvents !== undefined) return Math.min(1, m.events / m.maxEvents);
  if (Number.isFinite(m.untilMs)) return Math.min(1, (m.simulatedMs - m.startMs) / (m.untilMs - m.startMs));
  return null;
}

export function metricsLine(m: RunMetrics, previous: RunMetrics | null): string {
  const seconds = m.elapsedMs / 1000;
  const dt = previous ? (m.elapsedMs - previous.elapsedMs) / 1000 : seconds;
  const rate = dt > 0 ? (m.events - (previous?.events ?? 0)) / dt : 0;
  const mbRate = dt > 0 ? mb(m.bytes - (previous?.bytes ?? 0)) / dt : 0;
  // Behind the wall clock by more than a minute (a live run catching up, or a run of the past): say by how much.
  const behind = Date.now() - m.simulatedMs;
  const sim = `${isoSecond(m.simulatedMs)}${m.live && behind > 60_000 ? ` (catching up, ${behind < 3_600_000 ? `${Math.round(behind / 60_000)} min` : `${(behind / 3_600_000).toFixed(1)} h`} behind)` : ''}`;
  const delivered = m.outputs
    .filter((o) => o.delivery)
    .map((o) => `  ${o.name} acked ${fmtInt(o.delivery!.acked)}${o.delivery!.retried > 0 ? ` retried ${fmtInt(o.delivery!.retried)}` : ''}`)
    .join('');
  return `[seclog] ${seconds.toFixed(1)}s  events ${fmtInt(m.events)} (${fmtInt(rate)}/s)  ${mb(m.bytes).toFixed(1)} MB (${mbRate.toFixed(1)} MB/s)  written ${mb(m.bytesOut).toFixed(1)} MB  sim ${sim}  files ${m.files}${delivered}`;
}

export function progressBar(m: RunMetrics, width = 30): string | null {
  const f = fraction(m);
  if (f === null) return null;
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(f * 100).toFixed(1).padStart(5)}%`;
}

/** Writes metrics to stderr: a line per interval; on a terminal with a known bound, a live progress bar instead. */
export function createReporter(stream: NodeJS.WriteStream) {
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  let previous: RunMetrics | null = null;
  return (m: RunMetrics) => {
    const line = metricsLine(m, previous);
    previous = m;
    const bar = progressBar(m);
    if (tty && bar) {
      stream.write(`\r\x1b[2K${bar} ${line.replace('[seclog] ', '')}`);
      if (m.done) stream.write('\n');
    } else if (!m.done) {
      stream.write(`${line}\n`);
    }
  };
}

function outputLine(o: OutputStats): string {
  const head = `  output      ${o.name}: ${o.description}`;
  const d = o.delivery;
  if (!d) return `${head}, ${o.files} files, ${mb(o.bytesOut).toFixed(1)} MB`;
  const messages = o.messages !== undefined ? ` (records; ${fmtInt(o.messages)} message${o.messages === 1 ? '' : 's'} acknowledged)` : '';
  return `${head}, ${fmtInt(d.acked)} acknowledged of ${fmtInt(d.sent)} sent${messages}, ${fmtInt(d.retried)} retried, ${fmtInt(d.failed)} failed, latency avg ${d.latencyMsAvg.toFixed(0)} ms max ${d.latencyMsMax.toFixed(0)} ms`;
}

export function summaryText(s: GenerateSummary): string {
  const seconds = s.elapsedMs / 1000;
  return [
    `seclog gen: ${s.stopReason}`,
    `  events      ${fmtInt(s.events)} in ${seconds.toFixed(2)}s (${fmtInt(s.events / Math.max(seconds, 1e-9))}/s)`,
    `  bytes       ${mb(s.bytes).toFixed(1)} MB encoded (${(mb(s.bytes) / Math.max(seconds, 1e-9)).toFixed(1)} MB/s), ${mb(s.bytesOut).toFixed(1)} MB written`,
    ...s.outputs.map(outputLine),
    `  simulated   ${isoSecond(s.startMs)} .. ${isoSecond(s.simulatedMs)}`,
    `  seed        ${s.seed}   workers ${s.workers}${s.shard ? `   shard group ${s.shard.index} of ${s.shard.count}` : ''}${s.live ? '   live' : ''}`,
    ...(s.scenarios ? scenarioLines(s.scenarios) : []),
  ].join('\n');
}

function scenarioLines(sc: NonNullable<GenerateSummary['scenarios']>): string[] {
  return [
    `  scenarios   ${sc.running.length} running, ${fmtInt(sc.labels)} labels in ${sc.labelsPath}`,
    ...sc.skipped.map((k) => `  skipped     ${k.name}: the run has no ${k.missing.join(', ')}`),
  ];
}
