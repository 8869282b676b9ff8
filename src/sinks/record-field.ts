/**
 * Reading one string field out of a JSON record's bytes without parsing the record: for sinks that group records by
 * a field's value (delivery files per category, Kafka messages per category).
 */

/** The string value after `key` (the bytes of `"field":"`) in bytes [from, to), or `missing` when there is none. */
export function stringAfter(bytes: Uint8Array, from: number, to: number, key: Uint8Array, missing: string): string {
  const first = key[0];
  outer: for (let i = from; i + key.length < to; i++) {
    if (bytes[i] !== first) continue;
    for (let j = 1; j < key.length; j++) if (bytes[i + j] !== key[j]) continue outer;
    const start = i + key.length;
    let end = start;
    while (end < to && bytes[end] !== 34) end++;
    return String.fromCharCode(...bytes.subarray(start, end));
  }
  return missing;
}
