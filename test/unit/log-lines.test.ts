// Parser tests on every line shape docs/lambda-platform.md ("Log lines") lists, written exactly as Lambda prints them.
import { describe, expect, it } from 'vitest';
import { classify, collectInvocation, parseJsonEvent, parseLogLine, parseLogText, parseTextLine } from '../../src/aws/log-lines.js';

const ID = '8f5e2c1a-3b4d-4e6f-9a0b-1c2d3e4f5a6b';

describe('Text format', () => {
  it('reads a cold REPORT (tabs between fields, trailing tab)', () => {
    const line = `REPORT RequestId: ${ID}\tDuration: 12.04 ms\tBilled Duration: 702 ms\tMemory Size: 512 MB\tMax Memory Used: 131 MB\tInit Duration: 689.10 ms\t`;
    expect(parseTextLine(line)).toEqual({
      kind: 'report',
      requestId: ID,
      durationMs: 12.04,
      billedDurationMs: 702,
      memorySizeMB: 512,
      maxMemoryUsedMB: 131,
      initDurationMs: 689.1,
      restoreDurationMs: null,
      billedRestoreDurationMs: null,
      status: null,
      errorType: null,
      xrayTraceId: null,
    });
  });

  it('reads a warm REPORT (no Init Duration) and one without the trailing tab', () => {
    const warm = parseTextLine(`REPORT RequestId: ${ID}\tDuration: 3.10 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t`);
    expect(warm).toMatchObject({ kind: 'report', durationMs: 3.1, billedDurationMs: 4, initDurationMs: null });
    const noTrailing = parseTextLine(`REPORT RequestId: ${ID}\tDuration: 3.10 ms\tBilled Duration: 546 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 542.01 ms`);
    expect(noTrailing).toMatchObject({ initDurationMs: 542.01, billedDurationMs: 546 });
  });

  it('attaches the XRAY second line of the same REPORT event', () => {
    const event = `REPORT RequestId: ${ID}\tDuration: 12.04 ms\tBilled Duration: 702 ms\tMemory Size: 512 MB\tMax Memory Used: 131 MB\tInit Duration: 689.10 ms\t\nXRAY TraceId: 1-5e1b4151-5ac6c58f5b5daa6532e4b7a2\tSegmentId: 3c8d0f2c1a2b3c4d\tSampled: true\t`;
    const lines = parseLogText(event);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ kind: 'report', initDurationMs: 689.1, xrayTraceId: '1-5e1b4151-5ac6c58f5b5daa6532e4b7a2' });
  });

  it('reads SnapStart Restore Duration and Billed Restore Duration (no Init Duration)', () => {
    const line = `REPORT RequestId: ${ID}\tDuration: 20.50 ms\tBilled Duration: 21 ms\tMemory Size: 1024 MB\tMax Memory Used: 90 MB\tRestore Duration: 310.72 ms\tBilled Restore Duration: 145 ms\t`;
    expect(parseTextLine(line)).toMatchObject({ initDurationMs: null, restoreDurationMs: 310.72, billedRestoreDurationMs: 145 });
  });

  it('reads Status: timeout and Status: error with Error Type', () => {
    expect(
      parseTextLine(`REPORT RequestId: ${ID}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 50 MB\tStatus: timeout\t`),
    ).toMatchObject({ status: 'timeout', errorType: null });
    expect(
      parseTextLine(`REPORT RequestId: ${ID}\tDuration: 95.12 ms\tBilled Duration: 96 ms\tMemory Size: 128 MB\tMax Memory Used: 30 MB\tStatus: error\tError Type: Runtime.ImportModuleError\t`),
    ).toMatchObject({ status: 'error', errorType: 'Runtime.ImportModuleError', initDurationMs: null });
  });

  it('reads INIT_REPORT Status: success as no failure, as the JSON format does', () => {
    expect(parseTextLine('INIT_REPORT Init Duration: 301.52 ms\tPhase: invoke\tStatus: success\t')).toMatchObject({ phase: 'invoke', status: null, initDurationMs: 301.52 });
    expect(parseJsonEvent({ type: 'platform.initReport', record: { phase: 'invoke', status: 'success', metrics: { durationMs: 301.52 } } })).toMatchObject({ phase: 'invoke', status: null });
  });

  it('reads INIT_REPORT in the invoke phase (suppressed init) and an init-phase timeout', () => {
    expect(parseTextLine('INIT_REPORT Init Duration: 87.28 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.ImportModuleError')).toEqual({
      kind: 'init-report',
      initDurationMs: 87.28,
      phase: 'invoke',
      status: 'error',
      errorType: 'Runtime.ImportModuleError',
    });
    expect(parseTextLine('INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout')).toMatchObject({ phase: 'init', status: 'timeout', errorType: null });
  });

  it('reads INIT_START, RESTORE_START, RESTORE_REPORT, START and END', () => {
    expect(parseTextLine('INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc')).toEqual({
      kind: 'init-start',
      runtimeVersion: 'python:3.12.v38',
      initializationType: null,
      phase: null,
    });
    expect(parseTextLine('RESTORE_START Runtime Version: python:3.12.v38\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc')).toEqual({ kind: 'restore-start' });
    expect(parseTextLine('RESTORE_REPORT Restore Duration: 310.72 ms\t')).toMatchObject({ kind: 'restore-report', restoreDurationMs: 310.72 });
    expect(parseTextLine(`START RequestId: ${ID} Version: $LATEST`)).toEqual({ kind: 'start', requestId: ID, version: '$LATEST' });
    expect(parseTextLine(`END RequestId: ${ID}`)).toEqual({ kind: 'end', requestId: ID });
  });

  it('finds PID markers in application output and ignores other output', () => {
    expect(parseTextLine('PID: 8')).toEqual({ kind: 'pid', pid: 8 });
    expect(parseTextLine('[INFO]\t2026-01-01T00:00:00.000Z\tabc\tPID: 1234')).toEqual({ kind: 'pid', pid: 1234 });
    expect(parseTextLine('hello world')).toBeNull();
    expect(parseTextLine('REPORT RequestId: broken')).toBeNull();
  });
});

