/** The built-in scenario library: the Stratus Red Team techniques (generated from real records) and the cross-source chains. */
import type { ScenarioSpec } from '../types.js';
import { CHAINS } from './chains.js';
import { STRATUS } from './stratus.js';

export const SCENARIOS: readonly ScenarioSpec[] = [...CHAINS, ...STRATUS];
