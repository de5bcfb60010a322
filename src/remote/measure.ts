// The import profile measured inside Lambda (`invoke <fn> --importtime`, `profile --remote <fn>`): set
// PYTHONPROFILEIMPORTTIME=1 on $LATEST with invoke's safe change (merge, RevisionId, recovery file, restore
// on Ctrl-C), invoke n cold starts (n environments per update, as `invoke --cold` does), read the
// `-X importtime` lines each environment wrote to its log stream during init, restore the configuration,
// and build a profile session (source "remote") from them.
import { createClients } from '../aws/clients.js';
import { ColdForcer, settledConfiguration, type RestoreOutcome } from '../aws/cold.js';
import { readInitOutput } from '../aws/init-output.js';
import { probeGetFunction, splitQualifier, DEFAULT_RETRY } from '../aws/lambda.js';
import { NONCE_VARIABLE, recoveryPath } from '../aws/recovery.js';
import { ImportTimeParser } from '../importtime/parse.js';
import { sessionFromRemote, type ProfileSession, type RemoteRun } from '../importtime/session.js';
import { capConcurrency, completeFromLogs, runInvocations, type RunResult } from '../invoke/run.js';
import { functionInfo, type FunctionInfo, type InvocationRecord } from '../model/invocation.js';
import { interceptInterrupt } from '../util/cleanup.js';
import { UserError } from '../util/errors.js';
import type { Output } from '../util/output.js';

/** The variable that makes CPython print `-X importtime` to stderr (docs/lambda-platform.md). */
export const IMPORTTIME_VARIABLE = 'PYTHONPROFILEIMPORTTIME';

export interface RemoteOptions {
  count: number;
  concurrency: number;
  payload: Uint8Array;
  qualifier?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  logsTimeoutSeconds: number;
  maxRetries: number;
}

export interface RemoteOutcome {
  session: ProfileSession;
  interrupted: boolean;
  /** The configuration could not be put back as it was (someone changed it): the run's exit code is 1. */
  conflict: boolean;
  /** The invocations that made the cold starts, as `invoke` reports them (`invoke --importtime --html`). */
  invocations: { fn: FunctionInfo; records: InvocationRecord[]; updates: number; throttled: number; restore: RestoreOutcome['outcome'] | 'not-needed' };
  /** The function's MemorySize (GetFunctionConfiguration). */
  memorySizeMB: number;
}

/** Exit code after Ctrl-C / SIGTERM once the function was restored (as `invoke`). */
const EXIT_INTERRUPTED = 130;

