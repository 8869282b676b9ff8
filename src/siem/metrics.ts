/** The service's Prometheus metrics (`GET /metrics`), on a registry of its own (two services in one process do not mix). */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export class SiemMetrics {
  readonly registry = new Registry();
  readonly records = new Counter({ name: 'seclog_siem_ingested_records_total', help: 'Records stored, by source and table', labelNames: ['source', 'table'] as const, registers: [this.registry] });
  readonly duplicates = new Counter({ name: 'seclog_siem_duplicate_records_total', help: 'Records received again and skipped (replays after a restart or rebalance)', registers: [this.registry] });
  readonly batchSeconds = new Histogram({
    name: 'seclog_siem_batch_seconds',
    help: 'Time to normalise and durably write one batch',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly batchRecords = new Histogram({ name: 'seclog_siem_batch_records', help: 'Records per written batch', buckets: [1, 10, 100, 1000, 5000, 10000, 20000, 50000], registers: [this.registry] });
  readonly errors = new Counter({ name: 'seclog_siem_ingest_errors_total', help: 'Failed batch writes and commits (retried)', labelNames: ['stage'] as const, registers: [this.registry] });
  readonly lag = new Gauge({ name: 'seclog_siem_consumer_lag', help: 'Messages behind the end of each topic (sum over its partitions)', labelNames: ['topic'] as const, registers: [this.registry] });
  readonly alerts = new Counter({ name: 'seclog_siem_alerts_total', help: 'Alerts opened, updated with new hits, or reopened, by severity', labelNames: ['severity', 'action'] as const, registers: [this.registry] });
  readonly alertLatency = new Histogram({
    name: 'seclog_siem_alert_latency_seconds',
    help: 'From the newest record of a hit reaching the service to its alert committed',
    buckets: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly rulesActive = new Gauge({ name: 'seclog_siem_rules_active', help: 'Rules compiled and running', registers: [this.registry] });
  readonly requests = new Counter({ name: 'seclog_siem_http_requests_total', help: 'API requests by route and status', labelNames: ['route', 'status'] as const, registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'seclog_siem_' });
  }
}