describe('JSON format (LoggingConfig.LogFormat = JSON)', () => {
  const ev = (type: string, record: unknown) => JSON.stringify({ time: '2026-01-01T00:00:00.000Z', type, record });

  it('reads platform.report with and without initDurationMs', () => {
    const cold = ev('platform.report', {
      requestId: ID,
      status: 'success',
      metrics: { durationMs: 12.04, billedDurationMs: 702, memorySizeMB: 512, maxMemoryUsedMB: 131, initDurationMs: 689.1 },
    });
    expect(parseLogLine(cold)).toMatchObject({ kind: 'report', requestId: ID, durationMs: 12.04, billedDurationMs: 702, initDurationMs: 689.1, status: null });
    const warm = ev('platform.report', { requestId: ID, status: 'success', metrics: { durationMs: 2.5, billedDurationMs: 3, memorySizeMB: 512, maxMemoryUsedMB: 131 } });
    expect(parseLogLine(warm)).toMatchObject({ initDurationMs: null, restoreDurationMs: null });
    const timeout = ev('platform.report', { requestId: ID, status: 'timeout', metrics: { durationMs: 3000, billedDurationMs: 3000, memorySizeMB: 128, maxMemoryUsedMB: 50 } });
    expect(parseLogLine(timeout)).toMatchObject({ status: 'timeout' });
    const snap = ev('platform.report', { requestId: ID, status: 'success', metrics: { durationMs: 20.5, billedDurationMs: 21, memorySizeMB: 1024, maxMemoryUsedMB: 90, restoreDurationMs: 310.72, billedRestoreDurationMs: 145 } });
    expect(parseLogLine(snap)).toMatchObject({ restoreDurationMs: 310.72, billedRestoreDurationMs: 145, initDurationMs: null });
  });

  it('reads initStart, initReport (phase invoke, error), start, runtimeDone, restoreReport', () => {
    expect(parseJsonEvent(JSON.parse(ev('platform.initStart', { initializationType: 'snap-start', phase: 'init', runtimeVersion: 'python:3.12.v38', functionName: 'f' })))).toEqual({
      kind: 'init-start',
      runtimeVersion: 'python:3.12.v38',
      initializationType: 'snap-start',
      phase: 'init',
    });
    expect(parseLogLine(ev('platform.initReport', { initializationType: 'on-demand', phase: 'invoke', status: 'error', errorType: 'Runtime.ImportModuleError', metrics: { durationMs: 87.28 } }))).toEqual({
      kind: 'init-report',
      initDurationMs: 87.28,
      phase: 'invoke',
      status: 'error',
      errorType: 'Runtime.ImportModuleError',
    });
    expect(parseLogLine(ev('platform.initReport', { initializationType: 'provisioned-concurrency', phase: 'init', status: 'success', metrics: { durationMs: 120 } }))).toMatchObject({ status: null, phase: 'init' });
    expect(parseLogLine(ev('platform.start', { requestId: ID, version: '$LATEST' }))).toEqual({ kind: 'start', requestId: ID, version: '$LATEST' });
    expect(parseLogLine(ev('platform.runtimeDone', { requestId: ID, status: 'success', metrics: { durationMs: 2 } }))).toEqual({ kind: 'end', requestId: ID });
    expect(parseLogLine(ev('platform.restoreReport', { status: 'success', metrics: { durationMs: 310.72 } }))).toMatchObject({ kind: 'restore-report', restoreDurationMs: 310.72 });
    expect(parseLogLine(ev('platform.initRuntimeDone', { initializationType: 'on-demand', phase: 'init', status: 'success' }))).toBeNull();
  });

  it('finds a PID marker in a JSON application line', () => {
    expect(parseLogLine(JSON.stringify({ timestamp: 't', level: 'INFO', message: 'PID: 8', requestId: ID }))).toEqual({ kind: 'pid', pid: 8 });
  });
});

