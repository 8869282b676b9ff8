/** IAM Roles Anywhere, Route 53 Resolver, SNS, WAF. */
import type { CatalogGroup, EventSpec } from './types.js';

const EVENTS: readonly EventSpec[] = [];

export const networkEdgeGroup: CatalogGroup = { events: EVENTS };
