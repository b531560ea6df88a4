/** How many message ids an idempotent consumer remembers by default. */
export const SEEN_MESSAGE_IDS = 10_000;

/**
 * The message ids an idempotent consumer has processed, the oldest forgotten first once
 * `capacity` is reached (a real consumer keeps them in a table with a retention period).
 */
export class SeenMessageIds {
  private readonly ids = new Set<string>();

  constructor(readonly capacity = SEEN_MESSAGE_IDS) {}

  has(messageId: string): boolean {
    return this.ids.has(messageId);
  }

  remember(messageId: string): void {
    // Re-inserting moves the id to the newest end.
    this.ids.delete(messageId);
    this.ids.add(messageId);
    while (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next();
      if (oldest.done === true) break;
      this.ids.delete(oldest.value);
    }
  }

  get size(): number {
    return this.ids.size;
  }

  clear(): void {
    this.ids.clear();
  }
}