describe('one invocation from a log', () => {
  it('collects only the lines after the previous REPORT', () => {
    const other = '11111111-2222-3333-4444-555555555555';
    const text = [
      `START RequestId: ${other} Version: $LATEST`,
      'PID: 7',
      `END RequestId: ${other}`,
      `REPORT RequestId: ${other}\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t`,
      'INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc',
      'INIT_REPORT Init Duration: 87.28 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.ImportModuleError',
      `START RequestId: ${ID} Version: $LATEST`,
      `END RequestId: ${ID}`,
      `REPORT RequestId: ${ID}\tDuration: 95.12 ms\tBilled Duration: 96 ms\tMemory Size: 128 MB\tMax Memory Used: 30 MB\tStatus: error\tError Type: Runtime.ImportModuleError\t`,
    ].join('\n');
    const log = collectInvocation(parseLogText(text), ID);
    expect(log.pids).toEqual([]);
    expect(log.start?.requestId).toBe(ID);
    expect(log.initReports).toHaveLength(1);
    expect(classify(log, 'Unhandled')).toEqual({ kind: 're-init', status: 'error', errorType: 'Runtime.ImportModuleError', initDurationMs: 87.28 });
  });

  it('classifies cold, warm, SnapStart restore, timeout and a function error', () => {
    const log = (report: string, extra: string[] = []) => collectInvocation(parseLogText([...extra, report].join('\n')), ID);
    const base = `REPORT RequestId: ${ID}\tDuration: 3.10 ms\tBilled Duration: 546 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t`;
    expect(classify(log(`${base}Init Duration: 542.01 ms\t`), null)).toMatchObject({ kind: 'cold', status: 'success', initDurationMs: 542.01 });
    expect(classify(log(base), null)).toMatchObject({ kind: 'warm', status: 'success', initDurationMs: null });
    expect(classify(log(`${base}Restore Duration: 310.72 ms\tBilled Restore Duration: 145 ms\t`), null)).toMatchObject({ kind: 'cold' });
    expect(classify(log(`${base}Status: timeout\t`), 'Unhandled')).toMatchObject({ kind: 'warm', status: 'timeout' });
    expect(classify(log(base), 'Unhandled')).toMatchObject({ kind: 'warm', status: 'error' });
    expect(classify(collectInvocation([], ID), 'Unhandled')).toMatchObject({ kind: 'unknown', status: 'error' });
  });

  it('survives a 4 KB tail cut in the middle of a line', () => {
    const text = `e 041 xxxxxxxx\nline 042\nEND RequestId: ${ID}\nREPORT RequestId: ${ID}\tDuration: 5.00 ms\tBilled Duration: 5 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t\n`;
    const log = collectInvocation(parseLogText(text), ID);
    expect(log.report?.durationMs).toBe(5);
    expect(log.start).toBeNull();
  });
});
