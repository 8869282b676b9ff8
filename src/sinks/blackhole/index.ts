/**
 * `type = "blackhole"`: records are counted (records and bytes, in the metrics and the summary) and discarded, as
 * Vector's blackhole sink does. Measures how fast the generator alone runs. No keys of its own.
 */
import * as z from 'zod';
import { commonOutputKeys, type SinkPlugin } from '../plugin.js';
import { BlackholeSink } from './blackhole-sink.js';

const schema = z.strictObject({ type: z.literal('blackhole'), ...commonOutputKeys });
export type BlackholeOutputConfig = z.output<typeof schema>;

export const blackholeSink: SinkPlugin<BlackholeOutputConfig> = {
  type: 'blackhole',
  schema,
  mixesSources: true,
  create: () => new BlackholeSink(),
  describe: () => 'records counted and discarded',
};
