/**
 * Thrift's compact protocol, write side only: what a Parquet footer and page headers need (structs, i32/i64,
 * binary, bool, lists). Parquet's metadata is a handful of small structs per column, so this runs once per page
 * and once per file, never per value.
 */
import { utf8 } from '../byte-writer.js';

export const enum TType {
  True = 1,
  False = 2,
  Byte = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  Double = 7,
  Binary = 8,
  List = 9,
  Struct = 12,
}

export class CompactWriter {
  private buf = new Uint8Array(256);
  pos = 0;
  private lastField = 0;
  private readonly fieldStack: number[] = [];

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Unsigned varint of a non-negative safe integer (up to 2^53). */
  private varint(n: number): void {
    this.ensure(10);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  private zigzag(n: number): void {
    this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  private fieldHeader(id: number, type: number): void {
    const delta = id - this.lastField;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.zigzag(id);
    }
    this.lastField = id;
  }

  i32(id: number, value: number): this {
    this.fieldHeader(id, TType.I32);
    this.zigzag(value);
    return this;
  }

  i16(id: number, value: number): this {
    this.fieldHeader(id, TType.I16);
    this.zigzag(value);
    return this;
  }

  i64(id: number, value: number): this {
    this.fieldHeader(id, TType.I64);
    this.zigzag(value);
    return this;
  }

  byteField(id: number, value: number): this {
    this.fieldHeader(id, TType.Byte);
    this.byte(value & 0xff);
    return this;
  }

  bool(id: number, value: boolean): this {
    this.fieldHeader(id, value ? TType.True : TType.False);
    return this;
  }

  binary(id: number, value: Uint8Array): this {
    this.fieldHeader(id, TType.Binary);
    this.rawBinary(value);
    return this;
  }

  string(id: number, value: string): this {
    return this.binary(id, utf8(value));
  }

  private rawBinary(value: Uint8Array): void {
    this.varint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** A struct field; `body` writes its fields. */
  struct(id: number, body: (w: this) => void): this {
    this.fieldHeader(id, TType.Struct);
    this.structBody(body);
    return this;
  }

  private structBody(body: (w: this) => void): void {
    this.fieldStack.push(this.lastField);
    this.lastField = 0;
    body(this);
    this.byte(0);
    this.lastField = this.fieldStack.pop()!;
  }

  private listHeader(id: number, size: number, elementType: number): void {
    this.fieldHeader(id, TType.List);
    if (size < 15) this.byte((size << 4) | elementType);
    else {
      this.byte(0xf0 | elementType);
      this.varint(size);
    }
  }

  structList<T>(id: number, items: readonly T[], body: (w: this, item: T, index: number) => void): this {
    this.listHeader(id, items.length, TType.Struct);
    items.forEach((item, index) => this.structBody((w) => body(w, item, index)));
    return this;
  }

  i32List(id: number, items: readonly number[]): this {
    this.listHeader(id, items.length, TType.I32);
    for (const v of items) this.zigzag(v);
    return this;
  }

  stringList(id: number, items: readonly string[]): this {
    this.listHeader(id, items.length, TType.Binary);
    for (const v of items) this.rawBinary(utf8(v));
    return this;
  }

  /** Writes a top-level struct (a page header, the file footer). */
  static struct(body: (w: CompactWriter) => void): Uint8Array {
    const w = new CompactWriter();
    w.structBody(body);
    return w.buf.slice(0, w.pos);
  }
}
