/** Amazon RDS: instances, clusters, snapshots. */
import type { CatalogGroup, EventSpec } from './types.js';

const EVENTS: readonly EventSpec[] = [];

export const rdsGroup: CatalogGroup = { events: EVENTS };
