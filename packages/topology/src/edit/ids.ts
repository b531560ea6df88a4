let idCounter = 0;

/** Ids only need to be unique within a document; crypto.randomUUID is missing on plain http. */
export function newId(prefix: string): string {
  idCounter += 1;
  const random = Math.random().toString(36).slice(2, 8);
  return `${prefix}-${Date.now().toString(36)}${idCounter.toString(36)}${random}`;
}

/** `queue-1`, `queue-2`, ...: the smallest number no object of that kind uses yet. */
export function nextName(taken: Iterable<string>, base: string): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) {
    const name = `${base}-${n}`;
    if (!used.has(name)) return name;
  }
}
