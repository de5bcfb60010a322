// Parsing Lambda's platform log lines, in both log formats (docs/lambda-platform.md, "Log lines"):
//  - Text: `REPORT RequestId: …\tDuration: … ms\t…` (tabs between fields, usually a trailing tab),
//    `INIT_REPORT`, `RESTORE_REPORT`, `INIT_START`, `START`, `END`, plus the `XRAY` second line of a REPORT;
//  - JSON (`LoggingConfig.LogFormat = JSON`): `{"time","type","record"}` with `platform.*` types.
// Application lines are kept only for the PID marker (`PID: <n>`) that handlers print.

export interface ReportLine {
  kind: 'report';
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMB: number | null;
  maxMemoryUsedMB: number | null;
  /** Present on the first invoke of an environment (a cold start), absent on warm invokes. */
  initDurationMs: number | null;
  /** SnapStart (no Init Duration then). */
  restoreDurationMs: number | null;
  billedRestoreDurationMs: number | null;
  /** `timeout`, `error`, … (Text `Status:`, JSON `record.status`); null for `success` or no status. */
  status: string | null;
  errorType: string | null;
  xrayTraceId: string | null;
}

export interface InitReportLine {
  kind: 'init-report';
  initDurationMs: number;
  /** `init` (the normal init phase) or `invoke` (a suppressed init re-run inside an invoke). */
  phase: string | null;
  status: string | null;
  errorType: string | null;
}

export interface RestoreReportLine {
  kind: 'restore-report';
  restoreDurationMs: number;
  status: string | null;
  errorType: string | null;
}

export interface InitStartLine {
  kind: 'init-start';
  runtimeVersion: string | null;
  initializationType: string | null;
  phase: string | null;
}

export interface StartLine {
  kind: 'start';
  requestId: string;
  version: string | null;
}

export interface EndLine {
  kind: 'end';
  requestId: string;
}

export interface RestoreStartLine {
  kind: 'restore-start';
}

export interface PidLine {
  kind: 'pid';
  pid: number;
}

export type PlatformLine =
  | ReportLine
  | InitReportLine
  | RestoreReportLine
  | InitStartLine
  | RestoreStartLine
  | StartLine
  | EndLine
  | PidLine;

const UUIDISH = '[0-9A-Za-z-]+';
const PID_RE = /(?:^|[^A-Za-z])PID:\s*(\d+)\b/;

/** `Name: value` fields of a tab-separated platform line (after its keyword). */
function fields(rest: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of rest.split('\t')) {
    const p = part.trim();
    if (!p) continue;
    const i = p.indexOf(': ');
    if (i < 0) continue;
    map.set(p.slice(0, i).trim(), p.slice(i + 2).trim());
  }
  return map;
}

function ms(value: string | undefined): number | null {
  if (value === undefined) return null;
  const m = /^(-?\d+(?:\.\d+)?)\s*(ms|MB)?$/.exec(value);
  return m ? Number(m[1]) : null;
}

