/** Amazon Bedrock: model access, agreements and invocations. */
import type { CatalogGroup, EventSpec } from './types.js';

const EVENTS: readonly EventSpec[] = [];

export const bedrockGroup: CatalogGroup = { events: EVENTS };
