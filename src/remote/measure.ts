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
import { ForcedRun } from '../invoke/forced-run.js';
import { capConcurrency, completeFromLogs, runInvocations } from '../invoke/run.js';
import { functionInfo, type FunctionInfo, type InvocationRecord } from '../model/invocation.js';
import { EXIT_INTERRUPTED, UserError } from '../util/errors.js';
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
  /** The configuration could not be put back as it was (someone changed it): the run's exit code is EXIT_ERROR. */
  conflict: boolean;
  /** The invocations that made the cold starts, as `invoke` reports them (`invoke --importtime --html`). */
  invocations: { fn: FunctionInfo; records: InvocationRecord[]; updates: number; throttled: number; restore: RestoreOutcome['outcome'] | 'not-needed' };
}

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
  const guard = new ForcedRun(
    functionName,
    {
      what: 'environment',
      nonceLeft: `${NONCE_VARIABLE} and ${IMPORTTIME_VARIABLE} may still be on ${functionName}; check it, then run \`lambda-cold restore ${functionName}\`.`,
      kept: (file) => `the original environment is kept in ${file}.`,
    },
    output,
  );
  try {
    const config = await settledConfiguration(clients.lambda, functionName, ctx, guard.signal, () =>
      output.info(`${functionName} is being updated; waiting for that update to finish before --importtime changes anything.`),
    );
    const fn = functionInfo(config, functionName, undefined);
    if (fn.packageType !== 'Image' && (!fn.runtime || !fn.runtime.startsWith('python'))) {
      throw new UserError(`${fn.functionName} runs ${fn.runtime ?? 'an unknown runtime'}, not Python: --importtime needs CPython's PYTHONPROFILEIMPORTTIME.`);
    }
    const concurrency = await capConcurrency(clients.lambda, functionName, Math.min(o.concurrency, o.count), output, false);
    await probeGetFunction(clients.lambda, functionName, ctx);
    const recoveryFile = recoveryPath(functionName, clients.region);
    const forcer = new ColdForcer(clients.lambda, functionName, config, recoveryFile, ctx, o.endpointUrl ?? null, { [IMPORTTIME_VARIABLE]: '1' });
    guard.forcer = forcer;
    forcer.begin();

    const { value: run, restore, failure } = await guard.run(
      () =>
        runInvocations(
          clients.invoker,
          fn,
          { count: o.count, concurrency, payload: o.payload, retry: { ...DEFAULT_RETRY, maxRetries: o.maxRetries }, signal: guard.signal, forcer },
          ctx,
          output,
        ),
      recoveryFile,
    );
    if (restore?.outcome === 'restored') output.info(`restored ${functionName}'s original environment (${IMPORTTIME_VARIABLE} removed).`);
    if (failure && !guard.interrupted) throw failure;
    if (guard.interrupted) {
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
      { logs: clients.logs, useLogs: true, environments: true, timeoutMs, signal: guard.signal },
      ctx,
      output,
    );
    const runs: RemoteRun[] = [];
    let incomplete = 0;
    for (const [i, r] of records.entries()) {
      if (r.kind !== 'cold' || !r.logStream || guard.signal.aborted) continue;
      const p = run.pending[i];
      if (!p) continue;
      output.progress(`reading the init output of ${r.logStream}`);
      const got = await readInitOutput(
        clients.logs,
        { logGroupName: fn.logGroup, logStream: r.logStream, startedAt: p.result.startedAt, endedAt: p.result.endedAt },
        { timeoutMs, signal: guard.signal, onThrottle: (ms) => output.progress(`CloudWatch Logs throttled FilterLogEvents: retrying in ${(ms / 1000).toFixed(1)} s`) },
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
      if (guard.signal.aborted) throw new UserError(`Interrupted: no import profile of ${functionName} was made.`, { exitCode: EXIT_INTERRUPTED });
      throw new UserError(
        `No cold start of ${functionName} left import-time lines in ${fn.logGroup}: check that CloudWatch Logs receives the function's output (--logs-timeout waits longer).`,
      );
    }
    const session = sessionFromRemote(runs, { functionName: fn.functionName, region: clients.region, logGroup: fn.logGroup, runtime: fn.runtime });
    return {
      session,
      interrupted: guard.interrupted,
      conflict: restore?.outcome === 'conflict' || run.stoppedBy !== null,
      invocations: { fn, records, updates: run.updates, throttled: run.throttled, restore: restore?.outcome ?? 'not-needed' },
    };
  } finally {
    guard.release();
    clients.destroy();
  }
}