export async function measureRemote(given: string, o: RemoteOptions, output: Output): Promise<RemoteOutcome> {
  const split = splitQualifier(given);
  const functionName = split.name;
  const qualifier = o.qualifier ?? split.qualifier ?? undefined;
  if (qualifier && qualifier !== '$LATEST') {
    throw new UserError(
      `--importtime cannot measure ${given} at ${qualifier}: a published version or an alias is immutable and a configuration change only affects $LATEST; measure $LATEST.`,
    );
  }
  const clients = await createClients({ region: o.region, profile: o.profile, endpointUrl: o.endpointUrl, maxSockets: o.concurrency }, functionName);
  const ctx = { functionName, region: clients.region, endpoint: clients.endpointUrl };
  const abort = new AbortController();
  let interrupted = false;
  let forcer: ColdForcer | undefined;
  const releaseSignals = interceptInterrupt((sig) => {
    if (!interrupted) {
      interrupted = true;
      output.warn(forcer ? `${sig}: stopping; restoring ${functionName}'s environment (press Ctrl-C again to leave it to \`lambda-cold restore\`).` : `${sig}: stopping.`);
      abort.abort();
      return true;
    }
    output.warn(`${sig} again: leaving now; run \`lambda-cold restore ${functionName}\` to put the environment back.`);
    return EXIT_INTERRUPTED;
  });
  try {
    const config = await settledConfiguration(clients.lambda, functionName, ctx, abort.signal, () =>
      output.info(`${functionName} is being updated; waiting for that update to finish before --importtime changes anything.`),
    );
    const fn = functionInfo(config, functionName, undefined);
    if (fn.packageType !== 'Image' && (!fn.runtime || !fn.runtime.startsWith('python'))) {
      throw new UserError(`${fn.functionName} runs ${fn.runtime ?? 'an unknown runtime'}, not Python: --importtime needs CPython's PYTHONPROFILEIMPORTTIME.`);
    }
    const concurrency = await capConcurrency(clients.lambda, functionName, Math.min(o.concurrency, o.count), output, false);
    await probeGetFunction(clients.lambda, functionName, ctx);
    const recoveryFile = recoveryPath(functionName, clients.region);
    forcer = new ColdForcer(clients.lambda, functionName, config, recoveryFile, ctx, o.endpointUrl ?? null, { [IMPORTTIME_VARIABLE]: '1' });
    forcer.begin();

    let run: RunResult | undefined;
    let restore: RestoreOutcome | null = null;
    let failure: unknown = null;
    try {
      run = await runInvocations(
        clients.invoker,
        fn,
        { count: o.count, concurrency, payload: o.payload, retry: { ...DEFAULT_RETRY, maxRetries: o.maxRetries }, signal: abort.signal, forcer },
        ctx,
        output,
      );
    } catch (e) {
      failure = e;
    } finally {
      output.done();
      try {
        restore = await forcer.restore();
        if (restore.outcome === 'restored') output.info(`restored ${functionName}'s original environment (${IMPORTTIME_VARIABLE} removed).`);
      } catch (e) {
        output.warn(`could not restore ${functionName}'s environment: ${(e as Error).message}`);
        output.warn(`the original is kept in ${recoveryFile}; run \`lambda-cold restore ${functionName}\`.`);
        failure ??= e;
      }
    }
    if (restore?.outcome === 'conflict') {
      output.warn(`${restore.reason}${restore.changedNames.length ? ` (variables: ${restore.changedNames.join(', ')})` : ''}; lambda-cold left it as it is.`);
      if (restore.nonceLeft) output.warn(`${NONCE_VARIABLE} and ${IMPORTTIME_VARIABLE} may still be on ${functionName}; check it, then run \`lambda-cold restore ${functionName}\`.`);
      output.warn(`the original environment is kept in ${recoveryFile}.`);
    }
    if (failure && !interrupted) throw failure;
    if (interrupted) {
      // stopped by Ctrl-C: the environment is back (or its recovery file says how); no partial profile
      throw new UserError(`Interrupted: no import profile of ${functionName} was made.`, { exitCode: EXIT_INTERRUPTED });
    }
    if (!run) throw new UserError('No invocation ran.');
    if (run.stoppedBy) output.warn(run.stoppedBy.message);

    // every invocation's log stream (its environment), then each cold start's init output from that stream
    const timeoutMs = o.logsTimeoutSeconds * 1000;
    const { records } = await completeFromLogs(
      fn,
      run,
      { logs: clients.logs, useLogs: true, environments: true, timeoutMs, signal: abort.signal },
      ctx,
      output,
    );
    const runs: RemoteRun[] = [];
    let incomplete = 0;
    for (const [i, r] of records.entries()) {
      if (r.kind !== 'cold' || !r.logStream || abort.signal.aborted) continue;
      const p = run.pending[i];
      if (!p) continue;
      output.progress(`reading the init output of ${r.logStream}`);
      const got = await readInitOutput(
        clients.logs,
        { logGroupName: fn.logGroup, logStream: r.logStream, startedAt: p.result.startedAt, endedAt: p.result.endedAt },
        { timeoutMs, signal: abort.signal, onThrottle: (ms) => output.progress(`CloudWatch Logs throttled FilterLogEvents: retrying in ${(ms / 1000).toFixed(1)} s`) },
        ctx,
      );
      if (!got.complete) incomplete++;
      const parser = new ImportTimeParser();
      for (const line of got.lines) parser.push(line);
      const parsed = parser.end();
      if (parsed.records.length === 0) {
        output.warn(`${r.logStream}: no import-time line in the init output (the runtime may ignore ${IMPORTTIME_VARIABLE}, e.g. a container image started with python -E).`);
        continue;
      }
      runs.push({ logStream: r.logStream, parsed, initDurationMs: r.initDurationMs });
    }
    output.done();
    if (incomplete > 0) output.warn(`${incomplete} environment(s)' init output had not fully reached CloudWatch Logs within ${o.logsTimeoutSeconds} s: their profile may lack its last imports.`);
    if (runs.length === 0) {
      if (abort.signal.aborted) throw new UserError(`Interrupted: no import profile of ${functionName} was made.`, { exitCode: EXIT_INTERRUPTED });
      throw new UserError(
        `No cold start of ${functionName} left import-time lines in ${fn.logGroup}: check that CloudWatch Logs receives the function's output (--logs-timeout waits longer).`,
      );
    }
    const session = sessionFromRemote(runs, { functionName: fn.functionName, region: clients.region, logGroup: fn.logGroup, runtime: fn.runtime });
    return {
      session,
      interrupted,
      conflict: restore?.outcome === 'conflict' || run.stoppedBy !== null,
      invocations: { fn, records, updates: run.updates, throttled: run.throttled, restore: restore?.outcome ?? 'not-needed' },
      memorySizeMB: fn.memorySizeMB,
    };
  } finally {
    releaseSignals();
    clients.destroy();
  }
}
