/** Governance and operations services: CloudFormation, CloudTrail trail changes, Config, EFS, EventBridge, Grafana, GuardDuty, CloudWatch alarms, Organizations. */
import type { CatalogGroup, EventSpec } from './types.js';

const EVENTS: readonly EventSpec[] = [];

export const governanceGroup: CatalogGroup = { events: EVENTS };