/** A `Status:` value that says something failed (`timeout`, `error`, …); `success` (INIT_REPORT writes it) is not. */
function failedStatus(value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null;
  return value.toLowerCase() === 'success' ? null : value;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Parse one Text-format line. Returns null for application output without a PID marker. */
export function parseTextLine(line: string): PlatformLine | null {
  const text = line.replace(/\r$/, '');
  if (text.startsWith('REPORT RequestId: ')) {
    const f = fields(text.slice('REPORT '.length));
    const requestId = f.get('RequestId');
    const durationMs = ms(f.get('Duration'));
    const billedDurationMs = ms(f.get('Billed Duration'));
    if (!requestId || durationMs === null || billedDurationMs === null) return null;
    return {
      kind: 'report',
      requestId,
      durationMs,
      billedDurationMs,
      memorySizeMB: ms(f.get('Memory Size')),
      maxMemoryUsedMB: ms(f.get('Max Memory Used')),
      initDurationMs: ms(f.get('Init Duration')),
      restoreDurationMs: ms(f.get('Restore Duration')),
      billedRestoreDurationMs: ms(f.get('Billed Restore Duration')),
      status: failedStatus(f.get('Status')),
      errorType: f.get('Error Type') ?? null,
      xrayTraceId: null,
    };
  }
  if (text.startsWith('INIT_REPORT ')) {
    const f = fields(text.slice('INIT_REPORT '.length));
    const initDurationMs = ms(f.get('Init Duration'));
    if (initDurationMs === null) return null;
    return {
      kind: 'init-report',
      initDurationMs,
      phase: f.get('Phase') ?? null,
      status: failedStatus(f.get('Status')),
      errorType: f.get('Error Type') ?? null,
    };
  }
  if (text.startsWith('RESTORE_REPORT ')) {
    const f = fields(text.slice('RESTORE_REPORT '.length));
    const restoreDurationMs = ms(f.get('Restore Duration'));
    if (restoreDurationMs === null) return null;
    return { kind: 'restore-report', restoreDurationMs, status: failedStatus(f.get('Status')), errorType: f.get('Error Type') ?? null };
  }
  if (text.startsWith('INIT_START ')) {
    const f = fields(text.slice('INIT_START '.length));
    return { kind: 'init-start', runtimeVersion: f.get('Runtime Version') ?? null, initializationType: null, phase: null };
  }
  if (text.startsWith('RESTORE_START')) return { kind: 'restore-start' };
  let m = new RegExp(`^START RequestId: (${UUIDISH})(?:\\s+Version: (\\S+))?`).exec(text);
  if (m) return { kind: 'start', requestId: m[1] as string, version: m[2] ?? null };
  m = new RegExp(`^END RequestId: (${UUIDISH})`).exec(text);
  if (m) return { kind: 'end', requestId: m[1] as string };
  m = PID_RE.exec(text);
  if (m) return { kind: 'pid', pid: Number(m[1]) };
  return null;
}

/** Parse one JSON-format event (`{"time","type","record"}`). Application JSON lines are searched for a PID marker. */
export function parseJsonEvent(event: unknown): PlatformLine | null {
  if (typeof event !== 'object' || event === null) return null;
  const e = event as { type?: unknown; record?: unknown; message?: unknown };
  const record = (typeof e.record === 'object' && e.record !== null ? e.record : {}) as Record<string, unknown>;
  const metrics = (typeof record.metrics === 'object' && record.metrics !== null ? record.metrics : {}) as Record<string, unknown>;
  const failed = failedStatus(str(record.status));
  switch (e.type) {
    case 'platform.report': {
      const requestId = str(record.requestId);
      const durationMs = num(metrics.durationMs);
      const billedDurationMs = num(metrics.billedDurationMs);
      if (!requestId || durationMs === null || billedDurationMs === null) return null;
      const tracing = (typeof record.tracing === 'object' && record.tracing !== null ? record.tracing : {}) as Record<string, unknown>;
      return {
        kind: 'report',
        requestId,
        durationMs,
        billedDurationMs,
        memorySizeMB: num(metrics.memorySizeMB),
        maxMemoryUsedMB: num(metrics.maxMemoryUsedMB),
        initDurationMs: num(metrics.initDurationMs),
        restoreDurationMs: num(metrics.restoreDurationMs),
        billedRestoreDurationMs: num(metrics.billedRestoreDurationMs),
        status: failed,
        errorType: str(record.errorType),
        xrayTraceId: str(tracing.value),
      };
    }
    case 'platform.initReport': {
      const initDurationMs = num(metrics.durationMs);
      if (initDurationMs === null) return null;
      return { kind: 'init-report', initDurationMs, phase: str(record.phase), status: failed, errorType: str(record.errorType) };
    }
    case 'platform.restoreReport': {
      const restoreDurationMs = num(metrics.durationMs);
      if (restoreDurationMs === null) return null;
      return { kind: 'restore-report', restoreDurationMs, status: failed, errorType: str(record.errorType) };
    }
    case 'platform.initStart':
      return {
        kind: 'init-start',
        runtimeVersion: str(record.runtimeVersion),
        initializationType: str(record.initializationType),
        phase: str(record.phase),
      };
    case 'platform.restoreStart':
      return { kind: 'restore-start' };
    case 'platform.start': {
      const requestId = str(record.requestId);
      return requestId ? { kind: 'start', requestId, version: str(record.version) } : null;
    }
    case 'platform.runtimeDone': {
      const requestId = str(record.requestId);
      return requestId ? { kind: 'end', requestId } : null;
    }
    default: {
      const text = typeof e.message === 'string' ? e.message : typeof record === 'string' ? record : null;
      if (text === null) return null;
      const m = PID_RE.exec(text);
      return m ? { kind: 'pid', pid: Number(m[1]) } : null;
    }
  }
}

/** Parse one CloudWatch event message or one line of a tail, whichever format it is in. */
export function parseLogLine(line: string): PlatformLine | null {
  const t = line.trim();
  if (t.startsWith('{') && t.endsWith('}')) {
    try {
      return parseJsonEvent(JSON.parse(t));
    } catch {
      // not JSON after all: fall through to the text rules
    }
  }
  return parseTextLine(line);
}

/**
 * Parse a block of log text: the decoded `LogResult` tail, or the concatenated messages of a stream.
 * The XRAY line that follows a REPORT line (same event) fills the report's trace id.
 */
export function parseLogText(text: string): PlatformLine[] {
  const out: PlatformLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw.startsWith('XRAY TraceId: ')) {
      const last = out[out.length - 1];
      const m = /^XRAY TraceId: (\S+)/.exec(raw);
      if (last?.kind === 'report' && m) last.xrayTraceId = m[1] as string;
      continue;
    }
    const parsed = parseLogLine(raw);
    if (parsed) out.push(parsed);
  }
  return out;
}

