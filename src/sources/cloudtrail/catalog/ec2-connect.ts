/** EC2 Instance Connect: pushing SSH keys to instances and their serial consoles. */
import type { CatalogGroup, EventSpec } from './types.js';

const EVENTS: readonly EventSpec[] = [];

export const ec2ConnectGroup: CatalogGroup = { events: EVENTS };
