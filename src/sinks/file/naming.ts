/**
 * Output file names: `<label>-<first event time>-<last event time>-<sequence><ext>`, times as compact UTC stamps,
 * so names sort in time order and say what they hold.
 */
import { compactStamp } from '../../encode/time-format.js';

export function fileName(label: string, minMs: number, maxMs: number, sequence: number, extension: string): string {
  return `${label}-${compactStamp(minMs)}-${compactStamp(maxMs)}-${String(sequence).padStart(6, '0')}${extension}`;
}

export function temporaryName(label: string, sequence: number, extension: string): string {
  return `.${label}-${String(sequence).padStart(6, '0')}${extension}.tmp`;
}
