// Invocation records and function descriptions as the model makes them (src/model/invocation.ts), for unit
// tests of what reads them.
import type { FunctionInfo, InvocationRecord } from '../../src/model/invocation.js';

/** A Python 3.12 zip function on arm64, 512 MB, Text logs in its own log group, unless `over` says otherwise. */
export function functionDescription(over: Partial<FunctionInfo> & { functionName: string }): FunctionInfo {
  return {
    functionArn: null,
    qualifier: null,
    runtime: 'python3.12',
    memorySizeMB: 512,
    architecture: 'arm64',
    logFormat: 'Text',
    logGroup: `/aws/lambda/${over.functionName}`,
    packageType: 'Zip',
    timeoutSeconds: 3,
    snapStart: null,
    provisionedConcurrency: null,
    ...over,
  };
}

/** A successful warm call of 10 ms at 512 MB in stream s1, unless `over` says otherwise. */export function invocation(index: number, over: Partial<InvocationRecord> = {}): InvocationRecord {
  const kind = over.kind ?? 'warm';
  return {
    index,
    requestId: `r${index}`,
    kind,
    cold: kind === 'cold',
    status: 'success',
    functionError: null,
    errorType: null,
    initDurationMs: null,
    restoreDurationMs: null,
    billedRestoreDurationMs: null,
    durationMs: 10,
    billedDurationMs: 10,
    memorySizeMB: 512,
    maxMemoryUsedMB: 80,
    logStream: 's1',
    pid: 8,
    executedVersion: '$LATEST',
    source: 'tail',
    round: null,
    clientMs: 20,
    ...over,
  };
}
