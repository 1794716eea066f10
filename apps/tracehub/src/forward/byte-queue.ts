/**
 * A FIFO bounded by the total size of its items. When a push would exceed
 * the bound, the OLDEST items are evicted and returned to the caller (who
 * counts them as dropped): for a live central view, recent telemetry is
 * worth more than old, and evicting old items never makes the producer wait.
 */
export class ByteBoundedQueue<T extends { bytes: number }> {
  private items: T[] = [];
  private head = 0;
  private total = 0;

  constructor(readonly maxBytes: number) {
    if (!(maxBytes > 0)) throw new Error(`maxBytes must be positive, got ${maxBytes}`);
  }

  get length(): number {
    return this.items.length - this.head;
  }
  get bytes(): number {
    return this.total;
  }

  /** Adds `item`; returns what was evicted to make room (the item itself if it can never fit). */
  push(item: T): T[] {
    if (item.bytes > this.maxBytes) return [item];
    const evicted: T[] = [];
    while (this.total + item.bytes > this.maxBytes && this.length > 0) {
      evicted.push(this.shift()!);
    }
    this.items.push(item);
    this.total += item.bytes;
    return evicted;
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head] = undefined as unknown as T;
    this.head++;
    this.total -= item.bytes;
    // Compact now and then so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  drain(): T[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    this.total = 0;
    return rest;
  }
}
