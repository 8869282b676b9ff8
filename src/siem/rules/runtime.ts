/**
 * The rules of a running service: the enabled rules of the database compiled into a Detector, recompiled when any
 * instance changes them (`rules_version`, polled), and the raising of a batch's hits as alerts in its transaction,
 * then, once committed, the latency metric and the notifications of new and reopened alerts.
 */
import { raiseAlerts, type AlertHit, type Raised } from '../alerts/store.js';
import type { AlertNotice } from '../alerts/notify.js';
import type { Detection } from '../ingest/ingest.js';
import type { SiemMetrics } from '../metrics.js';
import type { Database, Queryable } from '../store/database.js';
import { Detector } from './engine.js';
import { parseRules, type LoadedRule } from './load.js';
import { listRules, rulesVersion } from './store.js';

export interface RuntimeOptions {
  readonly dedupMs: number;
  readonly reloadMs: number;
  readonly notify?: (notice: AlertNotice) => void;
  readonly log: (line: string) => void;
}

/** The enabled rules of the database, parsed (a stored rule that no longer parses is reported and skipped). */
export async function enabledRules(db: Queryable, log: (line: string) => void): Promise<LoadedRule[]> {
  const out: LoadedRule[] = [];
  for (const row of await listRules(db, { enabled: true })) {
    try {
      out.push(...parseRules(row.yaml, `rule ${row.id}`).filter((r) => r.meta.id === row.id));
    } catch (err) {
      log(`seclog siem: rule ${row.id} skipped: ${(err as Error).message}`);
    }
  }
  return out;
}

function noticeOf(r: Raised): AlertNotice {
  const a = r.alert;
  const where = Object.entries(a.group_values)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return {
    id: a.id,
    rule_id: a.rule_id,
    rule_title: a.rule_title,
    severity: a.severity,
    status: r.action === 'reopened' ? 'reopened' : 'open',
    count: a.count,
    first_seen: a.first_seen,
    last_seen: a.last_seen,
    group: a.group_values,
    tags: a.tags,
    summary: `${a.rule_title}${where === '' ? '' : ` (${where})`}: ${a.count} hit${a.count === 1 ? '' : 's'} ${r.action === 'reopened' ? 'reopened a closed alert' : 'opened an alert'}`,
  };
}

export class RuleRuntime implements Detection {
  private detector: Detector = new Detector([]);
  private version = '';
  private timer: NodeJS.Timeout | null = null;
  private reloading: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    private readonly metrics: SiemMetrics,
    private readonly options: RuntimeOptions,
  ) {}

  /** Compiles the enabled rules and starts watching for changes. */
  async start(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => void this.reload().catch((err: Error) => this.options.log(`seclog siem: reloading rules failed: ${err.message}`)), this.options.reloadMs);
    this.timer.unref();
  }

  /** Recompiles when the rules changed since the last time (state of correlations and thresholds starts anew). */
  reload(force = false): Promise<void> {
    this.reloading ??= (async () => {
      try {
        const version = await rulesVersion(this.db);
        if (!force && version === this.version) return;
        const rules = await enabledRules(this.db, this.options.log);
        const detector = new Detector(rules);
        for (const p of detector.problems) this.options.log(`seclog siem: rule ${p.id} does not run: ${p.message}`);
        this.detector = detector;
        this.version = version;
        this.metrics.rulesActive.set(detector.active);
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  current(): Detector {
    return this.detector;
  }

  async raise(tx: Queryable, hits: readonly AlertHit[]): Promise<() => void> {
    const raised = await raiseAlerts(tx, hits, this.options.dedupMs);
    return () => {
      const now = Date.now();
      for (const r of raised) {
        this.metrics.alerts.inc({ severity: r.alert.severity, action: r.action });
        this.metrics.alertLatency.observe((now - r.received) / 1000);
        if (r.action !== 'updated') this.options.notify?.(noticeOf(r));
      }
    };
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }
}
