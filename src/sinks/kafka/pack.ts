/**
 * Several records per message, in the form the source declares (`MessageBatchForm`: the text before, between and
 * after the records; optionally fields whose values a message's records share). Records are added one at a time in
 * the order the sink receives them; a message closes when it holds `maxRecords` records, when the next record would
 * take it past `maxBytes` (a message holds at least one record, however large), or when the sink says so
 * (`closeAll`). Which records share a message therefore depends only on the order of the records and on when
 * `closeAll` is called, never on how the records were split into writes.
 */
import { copyBytes } from '../../encode/copy-bytes.js';
import type { MessageBatchForm } from '../../sources/source.js';
import { stringAfter } from '../record-field.js';

/** A closed message: its value, how many records it holds, and its first record's actor and time. */
export interface PackedMessage {
  readonly value: Buffer;
  readonly records: number;
  readonly actor: number;
  readonly time: number;
}

/** The message being filled for one group (one combination of the groupBy fields' values). */
interface OpenMessage {
  bytes: Uint8Array;
  length: number;
  records: number;
  actor: number;
  time: number;
}

/** Room for a typical message without growing (grown by doubling when needed, kept for later messages). */
const INITIAL_BYTES = 64 * 1024;

export class MessagePacker {
  private readonly open: Uint8Array;
  private readonly separator: Uint8Array;
  private readonly close: Uint8Array;
  /** `"field":"` per groupBy field. */
  private readonly keys: Uint8Array[];
  /** Open messages by group, in the order they were opened (closeAll closes them in that order). */
  private readonly messages = new Map<string, OpenMessage>();
  /** Buffers of closed messages, for the next ones. */
  private readonly spare: Uint8Array[] = [];

  constructor(
    form: MessageBatchForm,
    private readonly maxRecords: number,
    private readonly maxBytes: number,
  ) {
    const encoder = new TextEncoder();
    this.open = encoder.encode(form.open);
    this.separator = encoder.encode(form.separator);
    this.close = encoder.encode(form.close);
    this.keys = (form.groupBy ?? []).map((field) => encoder.encode(`"${field}":"`));
  }

  /**
   * Adds the record at bytes [start, end) (without its newline; copied, so `bytes` may be reused once this returns).
   * Returns the message this closed, if any: the group's previous one (the record did not fit) or the one the
   * record filled.
   */
  add(bytes: Uint8Array, start: number, end: number, actor: number, time: number): PackedMessage | null {
    const group = this.keys.length === 0 ? '' : this.groupOf(bytes, start, end);
    const size = end - start;
    let closed: PackedMessage | null = null;
    let m = this.messages.get(group);
    if (m && m.length + this.separator.length + size + this.close.length > this.maxBytes) {
      closed = this.finish(group, m);
      m = undefined;
    }
    if (!m) {
      m = { bytes: this.spare.pop() ?? new Uint8Array(INITIAL_BYTES), length: 0, records: 0, actor, time };
      this.messages.set(group, m);
      this.append(m, this.open, 0, this.open.length);
    } else {
      this.append(m, this.separator, 0, this.separator.length);
    }
    this.append(m, bytes, start, end);
    m.records++;
    // A message just opened for this record closes here only when maxRecords is 1: then `closed` is still null.
    if (m.records >= this.maxRecords) closed = this.finish(group, m);
    return closed;
  }

  /** Closes every open message, in the order they were opened. */
  closeAll(): PackedMessage[] {
    const closed: PackedMessage[] = [];
    for (const [group, m] of this.messages) closed.push(this.finish(group, m));
    return closed;
  }

  /** Messages open now. */
  get openMessages(): number {
    return this.messages.size;
  }

  private finish(group: string, m: OpenMessage): PackedMessage {
    this.append(m, this.close, 0, this.close.length);
    const value = Buffer.allocUnsafe(m.length);
    value.set(m.bytes.subarray(0, m.length));
    this.messages.delete(group);
    this.spare.push(m.bytes);
    return { value, records: m.records, actor: m.actor, time: m.time };
  }

  private append(m: OpenMessage, source: Uint8Array, start: number, end: number): void {
    const need = m.length + (end - start);
    if (need > m.bytes.length) {
      let size = m.bytes.length * 2;
      while (size < need) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(m.bytes.subarray(0, m.length));
      m.bytes = grown;
    }
    copyBytes(m.bytes, m.length, source, start, end);
    m.length = need;
  }

  /** The record's values of the groupBy fields (the first occurrence of each; `?` when absent), as one key. */
  private groupOf(bytes: Uint8Array, start: number, end: number): string {
    let group = '';
    for (const key of this.keys) group += `${stringAfter(bytes, start, end, key, '?')}\u0000`;
    return group;
  }
}
