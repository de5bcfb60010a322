// The invocation model: what one `lambda-cold invoke` learnt about each invocation and about the function.
// Produced by the acquire layer (src/aws/), consumed by src/analysis/ and the renderers.
import type { InvocationLog } from '../aws/log-lines.js';

/** How the invocation started. */
export type StartKind = 'cold' | 'warm' | 're-init' | 'unknown';
export type InvocationStatus = 'success' | 'error' | 'timeout';

export interface InvocationRecord {
  /** 1-based position in the run. */
  index: number;
  requestId: string;
  kind: StartKind;
  /** A new execution environment paid an init: `cold`, or `re-init` (suppressed init re-run in the invoke). */
  cold: boolean;
  status: InvocationStatus;
  /** `Unhandled` / `Handled` from the X-Amz-Function-Error header, or null. */
  functionError: string | null;
  /** Error type from the REPORT / INIT_REPORT / payload (`Runtime.ImportModuleError`, …). */
  errorType: string | null;
  /** REPORT Init Duration; for a re-init, the INIT_REPORT (Phase: invoke) duration. */
  initDurationMs: number | null;
  restoreDurationMs: number | null;
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
  provisionedConcurrency: { allocated: number | null; requested: number | null; status: string | null } | null;
}

/** Classify one invocation from its log and the Invoke response (platform-facts.md §3). */
export function classify(
  log: InvocationLog,
  functionError: string | null,
): { kind: StartKind; status: InvocationStatus; errorType: string | null; initDurationMs: number | null } {
  const report = log.report;
  const suppressed = log.initReports.find((r) => r.phase === 'invoke');
  let kind: StartKind;
  if (suppressed) kind = 're-init';
  else if (!report) kind = 'unknown';
  else if (report.initDurationMs !== null || report.restoreDurationMs !== null) kind = 'cold';
  else kind = 'warm';

  const statuses = [report?.status, suppressed?.status].filter((s): s is string => Boolean(s));
  let status: InvocationStatus = 'success';
  if (statuses.includes('timeout')) status = 'timeout';
  else if (statuses.length > 0 || functionError) status = 'error';
  const errorType = report?.errorType ?? suppressed?.errorType ?? null;
  const initDurationMs = report?.initDurationMs ?? suppressed?.initDurationMs ?? null;
  return { kind, status, errorType, initDurationMs };
}
