// A run that changes $LATEST's configuration to force cold starts (`invoke --cold`, `--memory`, `--importtime`,
// `profile --remote`) and must put it back whatever happens. The first SIGINT/SIGTERM stops the run (its
// AbortSignal) and the configuration is restored; a second leaves at once, the restore left to `lambda-cold
// restore` (src/util/cleanup.ts hands the signals here). The restore runs after the work even when the work
// failed, and a conflict — somebody deployed meanwhile — is said, never overwritten (src/aws/cold.ts).
import type { ColdForcer, RestoreOutcome } from '../aws/cold.js';
import { interceptInterrupt } from '../util/cleanup.js';
import { EXIT_INTERRUPTED } from '../util/errors.js';
import type { Output } from '../util/output.js';

/** How a caller names what it changed, and what to do when the restore could not put it back. */
export interface RestoreWording {
  /** What the run changes and the restore puts back: "environment", "memory size and environment". */
  what: string;
  /** Warned after a conflict that left the nonce (and what else the run set) on the function. */
  nonceLeft: string;
  /** Warned last after a conflict: where the original is kept, and what to do. */
  kept: (recoveryFile: string | null) => string;
}

export interface ForcedOutcome<T> {
  /** What the work returned; undefined when it failed. */
  value: T | undefined;
  /** Null when nothing was changed (no forcer) or the restore itself failed. */
  restore: RestoreOutcome | null;
  /** The work's error, else the restore's; null when both went through. */
  failure: unknown;
}

export class ForcedRun {
  private readonly abort = new AbortController();
  private readonly releaseSignals: () => void;
  interrupted = false;
  /** Set just before the configuration first changes: from then on an interrupt says it restores. */
  forcer: ColdForcer | undefined;

  constructor(
    private readonly functionName: string,
    private readonly wording: RestoreWording,
    private readonly output: Output,
  ) {
    this.releaseSignals = interceptInterrupt((sig) => {
      if (!this.interrupted) {
        this.interrupted = true;
        output.warn(
          this.forcer
            ? `${sig}: stopping; restoring ${functionName}'s ${wording.what} (press Ctrl-C again to leave it to \`lambda-cold restore\`).`
            : `${sig}: stopping.`,
        );
        this.abort.abort();
        return true;
      }
      output.warn(`${sig} again: leaving now; run \`lambda-cold restore ${functionName}\` to put the ${wording.what} back.`);
      return EXIT_INTERRUPTED;
    });
  }

  /** Aborted by the first interrupt. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /**
   * Run `work`, then restore what the forcer changed (when there is one) whatever the work did; nothing is
   * thrown. The caller says what was restored (`restore.outcome === 'restored'`).
   */
  async run<T>(work: () => Promise<T>, recoveryFile: string | null): Promise<ForcedOutcome<T>> {
    const { functionName, output, wording } = this;
    let value: T | undefined;
    let restore: RestoreOutcome | null = null;
    let failure: unknown = null;
    try {
      value = await work();
    } catch (e) {
      failure = e;
    }
    if (this.forcer) {
      output.done();
      try {
        restore = await this.forcer.restore();
      } catch (e) {
        output.warn(`could not restore ${functionName}'s ${wording.what}: ${(e as Error).message}`);
        output.warn(`the original is kept in ${recoveryFile}; run \`lambda-cold restore ${functionName}\`.`);
        failure ??= e;
      }
    }
    if (restore?.outcome === 'conflict') {
      output.warn(`${restore.reason}${restore.changedNames.length ? ` (variables: ${restore.changedNames.join(', ')})` : ''}; lambda-cold left it as it is.`);
      if (restore.nonceLeft) output.warn(wording.nonceLeft);
      output.warn(wording.kept(recoveryFile));
    }
    return { value, restore, failure };
  }

  /** Give the signals back (the caller's `finally`). */
  release(): void {
    this.releaseSignals();
  }
}
