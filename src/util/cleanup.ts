// The one owner of Ctrl-C and SIGTERM. Whatever must be undone when the process is interrupted —
// temporary folders, git worktrees, running child processes — registers its cleanup here and
// unregisters it once done. On SIGINT or SIGTERM the single handler runs the registered cleanups, newest
// first, says what was left unwritten, and leaves with the conventional 128 + signal code (130, 143).
// They also run if the process exits with some still registered (an uncaught error, a process.exit).
// A command that must stop gracefully on the first signal (`invoke --cold` restores the function's
// configuration, which takes network calls) intercepts it instead; a second signal then leaves as above.
// The handlers are installed only while something is registered: otherwise signals keep Node's defaults.

interface Cleanup {
  fn: () => void;
  /** What an interruption at this point leaves undone, for the user (e.g. "no profile was written"). */
  note?: string;
}

/** Returns true when it took the signal (the process goes on), false to leave, or the exit code to leave with. */
export type Interceptor = (signal: NodeJS.Signals) => boolean | number;

const cleanups = new Set<Cleanup>();
const interceptors = new Set<Interceptor>();
let installed = false;

const EXIT_CODE: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

function runCleanups(): string[] {
  const pending = [...cleanups].reverse();
  const notes = [...new Set(pending.flatMap((c) => (c.note ? [c.note] : [])))];
  for (const c of pending) {
    if (!cleanups.delete(c)) continue; // unregistered by an earlier cleanup (a dispose that covers it)
    try {
      c.fn();
    } catch {
      // best effort: the process is leaving
    }
  }
  return notes;
}

function onSignal(signal: NodeJS.Signals): void {
  let code = EXIT_CODE[signal] ?? 1;
  for (const intercept of [...interceptors].reverse()) {
    const answer = intercept(signal);
    if (answer === true) return;
    if (typeof answer === 'number') code = answer;
    break;
  }
  const notes = runCleanups();
  if (notes.length > 0) process.stderr.write(`\nlambda-cold: interrupted (${signal}); ${notes.join('; ')}.\n`);
  process.exit(code);
}

function onExit(): void {
  runCleanups();
}

function sync(): void {
  const wanted = cleanups.size > 0 || interceptors.size > 0;
  if (wanted === installed) return;
  installed = wanted;
  if (wanted) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('exit', onExit);
  } else {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  }
}

/** Register `fn` to run on interruption (or at exit if still registered); returns the function that unregisters it. */
export function onInterrupt(fn: () => void, note?: string): () => void {
  const entry: Cleanup = { fn, note };
  cleanups.add(entry);
  sync();
  return () => {
    cleanups.delete(entry);
    sync();
  };
}

/** Let `fn` take SIGINT/SIGTERM first (the newest interceptor decides); returns the function that removes it. */
export function interceptInterrupt(fn: Interceptor): () => void {
  interceptors.add(fn);
  sync();
  return () => {
    interceptors.delete(fn);
    sync();
  };
}
