/**
 * Entra ID's logs as a diagnostic setting exports them to a storage account: a container per category
 * (`insights-logs-signinlogs`, `insights-logs-auditlogs`, …), a blob per tenant and hour at
 * `resourceId=/tenants/<tenant>/providers/microsoft.aadiam/y=<YYYY>/m=<MM>/d=<DD>/h=<HH>/m=00/PT1H.json`, holding one
 * JSON record per line; readers of that export (Azure Data Explorer, Sentinel's connectors, Splunk's Azure add-on, Elastic's
 * azure-blob-storage input) read these files unchanged.
 */
import type { DeliveryDelay } from '../delivery-delay.js';
import { compactStamp } from '../../encode/time-format.js';
import type { DeliveryLayout, MessageBatchForm } from '../source.js';

export const ENTRA_DELIVERY: DeliveryLayout = {
  groupBy: ['category', 'tenantId'],
  intervalMs: 3_600_000,
  head: '',
  tail: '\n',
  separator: '\n',
  gzip: false,
  oneFilePerGroup: true,
  uniqueLength: 0,
  path([category, tenant], deliveredMs) {
    const hourStart = compactStamp(deliveredMs - 3_600_000); // YYYYMMDDTHHmmss
    return `insights-logs-${category.toLowerCase()}/resourceId=/tenants/${tenant}/providers/microsoft.aadiam/y=${hourStart.slice(0, 4)}/m=${hourStart.slice(4, 6)}/d=${hourStart.slice(6, 8)}/h=${hourStart.slice(9, 11)}/m=00/PT1H.json`;
  },
  isRoot: (name) => name.startsWith('insights-logs-'),
  isFileName: (name) => name === 'PT1H.json',
};

/**
 * Entra ID's logs as a diagnostic setting streams them to an Event Hub: each event is `{"records":[…]}`, several
 * records of one category (Kafka's `records_per_message`; Event Hubs speak the Kafka protocol, so consumers of the
 * hub read these messages unchanged).
 */
export const ENTRA_EVENT_HUB: MessageBatchForm = {
  open: '{"records":[',
  separator: ',',
  close: ']}',
  groupBy: ['category'],
  description: 'the Event Hub form {"records":[…]}, one category per message',
};

/**
 * When Entra ID's sign-in and audit records reach Log Analytics, an Event Hub or the Graph API: Microsoft documents
 * report latency of about 30 seconds to 3 minutes for both logs, occasionally longer ("Microsoft Entra data retention"
 * / "reporting latencies"). A log-normal around 90 s: 95 % within 4 minutes, 99 % within 6, none after 20.
 */
export const ENTRA_DELIVERY_DELAY: DeliveryDelay = { median_seconds: 90, sigma: 0.6, max_seconds: 1200 };
