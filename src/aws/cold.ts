// Forcing cold starts safely (docs/lambda-platform.md, "The AWS APIs"): merge a nonce variable into $LATEST's current
// Environment with the RevisionId we read, wait until LastUpdateStatus is Successful, and every execution
// environment is retired. Restoring puts the original Environment back, again with a RevisionId, and never
// over somebody else's change. `invoke --memory` sets MemorySize in the same update as the nonce, and the
// restore puts both back in one update.
import {
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { randomBytes } from 'node:crypto';
import { UserError } from '../util/errors.js';
import { errorName, toUserError, type ErrorContext } from './errors.js';
import { getConfiguration } from './lambda.js';
import {
  differingNames,
  isOurs,
  memoryIsOurs,
  NONCE_VARIABLE,
  readRecovery,
  removeRecovery,
  sameVariables,
  writeRecovery,
  type Recovery,
} from './recovery.js';

/** Somebody else changed the function during the run. */
export class ConcurrentChangeError extends UserError {}

export type RestoreOutcome =
  | { outcome: 'restored'; updates: number }
  | { outcome: 'unchanged' }
  | { outcome: 'conflict'; changedNames: string[]; reason: string; nonceLeft: boolean };

const WAIT_SECONDS = 300;
/**
 * Waiter pacing. The SDK default (minDelay 1 s, maxDelay 300 s) makes every update cost at least a second
 * after the first poll; an environment-variable update usually completes within a few seconds, so poll
 * from 0.5 s (doubling with jitter) up to 10 s: at most 2 GetFunction calls a second, well inside the
 * control plane's ~15 requests/s.
 */
const WAIT_MIN_DELAY = 0.5;
const WAIT_MAX_DELAY = 10;

export async function waitUpdated(lambda: LambdaClient, functionName: string, ctx: Omit<ErrorContext, 'operation'>, signal?: AbortSignal): Promise<void> {
  try {
    await waitUntilFunctionUpdatedV2(
      { client: lambda, maxWaitTime: WAIT_SECONDS, minDelay: WAIT_MIN_DELAY, maxDelay: WAIT_MAX_DELAY, abortSignal: signal },
      { FunctionName: functionName },
    );
  } catch (e) {
    if (signal?.aborted) throw e;
    const reason = (e as { result?: { reason?: { Configuration?: FunctionConfiguration } } }).result?.reason;
    const status = reason?.Configuration?.LastUpdateStatusReason;
    throw new UserError(
      `The configuration update of ${functionName} did not finish (${status ?? (e as Error).name ?? 'waiter failed'}).`,
      { cause: e },
    );
  }
  void ctx;
}

/**
 * $LATEST's configuration as a change can start from: when a deploy is still being applied
 * (LastUpdateStatus InProgress), `onWait` is told, the update is waited for, and the configuration it
 * leaves is read again.
 */
export async function settledConfiguration(
  lambda: LambdaClient,
  functionName: string,
  ctx: Omit<ErrorContext, 'operation'>,
  signal: AbortSignal | undefined,
  onWait: () => void,
): Promise<FunctionConfiguration> {
  const config = await getConfiguration(lambda, functionName, undefined, ctx);
  if (config.LastUpdateStatus !== 'InProgress') return config;
  onWait();
  await waitUpdated(lambda, functionName, ctx, signal);
  return getConfiguration(lambda, functionName, undefined, ctx);
}

function variablesOf(config: FunctionConfiguration): Record<string, string> | null {
  const v = config.Environment?.Variables;
  return v && Object.keys(v).length > 0 ? { ...v } : null;
}

export class ColdForcer {
  readonly recovery: Recovery;
  private revisionId: string | undefined;
  private round = 0;
  /** `invoke --memory`: the MemorySize the next updates set (null: the memory is left alone). */
  private memorySizeMB: number | null = null;
  updates = 0;

  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
    original: FunctionConfiguration,
    private readonly recoveryFile: string,
    private readonly ctx: Omit<ErrorContext, 'operation'>,
    endpointUrl: string | null,
    /** Variables to set besides the nonce, kept in the recovery file (`invoke --importtime`). */
    extraVariables?: Record<string, string>,
    /** `invoke --memory`: the sizes the run will set (recorded with the original MemorySize for the restore). */
    memorySizesMB?: number[],
  ) {
    this.revisionId = original.RevisionId;
    this.recovery = {
      schemaVersion: 1,
      functionName,
      functionArn: original.FunctionArn ?? null,
      region: ctx.region ?? '',
      endpointUrl,
      createdAt: new Date().toISOString(),
      runId: `lc-${randomBytes(6).toString('hex')}`,
      nonceVariable: NONCE_VARIABLE,
      originalVariables: variablesOf(original),
      originalRevisionId: original.RevisionId ?? null,
      pid: process.pid,
      ...(extraVariables && Object.keys(extraVariables).length > 0 ? { extraVariables: { ...extraVariables } } : {}),
      ...(memorySizesMB && original.MemorySize !== undefined ? { originalMemorySizeMB: original.MemorySize, memorySizesMB: [...memorySizesMB] } : {}),
    };
  }

  /** Write the recovery file before the first change. Refuses when an earlier run left one behind. */
  begin(): void {
    const earlier = readRecovery(this.recoveryFile);
    if (earlier) {
      throw new UserError(
        `An earlier \`invoke --cold\` on ${this.functionName} left a recovery file (${this.recoveryFile}): run \`lambda-cold restore ${this.functionName}\` first.`,
      );
    }
    writeRecovery(this.recoveryFile, this.recovery);
  }

  /** `invoke --memory`: the following updates set this MemorySize together with the nonce (one of the recorded sizes). */
  useMemorySize(mb: number): void {
    if (!this.recovery.memorySizesMB?.includes(mb)) throw new Error(`${mb} MB is not one of the sizes recorded for the restore`);
    this.memorySizeMB = mb;
  }

  /** One configuration update: afterwards every new invocation lands in a new execution environment. */
  async retireEnvironments(signal?: AbortSignal): Promise<void> {
    this.round++;
    const variables = {
      ...(this.recovery.originalVariables ?? {}),
      ...(this.recovery.extraVariables ?? {}),
      [NONCE_VARIABLE]: `${this.recovery.runId}-${this.round}`,
    };
    try {
      await this.lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: this.functionName,
          Environment: { Variables: variables },
          ...(this.memorySizeMB !== null ? { MemorySize: this.memorySizeMB } : {}),
          RevisionId: this.revisionId,
        }),
      );
    } catch (e) {
      const name = errorName(e);
      if (name === 'PreconditionFailedException' || name === 'ResourceConflictException') {
        throw new ConcurrentChangeError(
          `${this.functionName} was changed by someone else during the run (${name}); lambda-cold stopped forcing cold starts and did not overwrite that change.`,
          { cause: e },
        );
      }
      throw toUserError(e, { ...this.ctx, operation: 'UpdateFunctionConfiguration' });
    }
    this.updates++;
    await waitUpdated(this.lambda, this.functionName, this.ctx, signal);
    // The RevisionId moves again when the update completes: read it back, and check the result is ours.
    const now = await getConfiguration(this.lambda, this.functionName, undefined, this.ctx);
    if (!isOurs(variablesOf(now), this.recovery) || (this.memorySizeMB !== null && now.MemorySize !== this.memorySizeMB)) {
      throw new ConcurrentChangeError(
        `${this.functionName}'s environment was changed by someone else during the run; lambda-cold stopped forcing cold starts and did not overwrite that change.`,
      );
    }
    this.revisionId = now.RevisionId;
  }

  /** Put the original Environment back (no-op when nothing was changed). */
  async restore(): Promise<RestoreOutcome> {
    if (this.updates === 0) {
      removeRecovery(this.recoveryFile);
      return { outcome: 'unchanged' };
    }
    return restoreFromRecovery(this.lambda, this.recovery, this.recoveryFile, this.ctx);
  }
}

