/**
 * Every sink plug-in, by `[[outputs]] type`. A sink is a folder under src/sinks/ exporting a SinkPlugin; listing
 * it here is the only edit outside its folder.
 */
import * as z from 'zod';
import { blackholeSink } from './blackhole/index.js';
import { fileSink } from './file/index.js';
import { httpSink } from './http/index.js';
import { kafkaSink } from './kafka/index.js';
import type { OutputBase, SinkPlugin } from './plugin.js';
import { s3Sink } from './s3/index.js';
import { stdoutSink } from './stdout/index.js';
import { syslogSink } from './syslog/index.js';

export const SINKS = [fileSink, stdoutSink, kafkaSink, s3Sink, syslogSink, httpSink, blackholeSink] as const;

type SchemaOf<P> = P extends SinkPlugin<infer C> ? z.ZodType<C> : never;
const schemas = SINKS.map((s) => s.schema) as unknown as [SchemaOf<(typeof SINKS)[number]>, ...SchemaOf<(typeof SINKS)[number]>[]];

export const outputEntrySchema = z.discriminatedUnion('type', schemas as never, {
  error: (issue) => (issue.code === 'invalid_union' ? `expected type to be one of ${SINKS.map((s) => JSON.stringify(s.type)).join(', ')}` : undefined),
}) as unknown as z.ZodType<OutputEntry>;

type ConfigOf<P> = P extends SinkPlugin<infer C> ? C : never;
export type OutputEntry = ConfigOf<(typeof SINKS)[number]>;

export function sinkFor(type: string): SinkPlugin<OutputBase> {
  const plugin = SINKS.find((s) => s.type === type);
  if (!plugin) throw new Error(`unknown output type ${type}`);
  return plugin as unknown as SinkPlugin<OutputBase>;
}
