// The document one `invoke` run produces; both invoke renderers take it.
import type { InvokeSummary } from '../analysis/invoke-stats.js';
import type { FunctionInfo, InvocationRecord } from '../model/invocation.js';

export interface InvokeReport {
  function: FunctionInfo;
  region: string;
  invocations: InvocationRecord[];
  summary: InvokeSummary;
  forced: {
    cold: boolean;
    /** Configuration updates made to retire environments. */
    updates: number;
    restore: 'restored' | 'unchanged' | 'conflict' | 'not-needed';
    recoveryFile: string | null;
  };
  /** Notes on what the numbers mean (provisioned concurrency, SnapStart, …). */
  notes: string[];
  interrupted: boolean;
}
