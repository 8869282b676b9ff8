/**
 * The layout DSL: how a source declares a record once, as a JSON-like value (objects keep their key order) in which
 * dynamic parts are named *slots*. `ref('bucket')` writes a slot as a JSON string, `fmt('{bucket}.s3.{region}.amazonaws.com')`
 * interpolates slots into one string, `raw('identity')` writes a slot's pre-encoded JSON as it is (an object, a
 * number…), `gen('eventId')` writes a one-off value straight into the record, `opt(...)` drops the whole key when
 * the slot resolves to nothing, and `when(slot, layout)` writes a key only when a slot is non-empty. `compile.ts`
 * turns a layout into ops.
 */

abstract class Dynamic {}
/** A slot written as a JSON string. */
export class Ref extends Dynamic {
  constructor(readonly slot: string) {
    super();
  }
}
/** A JSON string assembled from literal text and `{slot}` references. */
export class Fmt extends Dynamic {
  constructor(readonly parts: readonly (string | Ref)[]) {
    super();
  }
}
/** A slot written as it is: pre-encoded JSON (an object, array, number, `null`…). */
export class Raw extends Dynamic {
  constructor(readonly slot: string) {
    super();
  }
}
/** An object key whose whole `"key":value` pair is left out when the slot resolves to zero bytes. */
export class Opt extends Dynamic {
  constructor(readonly value: Ref | Raw) {
    super();
  }
}

/**
 * A value written straight into the record by a generator, for one-off values no other field repeats
 * (event ids, request ids, opaque tokens): no slot scratch, no copy.
 */
export class Gen extends Dynamic {
  constructor(readonly generator: string) {
    super();
  }
}

/** An object key present only when slot `slot` resolves to a non-empty value: `tlsDetails` for API callers. */
export class When extends Dynamic {
  constructor(
    readonly slot: string,
    readonly layout: Layout,
  ) {
    super();
  }
}

export type Layout = null | boolean | number | string | Dynamic | readonly Layout[] | { readonly [key: string]: Layout };

export const ref = (slot: string) => new Ref(slot);
export const raw = (slot: string) => new Raw(slot);
export const opt = (value: Ref | Raw) => new Opt(value);
export const gen = (generator: string) => new Gen(generator);
export const when = (slot: string, layout: Layout) => new When(slot, layout);
export function fmt(pattern: string): Fmt {
  const parts: (string | Ref)[] = [];
  const re = /\{([A-Za-z0-9_.]+)\}/g;
  let last = 0;
  for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
    if (m.index > last) parts.push(pattern.slice(last, m.index));
    parts.push(new Ref(m[1]));
    last = m.index + m[0].length;
  }
  if (last < pattern.length) parts.push(pattern.slice(last));
  return new Fmt(parts);
}
