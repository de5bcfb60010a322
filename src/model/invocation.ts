// The invocation model: what `lambda-cold invoke` (or, later, a log history) learnt about each invocation
// and about the function. Built here from what the acquire layer (src/aws/) read; consumed by src/analysis/
// and the renderers.
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { ProvisionedConcurrency } from '../aws/lambda.js';
import { classify, type InvocationLog, type InvocationStatus, type StartKind } from '../aws/log-lines.js';

export type { InvocationStatus, StartKind };

export interface InvocationRecord {
  /** 1-based position in the run. */
  index: number;
  requestId: string;
  kind: StartKind;
  /** A new execution environment (`kind === 'cold'`, SnapStart restores included). A re-init is not cold. */
  cold: boolean;
  status: InvocationStatus;
  /** `Unhandled` / `Handled` from the X-Amz-Function-Error header, or null. */
  functionError: string | null;
  /** Error type from the REPORT / INIT_REPORT / payload (`Runtime.ImportModuleError`, …). */
  errorType: string | null;
  /** REPORT Init Duration; for a re-init, the INIT_REPORT (Phase: invoke) duration. */
  initDurationMs: number | null;
  /** SnapStart: the REPORT's Restore Duration (a cold start by restoring a snapshot; no Init Duration then). */
  restoreDurationMs: number | null;
  billedRestoreDurationMs: number | null;
  /** REPORT Duration: for a re-init it already contains the re-run init. */
  durationMs: number | null;
  billedDurationMs: number | null;
  memorySizeMB: number | null;
  maxMemoryUsedMB: number | null;
  /** The CloudWatch log stream: one per execution environment. */
  logStream: string | null;
  pid: number | null;
  executedVersion: string | null;
  /** Where the REPORT came from. */
  source: 'tail' | 'cloudwatch' | 'none';
  /** Which `--cold` round (configuration update) preceded it; null without --cold. */
  round: number | null;
  /** Wall time of the Invoke call as this tool saw it (network included). */
  clientMs: number;
}

export interface FunctionInfo {
  functionName: string;
  functionArn: string | null;
  qualifier: string | null;
  runtime: string | null;
  memorySizeMB: number;
  architecture: 'x86_64' | 'arm64';
  logFormat: 'Text' | 'JSON';
  logGroup: string;
  packageType: string | null;
  timeoutSeconds: number | null;
  snapStart: { applyOn: string | null; optimizationStatus: string | null } | null;
  provisionedConcurrency: ProvisionedConcurrency | null;
}

/** What the Invoke response adds to the log lines; absent for an invocation read from CloudWatch history. */
export interface InvokeFacts {
  requestId: string;
  /** The X-Amz-Function-Error header (`Unhandled`, `Handled`), or null. */
  functionError: string | null;
  executedVersion: string | null;
  /** The response payload (an error payload names its errorType). */
  payload: string;
  clientMs: number;
}

/** Where the record sits: its position in the run, where its REPORT came from, its environment's log stream. */
export interface RecordPlace {
  index: number;
  source: InvocationRecord['source'];
  logStream: string | null;
  round: number | null;
}

function payloadErrorType(payload: string): string | null {
  try {
    const body = JSON.parse(payload) as { errorType?: unknown };
    return typeof body.errorType === 'string' ? body.errorType : null;
  } catch {
    return null; // a non-JSON error payload: keep the header only
  }
}

/**
 * One invocation record from its parsed log, plus the Invoke response's facts when there was an Invoke.
 * A record read from CloudWatch history (no facts) has the same type as one from an Invoke.
 */
/** A SnapStart restore: a cold start that restored a snapshot (a Restore Duration, no Init Duration). */
export function isSnapStartRestore(r: Pick<InvocationRecord, 'restoreDurationMs' | 'initDurationMs'>): boolean {
  return r.restoreDurationMs !== null && r.initDurationMs === null;
}

export function invocationRecord(log: InvocationLog, facts: InvokeFacts | null, place: RecordPlace): InvocationRecord {
  const functionError = facts?.functionError ?? null;
  const c = classify(log, functionError);
  const r = log.report;
  const errorType = c.errorType ?? (functionError && facts ? payloadErrorType(facts.payload) : null);
  return {
    index: place.index,
    requestId: facts?.requestId ?? r?.requestId ?? '',
    kind: c.kind,
    cold: c.kind === 'cold',
    status: c.status,
    functionError,
    errorType,
    initDurationMs: c.initDurationMs,
    restoreDurationMs: c.kind === 'cold' ? (r?.restoreDurationMs ?? log.restoreReport?.restoreDurationMs ?? null) : null,
    billedRestoreDurationMs: r?.billedRestoreDurationMs ?? null,
    durationMs: r?.durationMs ?? null,
    billedDurationMs: r?.billedDurationMs ?? null,
    memorySizeMB: r?.memorySizeMB ?? null,
    maxMemoryUsedMB: r?.maxMemoryUsedMB ?? null,
    logStream: place.logStream,
    pid: log.pids.length ? (log.pids[log.pids.length - 1] as number) : null,
    executedVersion: facts?.executedVersion ?? null,
    source: place.source,
    round: place.round,
    clientMs: facts ? Math.round(facts.clientMs * 100) / 100 : 0,
  };
}

/** What GetFunctionConfiguration says about the function, in the model's terms. */
export function functionInfo(config: FunctionConfiguration, functionName: string, qualifier: string | undefined): FunctionInfo {
  const name = config.FunctionName ?? functionName;
  const arch = config.Architectures?.[0] === 'arm64' ? 'arm64' : 'x86_64';
  return {
    functionName: name,
    functionArn: config.FunctionArn ?? null,
    qualifier: qualifier ?? null,
    runtime: config.Runtime ?? null,
    memorySizeMB: config.MemorySize ?? 128,
    architecture: arch,
    logFormat: config.LoggingConfig?.LogFormat === 'JSON' ? 'JSON' : 'Text',
    // Never assume /aws/lambda/<name> when the configuration names a group.
    logGroup: config.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`,
    packageType: config.PackageType ?? null,
    timeoutSeconds: config.Timeout ?? null,
    snapStart: config.SnapStart
      ? { applyOn: config.SnapStart.ApplyOn ?? null, optimizationStatus: config.SnapStart.OptimizationStatus ?? null }
      : null,
    provisionedConcurrency: null,
  };
}