/** Everything the log lines say about one invocation. */
export interface InvocationLog {
  report: ReportLine | null;
  initReports: InitReportLine[];
  restoreReport: RestoreReportLine | null;
  start: StartLine | null;
  pids: number[];
  sawInitStart: boolean;
}

/**
 * Collect what belongs to `requestId` from parsed lines in log order: the lines after the previous
 * invocation's REPORT up to this invocation's REPORT (init lines come before START; app lines between).
 */
export function collectInvocation(lines: PlatformLine[], requestId: string): InvocationLog {
  let segmentStart = 0;
  let end = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as PlatformLine;
    if (l.kind === 'report') {
      if (l.requestId === requestId) {
        end = i;
        break;
      }
      segmentStart = i + 1;
    }
  }
  const segment = end >= 0 ? lines.slice(segmentStart, end + 1) : lines.slice(segmentStart);
  const log: InvocationLog = { report: null, initReports: [], restoreReport: null, start: null, pids: [], sawInitStart: false };
  for (const l of segment) {
    switch (l.kind) {
      case 'report':
        log.report = l;
        break;
      case 'init-report':
        log.initReports.push(l);
        break;
      case 'restore-report':
        log.restoreReport = l;
        break;
      case 'start':
        if (l.requestId === requestId) log.start = l;
        break;
      case 'pid':
        log.pids.push(l.pid);
        break;
      case 'init-start':
        log.sawInitStart = true;
        break;
      default:
        break;
    }
  }
  return log;
}

/**
 * How the invocation started: `cold` (a new execution environment: Init Duration, or Restore Duration with
 * SnapStart), `re-init` (an init re-run inside the invoke after a timeout, a crash or a failed init:
 * INIT_REPORT Phase: invoke), `warm`, or `unknown` (no REPORT). A re-init is not a cold start.
 */
export type StartKind = 'cold' | 'warm' | 're-init' | 'unknown';
export type InvocationStatus = 'success' | 'error' | 'timeout';

/**
 * Classify one invocation from its log and the Invoke response (docs/lambda-platform.md, "Log lines").
 * The status comes from the REPORT (`Status:` / `platform.report` status), the function-error header and a
 * re-run init's INIT_REPORT; `success` in any of them is a success, in both log formats.
 */
export function classify(
  log: InvocationLog,
  functionError: string | null,
): { kind: StartKind; status: InvocationStatus; errorType: string | null; initDurationMs: number | null } {
  const report = log.report;
  const rerun = log.initReports.find((r) => r.phase === 'invoke');
  let kind: StartKind;
  if (report && (report.initDurationMs !== null || report.restoreDurationMs !== null)) kind = 'cold';
  else if (rerun) kind = 're-init';
  else if (!report) kind = 'unknown';
  else kind = 'warm';

  const statuses = [report?.status, rerun?.status].filter((s): s is string => Boolean(s));
  let status: InvocationStatus = 'success';
  if (statuses.includes('timeout')) status = 'timeout';
  else if (statuses.length > 0 || functionError) status = 'error';
  const errorType = report?.errorType ?? rerun?.errorType ?? null;
  const initDurationMs = kind === 'cold' ? (report?.initDurationMs ?? null) : kind === 're-init' ? (rerun?.initDurationMs ?? null) : null;
  return { kind, status, errorType, initDurationMs };
}
