/** Objects read at once: a stage's ledger is one object per request, thousands of them at scale. */
export const READS_IN_FLIGHT = 32;

/**
 * Reads the objects `read` gives for `keys`, up to `inFlight` at once, and yields them in key order.
 * A read that fails is thrown when its turn comes, not before.
 */
export async function* readInOrder<T>(
  keys: readonly string[],
  read: (key: string) => Promise<T>,
  inFlight = READS_IN_FLIGHT,
): AsyncGenerator<T> {
  const pending: Promise<T>[] = [];
  let next = 0;
  const start = () => {
    const reading = read(keys[next++] as string);
    // Its error surfaces when it is awaited; until then it must not count as unhandled.
    reading.catch(() => undefined);
    pending.push(reading);
  };
  while (next < keys.length && pending.length < inFlight) start();
  while (pending.length) {
    const value = await (pending.shift() as Promise<T>);
    if (next < keys.length) start();
    yield value;
  }
}
