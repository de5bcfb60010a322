// Work to undo when the process is interrupted (Ctrl-C, SIGTERM) before the code that made it can:
// temporary folders, child processes. Whoever creates such a thing registers its removal here and
// unregisters it once done.

const cleanups = new Set<() => void>();

/** Register `fn` to run on interruption; returns the function that unregisters it. */
export function onInterrupt(fn: () => void): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Run every registered cleanup (each once, errors ignored: the process is leaving). */
export function runInterruptCleanups(): void {
  for (const fn of [...cleanups].reverse()) {
    cleanups.delete(fn);
    try {
      fn();
    } catch {
      // best effort
    }
  }
}
