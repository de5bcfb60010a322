// Errors the user can act on. Anything thrown as a UserError is printed as one clear sentence
// (plus optional detail such as a Python traceback) and exits with its code; never a Node stack trace.

export const EXIT_OK = 0;
/** Reserved for a failed gate (CI budgets, forbidden imports, regressions). */
export const EXIT_GATE = 1;
/** Bad input or an error: missing file, bad flag, Python failure, AWS error… */
export const EXIT_ERROR = 2;
/** Stopped by Ctrl-C (128 + SIGINT), after putting back what the run had changed. */
export const EXIT_INTERRUPTED = 130;

export class UserError extends Error {
  readonly exitCode: number;
  /** Extra text printed after the sentence (a traceback, a partial tree). */
  readonly detail?: string;
  constructor(message: string, options: { detail?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.exitCode = options.exitCode ?? EXIT_ERROR;
    this.detail = options.detail;
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
