/**
 * Binary min-heap of small integer ids keyed by a float64 priority, in typed arrays (no per-item objects).
 * Ties break on the id, so pop order is fully deterministic.
 */
export class IdHeap {
  private readonly ids: Int32Array;
  private readonly keys: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.ids = new Int32Array(Math.max(1, capacity));
    this.keys = new Float64Array(Math.max(1, capacity));
  }

  push(id: number, key: number): void {
    let i = this.size++;
    const ids = this.ids, keys = this.keys;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent];
      if (pk < key || (pk === key && ids[parent] < id)) break;
      ids[i] = ids[parent];
      keys[i] = pk;
      i = parent;
    }
    ids[i] = id;
    keys[i] = key;
  }

  peekKey(): number {
    return this.size > 0 ? this.keys[0] : Infinity;
  }

  peekId(): number {
    return this.ids[0];
  }

  /** Removes the top and re-inserts it with a new key (cheaper than pop + push). */
  replaceTop(key: number): void {
    const id = this.ids[0];
    this.siftDown(0, id, key);
  }

  pop(): number {
    const top = this.ids[0];
    const n = --this.size;
    if (n > 0) this.siftDown(0, this.ids[n], this.keys[n]);
    return top;
  }

  private siftDown(i: number, id: number, key: number): void {
    const ids = this.ids, keys = this.keys, n = this.size;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && (keys[right] < keys[child] || (keys[right] === keys[child] && ids[right] < ids[child]))) child = right;
      const ck = keys[child];
      if (key < ck || (key === ck && id < ids[child])) break;
      ids[i] = ids[child];
      keys[i] = ck;
      i = child;
    }
    ids[i] = id;
    keys[i] = key;
  }
}
