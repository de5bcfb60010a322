// An invocation record as the model makes it (src/model/invocation.ts), for unit tests of what reads them:
// a successful warm call of 10 ms at 512 MB in stream s1, unless `over` says otherwise.
import type { InvocationRecord } from '../../src/model/invocation.js';

export function invocation(index: number, over: Partial<InvocationRecord> = {}): InvocationRecord {
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