/**
 * Restore the variables a recovery file holds (and the MemorySize, when the run changed it), if and only if
 * the function still carries exactly what the run left (original + nonce, a size the run set). The file is
 * removed once the function is back to the original; it stays on a conflict.
 */
export async function restoreFromRecovery(
  lambda: LambdaClient,
  recovery: Recovery,
  recoveryFile: string,
  ctx: Omit<ErrorContext, 'operation'>,
): Promise<RestoreOutcome> {
  const fn = recovery.functionName;
  let updates = 0;
  for (let attempt = 0; attempt < 4; attempt++) {
    const current = await getConfiguration(lambda, fn, undefined, ctx);
    const vars = variablesOf(current);
    if (current.LastUpdateStatus === 'InProgress') {
      await waitUpdated(lambda, fn, ctx);
      continue;
    }
    const memory = recovery.originalMemorySizeMB;
    if (sameVariables(vars, recovery.originalVariables) && (memory === undefined || current.MemorySize === memory)) {
      removeRecovery(recoveryFile);
      return updates > 0 ? { outcome: 'restored', updates } : { outcome: 'unchanged' };
    }
    if (sameVariables(vars, recovery.originalVariables)) {
      // The variables are back but the memory is not: nobody but a deploy does that (a restore sets both at once).
      return {
        outcome: 'conflict',
        changedNames: [],
        reason: `${fn}'s variables are the original but its MemorySize is ${current.MemorySize ?? 'unset'} MB, not the original ${memory} MB (someone changed it)`,
        nonceLeft: false,
      };
    }
    if (isOurs(vars, recovery) && !memoryIsOurs(current.MemorySize, recovery)) {
      return {
        outcome: 'conflict',
        changedNames: [],
        reason: `${fn}'s MemorySize is ${current.MemorySize ?? 'unset'} MB, not a size lambda-cold set (someone changed it)`,
        nonceLeft: true,
      };
    }
    if (!isOurs(vars, recovery)) {
      const expected = { ...(recovery.originalVariables ?? {}), ...(recovery.extraVariables ?? {}), [recovery.nonceVariable]: '' };
      const changed = differingNames(vars, expected).filter((n) => n !== recovery.nonceVariable || !(vars ?? {})[n]?.startsWith(recovery.runId));
      return {
        outcome: 'conflict',
        changedNames: changed,
        reason: `${fn}'s environment no longer matches what lambda-cold set (someone changed it)`,
        nonceLeft: vars !== null && recovery.nonceVariable in vars,
      };
    }
    try {
      await lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: fn,
          Environment: { Variables: { ...(recovery.originalVariables ?? {}) } },
          ...(memory !== undefined ? { MemorySize: memory } : {}),
          RevisionId: current.RevisionId,
        }),
      );
      updates++;
    } catch (e) {
      const name = errorName(e);
      // Somebody moved the revision or is updating right now: look again.
      if (name === 'PreconditionFailedException' || name === 'ResourceConflictException') continue;
      throw toUserError(e, { ...ctx, operation: 'UpdateFunctionConfiguration' });
    }
    await waitUpdated(lambda, fn, ctx);
  }
  return { outcome: 'conflict', changedNames: [], reason: `${fn} kept changing while lambda-cold tried to restore it`, nonceLeft: false };
}

/**
 * Remove only the nonce variable a run left on a function somebody deployed over, keeping every other
 * variable as it now is (RevisionId-guarded, so a deploy in between is not overwritten).
 */
export async function removeNonce(
  lambda: LambdaClient,
  fn: string,
  nonceVariable: string,
  ctx: Omit<ErrorContext, 'operation'>,
): Promise<'removed' | 'absent'> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const current = await getConfiguration(lambda, fn, undefined, ctx);
    if (current.LastUpdateStatus === 'InProgress') {
      await waitUpdated(lambda, fn, ctx);
      continue;
    }
    const vars = variablesOf(current) ?? {};
    if (!(nonceVariable in vars)) return 'absent';
    delete vars[nonceVariable];
    try {
      await lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: fn, Environment: { Variables: vars }, RevisionId: current.RevisionId }),
      );
    } catch (e) {
      const name = errorName(e);
      if (name === 'PreconditionFailedException' || name === 'ResourceConflictException') continue;
      throw toUserError(e, { ...ctx, operation: 'UpdateFunctionConfiguration' });
    }
    await waitUpdated(lambda, fn, ctx);
    return 'removed';
  }
  throw new UserError(`${fn} kept changing while lambda-cold tried to remove ${nonceVariable}; try again.`);
}
