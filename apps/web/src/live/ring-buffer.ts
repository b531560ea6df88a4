/**
 * A fixed number of the latest items: pushing onto a full buffer overwrites the oldest, so
 * memory stays bounded however many messages pass. Reads copy out oldest first.
 */
export class RingBuffer<T> {
  private readonly slots: (T | undefined)[];
  /** Where the next push goes. */
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds an item; returns the item it overwrote when the buffer was full. */
  push(item: T): T | undefined {
    const evicted = this.count === this.capacity ? this.slots[this.next] : undefined;
    this.slots[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count += 1;
    return evicted;
  }

  /** The item `age` pushes back (0 is the newest), if still held. */
  fromNewest(age: number): T | undefined {
    if (!Number.isInteger(age) || age < 0 || age >= this.count) return undefined;
    return this.slots[(this.next - 1 - age + this.capacity * 2) % this.capacity];
  }

  /** Every held item, oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i += 1) out.push(this.slots[(start + i) % this.capacity] as T);
    return out;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
    this.count = 0;
  }
}
